"""Every page type once more, in a browser that obeys the site's own Content-Security-Policy
(the other page checks bypass it to inject axe-core): a script, style, font or image the policy
blocks, or a script error, fails here."""

from __future__ import annotations

import pytest

from .pages import PAGES, PageType


def _violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def _watch(page) -> list[str]:
    """Collect script errors and the console's CSP reports of a page."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return problems


@pytest.mark.parametrize("page_type", PAGES, ids=[p.name for p in PAGES])
def test_page_type_under_the_real_csp(page_type: PageType, server, request) -> None:
    context = request.getfixturevalue(
        "strict_staff_context" if page_type.staff else "strict_public_context"
    )
    page = context.new_page()
    try:
        problems = _watch(page)
        response = page.goto(page_type.resolve(server))
        assert response is not None and response.status == page_type.status
        assert response.headers.get("content-security-policy"), "the page sends no CSP"
        page.wait_for_load_state("networkidle")
        assert _violations(page) == []
        assert problems == []
    finally:
        page.close()


def test_the_watch_sees_what_the_policy_blocks(strict_public_context) -> None:
    """The check can fail: an inline script and an inline style are refused and reported."""
    page = strict_public_context.new_page()
    try:
        problems = _watch(page)
        page.goto("/")
        page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "window.__ran = true";
              document.body.append(script);
              const style = document.createElement("style");
              style.textContent = "body { color: red }";
              document.head.append(style);
            }"""
        )
        page.wait_for_timeout(200)
        assert page.evaluate("window.__ran === true") is False
        violations = _violations(page)
        assert any(v.startswith("script-src") for v in violations), violations
        assert any(v.startswith("style-src") for v in violations), violations
        assert any("Content Security Policy" in p for p in problems), problems
    finally:
        page.close()
