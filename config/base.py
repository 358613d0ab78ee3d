"""All settings. Differences between machines come only through config/env.py."""

import os

from django.utils.translation import gettext_lazy as _

from config import env as E

BASE_DIR = E.BASE_DIR
DEBUG = E.DEBUG
SECRET_KEY = E.SECRET_KEY
ALLOWED_HOSTS = E.ALLOWED_HOSTS

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_htmx",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "core",
    "accounts",
    "geo",
    "producers",
    "products",
    "certificates",
    "evaluation",
    "notices",
    "areas",
    "traceability",
    "sales",
    "promotion",
    "support",
    "market",
    "inspections",
    "catalogue",
    "reports",
    "api",
    "rest_framework.authtoken",
    "backoffice",
    "huey.contrib.djhuey",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost of ours: a database outage anywhere below answers the maintenance page (503).
    "core.middleware.DatabaseUnavailableMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.VietnameseFirstLocaleMiddleware",
    # Before anything parses the body (CSRF reads POST): refuses an over-large upload unread.
    "core.middleware.UploadLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes must come last: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_db = E.env.db_url_config(E.DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    E.VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let concurrent writers wait instead of failing.
    # Tests use a file too (not shared-cache memory), so concurrent writers meet the same
    # locking and busy timeout as in production.
    # One file per test process, so that parallel runs on one machine do not collide.
    _db["TEST"] = {"NAME": str(E.VAR_DIR / f"test-ocop-{os.getpid()}.sqlite3")}
    _db["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # mmap: reads come from the OS page cache without a copy per page (search p95 at 200,000
        # products 56 → 42 ms); each request opens a new connection, so SQLite's own cache is cold.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=268435456;",
    }
else:
    _db["CONN_MAX_AGE"] = 60
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
# Either count locks: 5 failures for one username from any addresses, or 5 failures from one
# address for any usernames. The address is the real client's behind a trusted proxy.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "core.network.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# Reverse proxies whose X-Forwarded-For is believed (core.network).
OCOP_TRUSTED_PROXIES = E.TRUSTED_PROXIES

# Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = E.VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = E.MEDIA_ROOT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if E.STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not E.STATIC_MANIFEST
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The one upload policy (core.uploads): bytes per kind of file, and pixels per image.
UPLOAD_MAX_BYTES = {
    "image": 8 * 1024 * 1024,
    "document": 20 * 1024 * 1024,
    "spreadsheet": 20 * 1024 * 1024,
    "boundary": 5 * 1024 * 1024,
}
UPLOAD_MAX_PIXELS = 40_000_000
FILE_UPLOAD_HANDLERS = [
    "core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

if E.REDIS_URL:
    # Fail-open (core.cache): with Redis down, pages are served uncached and API throttling is off,
    # with one log line, instead of every request failing; the short timeouts keep a dead server
    # from holding each request.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": E.REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    # Sessions live in the database with the cache in front: a Redis restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Files, not per-process memory: the gunicorn workers of one machine must see the same
    # public content generation (core.content), or a worker would serve stale pages.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(E.VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:  # DEBUG keeps Django's page, which explains the refusal to the developer
    CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
if E.BEHIND_PROXY or E.SECURE:
    # The proxy (deploy/nginx/ocop.conf) says which scheme and host the client used.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if E.BEHIND_PROXY:
    USE_X_FORWARDED_HOST = True
# Probes on the app server's own port (monitoring, load balancer) are not redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^ping$"]
if E.SECURE:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.v1.schema.ApiAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.v1.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["api.v1.filters.StrictFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": E.API_ANON_RATE},
    # DRF's client address for throttling: without NUM_PROXIES it believes any X-Forwarded-For.
    # No trusted proxy: the connection's address; behind nginx: the address nginx appended.
    "NUM_PROXIES": 1 if E.TRUSTED_PROXIES else 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OCOP Lạng Sơn API",
    "DESCRIPTION": "Open data of the OCOP information system of Lạng Sơn: products, producers, certificates, "
    "communes, classification, statistics, map data, raw-material areas and events. Read-only for the public "
    "(throttled); staff write with a token.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

MAP_TILE_URL = E.MAP_TILE_URL
SITE_URL = E.SITE_URL
PUBLIC_PAGE_CACHE_SECONDS = E.PUBLIC_PAGE_CACHE_SECONDS
SITE_NAME = _("Hệ thống thông tin OCOP Lạng Sơn")
# EMAIL_BACKEND, EMAIL_HOST, …, DEFAULT_FROM_EMAIL from EMAIL_URL or EMAIL_* (config/env.py).
globals().update(E.EMAIL)

# Background jobs (jobs/): huey. Without REDIS_URL the queue is a SQLite file beside the database
# (no extra service); with it, Redis, shared by the workers of every machine.
HUEY = {
    "name": "ocop",
    "huey_class": "huey.RedisHuey" if E.REDIS_URL else "huey.SqliteHuey",
    # Explicit: djhuey would otherwise follow DEBUG and run jobs inside the web request.
    "immediate": False,
    # Jobs record their outcome in jobs.Job; huey's own result store would only grow.
    "results": False,
    # Periodic tasks' crontabs are read in local time (TIME_ZONE, which Django sets for the process).
    "utc": False,
    "connection": {"url": E.REDIS_URL} if E.REDIS_URL else {"filename": str(E.VAR_DIR / "huey.sqlite3")},
    "consumer": {"workers": E.JOB_WORKERS, "worker_type": "thread"},
}
JOBS_DIR = E.VAR_DIR / "jobs"  # results of jobs: private, served only through jobs.views
# Dossier documents (evaluation.documents): private, outside MEDIA_ROOT, served only through a checked view.
DOSSIER_FILES_DIR = E.VAR_DIR / "dossier-files"
# Attachments of market-information pages (market): private, served only through a checked view.
MARKET_FILES_DIR = E.VAR_DIR / "market-files"
JOBS_HEARTBEAT_SECONDS = 10
JOBS_STALE_SECONDS = 90  # a running job silent this long has lost its worker
JOBS_REQUEUE_SECONDS = 600  # a queued job not taken this long is handed to the queue again
JOBS_MAX_ATTEMPTS = 2
JOBS_KEEP_DAYS = 7
BACKUP_DIR = E.VAR_DIR / "backups"
BACKUP_KEEP = E.BACKUP_KEEP

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
