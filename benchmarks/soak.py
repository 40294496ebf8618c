"""Soak test (run: python benchmarks/soak.py; SOAK_SECONDS=600 by default).

Seeds the SYNTHETIC clinic of bench_clinic.py, starts `myositis serve` (its default workers)
and drives the same mixed load as bench_overload.py (20 % visit writes, 80 % reads) from
SOAK_CONNECTIONS (default 32) asyncio clients for SOAK_SECONDS. Every SOAK_INTERVAL seconds
(default 30) it prints the admitted throughput of the interval as a ratio of the first interval,
the errors and 503s of the interval, and the resident memory (VmRSS, summed over the server's
process group, from /proc) as a ratio of the memory after the first interval (the warm-up:
imports, caches and pools are filled then).

Memory is called flat when the mean of the last quarter of the samples is within 10 % of the
mean of the second quarter: a leak of a few kB per request shows as a steady rise over 10
minutes of a few hundred thousand requests, while noise of the allocator does not. At the end
the acknowledged visit writes are counted against the visits stored (none may be lost).
Issue 13 asks for this script; it is not run by the test suite (10 minutes of load).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_clinic import MIX, PATIENTS, login_token, seed, send_mixed, start_server, stored_visits

SECONDS = float(os.environ.get("SOAK_SECONDS", "600"))
INTERVAL = float(os.environ.get("SOAK_INTERVAL", "30"))
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "32"))
FLAT_TOLERANCE = 0.10
error_kinds: dict[str, int] = {}  # what the errors were (timeouts, status codes)


def group_rss_kib(pgid: int) -> int:
    """Resident memory of every process in the server's process group (master and workers)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            # fields after the parenthesised command name: state ppid pgrp ...
            if int(stat.rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we read it
    return total


async def soak(url: str, token: str, pgid: int) -> tuple[list[dict[str, float]], int]:
    auth = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    window = {"ok": 0, "shed": 0, "errors": 0}
    written = 0
    error_kinds.clear()
    samples: list[dict[str, float]] = []
    deadline = time.monotonic() + SECONDS

    async def worker(client: httpx.AsyncClient, n: int) -> None:
        nonlocal written
        i = n
        while time.monotonic() < deadline:
            i += 1
            kind = MIX[i % len(MIX)]
            # writes go to the second half of the clinic and reads to the first, so the pages
            # read do not grow with the soak's own writes (a fixed payload keeps the
            # throughput figures about the server, not about ever longer visit lists)
            half = PATIENTS // 2
            pid = (1 + half + (i * 7) % (PATIENTS - half) if kind == "write"
                   else 1 + (i * 7) % half)
            try:
                response = await send_mixed(client, kind, pid)
            except httpx.HTTPError as error:
                window["errors"] += 1
                error_kinds[type(error).__name__] = error_kinds.get(type(error).__name__, 0) + 1
                continue
            if response.status_code == 503:
                window["shed"] += 1
                await asyncio.sleep(0.05)
            elif response.is_success:
                window["ok"] += 1
                written += response.status_code == 201
            else:
                window["errors"] += 1
                key = f"HTTP {response.status_code}"
                error_kinds[key] = error_kinds.get(key, 0) + 1

    async def sampler() -> None:
        started = time.monotonic()
        while time.monotonic() < deadline:
            await asyncio.sleep(min(INTERVAL, max(0.0, deadline - time.monotonic())))
            elapsed = time.monotonic() - started
            span = elapsed - (samples[-1]["t"] if samples else 0.0)
            samples.append({"t": elapsed, "rps": window["ok"] / span if span else 0.0,
                            "shed": window["shed"], "errors": window["errors"],
                            "rss": group_rss_kib(pgid) / 1024})
            print(f"  {elapsed:6.0f} s  {samples[-1]['rps']:7.0f} req/s  "
                  f"rss {samples[-1]['rss']:7.1f} MiB", file=sys.stderr, flush=True)
            window.update(ok=0, shed=0, errors=0)

    async with httpx.AsyncClient(base_url=url, headers=auth, limits=limits, timeout=30) as client:
        await asyncio.gather(sampler(), *(worker(client, n) for n in range(CONNECTIONS)))
    return samples, written


def main() -> None:
    port = 8933
    with tempfile.TemporaryDirectory() as tmp:
        seed(Path(tmp))
        process = start_server(Path(tmp), port)
        url = f"http://127.0.0.1:{port}"
        try:
            # a token outlives the soak (its lifetime is a setting, default 30 minutes)
            token = login_token(url)
            auth = {"Authorization": f"Bearer {token}"}
            before = stored_visits(url, auth)
            samples, written = asyncio.run(soak(url, token, process.pid))
            after = stored_visits(url, auth)
        finally:
            os.killpg(process.pid, 15)
            process.wait(timeout=30)
    base_rps, base_rss = samples[0]["rps"], samples[0]["rss"]
    print(f"soak: mixed load (20 % writes), SQLite, {CONNECTIONS} connections, {SECONDS:g} s; "
          f"ratios against the first {INTERVAL:g} s interval of the same run")
    print("| time | admitted req/s | ratio | shed (503) | errors | RSS MiB | RSS ratio |")
    print("|---|---|---|---|---|---|---|")
    for s in samples:
        print(f"| {s['t']:.0f} s | {s['rps']:.0f} | {s['rps'] / base_rps:.2f} | {s['shed']:.0f} | "
              f"{s['errors']:.0f} | {s['rss']:.1f} | {s['rss'] / base_rss:.2f} |")
    quarter = max(1, len(samples) // 4)
    early = statistics.mean(s["rss"] for s in samples[quarter:2 * quarter] or samples[:1])
    late = statistics.mean(s["rss"] for s in samples[-quarter:])
    growth = late / early - 1
    print(f"memory: second-quarter mean {early:.1f} MiB, last-quarter mean {late:.1f} MiB "
          f"({growth:+.1%}): {'flat' if abs(growth) <= FLAT_TOLERANCE else 'NOT FLAT'} "
          f"(tolerance {FLAT_TOLERANCE:.0%})")
    errors = sum(s["errors"] for s in samples)
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(error_kinds.items())) or "none"
    print(f"errors {errors:.0f} ({kinds}); acknowledged visit writes {written}, "
          f"stored {after - before}: "
          f"{'none lost' if after - before >= written else 'LOST WRITES'}")


if __name__ == "__main__":
    main()
