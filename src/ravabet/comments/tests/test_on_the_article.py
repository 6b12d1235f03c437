"""A failed comment stays on the article; counts and likes show what is true at once."""

from __future__ import annotations

import pytest

from ravabet.comments.models import Comment

from .test_public import _publish

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def test_failed_comment_without_javascript_reopens_the_article(
    client, item, comment_form, submit_url
):
    response = client.post(submit_url, comment_form(text="", name="علی"))
    html = response.content.decode()
    assert response.status_code == 422
    assert item.title in html and 'class="news-article"' in html  # the article itself
    assert 'class="site-header"' in html and 'class="site-footer"' in html  # the site frame
    form = html.split('id="comment-form"', 1)[1].split("</form>", 1)[0]
    assert "متن نظر خالی است" in form and 'value="علی"' in form


def test_failed_comment_with_htmx_swaps_only_the_form(client, item, comment_form, submit_url):
    response = client.post(submit_url, comment_form(text="", name="علی"), **HX)
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="comment-form"' in html and "<html" not in html
    assert "متن نظر خالی است" in html


def test_sent_comment_with_htmx_says_thank_you_in_place(client, item, comment_form, submit_url):
    response = client.post(submit_url, comment_form(text="نشست خوبی بود", name="مریم"), **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="comment-form"' in html and 'role="status"' in html
    assert "پس از بررسی" in html
    assert '<textarea name="text"' in html  # a fresh form for the next comment
    assert Comment.objects.get().status == "pending"


def test_count_includes_replies(client, item):
    first = _publish(
        Comment.objects.create(
            target_kind="news", target_key=str(item.code), office=item.office, text="نظر نخست"
        )
    )
    _publish(
        Comment.objects.create(
            target_kind="news",
            target_key=str(item.code),
            office=item.office,
            text="پاسخ به نظر نخست",
            parent=first,
        )
    )
    html = client.get(item.get_absolute_url()).content.decode()
    assert "نظرها (۲)" in html


def test_like_with_htmx_shows_the_new_count_and_the_next_view_is_fresh(client, item):
    comment = _publish(
        Comment.objects.create(
            target_kind="news", target_key=str(item.code), office=item.office, text="نظر"
        )
    )
    client.get(item.get_absolute_url())  # the page and its slot are now cached
    response = client.post(f"/comments/c/{comment.pk}/like/", {"like": "yes"}, **HX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'موافقم (<span class="count">۱</span>)' in html
    assert 'role="status"' in html
    # Without JavaScript: the redirect's page (with its message) shows the new count too.
    client.post(f"/comments/c/{comment.pk}/like/", {"like": "no"})
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'موافقم (<span class="count">۱</span>)' in page


def test_english_page_says_english_comments_are_welcome(client, publish):
    english = publish(title="Council meets", language="en", body="The council met today.")
    html = client.get(english.get_absolute_url()).content.decode()
    hint = html.split('id="comment-form"', 1)[1].split("</p>", 1)[0]
    assert "comments in English or Persian are welcome" in hint
    assert "not in Persian" not in hint


def test_neutral_buttons_are_not_red():
    from pathlib import Path

    css = (Path(__file__).parents[2] / "static" / "ravabet" / "site.css").read_text()
    rule = css.split("button.secondary {", 1)[1].split("}", 1)[0]
    assert "--accent" not in rule


def test_english_comment_on_an_english_page_is_not_rejected_as_not_persian(publish):
    from ravabet.comments import services
    from ravabet.comments.models import OfficeCommentSettings

    english = publish(title="Council meets", language="en", body="The council met today.")
    OfficeCommentSettings.objects.update_or_create(
        office=english.office, defaults={"auto_reject": True}
    )
    comment = Comment.objects.create(
        target_kind="news",
        target_key=str(english.code),
        office=english.office,
        text="A useful meeting, thank you for the report on the council.",
    )
    labels = services.run_triage(comment.pk)
    comment.refresh_from_db()
    assert "not_persian" not in labels
    assert comment.status == Comment.Status.PENDING
