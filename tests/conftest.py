"""Shared fixtures.

Database: ``MEDRUSH_TEST_DATABASE`` is ``embedded`` (default: a private PostgreSQL under
``var/test-home``) or the URL of a PostgreSQL server where databases may be created (``make test``
also runs the database tests against ``postgresql://postgres@127.0.0.1:5432/test``). Each test
session creates a fresh database ``medrush_test_<random>``, migrates it with the real Alembic
history, and drops it at the end, so parallel runs never meet.

Fixtures: ``database`` (the URL; engine configured), ``app`` (the FastAPI app with its lifespan
running), ``client`` (an httpx client on the app), ``live_server`` (a real uvicorn process on a free
port, for WebSocket and browser tests). Tests using any of them get the ``db`` marker. Factories
for users and tokens live in ``tests/factories``.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Generator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
DB_FIXTURES = {"database", "app", "client", "live_server", "operator", "customer", "private_database"}

os.environ.setdefault("MEDRUSH_ENV", "test")
os.environ["MEDRUSH_HOME"] = str(ROOT / "var" / "test-home")
os.environ.setdefault("MEDRUSH_LOG_LEVEL", "warning")
os.environ.setdefault("MEDRUSH_BACKGROUND_JOBS", "false")  # tests drive timers and dispatch rounds
if os.environ.get("PYTEST_XDIST_WORKER"):
    # Workers run side by side on one server (100 connections on a default PostgreSQL): smaller pools
    # per process, inherited by the servers tests start, keep two workers' peaks below the limit.
    os.environ.setdefault("MEDRUSH_DATABASE_POOL_SIZE", "5")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that touches PostgreSQL with ``db``."""
    for item in items:
        if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


def _server_url() -> str:
    target = os.environ.get("MEDRUSH_TEST_DATABASE", "embedded")
    if target == "embedded":
        from medrush.kernel.embedded import embedded_postgres

        server = embedded_postgres(Path(os.environ["MEDRUSH_HOME"]))
        return server.libpq_url("postgres")
    if not target.startswith("postgresql://"):
        raise pytest.UsageError("MEDRUSH_TEST_DATABASE must be 'embedded' or a postgresql:// URL")
    return target


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


async def _admin(url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _migrate(url: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    from medrush.migrations import upgrade

    engine = create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def create_database() -> tuple[str, str]:
    """A new migrated database on the test server: (its URL, the server's admin URL)."""
    server = _server_url()
    name = f"medrush_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    url = _with_database(server, name)
    asyncio.run(_migrate(url))
    return url, server


def drop_database(url: str, server: str) -> None:
    """Drop a database made by ``create_database`` (connections are closed by force)."""
    name = urlsplit(url).path.lstrip("/")
    asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def database() -> Iterator[str]:
    """A fresh, migrated database for this test session; dropped afterwards."""
    from medrush.kernel import db
    from medrush.settings import reset_settings

    url, server = create_database()
    os.environ["MEDRUSH_DATABASE_URL"] = url
    reset_settings()
    db.forget()
    try:
        yield url
    finally:
        db.forget()
        os.environ.pop("MEDRUSH_DATABASE_URL", None)
        reset_settings()
        drop_database(url, server)


@pytest.fixture(scope="module")
def private_database(database: str) -> Iterator[str]:
    """A database for one test module alone: no relay or left-over data of other tests reaches it."""
    url, server = create_database()
    yield url
    drop_database(url, server)


@pytest.fixture
async def on_private_database(private_database: str) -> AsyncIterator[str]:
    """Point the process-wide engine at the module's private database for one test, then back.

    The process-wide search index goes back too: a test here may rebuild it from the private
    database's catalog, which later tests on the shared database must not see."""
    from medrush.catalog import current_index, set_search_index
    from medrush.kernel import db

    index = current_index()
    db.forget()
    db.configure(private_database.replace("postgresql://", "postgresql+asyncpg://", 1))
    yield private_database
    await db.dispose()
    db.forget()
    set_search_index(index)


@pytest.fixture(scope="session")
async def app(database: str) -> AsyncIterator[object]:
    """The application with its lifespan (bus, outbox relay, index warm-up) running."""
    from medrush.web.app import create_app

    application = create_app()
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: object) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the app in-process."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(database: str) -> Iterator[str]:
    """A real uvicorn process serving the app on a free port; yields its base URL."""
    yield from serve(database)


def serve(database: str) -> Iterator[str]:
    """Run `medrush serve` on ``database`` until the generator is closed; yields the base URL."""
    server = serve_process(database)
    _proc, base = next(server)
    try:
        yield base
    finally:
        server.close()


def start_server(
    env: dict[str, str], log_path: Path, workers: int = 1, timeout: float = 60
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``medrush serve`` on a free port with ``env`` (stderr to ``log_path``: a file never fills up and
    stalls the server) and wait until it answers; returns the process and its base URL."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "medrush", "serve", "--port", str(port), "--workers", str(workers)],
            env={**env, "MEDRUSH_PORT": str(port)},
            stdout=subprocess.DEVNULL,
            stderr=log_file,
            cwd=ROOT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"server did not become healthy within {timeout:g} s")


def serve_process(
    database: str, workers: int = 1
) -> Generator[tuple[subprocess.Popen[bytes], str], None, None]:
    """``serve`` with ``workers`` processes; yields the server process and the base URL."""
    log_path = ROOT / "var" / f"live-server-{uuid.uuid4().hex[:12]}.log"
    proc, base = start_server({**os.environ, "MEDRUSH_DATABASE_URL": database}, log_path, workers)
    try:
        yield proc, base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log_path.unlink(missing_ok=True)
