"""`medrush serve` on the embedded default: a SIGTERM (what `docker stop`, systemd and process
managers send) ends the server cleanly and stops the private PostgreSQL it started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, free_port

pytestmark = pytest.mark.slow


def _postmaster_running(pgdata: Path) -> bool:
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().split()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_stops_the_server_and_its_embedded_postgres(tmp_path: Path, workers: int) -> None:
    home = tmp_path / "home"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "MEDRUSH_DATABASE_URL"}
    env.update({"MEDRUSH_HOME": str(home), "MEDRUSH_PORT": str(port)})
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "medrush", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")[-2000:]
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("server did not become healthy within 90 s")
        assert _postmaster_running(home / "pgdata")

        proc.send_signal(signal.SIGTERM)
        # an exit, not a death by the signal (-15), which would skip the exit hooks
        assert proc.wait(timeout=30) in (0, 128 + signal.SIGTERM)
        assert not _postmaster_running(home / "pgdata"), "the embedded PostgreSQL outlived the server"
    finally:
        if proc.poll() is None:
            proc.kill()
        log.close()
        if _postmaster_running(home / "pgdata"):
            pid = int((home / "pgdata" / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGTERM)
