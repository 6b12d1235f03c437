"""The test suite's settings are a module of their own (ravabet.settings_test); importing pytest
no longer changes the production settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings

_PROBE = (
    'import json, pytest, ravabet.settings as s; print(json.dumps([getattr(s, "PASSWORD_HASHERS", None),'
    " s.RAVABET_VIEW_FLUSH_SECONDS, s.RAVABET_PAGE_CACHE_CHECK, s.WHITENOISE_USE_FINDERS]))"
)


def test_the_suite_runs_on_the_test_settings():
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "ravabet.settings_test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.RAVABET_VIEW_FLUSH_SECONDS == 0


def test_production_settings_ignore_that_pytest_is_imported():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "RAVABET_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout
    hashers, flush, check, finders = json.loads(out)
    assert hashers is None  # Django's default (PBKDF2)
    assert (flush, check, finders) == (10.0, 1.0, False)
