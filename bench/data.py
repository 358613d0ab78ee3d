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


def _build_base(url: str) -> dict:
    """migrate + load_reference into the (empty) database at url."""
    env = app_env(url)
    _, migrate_s = manage(["migrate", "--noinput"], env)
    _, reference_s = manage(["load_reference"], env)
    return {"migrate_s": round(migrate_s, 2), "load_reference_s": round(reference_s, 2)}


def _generate(url: str, n: int, seed: int) -> dict:
    """generate_synthetic into the database at url, which holds the base (reference data)."""
    result, seconds = manage(["generate_synthetic", "--products", str(n), "--seed", str(seed)], app_env(url))
    summary = next((line for line in result.stdout.splitlines() if line.startswith("synthetic (")), "")
    return {"generate_s": round(seconds, 2), "summary": summary}


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
        tmp = CACHE_DIR / f"{key}.{os.getpid()}.tmp.sqlite3"
        _remove_sqlite(tmp)
        if n > 0:
            # The migrated base with the reference data (cached as n=0), then the generation.
            base = prepare_sqlite(0, seed, tmp, use_cache=use_cache)
            log(f"sqlite: generating {n:,} products (seed {seed}) into the cache ({cached.name})")
            meta = {k: base[k] for k in ("migrate_s", "load_reference_s")} | _generate(
                f"sqlite:///{tmp}", n, seed
            )
        else:
            meta = _build_base(f"sqlite:///{tmp}") | {"generate_s": 0.0, "summary": ""}
        with sqlite3.connect(tmp) as db:  # everything into the main file: the copy needs no -wal
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        Path(f"{tmp}-wal").unlink(missing_ok=True)
        Path(f"{tmp}-shm").unlink(missing_ok=True)
        meta.update(products=n, seed=seed, built_at=time.strftime("%Y-%m-%d %H:%M:%S"))
        meta["bytes"] = tmp.stat().st_size
        _prune(f"sqlite-n{n}-s{seed}-", key, (".sqlite3", ".json"))
        tmp.replace(cached)
        meta_path.write_text(json.dumps(meta, indent=2))
        if n > 0:
            log(f"sqlite: generated in {meta['generate_s']} s — {meta['summary']}")
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
    # VACUUM as well: a freshly loaded table has no visibility map (no index-only scans), and
    # autovacuum would otherwise do it during the measurements (seen: 1.2 cores "other").
    _pg(["psql", "-q", "-d", name, "-c", "VACUUM (ANALYZE)"])


def _restore_pg(name: str, dump: Path) -> float:
    started = time.perf_counter()
    _pg(["pg_restore", "--no-owner", "--no-privileges", "-j", "2", "-d", name, str(dump)])
    return round(time.perf_counter() - started, 2)


def _dump_pg(name: str, key: str, meta: dict) -> dict:
    """The database `name` into the cache under key (and its meta); {dump_s, bytes}."""
    dump, meta_path = CACHE_DIR / f"{key}.dump", CACHE_DIR / f"{key}.json"
    tmp = CACHE_DIR / f"{key}.{os.getpid()}.tmp.dump"
    started = time.perf_counter()
    _pg(["pg_dump", "-Fc", "-Z", "1", "-f", str(tmp), name])
    facts = {"dump_s": round(time.perf_counter() - started, 2), "bytes": tmp.stat().st_size}
    n, seed = meta["products"], meta["seed"]
    _prune(f"pg-n{n}-s{seed}-", key, (".dump", ".json"))
    tmp.replace(dump)
    meta_path.write_text(json.dumps(meta | facts, indent=2))
    return facts


def prepare_postgres(n: int, seed: int, name: str, *, use_cache: bool = True) -> dict:
    """A new database `name` with n synthetic products (restored from the cached dump if any)."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    key = f"pg-n{n}-s{seed}-{state_hash()}"
    dump, meta_path = CACHE_DIR / f"{key}.dump", CACHE_DIR / f"{key}.json"
    hit = use_cache and dump.exists() and meta_path.exists()
    create_pg(name)
    if hit:
        meta = json.loads(meta_path.read_text())
        meta["restore_s"] = _restore_pg(name, dump)
    else:
        base_key = f"pg-n0-s{seed}-{state_hash()}"
        base_dump, base_meta = CACHE_DIR / f"{base_key}.dump", CACHE_DIR / f"{base_key}.json"
        if n > 0 and use_cache and base_dump.exists() and base_meta.exists():
            # The migrated base with the reference data (cached as n=0), then the generation.
            meta = {k: v for k, v in json.loads(base_meta.read_text()).items() if k.endswith("_s")}
            meta["base_restore_s"] = _restore_pg(name, base_dump)
        else:
            meta = _build_base(pg_url(name))
            if n > 0:
                _dump_pg(name, base_key, meta | {"products": 0, "seed": seed})
        if n > 0:
            log(f"postgres: generating {n:,} products (seed {seed}) into {name}")
            meta |= _generate(pg_url(name), n, seed)
            log(f"postgres: generated in {meta['generate_s']} s — {meta['summary']}")
        meta.setdefault("generate_s", 0.0)
        meta.setdefault("summary", "")
        meta.update(products=n, seed=seed, built_at=time.strftime("%Y-%m-%d %H:%M:%S"))
        meta |= _dump_pg(name, key, meta)
    # pg_restore carries no planner statistics; a fresh bulk load has none yet either.
    started = time.perf_counter()
    analyze_pg(name)
    meta.update(cached=hit, analyze_s=round(time.perf_counter() - started, 2), database=name)
    return meta
