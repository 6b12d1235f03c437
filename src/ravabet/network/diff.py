"""Two versions of a text compared word by word, for the pages that show what an edit changed
(the newsroom's revisions, the experience write-ups' versions)."""

from __future__ import annotations

import difflib
import re

_TOKEN_RE = re.compile(r"\n|[^\S\n]+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The two texts compared word by word: (kind, text) runs, kind "same", "added" or
    "removed". A changed word is shown as itself, not as its whole line removed and added."""
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("added", "".join(b[j1:j2])))
    return runs
