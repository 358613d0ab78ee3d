"""Bench databases: migrate + load_reference + generate_synthetic, cached between runs.

SQLite: the generated file is kept in var/bench/cache/ under a key made of (products, seed, a
hash of everything that shapes the rows: migrations, reference data, the generator and the
services it calls, the lock file), and copied before use, so a run never changes the cache.
PostgreSQL: a fresh database per run (createdb, dropped at the end); its content is restored
from a pg_dump of the same key when one exists (faster than generating again, and nothing is
left on the server between runs), else generated and dumped."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

from bench.common import (
    CACHE_DIR,
    PG_HOST,
    PG_PORT,
    PG_USER,
    ROOT,
    app_env,
    log,
    manage,
    run,
)

# What decides the content of a generated database.
CACHE_INPUTS = (
    "*/migrations/*.py",
    "*/data/**/*",
    "*/reference.py",
    "backoffice/synthetic.py",
    "products/services.py",
    "producers/services.py",
    "certificates/models.py",
    "core/text.py",
    "catalogue/search_index.py",
)


def state_hash() -> str:
    digest = hashlib.sha256()
    files: set[Path] = set()
    for pattern in CACHE_INPUTS:
        files.update(p for p in ROOT.glob(pattern) if p.is_file() and ".venv" not in p.parts)
    for path in sorted(files):
        if "var" in path.relative_to(ROOT).parts[:1]:
            continue
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def pg_url(name: str) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


def _pg(args: list[str], **kw):
    return run([args[0], "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, *args[1:]], **kw)


def _build(url: str, n: int, seed: int) -> dict:
    """migrate + load_reference + generate_synthetic into the (empty) database at url."""
    env = app_env(url)
    timings = {}
    _, timings["migrate_s"] = manage(["migrate", "--noinput"], env)
    _, timings["load_reference_s"] = manage(["load_reference"], env)
    timings["generate_s"] = 0.0
    summary = ""
    if n > 0:
        result, timings["generate_s"] = manage(
            ["generate_synthetic", "--products", str(n), "--seed", str(seed)], env
        )
        summary = next((line for line in result.stdout.splitlines() if line.startswith("synthetic (")), "")
    return {key: round(value, 2) for key, value in timings.items()} | {"summary": summary}


def _prune(prefix: str, keep: str, suffixes: tuple[str, ...]) -> None:
    """Remove cached files of an older state for the same (kind, n, seed)."""
    for path in CACHE_DIR.glob(prefix + "*"):
        if not path.name.startswith(keep) and path.name.endswith(suffixes):
            path.unlink(missing_ok=True)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def prepare_sqlite(n: int, seed: int, dest: Path, *, use_cache: bool = True) -> dict:
    """A fresh copy of the (cached) database with n synthetic products at dest."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    key = f"sqlite-n{n}-s{seed}-{state_hash()}"
    cached, meta_path = CACHE_DIR / f"{key}.sqlite3", CACHE_DIR / f"{key}.json"
    hit = use_cache and cached.exists() and meta_path.exists()
    if not hit:
        log(f"sqlite: generating {n:,} products (seed {seed}) into the cache ({cached.name})")
        tmp = CACHE_DIR / f"{key}.{os.getpid()}.tmp.sqlite3"
        _remove_sqlite(tmp)
        meta = _build(f"sqlite:///{tmp}", n, seed)
        with sqlite3.connect(tmp) as db:  # everything into the main file: the copy needs no -wal
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        Path(f"{tmp}-wal").unlink(missing_ok=True)
        Path(f"{tmp}-shm").unlink(missing_ok=True)
        meta.update(products=n, seed=seed, built_at=time.strftime("%Y-%m-%d %H:%M:%S"))
        meta["bytes"] = tmp.stat().st_size
        _prune(f"sqlite-n{n}-s{seed}-", key, (".sqlite3", ".json"))
        tmp.replace(cached)
        meta_path.write_text(json.dumps(meta, indent=2))
        log(
            f"sqlite: generated in {meta['generate_s']} s (migrate {meta['migrate_s']} s) — {meta['summary']}"
        )
    meta = json.loads(meta_path.read_text())
    started = time.perf_counter()
    _remove_sqlite(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, dest)
    meta.update(cached=hit, copy_s=round(time.perf_counter() - started, 2), cache_file=str(cached))
    return meta


def create_pg(name: str) -> None:
    _pg(["dropdb", "--if-exists", name], check=False)
    _pg(["createdb", "-E", "UTF8", "-T", "template0", name])


def drop_pg(name: str) -> None:
    result, _ = _pg(["dropdb", "--if-exists", "--force", name], check=False)
    if result.returncode != 0:
        log(f"postgres: could not drop {name}: {result.stderr.strip()}")


def analyze_pg(name: str) -> None:
    _pg(["psql", "-q", "-d", name, "-c", "ANALYZE"])


def prepare_postgres(n: int, seed: int, name: str, *, use_cache: bool = True) -> dict:
    """A new database `name` with n synthetic products (restored from the cached dump if any)."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    key = f"pg-n{n}-s{seed}-{state_hash()}"
    dump, meta_path = CACHE_DIR / f"{key}.dump", CACHE_DIR / f"{key}.json"
    hit = use_cache and dump.exists() and meta_path.exists()
    create_pg(name)
    if hit:
        meta = json.loads(meta_path.read_text())
        started = time.perf_counter()
        _pg(["pg_restore", "--no-owner", "--no-privileges", "-j", "2", "-d", name, str(dump)])
        meta["restore_s"] = round(time.perf_counter() - started, 2)
    else:
        log(f"postgres: generating {n:,} products (seed {seed}) into {name}")
        meta = _build(pg_url(name), n, seed)
        meta.update(products=n, seed=seed, built_at=time.strftime("%Y-%m-%d %H:%M:%S"))
        tmp = CACHE_DIR / f"{key}.{os.getpid()}.tmp.dump"
        started = time.perf_counter()
        _pg(["pg_dump", "-Fc", "-Z", "1", "-f", str(tmp), name])
        meta["dump_s"] = round(time.perf_counter() - started, 2)
        meta["bytes"] = tmp.stat().st_size
        _prune(f"pg-n{n}-s{seed}-", key, (".dump", ".json"))
        tmp.replace(dump)
        meta_path.write_text(json.dumps(meta, indent=2))
        log(
            f"postgres: generated in {meta['generate_s']} s (migrate {meta['migrate_s']} s) — "
            f"{meta['summary']}"
        )
    # pg_restore carries no planner statistics; a fresh bulk load has none yet either.
    started = time.perf_counter()
    analyze_pg(name)
    meta.update(cached=hit, analyze_s=round(time.perf_counter() - started, 2), database=name)
    return meta
