"""Serving the app: one uvicorn process, or several that share the port fairly.

uvicorn's own multi-process mode binds one listening socket and shares it between the workers;
the kernel then hands new connections to whichever worker wakes first, which under load is
mostly the same one (measured with `bench/checkout.py`: one worker at 95 % CPU, the other at
18 %). Here each worker gets its own socket in one ``SO_REUSEPORT`` group, so Linux spreads
connections over the workers by a hash of their addresses. The sockets are bound by the parent
before any worker starts, so a port in use is a clear error at once, and a worker that dies is
restarted on the same socket.

A hash is fair on average only: 50 keep-alive connections often split 30/20 and stay so, and the
clients of the busier worker wait longer (bench/checkout.py). So the workers count their open
connections in memory they share, and a worker holding clearly more than its share answers the
next request on one of them with ``Connection: close``; the client opens a new connection, which
the kernel hashes again. A response is never cut: only the keep-alive ends. WebSockets (long-lived
by design) are not counted once upgraded.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import time
from multiprocessing.process import BaseProcess
from multiprocessing.sharedctypes import RawArray
from types import FrameType
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["over_share", "serve", "shares_port_fairly"]

log = logging.getLogger(__name__)
APP = "medrush.web.app:create_app"
RESTART_PAUSE_SECONDS = 1.0


def shares_port_fairly() -> bool:
    """Whether this platform balances connections over sockets of one ``SO_REUSEPORT`` group."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def over_share(mine: int, total: int, workers: int) -> bool:
    """Whether a worker holding ``mine`` of ``total`` open connections holds clearly more than its
    share (a margin of two connections, or 8 % of the share when that is more)."""
    fair = total / workers
    return mine - fair > max(2.0, 0.08 * fair)


class _BalancingProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol, counting this worker's open connections in the shared array and
    ending the keep-alive of one connection at a time while the worker is over its share."""

    counts: Any = None  # RawArray("i", workers): open connections per worker
    index = 0
    closing = 0  # connections of this worker told to close that have not closed yet

    _counted = False
    _leaving = False

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._counted = True
        self.counts[self.index] += 1

    def _uncount(self) -> None:
        if self._counted:
            self._counted = False
            self.counts[self.index] -= 1

    def connection_lost(self, exc: Exception | None) -> None:
        self._uncount()
        if self._leaving:
            self._leaving = False
            type(self).closing -= 1
        super().connection_lost(exc)

    def handle_websocket_upgrade(self) -> None:
        # the connection leaves HTTP for a WebSocket protocol, and this object never hears of it
        # again (no connection_lost): it stops counting as a keep-alive connection here
        self._uncount()
        super().handle_websocket_upgrade()

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        cycle = self.cycle
        if cycle is None or cycle.response_complete or not cycle.keep_alive or self._leaving:
            return
        counts = self.counts
        cls = type(self)
        if over_share(counts[self.index] - cls.closing, sum(counts) - cls.closing, len(counts)):
            cycle.keep_alive = False  # the response says "Connection: close"
            self._leaving = True
            cls.closing += 1


def _exit_on_sigterm() -> None:
    """Make SIGTERM end this process through ``SystemExit``, so its exit hooks run.

    uvicorn shuts down gracefully on SIGTERM and then raises the signal again under the handler
    that was there before it; under the default one the process dies at once, without the exit
    hooks, and the embedded PostgreSQL (stopped by the last process that uses it, from an exit
    hook) outlives it with this process still counted as a user, so it is never stopped.
    """

    def _exit(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)


def _worker(sock: socket.socket, host: str, port: int, log_level: str, counts: Any, index: int) -> None:
    """A child process: serve the app on its own socket until told to stop."""
    _exit_on_sigterm()
    counts[index] = 0  # a restarted worker starts with no connections
    _BalancingProtocol.counts = counts
    _BalancingProtocol.index = index
    config = uvicorn.Config(
        APP,
        factory=True,
        host=host,
        port=port,
        log_config=None,
        log_level=log_level,
        proxy_headers=True,
        http=_BalancingProtocol,
    )
    uvicorn.Server(config).run(sockets=[sock])


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(host: str, port: int, workers: int, log_level: str) -> None:
    """Serve until SIGINT/SIGTERM; ``workers`` > 1 gives each process its own socket on Linux."""
    if workers <= 1 or not shares_port_fairly():
        _exit_on_sigterm()
        uvicorn.run(
            APP,
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=None,
            log_level=log_level,
            proxy_headers=True,
        )
        return
    try:
        sockets = [_bind(host, port) for _ in range(workers)]
    except OSError as exc:
        raise SystemExit(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    multiprocessing.allow_connection_pickling()
    spawn = multiprocessing.get_context("spawn")
    stopping = False

    counts = RawArray("i", workers)

    def start(index: int) -> BaseProcess:
        proc = spawn.Process(
            target=_worker, args=(sockets[index], host, port, log_level, counts, index), daemon=False
        )
        proc.start()
        return proc

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    procs = [start(i) for i in range(workers)]
    log.info("serving on http://%s:%d with %d worker processes (SO_REUSEPORT)", host, port, workers)
    while not stopping:
        time.sleep(0.5)
        for i, proc in enumerate(procs):
            if not proc.is_alive() and not stopping:
                log.warning("web worker %s exited with %s; restarting it", proc.pid, proc.exitcode)
                time.sleep(RESTART_PAUSE_SECONDS)
                procs[i] = start(i)
    for proc in procs:
        if proc.is_alive() and proc.pid is not None:
            proc.terminate()  # SIGTERM: uvicorn finishes the requests in flight, then exits
    for proc in procs:
        proc.join(timeout=30)
        if proc.is_alive():
            proc.kill()
    for sock in sockets:
        sock.close()
