"""`medrush serve --workers 2`: keep-alive connections end up spread evenly over the workers, and
a catalog change handled by one worker reaches the other's search index."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from medrush import catalog
from medrush.kernel import db
from medrush.web.server import over_share, shares_port_fairly
from tests.conftest import serve_process

CONNECTIONS = 40


def test_a_worker_is_over_its_share_only_by_a_clear_margin() -> None:
    assert not over_share(25, 50, 2)
    assert not over_share(27, 50, 2)
    assert over_share(28, 50, 2)
    assert not over_share(2, 3, 2)  # a handful of connections is left alone
    assert over_share(300, 500, 2)  # 8 % of a share of 250 is 20


@given(st.integers(1, 8), st.integers(0, 2000), st.data())
def test_no_worker_at_or_below_its_share_is_told_to_shed(
    workers: int, total: int, data: st.DataObject
) -> None:
    mine = data.draw(st.integers(0, total))
    if mine * workers <= total:
        assert not over_share(mine, total, workers)


def _worker_pids(parent: int) -> list[int]:
    """The web workers among the children of ``medrush serve`` (not multiprocessing's tracker)."""
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return [
        int(pid) for pid in children if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _server_sides(port: int) -> dict[int, str]:
    """Established connections to ``port``: the client's port -> the server side's socket inode."""
    sides = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] == "01":
            sides[int(fields[2].split(":")[1], 16)] = fields[9]
    return sides


def _owners(conns: list[socket.socket], pids: list[int], port: int) -> list[int]:
    """For each client connection, the worker holding its server side (waiting for the accept)."""
    deadline = time.monotonic() + 5
    while True:
        inodes = {pid: _socket_inodes(pid) for pid in pids}
        sides = _server_sides(port)
        owners: list[int] = []
        for conn in conns:
            inode = sides.get(conn.getsockname()[1])
            owners.extend(pid for pid, held in inodes.items() if inode in held)
        if len(owners) == len(conns):
            return owners
        if time.monotonic() > deadline:
            raise AssertionError("a connection was not accepted by any worker")
        time.sleep(0.01)


@pytest.fixture
def two_workers(private_database: str) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    server = serve_process(private_database, workers=2)
    proc, base = next(server)
    try:
        while len(_worker_pids(proc.pid)) < 2:  # the second worker may still be starting
            time.sleep(0.1)
        yield proc, int(base.rsplit(":", 1)[1])
    finally:
        server.close()


def _get(conn: socket.socket) -> tuple[bytes, bool]:
    """One GET /healthz on a keep-alive connection: the status line and whether the server closes."""
    conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        assert chunk, "the server closed the connection before answering"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(b":") for line in lines[1:])}
    length = int(headers[b"content-length"])
    while len(body) < length:
        body += conn.recv(4096)
    return lines[0], headers.get(b"connection", b"").lower() == b"close"


@pytest.mark.skipif(not shares_port_fairly(), reason="SO_REUSEPORT groups are a Linux feature")
def test_keep_alive_connections_are_spread_evenly(two_workers: tuple[subprocess.Popen[bytes], int]) -> None:
    proc, port = two_workers
    pids = _worker_pids(proc.pid)
    busy = pids[0]
    # Build a 30/10 split: open connections and keep those that land where we want them.
    conns: list[socket.socket] = []
    want = {pids[0]: 30, pids[1]: 10}
    for _attempt in range(400):
        if not any(want.values()):
            break
        conn = socket.create_connection(("127.0.0.1", port))
        owner = _owners([conn], pids, port)[0]
        if want[owner]:
            want[owner] -= 1
            conns.append(conn)
        else:
            conn.close()
    assert not any(want.values()), "could not build the uneven split"
    assert _owners(conns, pids, port).count(busy) == 30
    reopened = 0
    try:
        for _round in range(6):
            for i, conn in enumerate(conns):
                status, closing = _get(conn)
                assert status.startswith(b"HTTP/1.1 200"), status
                if closing:  # as a client must: a new connection for the next request
                    conn.close()
                    conns[i] = socket.create_connection(("127.0.0.1", port))
                    reopened += 1
        time.sleep(0.05)
        owners = _owners(conns, pids, port)
    finally:
        for conn in conns:
            conn.close()
    counts = [owners.count(pid) for pid in pids]
    assert reopened >= 8, reopened
    assert max(counts) <= CONNECTIONS // 2 + 2, (counts, reopened)


def _statuses(port: int, path: str, times: int = 16) -> set[int]:
    """The status of ``path`` asked on ``times`` new connections (so every worker answers some)."""
    return {httpx.get(f"http://127.0.0.1:{port}{path}", timeout=10).status_code for _ in range(times)}


async def test_a_catalog_change_reaches_every_worker(
    two_workers: tuple[subprocess.Popen[bytes], int], on_private_database: str
) -> None:
    _proc, port = two_workers
    hits = httpx.get(f"http://127.0.0.1:{port}/api/v1/search", params={"q": "ibuprofen"}, timeout=10).json()
    medicine_id = hits[0]["medicine_id"]
    path = f"/api/v1/catalog/products/{medicine_id}"
    assert _statuses(port, path) == {200}
    async with db.session_scope() as session:
        await catalog.withdraw_product(session, medicine_id)
    deadline = time.monotonic() + 15
    while (seen := _statuses(port, path)) != {404}:
        assert time.monotonic() < deadline, f"a worker still serves the withdrawn product: {seen}"
        await asyncio.sleep(0.2)


class _Transport(asyncio.Transport):
    """Enough of a socket transport for uvicorn's protocol to run on (bytes written are kept)."""

    def __init__(self) -> None:
        super().__init__()
        self.written = b""
        self.closed = False
        self.protocol: asyncio.BaseProtocol | None = None

    def get_extra_info(self, name: str, default: object = None) -> object:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += bytes(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.protocol = protocol

    def pause_reading(self) -> None:
        pass

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def get_write_buffer_size(self) -> int:
        return 0

    def resume_reading(self) -> None:
        pass


async def test_a_connection_upgraded_to_a_websocket_stops_counting() -> None:
    import uvicorn
    from uvicorn.server import ServerState

    from medrush.web import server

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        await asyncio.sleep(3600)  # never answers: only the counting is looked at

    config = uvicorn.Config(app, log_config=None)  # the WebSocket implementation `serve` uses
    config.load()
    counts = server.RawArray("i", 2)
    server._BalancingProtocol.counts, server._BalancingProtocol.index = counts, 0
    protocol = server._BalancingProtocol(config=config, server_state=ServerState(), app_state={})
    transport = _Transport()
    protocol.connection_made(transport)
    assert list(counts) == [1, 0]
    protocol.data_received(
        b"GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    )
    assert transport.protocol is not None and transport.protocol is not protocol
    assert list(counts) == [0, 0]
    transport.protocol.connection_lost(None)
    assert list(counts) == [0, 0]
