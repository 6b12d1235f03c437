"""A published comment that holds what looks like one of the page cache's marks is shown as
written (moved here from the newsroom's tests: news may not import comments)."""

from __future__ import annotations

import pytest

from ravabet.comments.models import Comment
from ravabet.network import captcha
from ravabet.news import pagecache, services

# What the marks looked like before they carried the deployment's nonce, and what a reader who
# read this code would try.
FORGED = [
    "@@ravabet-csrf-token@@",
    "@@ravabet-captcha:0123abcd:t:fa@@",
    "@@ravabet-captcha:0123abcd:q:fa@@",
    "@@ravabet-csrf-token-0000000000@@",
]


@pytest.mark.parametrize("text", FORGED)
def test_a_comment_holding_a_mark_is_shown_as_written(client, publish, text):
    item = publish()
    comment = Comment.objects.create(
        target_kind="news",
        target_key=str(item.code),
        office=item.office,
        text=f"متن نظر {text} پایان",
        name="خواننده",
        status=Comment.Status.PUBLISHED,
    )
    services.refresh_public_pages()
    for _ in range(2):  # a miss and a hit
        html = client.get(item.get_absolute_url()).content.decode()
        assert f"متن نظر {text} پایان" in html, comment.text
    assert captcha.MARK_NONCE not in html
    assert pagecache.CSRF_MARK not in html
