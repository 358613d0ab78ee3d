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
# Anonymous API rate (DRF throttle), e.g. "600/minute".
API_ANON_RATE = env.str("OCOP_API_ANON_RATE", default="600/minute")


def trusted_proxies(env: environ.Env) -> list[str]:
    """OCOP_TRUSTED_PROXIES: comma-separated addresses or networks of the reverse proxies
    (nginx) whose X-Forwarded-For is believed (core.network.client_ip). Empty: none, the
    client is REMOTE_ADDR. Checked here so that a typo stops the start, not a login."""
    import ipaddress

    proxies = [p.strip() for p in env.list("OCOP_TRUSTED_PROXIES", default=[]) if p.strip()]
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError as exc:
            raise environ.ImproperlyConfigured(f"OCOP_TRUSTED_PROXIES: {proxy!r} is not an address") from exc
    return proxies


def email_config(env: environ.Env, *, debug: bool) -> dict:
    """Django's EMAIL_* settings: EMAIL_URL (e.g. smtp+tls://user:password@mail.example:587) or
    the separate EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
    EMAIL_USE_SSL. Neither: mails are printed to the console when DEBUG (make run), otherwise sent
    through the SMTP server on localhost:25. DEFAULT_FROM_EMAIL names the sender."""
    if env.str("EMAIL_URL", default=""):
        # Parts the URL leaves out (port, user) keep Django's defaults.
        config = {k: v for k, v in env.email_url("EMAIL_URL").items() if v not in (None, "")}
    elif env.str("EMAIL_HOST", default=""):
        config = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": env.str("EMAIL_HOST"),
            "EMAIL_PORT": env.int("EMAIL_PORT", default=25),
            "EMAIL_HOST_USER": env.str("EMAIL_HOST_USER", default=""),
            "EMAIL_HOST_PASSWORD": env.str("EMAIL_HOST_PASSWORD", default=""),
            "EMAIL_USE_TLS": env.bool("EMAIL_USE_TLS", default=False),
            "EMAIL_USE_SSL": env.bool("EMAIL_USE_SSL", default=False),
        }
    elif debug:
        config = {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    else:
        config = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
    config["DEFAULT_FROM_EMAIL"] = env.str("DEFAULT_FROM_EMAIL", default="OCOP Lạng Sơn <no-reply@localhost>")
    config["SERVER_EMAIL"] = config["DEFAULT_FROM_EMAIL"]
    # email_url puts unknown query options under OPTIONS, which no Django setting reads.
    config.pop("OPTIONS", None)
    return config


TRUSTED_PROXIES = trusted_proxies(env)
# Behind a reverse proxy (deploy/nginx/ocop.conf): believe its X-Forwarded-Proto (request.is_secure,
# https links and redirects) and X-Forwarded-Host. Only safe when the app server is reachable from
# the proxy alone (gunicorn bound to 127.0.0.1); on by default when a trusted proxy is configured.
BEHIND_PROXY = env.bool("OCOP_BEHIND_PROXY", default=bool(TRUSTED_PROXIES))
EMAIL = email_config(env, debug=DEBUG)
