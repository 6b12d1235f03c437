"""The judges: axe-core in the page, the Nu HTML checker, feedparser, a sitemap reader, and the
right-to-left checks (lang/dir, form labels, bidi isolation). Each returns what it found wrong."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of these impacts, one line each (rule, impact, first targets)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in impacts
    ]


_UNLABELLED_JS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
  .filter(el => !(el.labels && el.labels.length)
                && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML.slice(0, 160))"""


def unlabelled_controls(page: Page) -> list[str]:
    """Form controls a screen reader would announce without a name."""
    return page.evaluate(_UNLABELLED_JS)


# Latin letters or ASCII digits inside right-to-left text must sit in an isolating element
# (<bdi>, an element with dir=, or CSS unicode-bidi: isolate/plaintext), unless the whole block
# around them is Latin; otherwise the bidi algorithm reorders them with the Persian around them.
_BIDI_JS = r"""() => {
  const latin = /[A-Za-z0-9]/, persian = /[\u0600-\u06FF]/;
  // Block elements (p, div, td, …) carry unicode-bidi: isolate in the browser's own style
  // sheet: that isolates the block, not the Latin run inside it, so only inline isolation counts.
  const isBlock = el => !getComputedStyle(el).display.startsWith('inline');
  const isolating = el => el.tagName === 'BDI' || el.hasAttribute('dir')
    || (!isBlock(el)
        && ['isolate', 'isolate-override', 'plaintext'].includes(getComputedStyle(el).unicodeBidi));
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    const parent = node.parentElement;
    if (!text || !latin.test(text) || !parent) continue;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(parent.tagName)) continue;
    if (getComputedStyle(parent).direction !== 'rtl') continue;
    let el = parent, ok = false;
    while (el && el !== document.body) {
      if (isolating(el)) { ok = true; break; }
      if (isBlock(el)) { ok = !persian.test(el.textContent); break; }
      el = el.parentElement;
    }
    if (!ok) found.push(parent.tagName.toLowerCase() + ': ' + text.slice(0, 80));
  }
  return found;
}"""


def unisolated_latin(page: Page) -> list[str]:
    """Latin words or numbers mixed into Persian text without bidi isolation."""
    return page.evaluate(_BIDI_JS)


# A Latin word (4+ letters) whose glyphs land on more than one line was broken mid-word
# (break-all, overflow-wrap: anywhere, or a box too narrow for it).
_BROKEN_WORDS_JS = r"""() => {
  const found = [], range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const words = /[A-Za-z][A-Za-z0-9'’]{3,}/g;
    for (let m = words.exec(node.nodeValue); m; m = words.exec(node.nodeValue)) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                .map(r => Math.round(r.top)));
      if (lines.size > 1) found.push(m[0]);
    }
  }
  return found;
}"""


def broken_latin_words(page: Page) -> list[str]:
    """Latin words the layout splits across two lines."""
    return page.evaluate(_BROKEN_WORDS_JS)


def html_lang_dir(page: Page) -> tuple[str | None, str | None]:
    return page.evaluate(
        "() => [document.documentElement.getAttribute('lang'),"
        " document.documentElement.getAttribute('dir')]"
    )


def vnu_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """The Nu HTML checker's errors for each named HTML document (one Java start for all)."""
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("java is missing: run ./dev deps")
    with tempfile.TemporaryDirectory(prefix="ravabet-vnu-") as folder:
        files = {}
        for name, html in documents.items():
            path = Path(folder) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            files[path.as_uri()] = name
            files[str(path)] = name
        done = subprocess.run(
            [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", "--stdout"]
            + [str(Path(folder) / f"{name}.html") for name in documents],
            capture_output=True,
            text=True,
            timeout=300,
        )
    messages = json.loads(done.stdout)["messages"]
    errors: dict[str, list[str]] = {name: [] for name in documents}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        name = files.get(url) or files.get(urlsplit(url).path) or "?"
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message.get('message')}"
            f" [{message.get('extract', '').strip()[:80]}]"
        )
    return errors


