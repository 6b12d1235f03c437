"""Every page type of tests/e2e/pages.py, judged in Debian's Chromium: HTTP status, lang/dir,
form labels, bidi isolation, axe-core (no serious or critical violation), screenshots at phone
and desktop width; the Nu HTML checker on all of them; feeds and sitemaps by their parsers."""

from __future__ import annotations

import pytest

from . import checks
from .pages import FEEDS, PAGES, SITEMAPS, PageType

WIDTHS = (390, 1366)


def _context_for(page_type: PageType, request: pytest.FixtureRequest):
    return request.getfixturevalue("staff_context" if page_type.staff else "public_context")


@pytest.mark.parametrize("page_type", PAGES, ids=[p.name for p in PAGES])
def test_page_type(page_type: PageType, server, screenshots, request) -> None:
    context = _context_for(page_type, request)
    page = context.new_page()
    try:
        response = page.goto(page_type.resolve(server))
        assert response is not None and response.status == page_type.status
        lang, direction = checks.html_lang_dir(page)
        assert lang in ("fa", "en") and direction == ("rtl" if lang == "fa" else "ltr")
        assert checks.unlabelled_controls(page) == []
        assert checks.unisolated_latin(page) == []
        assert checks.axe_violations(page) == []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
            assert checks.broken_latin_words(page) == [], f"at {width}px"
            page.screenshot(path=screenshots / f"{page_type.name}-{width}.png", full_page=True)
    finally:
        page.close()


def test_second_sign_in_step(browser, server, screenshots) -> None:
    """The authenticator-code page exists only in the middle of a sign-in: judge it there."""
    from .conftest import STAFF_USER, _context

    context = _context(browser, server)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.fill("input[name=username]", STAFF_USER)
        page.fill("input[name=password]", "ravabet-demo-1405")
        page.click("main button[type=submit]")
        page.wait_for_url("**/accounts/verify/")
        assert checks.unlabelled_controls(page) == []
        assert checks.unisolated_latin(page) == []
        assert checks.axe_violations(page) == []
        page.set_viewport_size({"width": 390, "height": 900})
        page.screenshot(path=screenshots / "sign-in-second-step-390.png", full_page=True)
    finally:
        context.close()


def test_html_is_valid(server, staff_context, public_context) -> None:
    """The Nu HTML checker finds no error on any page type (one Java start for all)."""
    documents = {}
    for page_type in PAGES:
        context = staff_context if page_type.staff else public_context
        response = context.request.get(server.url(page_type.resolve(server)))
        assert response.status == page_type.status, page_type.name
        documents[page_type.name] = response.text()
    errors = {name: found for name, found in checks.vnu_errors(documents).items() if found}
    assert errors == {}


@pytest.mark.parametrize("path", FEEDS)
def test_feed_parses_without_bozo(path: str, server) -> None:
    checks.assert_valid_feed(server.url(path))


@pytest.mark.parametrize("path", SITEMAPS)
def test_sitemap_is_valid(path: str, server) -> None:
    checks.assert_valid_sitemap(server.url(path))
