"""Rich text of news bodies: sanitised on save with nh3 (a maintained Rust sanitiser, ammonia).

Staff may paste HTML from word processors or other sites; only a small editorial vocabulary
survives, links get `rel="noopener noreferrer"`, and scripts, styles, event handlers and
`javascript:` URLs are dropped. Plain text (no tags) becomes paragraphs.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3
from django.conf import settings

from ravabet.network.text import normalize

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "a", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td",
    "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "img": {"src", "alt"}}
_TAG_RE = re.compile(r"<[a-zA-Z/!][^>]*>")
_BLOCK_END_RE = re.compile(r"</(p|li|h[2-4]|blockquote|tr|figure)>|<br\s*/?>", re.I)
_SPACES_RE = re.compile(r"[ \t]+")
_IMG_WITHOUT_SRC_RE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def looks_like_html(text: str) -> bool:
    return bool(_TAG_RE.search(text))


def sanitize(text: str) -> str:
    """Safe HTML for a body typed as HTML or as plain text (paragraphs split by blank lines)."""
    text = normalize(text or "")
    if not looks_like_html(text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        text = "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    clean = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_own_images_only,
    ).strip()
    return _IMG_WITHOUT_SRC_RE.sub("", clean)


def _own_images_only(element: str, attribute: str, value: str) -> str | None:
    # The editor inserts the item's own photos; an image from elsewhere would let a body track
    # its readers (and break under the CSP's img-src), so its address is dropped.
    if element == "img" and attribute == "src":
        media = settings.MEDIA_URL
        if not value.startswith(media) or ".." in value or "//" in value[len(media) :]:
            return None
    return value


def to_text(safe_html: str) -> str:
    """Plain text of sanitised HTML (for search, feeds' summaries and meta descriptions)."""
    text = _BLOCK_END_RE.sub("\n", safe_html)
    text = html.unescape(nh3.clean(text, tags=set()))
    lines = (_SPACES_RE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# The editor's fallback without JavaScript is a plain textarea. It must never show tags, so the
# body is offered as text with a few line marks (the ones people already type in messengers):
# "## " a heading, "- " or "۱. " a list item, "> " a quote, "![alt](/media/...)" one of the
# item's photos; paragraphs are separated by a blank line. Inline marks (bold, links) have no
# text form: the form keeps the stored HTML when the text comes back unchanged.

_BLOCK_TAGS = {"p", "h2", "h3", "h4", "li", "blockquote", "figcaption", "tr"}
_HEADING_MARKS = {"h2": "## ", "h3": "### ", "h4": "#### "}
_OL_RE = re.compile(r"^[0-9۰-۹]+[.)]\s+")
_IMG_RE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)\)$")
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


class _TextWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, int]] = []  # (text, the list it belongs to, or 0)
        self.current: list[str] = []
        self.lists: list[list] = []  # [tag, counter, serial]
        self.serial = 0
        self.quote = 0
        self.mark = ""

    def _flush(self) -> None:
        text = _SPACES_RE.sub(" ", "".join(self.current)).strip()
        text = "\n".join(line.strip() for line in text.split("\n") if line.strip())
        self.current = []
        if text:
            if self.quote:
                text = "\n".join("> " + line for line in text.split("\n"))
            in_list = self.lists[-1][2] if self.lists and self.mark else 0
            self.blocks.append((self.mark + text, in_list))
        self.mark = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("ul", "ol"):
            self._flush()
            self.serial += 1
            self.lists.append([tag, 0, self.serial])
        elif tag == "li":
            self._flush()
            if self.lists:
                self.lists[-1][1] += 1
                kind, number, _serial = self.lists[-1]
                self.mark = "- " if kind == "ul" else f"{number}. ".translate(_PERSIAN_DIGITS)
            else:
                self.mark = "- "
        elif tag in _HEADING_MARKS:
            self._flush()
            self.mark = _HEADING_MARKS[tag]
        elif tag == "blockquote":
            self._flush()
            self.quote += 1
        elif tag == "br":
            self.current.append("\n")
        elif tag == "img":
            self._flush()
            found = dict(attrs)
            if found.get("src"):
                alt = (found.get("alt") or "").replace("]", " ").replace("\n", " ")
                self.blocks.append((f"![{alt}]({found['src']})", 0))
        elif tag in ("td", "th") and self.current:
            self.current.append(" | ")
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS or tag in ("ul", "ol", "table", "figure"):
            self._flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "blockquote" and self.quote:
            self.quote -= 1

    def handle_data(self, data: str) -> None:
        self.current.append(data.replace("\n", " "))


def to_editable_text(safe_html: str) -> str:
    """The body as text for the plain textarea: never a tag, the block structure kept as marks."""
    writer = _TextWriter()
    writer.feed(safe_html or "")
    writer.close()
    writer._flush()
    blocks: list[str] = []
    previous_list = 0
    for block, in_list in writer.blocks:
        # Items of one list stay on consecutive lines; every other block gets a blank line.
        if in_list and in_list == previous_list:
            blocks[-1] += "\n" + block
        else:
            blocks.append(block)
        previous_list = in_list
    return "\n\n".join(blocks)


def from_editable_text(text: str) -> str:
    """HTML for text typed in the plain textarea (the inverse of `to_editable_text`)."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", normalize(text or "").replace("\r\n", "\n")):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith(">") for line in lines):
            inner = from_editable_text("\n".join(line[1:].strip() for line in lines))
            out.append(f"<blockquote>{inner}</blockquote>")
        elif all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{html.escape(line[2:].strip())}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        elif all(_OL_RE.match(line) for line in lines):
            items = "".join(
                f"<li>{html.escape(_OL_RE.sub('', line, count=1))}</li>" for line in lines
            )
            out.append(f"<ol>{items}</ol>")
        elif len(lines) == 1 and (image := _IMG_RE.match(lines[0])):
            alt, src = image.groups()
            out.append(f'<p><img src="{html.escape(src)}" alt="{html.escape(alt)}"></p>')
        elif len(lines) == 1 and (heading := re.match(r"^(#{2,4})\s+(.+)$", lines[0])):
            level = len(heading.group(1))
            out.append(f"<h{level}>{html.escape(heading.group(2))}</h{level}>")
        else:
            out.append("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
    return "".join(out)
