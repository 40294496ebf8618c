"""Clinic benchmarks on SQLite (run: python benchmarks/bench_clinic.py).

The database is seeded before the server starts with BENCH_PATIENTS (default 2,000) SYNTHETIC
patients of the demo generator, plus one patient with ten years of quarterly visits (40 visits,
20 dated laboratory panels of 5 analytes, 8 treatments), all written as rows in bulk.

1. Patient page of the ten-year patient: median render time over repeated requests, beside
   the median of a trivial endpoint (/api/health) measured in the same run as the baseline.
1b. Worklist over every patient: the first request while each worker's start-up warm-up is still
   computing rows, then (after the health check reports every worker warm) the warm median.
   The patient page and the health baseline are measured after the warm-up too.
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
REGISTRY = int(os.environ.get("BENCH_PATIENTS", "2000"))
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


def database_url(data_dir: Path) -> str:
    """SQLite in the run's directory, or the PostgreSQL database named by BENCH_DATABASE_URL
    (an empty database the benchmark may fill, for example one made by ``createdb``)."""
    return os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{data_dir / 'myositis.db'}"


def seed(data_dir: Path) -> int:
    """Bulk-insert the SYNTHETIC registry and the ten-year patient; returns the latter's id."""
    import datetime as dt

    from sqlalchemy import insert

    from myositis.db import models
    from myositis.db.engine import make_engine, migrate
    from myositis.demo.clinic import demo_clinic

    url = database_url(data_dir)
    migrate(url)
    engine = make_engine(url)
    today = dt.date.today()
    clinic = demo_clinic(count=REGISTRY, today=today)
    with engine.begin() as conn:
        conn.execute(insert(models.Patient), [
            {"id": i + 1, "pseudonym": p.pseudonym, "synthetic": True, "sex": p.sex,
             "age_at_onset": p.profile.classification.age_at_onset,
             "symptom_onset": p.symptom_onset, "profile": p.profile.model_dump(mode="json")}
            for i, (p, _v) in enumerate(clinic)])
        visits, treatments = [], []
        for i, (_p, vs) in enumerate(clinic):
            for v in vs:
                visits.append({"patient_id": i + 1, **v.model_dump(
                    mode="json", exclude={"medications", "confirm"}),
                    "date": v.date, "medications": []})
                treatments += [{"patient_id": i + 1, "therapy": m.therapy, "start": m.start,
                                "outcome": m.outcome} for m in v.medications]
        big = REGISTRY + 1
        conn.execute(insert(models.Patient), [{
            "id": big, "pseudonym": "SYN-TEN-YEARS", "synthetic": True, "sex": "female",
            "age_at_onset": 45, "symptom_onset": today - dt.timedelta(days=3700),
            "profile": clinic[0][0].profile.model_dump(mode="json")}])
        for q in range(40):
            day = today - dt.timedelta(days=91 * (39 - q))
            visits.append({"patient_id": big, "date": day, "physician_global": 2.0 + q % 3,
                           "patient_global": 2.0, "extramuscular_global": 1.0,
                           "mmt8": 70 + q % 5, "mmt_max": 80, "haq": 0.5,
                           "glucocorticoid_mg_per_day": 5.0, "notes": "SYNTHETIC",
                           "cdasi_activity": None, "cdasi_damage": None,
                           "labs": {"enzymes": {"ck": {"value": 150 + 10 * q, "uln": 200}}},
                           "medications": [], "instrument_items": None})
        conn.execute(insert(models.Visit), visits)
        labs = [{"patient_id": big, "analyte": a, "value": v, "unit": u, "uln": uln,
                 "date": today - dt.timedelta(days=182 * k)}
                for k in range(20) for a, v, u, uln in (
                    ("ferritin", 300.0, "ng/mL", 300.0), ("crp", 4.0, "mg/L", 5.0),
                    ("alt", 30.0, "U/L", 40.0), ("egfr", 85.0, "mL/min/1.73m2", None),
                    ("haemoglobin", 130.0, "g/L", None))]
        conn.execute(insert(models.LabResultRow), labs)
        drugs = ("glucocorticoids_oral", "methotrexate", "azathioprine", "mycophenolate",
                 "ivig", "rituximab", "hydroxychloroquine", "tacrolimus")
        treatments += [{"patient_id": big, "therapy": d,
                        "start": today - dt.timedelta(days=3600 - 400 * k),
                        "stop": None if k in (0, 7) else today - dt.timedelta(days=3300 - 400 * k),
                        "outcome": "unknown"} for k, d in enumerate(drugs)]
        conn.execute(insert(models.TreatmentRow), treatments)
    engine.dispose()
    return big


