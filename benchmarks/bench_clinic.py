"""Clinic benchmarks on SQLite (run: python benchmarks/bench_clinic.py).

1. Patient page with five years of visits: median render time over repeated requests, beside
   the median of a trivial endpoint (/api/health) measured in the same run as the baseline.
2. API throughput against `myositis serve` (its default workers) on loopback: a mixed load of
   20% writes (POST a visit) and 80% reads (a patient record 30%, its visits 30%, its TIS
   series 20%) spread over all demo patients, beside health-check throughput from the same
   load generator in the same run. Errors are non-2xx answers plus socket errors.

The load generator is wrk (Debian package `wrk`), a separate C process, when it is on PATH;
otherwise Python threads, which share the two cores with the server and so understate it.
Environment: BENCH_SECONDS (default 10), BENCH_CLIENTS (connections, default 16),
BENCH_WORKERS (server worker processes; default: the server's own default).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from string import Template

import httpx

SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
WORKERS = os.environ.get("BENCH_WORKERS")
PATIENTS = 36
VISIT = '{"date": "2026-10-01", "physician_global": 2.0, "mmt8": 70, "confirm": true}'

# One request in ten: 2 writes, 3 record reads, 3 visit-list reads, 2 TIS-series reads.
MIX = ("write", "write", "patient", "patient", "patient", "visits", "visits", "visits",
       "response", "response")

WRK_SCRIPT = Template("""
local counter = 0
local auth = "Bearer " .. os.getenv("BENCH_TOKEN")
local mix = {$mix}
request = function()
  counter = counter + 1
  local pid = 1 + (counter * 7) % $patients
  local kind = mix[1 + counter % #mix]
  if kind == "write" then
    return wrk.format("POST", "/api/patients/" .. pid .. "/visits",
      {["Authorization"] = auth, ["Content-Type"] = "application/json"}, '$visit')
  elseif kind == "patient" then
    return wrk.format("GET", "/api/patients/" .. pid, {["Authorization"] = auth})
  elseif kind == "visits" then
    return wrk.format("GET", "/api/patients/" .. pid .. "/visits", {["Authorization"] = auth})
  end
  return wrk.format("GET", "/api/patients/" .. pid .. "/response", {["Authorization"] = auth})
end
""").substitute(mix=", ".join(f'"{k}"' for k in MIX), patients=PATIENTS, visit=VISIT)


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MYOSITIS_DATA_DIR": str(data_dir)}
    args = [sys.executable, "-m", "myositis.cli.main_module", "serve", "--port", str(port)]
    if WORKERS:
        args += ["--workers", WORKERS]
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(args, env={**env, "COLUMNS": "200"}, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
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


def wrk_load(url: str, token: str, mixed: bool) -> tuple[float, int, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    args = ["wrk", "-t1", f"-c{CLIENTS}", f"-d{SECONDS:g}s"]
    args += ["-s", script.name, url] if mixed else [f"{url}/api/health"]
    out = subprocess.run(args, env={**os.environ, "BENCH_TOKEN": token}, capture_output=True,
                         text=True, check=True).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|connect|read|write|"
                                            r"timeout):? (\d+)", out))
    return rps, total, errors


def python_load(url: str, token: str, mixed: bool) -> tuple[float, int, int]:
    done = errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def worker(n: int) -> None:
        nonlocal done, errors
        i = n
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"},
                          timeout=10) as client:
            while time.monotonic() < deadline:
                i += 1
                pid = 1 + (i * 7) % PATIENTS
                kind = MIX[i % len(MIX)] if mixed else "health"
                if kind == "write":
                    response = client.post(f"/api/patients/{pid}/visits", content=VISIT,
                                           headers={"Content-Type": "application/json"})
                else:
                    response = client.get({"health": "/api/health",
                                           "patient": f"/api/patients/{pid}",
                                           "visits": f"/api/patients/{pid}/visits",
                                           "response": f"/api/patients/{pid}/response"}[kind])
                with lock:
                    done += 1
                    errors += 0 if response.is_success else 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done / SECONDS, done, errors


def main() -> None:
    port = 8931
    load = wrk_load if shutil.which("wrk") else python_load
    generator = "wrk" if load is wrk_load else "Python threads (install wrk for a fair figure)"
    with tempfile.TemporaryDirectory() as tmp:
        process = start_server(Path(tmp), port)
        url = f"http://127.0.0.1:{port}"
        try:
            token = httpx.post(f"{url}/api/auth/token", data={
                "username": "clinician", "password": "demo-clinician-2026"}).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            visits = len(httpx.get(f"{url}/api/patients/1/visits", headers=auth).json())
            with httpx.Client(base_url=url) as client:
                client.post("/login", data={"username": "clinician",
                                            "password": "demo-clinician-2026"})
                health = median_ms(client, "/api/health")
                page = median_ms(client, "/patients/1")
            banner = (Path(tmp) / "server.log").read_text()
            print("server:", " ".join(re.findall(r"\d+ workers?", banner)))
            print(f"patient page ({visits} visits): median {page:.1f} ms; "
                  f"health baseline {health:.1f} ms; ratio {page / health:.1f}x; "
                  f"target < 50 ms: {'PASS' if page < 50 else 'FAIL'}")
            base_rps, _, base_err = load(url, token, mixed=False)
            rps, total, errors = load(url, token, mixed=True)
            print(f"API mixed 20% write / 80% read, {CLIENTS} connections, {SECONDS:g} s, "
                  f"load from {generator}: {rps:.0f} req/s ({total} requests, {errors} errors); "
                  f"health baseline {base_rps:.0f} req/s ({base_err} errors); "
                  f"ratio {rps / base_rps:.2f}; target >= 300 req/s with 0 errors: "
                  f"{'PASS' if rps >= 300 and errors == 0 else 'FAIL'}")
        finally:
            os.killpg(process.pid, 15)
            process.wait(timeout=20)


if __name__ == "__main__":
    main()
