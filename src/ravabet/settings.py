"""Ravabet settings: every value that differs between machines comes from the environment.

Embedded defaults (SQLite under ./var/, local-memory cache, database task queue) let one machine
run everything; DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis for scale-out.
See docs/configuration.md for the full list.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout (or the working directory of an installed copy) holds var/ and node_modules/.
_CHECKOUT = PACKAGE_DIR.parents[1]
BASE_DIR = Path(
    os.environ.get(
        "RAVABET_HOME", _CHECKOUT if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd()
    )
).resolve()
VAR_DIR = Path(os.environ.get("RAVABET_VAR_DIR", BASE_DIR / "var")).resolve()


class ConfigurationError(Exception):
    """A setting from the environment is missing or malformed; the message is one clear line."""


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """RAVABET_SECRET_KEY, or one generated once into var/secret_key (never committed)."""
    key = os.environ.get("RAVABET_SECRET_KEY", "").strip()
    if key:
        return key
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        # O_EXCL: two processes starting together must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'ravabet.sqlite3'}"
    try:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        )
    except (ValueError, KeyError, IndexError) as exc:
        raise ConfigurationError(
            f"DATABASE_URL نامعتبر است / DATABASE_URL is malformed ({exc}); "
            "example: postgres://user@127.0.0.1:5432/ravabet or sqlite:///var/ravabet.sqlite3"
        ) from None
    engine = config.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        if not config.get("NAME"):
            raise ConfigurationError(
                "DATABASE_URL برای SQLite مسیر فایل ندارد / DATABASE_URL for SQLite names no file"
            )
        config["CONN_MAX_AGE"] = 600
        config["CONN_HEALTH_CHECKS"] = False
        # WAL + busy timeout: readers never block the writer and a busy writer waits instead of
        # failing; IMMEDIATE transactions take the write lock up front (no upgrade deadlocks).
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
            ),
        }
    elif "postgresql" in engine:
        test_name = os.environ.get("RAVABET_TEST_DB_NAME")
        if test_name:
            config["TEST"] = {"NAME": test_name}
    else:
        raise ConfigurationError(
            f"پایگاه‌داده پشتیبانی نمی‌شود / unsupported database in DATABASE_URL: {engine or url}"
        )
    return config


DEBUG = env_bool("RAVABET_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("RAVABET_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("RAVABET_CSRF_TRUSTED_ORIGINS", "")
SITE_NAME_FA = os.environ.get("RAVABET_SITE_NAME_FA", "شبکه روابط عمومی استان")
SITE_NAME_EN = os.environ.get("RAVABET_SITE_NAME_EN", "Provincial Public Relations Network")
# Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges, comma-separated), e.g.
# "127.0.0.1,::1" for nginx on the same machine; empty: the direct peer is the client.
RAVABET_TRUSTED_PROXIES = env_list("RAVABET_TRUSTED_PROXIES", "")
for _proxy in RAVABET_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ConfigurationError(
            f"RAVABET_TRUSTED_PROXIES نشانی نامعتبر دارد / RAVABET_TRUSTED_PROXIES holds a bad "
            f"address or range: {_proxy!r} (example: 127.0.0.1,10.0.0.0/8)"
        ) from None


def _default_site_url() -> str:
    # Links in emails, feeds and the demo's banner follow the address `ravabet serve` was given
    # (`./dev up --port 8101`); behind a proxy set RAVABET_SITE_URL to the public address.
    host = os.environ.get("RAVABET_HOST", "127.0.0.1")
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - listening everywhere; link to loopback
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{os.environ.get('RAVABET_PORT', '8000')}"


SITE_URL = (os.environ.get("RAVABET_SITE_URL") or _default_site_url()).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "ravabet.network",
    "ravabet.news",
    "ravabet.comments",
    "ravabet.portal",
    "ravabet.demands",
    "ravabet.search",
]

MIDDLEWARE = [
    # First: a NUL or other control character in the address is a 400 for every route.
    "ravabet.network.edge.RefuseControlCharacters",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ravabet.urls"
FORM_RENDERER = "ravabet.network.formrender.PersianDigitsRenderer"
WSGI_APPLICATION = "ravabet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "ravabet.network.context_processors.site",
            ],
            "builtins": ["ravabet.network.templatetags.persian"],
        },
    }
]

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache that treats an outage as misses (network/cache.py): Redis
            # down makes the site slower, never broken. Short timeouts: a hung Redis must not
            # hold a request for long.
            "BACKEND": "ravabet.network.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ravabet",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    # Sessions are written to the database and read from Redis: signing in survives Redis.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ravabet",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("RAVABET_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Newsroom: the full-page cache for anonymous readers (seconds; 0 turns it off), how often a
# server process re-reads the cache generation, and how often buffered view counts are written.
RAVABET_PAGE_CACHE_SECONDS = int(os.environ.get("RAVABET_PAGE_CACHE_SECONDS", 300))
# Rendered parts of pages (a news item's article, the lists beside it), kept under keys made of
# what they show (news/pagecache.py `fragment`); 0 turns them off.
RAVABET_FRAGMENT_CACHE_SECONDS = int(os.environ.get("RAVABET_FRAGMENT_CACHE_SECONDS", 3600))
RAVABET_PAGE_CACHE_CHECK = float(os.environ.get("RAVABET_PAGE_CACHE_CHECK", 1))
# A per-process copy of cached pages in front of the shared cache (news/pagestore.py): unset = on
# when the shared cache is Redis, off for the per-process memory cache; bounded by count and bytes.
_LOCAL_PAGES = os.environ.get("RAVABET_PAGE_LOCAL_CACHE", "").strip().lower()
RAVABET_PAGE_LOCAL_CACHE = None if not _LOCAL_PAGES else _LOCAL_PAGES in ("1", "true", "yes", "on")
RAVABET_PAGE_LOCAL_ENTRIES = int(os.environ.get("RAVABET_PAGE_LOCAL_ENTRIES", 500))
RAVABET_PAGE_LOCAL_BYTES = int(os.environ.get("RAVABET_PAGE_LOCAL_BYTES", 8 * 1024 * 1024))
RAVABET_PAGE_LOCAL_SECONDS = float(os.environ.get("RAVABET_PAGE_LOCAL_SECONDS", 60))
# How often a process re-reads the version stamps (network/versioning.py): the page cache's
# generation and the network's stamp. RAVABET_PAGE_CACHE_CHECK is the older name of it.
RAVABET_STAMP_CHECK = float(os.environ.get("RAVABET_STAMP_CHECK", RAVABET_PAGE_CACHE_CHECK))
# Periodic jobs run by `ravabet scheduler` (network/scheduler.py; `ravabet serve` starts it):
# {dotted path of a task or function: every N seconds}.
RAVABET_SCHEDULE = {
    "ravabet.news.pagecache.publish_if_due": int(
        os.environ.get("RAVABET_PUBLISH_CHECK_SECONDS", 5)
    ),
    "ravabet.demands.tasks.tick": int(os.environ.get("RAVABET_DEMANDS_TICK_SECONDS", 300)),
    "ravabet.network.tasks.deliver_if_pending": int(
        os.environ.get("RAVABET_OUTBOX_CHECK_SECONDS", 60)
    ),
}
# Where network/pdf.py finds Vazirmatn's TTF files (default: node_modules/vazirmatn/fonts/ttf).
RAVABET_PDF_FONT_DIR = os.environ.get("RAVABET_PDF_FONT_DIR", "")
# Public forms (comments, demands) sent sooner than this after the page was served are refused
# as a script's (network/captcha.py); 0 in the tests (settings_test), whose clients post at once.
RAVABET_FORM_MIN_SECONDS = float(os.environ.get("RAVABET_FORM_MIN_SECONDS", 3))
RAVABET_VIEW_FLUSH_SECONDS = float(os.environ.get("RAVABET_VIEW_FLUSH_SECONDS", 10))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "network:login"
LOGIN_REDIRECT_URL = "network:dashboard"
LOGOUT_REDIRECT_URL = "network:province_home"

# Staff sessions expire: eight working hours at most, and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("RAVABET_SESSION_SECONDS", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lockout after repeated failed sign-ins, per user name and address.
AXES_FAILURE_LIMIT = int(os.environ.get("RAVABET_LOGIN_FAILURES", 5))
AXES_COOLOFF_TIME = 0.5  # hours
# Beside axes' lockout of one user name per address: failed sign-ins from one address across
# all user names per hour (password spraying), and password-reset requests per hour.
RAVABET_SIGN_IN_FAILURES_PER_ADDRESS = int(os.environ.get("RAVABET_SIGN_IN_FAILURES", 20))
RAVABET_PASSWORD_RESETS_PER_ADDRESS = int(os.environ.get("RAVABET_PASSWORD_RESETS_PER_ADDRESS", 5))
RAVABET_PASSWORD_RESETS_PER_EMAIL = int(os.environ.get("RAVABET_PASSWORD_RESETS_PER_EMAIL", 3))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "network/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The real client behind a trusted proxy (network/clientaddr.py), never the proxy itself.
AXES_CLIENT_IP_CALLABLE = "ravabet.network.clientaddr.axes_client_ip"

OTP_TOTP_ISSUER = "Ravabet"
# `ravabet demo` on a database other than the embedded default (same as its
# --i-know-this-is-not-production); never set it where production data lives.
RAVABET_ALLOW_DEMO = env_bool("RAVABET_ALLOW_DEMO", False)

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("RAVABET_TIME_ZONE", "Asia/Tehran")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [PACKAGE_DIR / "static"]
_NODE_MODULES = BASE_DIR / "node_modules"
for _prefix, _folder in (
    ("vendor/vazirmatn", "vazirmatn/fonts/webfonts"),
    ("vendor/htmx", "htmx.org/dist"),
    ("vendor/quill", "quill/dist"),
):
    if (_NODE_MODULES / _folder).is_dir():
        STATICFILES_DIRS.append((_prefix, _NODE_MODULES / _folder))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("RAVABET_MEDIA_ROOT", VAR_DIR / "media"))
# Private files (demand attachments) are checked by Django, then sent by nginx from this internal
# location (X-Accel-Redirect) when set, e.g. "/_private/"; unset, Django streams them itself.
RAVABET_ACCEL_REDIRECT_PREFIX = os.environ.get("RAVABET_ACCEL_REDIRECT_PREFIX", "").strip()
WHITENOISE_MAX_AGE = 3600 * 24 * 30

EMAIL_BACKEND = os.environ.get(
    "RAVABET_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("RAVABET_FROM_EMAIL", "ravabet@localhost")
EMAIL_HOST = os.environ.get("RAVABET_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("RAVABET_EMAIL_PORT", 25))

# Security headers. HTTPS-only settings switch on with RAVABET_HTTPS=1 (behind TLS).
HTTPS = env_bool("RAVABET_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RAVABET_LOG_LEVEL", "WARNING")},
}
