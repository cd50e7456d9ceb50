"""Serving the app: one uvicorn process, or several that share the port fairly.

uvicorn's own multi-process mode binds one listening socket and shares it between the workers;
the kernel then hands new connections to whichever worker wakes first, which under load is
mostly the same one (measured with `bench/checkout.py`: one worker at 95 % CPU, the other at
18 %). Here each worker gets its own socket in one ``SO_REUSEPORT`` group, so Linux spreads
connections over the workers by a hash of their addresses. The sockets are bound by the parent
before any worker starts, so a port in use is a clear error at once, and a worker that dies is
restarted on the same socket.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import time
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn

__all__ = ["serve", "shares_port_fairly"]

log = logging.getLogger(__name__)
APP = "medrush.web.app:create_app"
RESTART_PAUSE_SECONDS = 1.0


def shares_port_fairly() -> bool:
    """Whether this platform balances connections over sockets of one ``SO_REUSEPORT`` group."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _worker(sock: socket.socket, host: str, port: int, log_level: str) -> None:
    """A child process: serve the app on its own socket until told to stop."""
    config = uvicorn.Config(
        APP, factory=True, host=host, port=port, log_config=None, log_level=log_level, proxy_headers=True
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

    def start(sock: socket.socket) -> BaseProcess:
        proc = spawn.Process(target=_worker, args=(sock, host, port, log_level), daemon=False)
        proc.start()
        return proc

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    procs = [start(sock) for sock in sockets]
    log.info("serving on http://%s:%d with %d worker processes (SO_REUSEPORT)", host, port, workers)
    while not stopping:
        time.sleep(0.5)
        for i, proc in enumerate(procs):
            if not proc.is_alive() and not stopping:
                log.warning("web worker %s exited with %s; restarting it", proc.pid, proc.exitcode)
                time.sleep(RESTART_PAUSE_SECONDS)
                procs[i] = start(sockets[i])
    for proc in procs:
        if proc.is_alive() and proc.pid is not None:
            proc.terminate()  # SIGTERM: uvicorn finishes the requests in flight, then exits
    for proc in procs:
        proc.join(timeout=30)
        if proc.is_alive():
            proc.kill()
    for sock in sockets:
        sock.close()
