"""The Persian catalogs follow docs/style-fa.md: one word for one thing, digit groups isolated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGS = sorted(PACKAGE.glob("**/locale/fa/LC_MESSAGES/django.po"))
SET_ASIDE = {"رایانامه": "ایمیل", "جستجو": "جست‌وجو", "پست الکترونیک": "ایمیل"}


def _translations(po: Path) -> list[str]:
    """Every msgstr's text (continuation lines joined)."""
    texts, current, inside = [], [], False
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgstr"):
            inside, current = True, [line.split(" ", 1)[1]]
        elif inside and line.startswith('"'):
            current.append(line)
        else:
            if inside:
                texts.append("".join(part.strip().strip('"') for part in current))
            inside = False
    if inside:
        texts.append("".join(part.strip().strip('"') for part in current))
    return texts


def test_there_are_catalogs():
    assert len(CATALOGS) >= 5


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_house_words(po):
    for text in _translations(po):
        for word, instead in SET_ASIDE.items():
            assert word not in text, f"{word!r} in {text!r}: write {instead!r}"


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_digit_groups_are_isolated(po):
    """A code's dash-joined groups and a mobile number's groups read backwards in Persian text
    unless isolated (LRI … PDI). A date and a time side by side read right in either order."""
    groups = re.compile("[۰-۹]+-[۰-۹]+|۰۹[۰-۹]{2} [۰-۹]{3}")
    for text in _translations(po):
        for found in groups.finditer(text):
            before = text[: found.start()]
            assert before.count("\u2066") > before.count("\u2069"), text
