"""`medrush serve` on the embedded default: a SIGTERM (what `docker stop`, systemd and process
managers send) ends the server cleanly and stops the private PostgreSQL it started, and a server
that was killed outright does not keep that PostgreSQL running for good."""

from __future__ import annotations

import os
import signal
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.conftest import start_server

pytestmark = pytest.mark.slow


def _postmaster_running(pgdata: Path) -> bool:
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        os.kill(int(pid_file.read_text().split()[0]), 0)
    except ProcessLookupError:
        return False
    return True


def _stop_postmaster(pgdata: Path) -> None:
    if _postmaster_running(pgdata):
        os.kill(int((pgdata / "postmaster.pid").read_text().split()[0]), signal.SIGTERM)


def _serve(tmp_path: Path, home: Path, workers: int) -> subprocess.Popen[bytes]:
    """``medrush serve`` on the embedded default under ``home``, once it answers."""
    env = {k: v for k, v in os.environ.items() if k != "MEDRUSH_DATABASE_URL"}
    log_path = tmp_path / f"serve-{uuid.uuid4().hex[:8]}.log"
    proc, _ = start_server({**env, "MEDRUSH_HOME": str(home)}, log_path, workers, timeout=90)
    return proc


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_stops_the_server_and_its_embedded_postgres(tmp_path: Path, workers: int) -> None:
    home = tmp_path / "home"
    proc = _serve(tmp_path, home, workers)
    try:
        assert _postmaster_running(home / "pgdata")
        proc.send_signal(signal.SIGTERM)
        # an exit, not a death by the signal (-15), which would skip the exit hooks
        assert proc.wait(timeout=30) in (0, 128 + signal.SIGTERM)
        assert not _postmaster_running(home / "pgdata"), "the embedded PostgreSQL outlived the server"
    finally:
        if proc.poll() is None:
            proc.kill()
        _stop_postmaster(home / "pgdata")


def test_a_killed_server_does_not_keep_the_embedded_postgres_running_for_good(tmp_path: Path) -> None:
    home = tmp_path / "home"
    killed = _serve(tmp_path, home, 1)
    killed.kill()  # no exit hooks run: it stays on pgserver's list of users
    killed.wait(timeout=30)
    proc = _serve(tmp_path, home, 1)
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        assert not _postmaster_running(home / "pgdata"), "a dead user kept the embedded PostgreSQL up"
    finally:
        if proc.poll() is None:
            proc.kill()
        _stop_postmaster(home / "pgdata")
