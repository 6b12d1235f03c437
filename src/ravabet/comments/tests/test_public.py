"""Readers through real HTTP: the form on the cached news page, submission, bad input, votes."""

from __future__ import annotations

import pytest

from ravabet.comments import services
from ravabet.comments.models import Comment

pytestmark = pytest.mark.django_db


def _publish(comment: Comment) -> Comment:
    """What a moderator's approval does to the row and to the cached pages that show it."""
    from ravabet.news import services as news_services

    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PUBLISHED)
    news_services.refresh_public_pages()
    comment.refresh_from_db()
    return comment


def test_page_shows_form_with_fresh_persian_captcha_even_when_cached(client, item):
    first = client.get(item.get_absolute_url()).content.decode()
    second = client.get(item.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    html = second.content.decode()
    assert 'id="comment-form"' in html
    assert "سؤال امنیتی" in html
    assert any(d in html for d in "۱۲۳۴۵۶۷۸۹")
    token = 'name="captcha_token" value="'
    assert first.split(token)[1][:40] != html.split(token)[1][:40]
    assert "@@ravabet-csrf-token@@" not in html and "csrfmiddlewaretoken" in html


def test_submit_waits_for_review_then_is_shown(client, item, comment_form, submit_url):
    response = client.post(
        submit_url, comment_form(text="نشست خوبی بود، ممنون از روابط عمومی", name="مریم")
    )
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    page = client.get(response["Location"]).content.decode()
    assert "نظر شما دریافت شد و پس از بررسی منتشر خواهد شد" in page
    comment = Comment.objects.get()
    assert comment.status == "pending" and comment.name == "مریم"
    assert "نشست خوبی بود" not in page.split('id="comments"')[1].split("comment-form")[0]
    _publish(comment)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "نشست خوبی بود" in page


@pytest.mark.parametrize("text", ["", "   \u200c  ", "x" * 20_000])
def test_empty_or_huge_text_is_refused_and_kept(client, comment_form, submit_url, text):
    response = client.post(submit_url, comment_form(text=text, name="علی"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "form-errors" in html
    if text.strip("\u200c "):
        assert "نظر بیش از اندازه بلند است" in html
        assert text in html  # nothing the reader typed is lost
    else:
        assert "متن نظر خالی است" in html
    assert 'value="علی"' in html
    assert not Comment.objects.exists()


def test_html_and_controls_are_text(client, item, comment_form, submit_url):
    response = client.post(
        submit_url,
        comment_form(text="<script>alert(1)</script> سلام \u202eمعکوس\u0007 <b>روابط</b>"),
    )
    assert response.status_code == 302
    comment = _publish(Comment.objects.get())
    assert "\u202e" not in comment.text and "\u0007" not in comment.text
    page = client.get(item.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_wrong_and_replayed_captcha(client, comment_form, submit_url):
    from .conftest import captcha

    fields = comment_form(text="متن نظر درباره نشست")
    wrong = {**fields, "captcha_answer": "99"}
    response = client.post(submit_url, wrong)
    assert response.status_code == 422
    assert "پاسخ سؤال امنیتی اشتباه است" in response.content.decode()
    guessed_again = client.post(submit_url, fields)  # one answer per question: no guessing
    assert guessed_again.status_code == 422 and not Comment.objects.exists()
    renewed = {**fields, **captcha(guessed_again.content.decode())}  # the new question shown
    assert client.post(submit_url, renewed).status_code == 302
    again = client.post(submit_url, renewed)
    assert again.status_code == 422
    assert "این سؤال امنیتی قبلاً استفاده شده است" in again.content.decode()
    assert Comment.objects.count() == 1


def test_honeypot(client, comment_form, submit_url):
    response = client.post(submit_url, comment_form(text="نظر", website="http://spam"))
    assert response.status_code == 422 and not Comment.objects.exists()


def test_flood_of_a_hundred_comments(client, comment_form, submit_url):
    codes = [
        client.post(submit_url, comment_form(text=f"نظر شماره {i} درباره نشست")).status_code
        for i in range(100)
    ]
    assert codes[0] == 302
    assert 429 in codes
    assert codes.count(302) <= services.FLOOD_LIMIT
    assert Comment.objects.count() == codes.count(302)


def test_reply_to_unpublished_or_other_item_is_refused(
    client, item, publish, comment_form, submit_url
):
    other = publish(title="خبر دیگری درباره راه‌ها")
    pending = Comment.objects.create(
        target_kind="news", target_key=str(item.code), office=item.office, text="در انتظار"
    )
    elsewhere = _publish(
        Comment.objects.create(
            target_kind="news", target_key=str(other.code), office=other.office, text="جای دیگر"
        )
    )
    for parent, words in (
        (pending, ("منتشر", "published")),
        (elsewhere, ("این صفحه", "this page")),
    ):
        response = client.post(submit_url, comment_form(text="پاسخ من", parent=parent.pk))
        assert response.status_code == 400
        html = response.content.decode()
        assert any(w in html for w in words)
        assert "پاسخ من" in html
    assert Comment.objects.filter(text="پاسخ من").count() == 0


def test_reply_shows_quote_and_joins_the_thread(client, item, comment_form, submit_url):
    parent = _publish(
        Comment.objects.create(
            target_kind="news",
            target_key=str(item.code),
            office=item.office,
            text="نظر نخست درباره نشست",
        )
    )
    page = client.get(f"{item.get_absolute_url()}?reply={parent.pk}").content.decode()
    assert "شما در حال پاسخ به نظر" in page
    response = client.post(submit_url, comment_form(text="پاسخ من به نظر نخست", parent=parent.pk))
    assert response.status_code == 302
    reply = _publish(Comment.objects.get(text="پاسخ من به نظر نخست"))
    assert reply.parent == parent
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'class="comment-quote"' in page


def test_like_once_per_reader_and_report(client, item):
    comment = _publish(
        Comment.objects.create(
            target_kind="news", target_key=str(item.code), office=item.office, text="نظر"
        )
    )
    url = f"/comments/c/{comment.pk}/like/"
    assert client.post(url, {"like": "yes"}).status_code == 302
    assert client.post(url, {"like": "no"}).status_code == 302
    comment.refresh_from_db()
    assert (comment.likes, comment.dislikes) == (1, 0)
    assert client.post(url, {"like": "maybe"}).status_code == 400
    assert client.post(f"/comments/c/{comment.pk}/report/").status_code == 302
    assert client.post(f"/comments/c/{comment.pk}/report/").status_code == 302
    comment.refresh_from_db()
    assert comment.reports == 1


def test_cannot_vote_on_pending_comment(client, item):
    comment = Comment.objects.create(
        target_kind="news", target_key=str(item.code), office=item.office, text="نظر"
    )
    assert client.post(f"/comments/c/{comment.pk}/like/", {"like": "yes"}).status_code == 404


def test_unknown_target_is_404(client, db):
    assert client.post("/comments/on/news/999999/", {"text": "x"}).status_code == 404
    assert client.post("/comments/on/nothing/1/", {"text": "x"}).status_code == 404


def test_persian_and_english_messages(client, comment_form, submit_url):
    fa = client.post(submit_url, comment_form(text=""))
    assert "متن نظر خالی است" in fa.content.decode()
    en = client.post("/en" + submit_url, comment_form(text=""))
    assert en.status_code == 422
    assert "the text is empty" in en.content.decode()


@pytest.mark.parametrize("answer", ["²", "۸۸۸۸", "abc", "-"])
def test_odd_captcha_answers_are_a_clear_422(client, comment_form, submit_url, answer):
    response = client.post(submit_url, comment_form(text="نظر", captcha_answer=answer))
    assert response.status_code == 422
    assert not Comment.objects.exists()
