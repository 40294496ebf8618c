"""Several uvicorn worker processes, each with its own SO_REUSEPORT listening socket.

uvicorn's own ``--workers`` shares one listening socket, and the first idle worker accepts
every connection waiting in the queue: with keep-alive clients (an API client's pool, a load
generator) all connections can land on one worker while the other idles, which halved the
measured throughput in one run out of four (benchmarks/bench_clinic.py). With one socket per
worker the kernel spreads new connections across workers by hash. Linux and macOS only.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
from types import FrameType

import uvicorn

from myositis.errors import InputError


def _listen_socket(host: str, port: int, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(config: uvicorn.Config) -> None:
    config.configure_logging()  # a spawned process starts with logging unconfigured
    sock = _listen_socket(config.host, config.port, reuse_port=True)
    uvicorn.Server(config).run(sockets=[sock])


def check_port_free(host: str, port: int) -> None:
    """Fail early and clearly; a probe without SO_REUSEPORT cannot share a port with anyone,
    so a second server (even another `myositis serve`) on the port is refused here."""
    try:
        _listen_socket(host, port, reuse_port=False).close()
    except OSError as exc:
        raise InputError([("port", f"{port} on {host} is not available: {exc.strerror}")]) \
            from exc


def run(config: uvicorn.Config, workers: int) -> None:
    """Start ``workers`` processes and wait; SIGINT/SIGTERM stop them all gracefully."""
    if not hasattr(socket, "SO_REUSEPORT"):  # pragma: no cover - Windows
        uvicorn.run(config.app, host=config.host, port=config.port, workers=workers,
                    factory=config.factory, log_level="warning")
        return
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_worker, args=(config,), daemon=False)
                 for _ in range(workers)]
    for process in processes:
        process.start()

    def stop(signum: int, _frame: FrameType | None) -> None:
        for process in processes:
            if process.is_alive():
                process.terminate()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while any(process.is_alive() for process in processes):
        for process in processes:
            process.join(timeout=0.5)
            if process.exitcode not in (None, 0, -signal.SIGTERM, -signal.SIGINT):
                stop(signal.SIGTERM, None)  # one worker failed: stop the rest, report it
    failed = [p.exitcode for p in processes if p.exitcode not in (0, -signal.SIGTERM)]
    if failed:
        sys.exit(1)
