"""Settings for the test suite (pytest's DJANGO_SETTINGS_MODULE, pyproject.toml): the production
settings, with what only tests need on top. The environment still chooses the database and the
cache (DATABASE_URL, REDIS_URL, RAVABET_TEST_DB_NAME), as in CI.

Before this module, settings.py asked `"pytest" in sys.modules`: importing pytest anywhere (a
benchmark, a shell) changed production behaviour, and reading settings.py did not tell which
values a test saw.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from .settings import *  # noqa: F403
from .settings import CACHES, DATABASES, REDIS_URL, STORAGES

# Tests create many staff accounts; the production hasher's 1M rounds would dominate the run.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# SQLite: a test database connection is never kept between requests (tests reopen it freely).
for _database in DATABASES.values():
    if _database["ENGINE"].endswith("sqlite3"):
        _database["CONN_MAX_AGE"] = 0

# Every process sees a change at once (no per-process re-read interval, no view buffering),
# so a test reads what it has just written. Still overridable from the environment.
RAVABET_PAGE_CACHE_CHECK = float(os.environ.get("RAVABET_PAGE_CACHE_CHECK", 0))
RAVABET_STAMP_CHECK = float(os.environ.get("RAVABET_STAMP_CHECK", RAVABET_PAGE_CACHE_CHECK))
RAVABET_VIEW_FLUSH_SECONDS = float(os.environ.get("RAVABET_VIEW_FLUSH_SECONDS", 0))
# No per-process page copy by default: tests clear the shared cache and roll the version stamps
# back to the same numbers, which a process's copy would not notice (news/tests/test_pagestore.py
# turns it on where it is tested).
RAVABET_PAGE_LOCAL_CACHE = os.environ.get("RAVABET_PAGE_LOCAL_CACHE", "0").lower() in ("1", "true")
# Test clients post a form the moment they have read it (the minimum fill time is tested with
# its own value: portal/tests/test_fill_time_and_refusals.py).
RAVABET_FORM_MIN_SECONDS = float(os.environ.get("RAVABET_FORM_MIN_SECONDS", 0))

# Tests load the demo into their own test database (PostgreSQL too).
RAVABET_ALLOW_DEMO = True

# Static files straight from the apps' folders: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Parallel test processes (pytest-xdist: gw0, gw1, ...) each get their own Redis database (8, 9,
# ...), so one clearing its cache never touches another's; any database named in REDIS_URL is
# replaced, in every cache that points at it.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _WORKER.startswith("gw"):
    _OWN_URL = urlunsplit(urlsplit(REDIS_URL)._replace(path=f"/{8 + int(_WORKER[2:])}"))
    for _cache in CACHES.values():
        if _cache.get("LOCATION") == REDIS_URL:
            _cache["LOCATION"] = _OWN_URL
    REDIS_URL = _OWN_URL

# Each test process counts its requests for /metrics in a folder of its own (ops/metrics.py):
# parallel test processes never add to each other's figures.
if not os.environ.get("RAVABET_METRICS_DIR"):
    import tempfile

    os.environ["RAVABET_METRICS_DIR"] = tempfile.mkdtemp(prefix="ravabet-test-metrics-")
