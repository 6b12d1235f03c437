"""Security headers and cookies of the real server under the production settings
(RAVABET_HTTPS=1 behind a TLS proxy, which says so with X-Forwarded-Proto), and
`manage.py check --deploy` clean with those settings."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from ravabet.portal import demo_data

PRODUCTION_ENV = {
    "RAVABET_HTTPS": "1",
    "RAVABET_DEBUG": "0",
    "RAVABET_SECRET_KEY": "a-production-like-secret-key-" + "k" * 40,
    "RAVABET_ALLOWED_HOSTS": "portal.example.ir",
}


def _request(server, method: str, path: str, *, https: bool = True, body: str = "", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    all_headers = {"Host": f"127.0.0.1:{server.port}"}
    if https:
        all_headers["X-Forwarded-Proto"] = "https"
    all_headers.update(headers or {})
    connection.request(method, path, body=body or None, headers=all_headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _cookies(response) -> dict[str, str]:
    """Each Set-Cookie header by cookie name, as sent."""
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        found[header.split("=", 1)[0]] = header
    return found


@pytest.fixture(scope="module")
def home(production_server):
    return _request(production_server, "GET", "/")


def _directive(policy: str, name: str) -> list[str] | None:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    return None


def test_csp_allows_no_inline_script(home) -> None:
    policy = home.headers["Content-Security-Policy"]
    scripts = _directive(policy, "script-src") or _directive(policy, "default-src")
    assert scripts is not None, policy
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "*" not in scripts and "data:" not in scripts
    assert _directive(policy, "object-src") == ["'none'"]
    assert _directive(policy, "base-uri") == ["'self'"]


def test_hsts_for_a_year_with_subdomains(home) -> None:
    hsts = home.headers["Strict-Transport-Security"]
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= 31536000
    assert "includeSubDomains" in hsts


def test_referrer_policy(home) -> None:
    assert home.headers["Referrer-Policy"] in (
        "strict-origin-when-cross-origin",
        "same-origin",
        "no-referrer",
        "strict-origin",
    )


def test_no_content_type_sniffing(home) -> None:
    assert home.headers["X-Content-Type-Options"] == "nosniff"


def test_no_framing(home) -> None:
    assert home.headers["X-Frame-Options"] == "DENY"
    assert _directive(home.headers["Content-Security-Policy"], "frame-ancestors") == ["'none'"]


def test_plain_http_is_redirected_to_https(production_server) -> None:
    response = _request(production_server, "GET", "/", https=False)
    assert response.status == 301
    assert response.headers["Location"].startswith("https://")


def test_cookies_are_secure_and_httponly(production_server) -> None:
    """The CSRF cookie of the sign-in form and the session cookie it starts."""
    page = _request(production_server, "GET", "/accounts/login/")
    csrf_header = _cookies(page)["csrftoken"]
    token = SimpleCookie(csrf_header)["csrftoken"].value
    origin = f"https://127.0.0.1:{production_server.port}"
    signed_in = _request(
        production_server,
        "POST",
        "/accounts/login/",
        body=urlencode(
            {
                "username": "manager",
                "password": demo_data.DEMO_PASSWORD,
                "csrfmiddlewaretoken": token,
            }
        ),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={token}",
            "Referer": origin + "/accounts/login/",
            "Origin": origin,
        },
    )
    assert signed_in.status == 302, signed_in.status  # on to the second step
    cookies = _cookies(signed_in)
    assert "sessionid" in cookies
    for header in (csrf_header, cookies["sessionid"]):
        attributes = {part.strip().lower() for part in header.split(";")[1:]}
        assert "secure" in attributes, header
        assert "httponly" in attributes, header
        assert "samesite=lax" in attributes or "samesite=strict" in attributes, header


def test_check_deploy_is_clean_under_production_settings(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(PRODUCTION_ENV, RAVABET_VAR_DIR=str(tmp_path))
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "ravabet.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
