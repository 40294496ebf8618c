"""Clinic benchmarks on SQLite (run: python benchmarks/bench_clinic.py).

1. Patient page with five years of visits: median render time over repeated requests, beside
   the median of a trivial endpoint (/api/health) measured in the same run as the baseline.
2. API throughput: mixed reads and writes (80/20) from concurrent clients on loopback against
   `myositis serve`, beside health-check throughput in the same run; errors are counted.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MYOSITIS_DATA_DIR": str(data_dir)}
    process = subprocess.Popen([sys.executable, "-m", "myositis.cli.main_module", "serve",
                                "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    for _ in range(240):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("server did not start")


def median_ms(client: httpx.Client, path: str, n: int = 60) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def load(url: str, token: str, mixed: bool) -> tuple[float, int, int]:
    done = errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def worker(n: int) -> None:
        nonlocal done, errors
        i = 0
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"},
                          timeout=10) as client:
            while time.monotonic() < deadline:
                i += 1
                if not mixed:
                    response = client.get("/api/health")
                    ok = response.status_code == 200
                elif i % 5 == 0:
                    response = client.post(f"/api/patients/{1 + n}/visits", json={
                        "date": "2026-10-01", "physician_global": 2.0, "mmt8": 70})
                    ok = response.status_code == 201
                else:
                    response = client.get(f"/api/patients/{1 + (i % 30)}/visits")
                    ok = response.status_code == 200
                with lock:
                    done += 1
                    errors += 0 if ok else 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done / SECONDS, done, errors


def main() -> None:
    port = 8931
    with tempfile.TemporaryDirectory() as tmp:
        process = start_server(Path(tmp), port)
        url = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=url) as client:
                client.post("/login", data={"username": "clinician",
                                            "password": "demo-clinician-2026"})
                visits = len(httpx.get(f"{url}/api/patients/1/visits", headers={
                    "Authorization": "Bearer " + httpx.post(f"{url}/api/auth/token", data={
                        "username": "clinician", "password": "demo-clinician-2026"}).json()[
                        "access_token"]}).json())
                health = median_ms(client, "/api/health")
                page = median_ms(client, "/patients/1")
            print(f"patient page ({visits} visits): median {page:.1f} ms; "
                  f"health baseline {health:.1f} ms; ratio {page / health:.1f}x; "
                  f"target < 50 ms: {'PASS' if page < 50 else 'FAIL'}")
            token = httpx.post(f"{url}/api/auth/token", data={
                "username": "clinician", "password": "demo-clinician-2026"}).json()["access_token"]
            base_rps, _, base_err = load(url, token, mixed=False)
            rps, total, errors = load(url, token, mixed=True)
            print(f"API mixed 80% read / 20% write, {CLIENTS} clients, {SECONDS:g} s: "
                  f"{rps:.0f} req/s ({total} requests, {errors} errors); health baseline "
                  f"{base_rps:.0f} req/s ({base_err} errors); ratio {rps / base_rps:.2f}; "
                  f"target >= 300 req/s with 0 errors: "
                  f"{'PASS' if rps >= 300 and errors == 0 else 'FAIL'}")
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
