"""Start `myositis serve` in a subprocess on a free port (shared by browser and crash tests)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

# Demo accounts get random passwords; the live server's tests set one for all of them.
DEMO_PASSWORD = "live-server-demo-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(data_dir: Path, *args: str) -> tuple[subprocess.Popen[bytes], str]:
    """A server on SQLite in ``data_dir`` (default workers: one per core); returns the process
    and its base URL once healthy. ``args`` go to `myositis serve`."""
    port = free_port()
    env = {**os.environ, "MYOSITIS_DATA_DIR": str(data_dir), "MYOSITIS_DEMO_PASSWORD": DEMO_PASSWORD}
    env.pop("MYOSITIS_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "myositis.cli.main_module", "serve", "--port", str(port), *args],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)  # its own process group: the supervisor and its workers
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.5)
    stop(process, signal.SIGKILL)
    raise RuntimeError("server did not start")


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Signal the whole process group (uvicorn's supervisor and every worker) and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
