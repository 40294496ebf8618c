"""Crash test: the server is killed (SIGKILL) during a burst of writes; afterwards every
acknowledged write is present with its audit row and SQLite reports a consistent database."""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from pathlib import Path

import httpx

from tests.web import live_server


def test_kill_during_write_burst(tmp_path: Path) -> None:
    process, url = live_server.start(tmp_path)
    try:
        token = httpx.post(f"{url}/api/auth/token", data={
            "username": "clinician", "password": live_server.DEMO_PASSWORD}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        acknowledged: list[int] = []
        stop = threading.Event()

        def burst() -> None:
            with httpx.Client(headers=headers, timeout=5) as client:
                i = 0
                while not stop.is_set():
                    i += 1
                    try:
                        response = client.post(f"{url}/api/patients/1/visits", json={
                            "date": "2026-10-01", "physician_global": (i % 10),
                            "notes": f"crash-burst-{i}", "confirm": True})
                    except httpx.HTTPError:
                        return
                    if response.status_code == 201:
                        acknowledged.append(response.json()["id"])

        writers = [threading.Thread(target=burst) for _ in range(3)]
        for w in writers:
            w.start()
        while len(acknowledged) < 40:
            time.sleep(0.05)
        live_server.stop(process, signal.SIGKILL)  # supervisor and workers at once
        stop.set()
        for w in writers:
            w.join(timeout=10)
    finally:
        live_server.stop(process, signal.SIGKILL)

    db = sqlite3.connect(tmp_path / "myositis.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    stored = {row[0] for row in db.execute("select id from visits")}
    assert set(acknowledged) <= stored
    audited = {row[0] for row in db.execute(
        "select entity_id from audit_log where entity = 'visit' and action = 'create'")}
    assert set(acknowledged) <= audited
    burst_ids = {row[0] for row in db.execute("select id from visits where notes like 'crash-burst-%'")}
    assert burst_ids <= audited  # no visit committed without its audit row
