"""Portal benchmark on SQLite (run: python benchmarks/bench_portal.py).

Issue 12's target: the patient portal's home page under 50 ms at the median on SQLite. The
database holds the demo clinic (BENCH_PATIENTS SYNTHETIC patients, default 200) and one
invited patient whose record has a year of visits, 3 questionnaires, 30 diary entries and 20
exercise sessions. In one process, with the same in-process client for both, it times:

* GET /api/health (the baseline: routing, middleware and the client, no database work);
* GET /portal (the phone home page: record in plain words, measures, questionnaires);
* GET /portal/exercise and GET /portal/diary.

Each figure is printed with its median, its ratio to the health check measured in the same
run, and whether the 50 ms target is met. REPEAT (default 200) requests per endpoint.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPEAT = int(os.environ.get("BENCH_REPEAT", "200"))
PATIENTS = int(os.environ.get("BENCH_PATIENTS", "200"))
TARGET_MS = 50.0
PASSWORD = "synthetic-bench-password"


def main() -> None:
    from fastapi.testclient import TestClient

    from myositis.db.engine import make_engine, migrate, session_factory
    from myositis.db.portal_repository import PortalRepository
    from myositis.db.seed import ensure_demo_users, load_demo_clinic
    from myositis.services.diary import DiaryEntryIn
    from myositis.services.exercise import ExerciseLogIn, ExercisePlanIn
    from myositis.services.portal import Questionnaire, score
    from myositis.settings import Settings
    from myositis.web import create_app
    from myositis.web.security import hash_password

    today = dt.date.today()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        migrate(url)
        engine = make_engine(url)
        sessions = session_factory(engine)
        ensure_demo_users(sessions, hash_password, {"admin": "bench-admin-password-1",
                                                    "clinician": "bench-clinician-pass-1",
                                                    "researcher": "bench-research-pass-1"})
        load_demo_clinic(sessions, count=PATIENTS, today=today)
        now = dt.datetime.now(dt.UTC)
        with sessions() as session:
            repo = PortalRepository(session, actor="bench")
            code, _ = repo.invite(1, now)
            repo.redeem(code, "syn-bench-patient", hash_password(PASSWORD), now)
            for i in range(3):
                answers = Questionnaire(patient_global=3.0 + i, pain=2.0, fatigue=4.0)
                repo.add_report(1, answers, score(answers), now)
            repo.set_exercise_plan(1, ExercisePlanIn(programme_id="stable_phase"), now)
            for i in range(20):
                repo.log_exercise(1, ExerciseLogIn(date=today - dt.timedelta(days=i * 2),
                                                   minutes=30, effort=4), now)
            for i in range(30):
                repo.add_diary_entry(1, DiaryEntryIn(date=today - dt.timedelta(days=i),
                                                     weakness=3, fatigue=4), now)
            session.commit()
        settings = Settings(data_dir=Path(tmp), database_url=url,
                            secret_key="bench-secret-key-not-for-use")
        app = create_app(settings, engine=engine)
        with TestClient(app) as client:
            login = client.post("/login", data={"username": "syn-bench-patient",
                                                "password": PASSWORD},
                                follow_redirects=False)
            if login.status_code != 303:
                sys.exit(f"login failed: {login.status_code}")
            results = {}
            for path in ("/api/health", "/portal", "/portal/exercise", "/portal/diary"):
                for _ in range(10):  # warm caches and the template loader
                    client.get(path)
                times = []
                for _ in range(REPEAT):
                    start = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - start) * 1000)
                    if response.status_code != 200:
                        sys.exit(f"{path}: {response.status_code}")
                results[path] = statistics.median(times)
        engine.dispose()
    health = results.pop("/api/health")
    print(f"SQLite, {PATIENTS} demo patients, {REPEAT} requests each, in-process client")
    print(f"baseline GET /api/health median {health:.2f} ms")
    for path, median in results.items():
        verdict = "meets" if median < TARGET_MS else "MISSES"
        print(f"GET {path:<18} median {median:7.2f} ms = {median / health:5.1f} x health check; "
              f"{verdict} the {TARGET_MS:g} ms target")


if __name__ == "__main__":
    main()