DEMO_PASSWORD = "bench-demo-password-2026"  # demo accounts are otherwise random per install


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MYOSITIS_DATA_DIR": str(data_dir), "MYOSITIS_DEMO_PASSWORD": DEMO_PASSWORD,
           "MYOSITIS_DATABASE_URL": database_url(data_dir)}
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


def wait_until_warm(client: httpx.Client, limit_s: float = 600) -> float:
    """Seconds until the health check reports the worklist warm on 20 answers in a row (the
    answers come from every worker); the limit stops a server whose warm-up is switched off."""
    started = time.perf_counter()
    streak = 0
    while streak < 20 and time.perf_counter() - started < limit_s:
        warm = client.get("/api/health").json().get("worklist_warm", False)
        streak = streak + 1 if warm else 0
        if not warm:
            time.sleep(0.5)
    return time.perf_counter() - started


def login_token(url: str) -> str:
    """An API token for the demo clinician (the benchmarks' password, set at seeding)."""
    response = httpx.post(f"{url}/api/auth/token",
                          data={"username": "clinician", "password": DEMO_PASSWORD})
    return str(response.json()["access_token"])


def stored_visits(url: str, auth: dict[str, str]) -> int:
    """Visits stored across the benchmark clinic (to compare with acknowledged writes)."""
    return sum(len(httpx.get(f"{url}/api/patients/{p}/visits", headers=auth, timeout=60).json())
               for p in range(1, PATIENTS + 1))


async def send_mixed(client: httpx.AsyncClient, kind: str, pid: int) -> httpx.Response:
    """One request of the mixed load: a visit write, or a patient, visits or response read."""
    if kind == "write":
        return await client.post(f"/api/patients/{pid}/visits", content=VISIT,
                                 headers={"Content-Type": "application/json"})
    return await client.get({"patient": f"/api/patients/{pid}",
                             "visits": f"/api/patients/{pid}/visits",
                             "response": f"/api/patients/{pid}/response"}[kind])


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
        started = time.perf_counter()
        big = seed(Path(tmp))
        print(f"seeded {REGISTRY} SYNTHETIC patients and one ten-year patient in "
              f"{time.perf_counter() - started:.0f} s")
        process = start_server(Path(tmp), port)
        url = f"http://127.0.0.1:{port}"
        try:
            token = httpx.post(f"{url}/api/auth/token", data={
                "username": "clinician", "password": DEMO_PASSWORD}).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            visits = len(httpx.get(f"{url}/api/patients/{big}/visits", headers=auth).json())
            with httpx.Client(base_url=url, timeout=600) as client:
                client.post("/login", data={"username": "clinician",
                                            "password": DEMO_PASSWORD})
                # the first worklist request, while each worker's warm-up is still running
                start = time.perf_counter()
                client.get("/worklist")
                cold = time.perf_counter() - start
                # then wait for every worker's warm-up to finish: measuring beside it would
                # time the warm-up, not the page (the health check says when it is done)
                warm_wait = wait_until_warm(client)
                health = median_ms(client, "/api/health")
                page = median_ms(client, f"/patients/{big}")
                worklist = median_ms(client, "/worklist", n=20)
            banner = (Path(tmp) / "server.log").read_text()
            print("server:", " ".join(re.findall(r"\d+ workers?", banner)))
            print(f"patient page ({visits} visits, 100 lab results, 8 treatments): median "
                  f"{page:.1f} ms; health baseline {health:.1f} ms; ratio {page / health:.1f}x; "
                  f"target < 50 ms: {'PASS' if page < 50 else 'FAIL'}")
            print(f"worklist over {REGISTRY + 1} patients: warm median {worklist:.1f} ms "
                  f"(ratio {worklist / health:.1f}x health); target < 300 ms: "
                  f"{'PASS' if worklist < 300 else 'FAIL'}; first request while the warm-up "
                  f"runs: {cold:.1f} s; warm-up finished {warm_wait:.0f} s after start-up")
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
