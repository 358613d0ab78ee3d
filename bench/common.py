"""Shared helpers of the benchmark scripts: paths, logging, subprocesses, ports, the environment
the application is started with. Nothing here imports Django: every Django step runs in a
child process with its own DATABASE_URL, so one bench run can drive several databases."""

from __future__ import annotations

import contextlib
import math
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_SRC = Path(__file__).resolve().parent
VAR = ROOT / "var"
BENCH_VAR = VAR / "bench"
CACHE_DIR = BENCH_VAR / "cache"
RUNTIME_DIR = BENCH_VAR / "runtime"  # OCOP_VAR_DIR of the servers and probes: static/, media/
WORK_DIR = BENCH_VAR / "work"  # this run's database copies, URL lists, logs
PYTHON = sys.executable
MANAGE = str(ROOT / "manage.py")
PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PG_PORT = os.environ.get("BENCH_PG_PORT", "5432")
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")
BENCH_USER = "bench_office"
LOOPBACK = "127.0.0.1"

_started = time.monotonic()


def log(message: str) -> None:
    elapsed = time.monotonic() - _started
    print(f"[{elapsed:7.1f}s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def venv_bin(name: str) -> str:
    """A console script of the project's venv (the one running this file)."""
    candidate = Path(PYTHON).parent / name
    return str(candidate) if candidate.exists() else (shutil.which(name) or name)


_SECRET = "bench-" + secrets.token_urlsafe(48)


# Production keeps the cache (public pages, sessions) in Redis; the bench uses its own Redis
# database (pages are invalidated before each server starts: bench.server.Gunicorn), when Redis is there.
BENCH_REDIS_URL = os.environ.get("OCOP_BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")


def redis_reachable(url: str = BENCH_REDIS_URL) -> bool:
    host, _, port = url.split("://", 1)[1].split("/", 1)[0].partition(":")
    with contextlib.suppress(OSError), socket.create_connection((host, int(port or 6379)), timeout=1):
        return True
    return False


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    """Production-like settings (config/env.py reads only the environment)."""
    env = dict(os.environ)
    for key in ("DJANGO_SECURE", "REDIS_URL", "OCOP_MEDIA_ROOT"):
        env.pop(key, None)
    if redis_reachable():
        env["REDIS_URL"] = BENCH_REDIS_URL
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.base",
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": _SECRET,
            "DJANGO_ALLOWED_HOSTS": LOOPBACK,
            "DJANGO_STATIC_MANIFEST": "1",
            "OCOP_VAR_DIR": str(RUNTIME_DIR),
            # Every bench client is 127.0.0.1: the per-IP anonymous API throttle (600/minute by
            # default) would turn a load test into a test of the throttle.
            "OCOP_API_ANON_RATE": "100000000/minute",
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra)
    return env


def run(
    cmd: list[str],
    env: dict[str, str] | None = None,
    *,
    check: bool = True,
    capture: bool = True,
    timeout: float | None = None,
) -> tuple[subprocess.CompletedProcess, float]:
    """Run a command from the project root; (result, wall seconds)."""
    started = time.perf_counter()
    result = subprocess.run(
        cmd,
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture else None,
        timeout=timeout,
    )
    elapsed = time.perf_counter() - started
    if check and result.returncode != 0:
        raise RuntimeError(
            f"command failed ({result.returncode}): {' '.join(cmd)}\n"
            f"{(result.stdout or '')[-3000:]}\n{(result.stderr or '')[-3000:]}"
        )
    return result, elapsed


def manage(args: list[str], env: dict[str, str], **kw) -> tuple[subprocess.CompletedProcess, float]:
    return run([PYTHON, MANAGE, *args], env, **kw)


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def ensure_apt(binary: str, packages: list[str]) -> str | None:
    """The path of binary; installed from Debian when missing and we are root. None (with a
    message) when it is missing and cannot be installed."""
    found = shutil.which(binary) or (f"/usr/sbin/{binary}" if Path(f"/usr/sbin/{binary}").exists() else None)
    if found:
        return found
    if not is_root() or not shutil.which("apt-get"):
        log(f"{binary} is missing and this is not root with apt-get: its measurement is skipped")
        return None
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for package in packages:
        log(f"installing {package} from Debian (apt-get) for {binary}")
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
        result = subprocess.run(["apt-get", "install", "-y", "-qq", package], env=env, capture_output=True)
        if result.returncode == 0:
            break
    found = shutil.which(binary) or (f"/usr/sbin/{binary}" if Path(f"/usr/sbin/{binary}").exists() else None)
    if not found:
        log(f"{binary}: apt-get install failed; its measurement is skipped")
    return found


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty list."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def code_fingerprint() -> str:
    """A hash of the application's code and templates: other engineers change the tree while a
    bench runs, and two measurements compare only when taken on the same code."""
    import hashlib

    digest = hashlib.sha256()
    skip = {".venv", "var", "bench", ".git", "node_modules", "__pycache__", ".hypothesis", ".ruff_cache"}
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in skip or "__pycache__" in rel.parts or path.suffix not in (".py", ".html"):
            continue
        with contextlib.suppress(OSError):
            digest.update(str(rel).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
