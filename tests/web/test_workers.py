"""Worker processes with their own SO_REUSEPORT sockets: start, serve, stop together."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

import httpx
import pytest

from myositis.errors import InputError
from myositis.web.workers import check_port_free
from tests.web import live_server


def test_port_in_use_names_the_field() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(InputError) as caught:
            check_port_free("127.0.0.1", port)
    assert caught.value.problems[0][0] == "port"
    check_port_free("127.0.0.1", port)  # free again once closed


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_workers_serve_and_stop_with_the_parent(tmp_path: Path) -> None:
    process, url = live_server.start(tmp_path, "--workers", "2")
    try:
        token = httpx.post(f"{url}/api/auth/token", data={
            "username": "clinician", "password": live_server.DEMO_PASSWORD}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        # Separate connections may reach either worker; each must read the other's writes
        # and accept tokens signed by the other (one key in the data directory).
        for i in range(10):
            with httpx.Client(base_url=url, headers=headers) as client:
                created = client.post("/api/patients/1/visits", json={
                    "date": "2026-10-01", "physician_global": 1.0, "notes": f"w{i}",
                    "confirm": True})
                assert created.status_code == 201
            with httpx.Client(base_url=url, headers=headers) as client:
                ids = {v["id"] for v in client.get("/api/patients/1/visits").json()}
                assert created.json()["id"] in ids
        os.kill(process.pid, signal.SIGTERM)  # the parent alone, as a service manager does
        process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _group_alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _group_alive(process.pid), "worker processes outlived the parent"
        assert process.returncode == 0
    finally:
        live_server.stop(process, signal.SIGKILL)
