"""The embedded default: a private PostgreSQL 16 kept by ``pgserver`` under MEDRUSH_HOME."""

from __future__ import annotations

import fcntl
import logging
import os
import warnings
from pathlib import Path
from typing import Any

__all__ = ["EmbeddedPostgres", "embedded_postgres"]

log = logging.getLogger(__name__)
_server: EmbeddedPostgres | None = None


class EmbeddedPostgres:
    """A running embedded server; it stops when the last process using it exits."""

    def __init__(self, pgdata: Path) -> None:
        pgdata.mkdir(parents=True, exist_ok=True)
        # pgserver's own reference counting is per process; serialise first start-up between
        # processes (several CLI commands or test runs may start at once).
        with open(pgdata.parent / ".pgserver.lock", "w") as lock, warnings.catch_warnings():
            fcntl.flock(lock, fcntl.LOCK_EX)
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); the fallback is fine.
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
            import pgserver  # warns on import, hence inside the filter

            self._server: Any = pgserver.get_server(str(pgdata), cleanup_mode="stop")
            _forget_dead_users(self._server)
        self.pgdata = pgdata

    @property
    def socket_dir(self) -> str:
        """The folder holding the server's Unix socket."""
        return str(self.pgdata)

    def url(self, database: str = "medrush") -> str:
        """SQLAlchemy asyncpg URL of a database on this server."""
        return f"postgresql+asyncpg://postgres@/{database}?host={self.socket_dir}"

    def libpq_url(self, database: str = "medrush") -> str:
        """libpq-style URL of a database on this server."""
        return f"postgresql://postgres@/{database}?host={self.socket_dir}"

    def ensure_database(self, database: str) -> None:
        """Create the database if it does not exist yet."""
        exists = self._server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
        if "(1 row)" not in exists:
            self._server.psql(f'CREATE DATABASE "{database}";')


def _forget_dead_users(server: Any) -> None:
    """Drop processes that died without their exit hooks (killed) from pgserver's list of users.

    The server is stopped by the last user to exit; a killed user stays on the list and would
    keep it running for good. pgserver keeps the list in a file (``global_process_id_list``);
    when a later version has none, there is nothing to mend.
    """
    users = getattr(server, "global_process_id_list", None)
    if users is None:
        return
    for pid in users.get():
        if pid != os.getpid() and not _alive(pid):
            users.get_and_remove(pid)
            log.info("embedded PostgreSQL: forgot user process %d, which ended without stopping", pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def embedded_postgres(home: Path) -> EmbeddedPostgres:
    """Start (or join) the embedded server under ``home/pgdata``; one per process."""
    global _server
    if _server is None:
        log.info("starting embedded PostgreSQL under %s", home / "pgdata")
        _server = EmbeddedPostgres(home / "pgdata")
    return _server