def fetch(url: str) -> tuple[int, str, bytes]:
    """Status, content type and body of a GET."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own server
        return response.status, response.headers.get("Content-Type", ""), response.read()


def feed_problems(body: bytes) -> list[str]:
    """What feedparser finds wrong with an RSS/Atom document (empty when it is sound)."""
    parsed = feedparser.parse(body)
    problems = []
    if parsed.bozo:
        problems.append(f"not well-formed: {parsed.bozo_exception}")
    if not parsed.version:
        problems.append("neither RSS nor Atom")
    if not parsed.feed.get("title"):
        problems.append("the feed has no title")
    for entry in parsed.entries:
        if not entry.get("link") or not entry.get("title"):
            problems.append(f"an entry lacks a title or link: {entry.get('id', '?')}")
    return problems


def assert_valid_feed(url: str) -> None:
    status, content_type, body = fetch(url)
    assert status == 200, f"{url}: HTTP {status}"
    assert "xml" in content_type, f"{url}: content type {content_type}"
    problems = feed_problems(body)
    assert not problems, f"{url}: {problems}"


def sitemap_problems(body: bytes) -> list[str]:
    """What is wrong with a sitemap or sitemap index (sitemaps.org 0.9), empty when sound."""
    try:
        root = ET.fromstring(body)  # noqa: S314 - our own server's output
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    if root.tag not in (f"{SITEMAP_NS}urlset", f"{SITEMAP_NS}sitemapindex"):
        return [f"root element is {root.tag}, not urlset or sitemapindex"]
    child = "url" if root.tag.endswith("urlset") else "sitemap"
    entries = root.findall(f"{SITEMAP_NS}{child}")
    problems = []
    if len(entries) > 50000:
        problems.append(f"{len(entries)} entries; the limit is 50,000")
    for entry in entries:
        loc = entry.findtext(f"{SITEMAP_NS}loc", "").strip()
        if urlsplit(loc).scheme not in ("http", "https") or not urlsplit(loc).netloc:
            problems.append(f"<loc> is not an absolute address: {loc!r}")
        for element in entry:
            if not element.tag.startswith(SITEMAP_NS):
                continue
            name = element.tag[len(SITEMAP_NS) :]
            if name not in ("loc", "lastmod", "changefreq", "priority"):
                problems.append(f"unknown element <{name}>")
    return problems


def assert_valid_sitemap(url: str) -> None:
    status, content_type, body = fetch(url)
    assert status == 200, f"{url}: HTTP {status}"
    assert "xml" in content_type, f"{url}: content type {content_type}"
    problems = sitemap_problems(body)
    assert not problems, f"{url}: {problems}"


_GROUP_X_JS = """([selector, groups]) => {
  const root = document.querySelector(selector);
  if (!root) return null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const found = {};
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let from = 0;
    for (const group of groups) {
      const at = node.data.indexOf(group, from);
      if (at < 0 || group in found) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + group.length);
      found[group] = range.getBoundingClientRect().left;
      from = at + group.length;
    }
  }
  return groups.map(group => (group in found ? found[group] : null));
}"""


def digit_groups_out_of_order(page: Page, selector: str, groups: list[str]) -> list[str]:
    """A number written in groups ("۰۹۱۲ ۳۴۵ ۶۷۸۹", a tracking code) must show its groups left to
    right in the order written, also inside Persian text. Returns what is wrong: a group not
    found, or the groups' visual x-order."""
    xs = page.evaluate(_GROUP_X_JS, [selector, groups])
    if xs is None:
        return [f"{selector}: not on the page"]
    missing = [g for g, x in zip(groups, xs, strict=True) if x is None]
    if missing:
        return [f"{selector}: {missing} not found"]
    if xs != sorted(xs):
        shown = [g for _, g in sorted(zip(xs, groups, strict=True))]
        return [f"{selector}: shown as {' '.join(shown)} (left to right)"]
    return []
