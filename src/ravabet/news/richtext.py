"""Rich text of news bodies: sanitised on save with nh3 (a maintained Rust sanitiser, ammonia).

Staff may paste HTML from word processors or other sites; only a small editorial vocabulary
survives, links get `rel="noopener noreferrer"`, and scripts, styles, event handlers and
`javascript:` URLs are dropped. Plain text (no tags) becomes paragraphs.
"""

from __future__ import annotations

import html
import re

import nh3

from ravabet.network.text import normalize

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "a", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
_TAG_RE = re.compile(r"<[a-zA-Z/!][^>]*>")
_BLOCK_END_RE = re.compile(r"</(p|li|h[2-4]|blockquote|tr|figure)>|<br\s*/?>", re.I)
_SPACES_RE = re.compile(r"[ \t]+")


def looks_like_html(text: str) -> bool:
    return bool(_TAG_RE.search(text))


def sanitize(text: str) -> str:
    """Safe HTML for a body typed as HTML or as plain text (paragraphs split by blank lines)."""
    text = normalize(text or "")
    if not looks_like_html(text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        text = "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def to_text(safe_html: str) -> str:
    """Plain text of sanitised HTML (for search, feeds' summaries and meta descriptions)."""
    text = _BLOCK_END_RE.sub("\n", safe_html)
    text = html.unescape(nh3.clean(text, tags=set()))
    lines = (_SPACES_RE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
