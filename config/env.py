"""The one place that reads the environment. Every setting that differs between
machines comes from here; config/base.py holds everything else."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is optional and never required: production sets real variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The fallback key only serves local runs and tests; production must set it
# (check --deploy warns about a weak key).
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
VAR_DIR = Path(env.str("OCOP_VAR_DIR", default=str(BASE_DIR / "var")))
DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ocop.sqlite3'}")
REDIS_URL = env.str("REDIS_URL", default="")
MEDIA_ROOT = Path(env.str("OCOP_MEDIA_ROOT", default=str(VAR_DIR / "media")))
SECURE = env.bool("DJANGO_SECURE", default=False)
MAP_TILE_URL = env.str("OCOP_MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
SITE_URL = env.str("OCOP_SITE_URL", default="http://127.0.0.1:8000")
# Production runs collectstatic and serves hashed, compressed files (WhiteNoise manifest).
STATIC_MANIFEST = env.bool("DJANGO_STATIC_MANIFEST", default=False)
# Seconds an anonymous visitor's public page stays cached (catalogue.pagecache); 0 turns it off.
PUBLIC_PAGE_CACHE_SECONDS = env.int("OCOP_PUBLIC_CACHE_SECONDS", default=300)
# Threads of one background worker process (manage.py run_huey); production may run more processes.
JOB_WORKERS = env.int("OCOP_JOB_WORKERS", default=2)
# Daily backups kept in OCOP_VAR_DIR/backups (the oldest are deleted).
BACKUP_KEEP = env.int("OCOP_BACKUP_KEEP", default=14)
