"""Readers' side: the comments fragment of cached pages, submit, like/dislike, report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ravabet.network.language import active_language
from ravabet.network.ratelimit import client_key, rate_limited, too_many_requests
from ravabet.network.readers import reader_key, remember_reader

from . import selectors, services, targets
from .forms import CommentForm
from .models import Comment


def _lang() -> str:
    return active_language()


def _reply_to(target: targets.Target, value: str | int | None) -> Comment | None:
    try:
        pk = int(value or 0)
    except (TypeError, ValueError):
        return None
    if pk <= 0:
        return None
    return selectors.published(pk, target.kind, target.key)


def _context(request: HttpRequest, target: targets.Target, form: CommentForm, reply_to=None):
    comments = selectors.thread(target.kind, target.key)
    return {
        "target": target,
        "comments": comments,
        # Every comment the reader sees, replies included (not only the threads).
        "count": len(comments) + sum(len(c.shown_replies) for c in comments),  # type: ignore[attr-defined, misc]  # set by selectors.thread
        "form": form,
        "reply_to": reply_to,
        "action": _submit_url(target),
    }


def _submit_url(target: targets.Target) -> str:
    from django.urls import reverse

    return reverse("comments:submit", args=[target.kind, target.key])


# Where `submit` leaves a form that failed, for the page it re-renders around it.
FAILED_FORM = "ravabet_comment_form"


def render_block(request: HttpRequest, target: targets.Target) -> str:
    """Published comments and the form. On a cached page (`page_csrf_mark`) the captcha is
    deferred: each response fills in its own question. After a failed submission (no
    JavaScript) the page is rendered again around the reader's form and its errors."""
    failed = getattr(request, FAILED_FORM, None)
    if failed is not None:
        form, reply_to = failed
        return render_to_string(
            "comments/_block.html", _context(request, target, form, reply_to), request=request
        )
    reply_to = _reply_to(target, request.GET.get("reply"))
    form = CommentForm(
        lang=_lang(),
        deferred=getattr(request, "page_csrf_mark", False),
        initial={"parent": reply_to.pk if reply_to else None},
    )
    return render_to_string(
        "comments/_block.html", _context(request, target, form, reply_to), request=request
    )


def news_fragment(request: HttpRequest, code: str) -> str:
    """The `news_comments` slot of the news page."""
    target = targets.resolve("news", code)
    return render_block(request, target) if target is not None else ""


def _target_or_404(kind: str, key: str) -> targets.Target:
    target = targets.resolve(kind, key)
    if target is None:
        raise Http404(_("There is nothing to comment on here."))
    return target


@require_POST
@rate_limited("comment-submit", limit=20, window=600)
def submit(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    target = _target_or_404(kind, key)
    form = CommentForm(request.POST, lang=_lang())
    client = client_key(request)
    form.bind_client(client)
    status = 422
    if form.is_valid():
        data = services.Submission(
            text=form.cleaned_data["text"],
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            parent_id=form.cleaned_data["parent"],
        )
        try:
            services.submit(target, data, client)
        except services.Flood:
            return too_many_requests(request, int(services.FLOOD_WINDOW.total_seconds()))
        except ValidationError as exc:
            form.add_error(
                "parent" if exc.code in ("bad_parent", "parent_not_published") else "text", exc
            )
            if exc.code in ("bad_parent", "parent_not_published"):
                status = 400
        else:
            thanks = _("Thank you. Your comment was received and will appear after review.")
            if request.htmx:  # type: ignore[attr-defined]  # set by django-htmx's middleware
                # The thanks where the form was, and a fresh form for the next comment.
                fresh = CommentForm(lang=_lang())
                return render(
                    request,
                    "comments/_form.html",
                    {**_context(request, target, fresh), "sent": thanks},
                )
            messages.success(request, thanks)
            return redirect(target.url + "#comments")
    form.renew_challenge()
    reply_to = _reply_to(target, request.POST.get("parent"))
    if request.htmx:  # type: ignore[attr-defined]  # set by django-htmx's middleware
        # Only the form is swapped, errors beside the fields (base.html lets htmx swap 4xx).
        return render(
            request, "comments/_form.html", _context(request, target, form, reply_to), status=status
        )
    return _page_with_form(request, target, form, reply_to, status)


def _page_with_form(request, target, form, reply_to, status: int) -> HttpResponse:
    """The commented page itself, with the reader's form and its errors in its comments block
    (without JavaScript a failed comment must not land on a bare page)."""
    from urllib.parse import unquote

    from django.urls import Resolver404, resolve

    try:
        match = resolve(unquote(target.url))
    except Resolver404:
        match = None
    if match is not None:
        setattr(request, FAILED_FORM, (form, reply_to))
        response = match.func(request, *match.args, **match.kwargs)
        if response.status_code == 200:
            response.status_code = status
            return response
        request.page_csrf_mark = False  # the page view set it; this page is rendered here
    return render(
        request,
        "comments/submit_page.html",
        {**_context(request, target, form, reply_to), "page_errors": True},
        status=status,
    )


def _reaction(request: HttpRequest, pk: int, act) -> HttpResponse:
    comment = selectors.published(pk)
    target = targets.resolve(comment.target_kind, comment.target_key) if comment else None
    if comment is None or target is None:
        raise Http404(_("There is no such published comment."))
    voter = reader_key(request)
    text = act(comment, voter)
    if text is None:
        return render(
            request,
            "portal/error.html",
            {"status": 400, "title": _("Bad request"), "detail": _("Choose “like” or “dislike”.")},
            status=400,
        )
    if request.htmx:  # type: ignore[attr-defined]  # set by django-htmx's middleware
        # The new counts on the buttons at once, and what happened, beside them.
        comment.refresh_from_db(fields=["likes", "dislikes"])
        response = render(
            request,
            "comments/_actions.html",
            {"comment": comment, "reply_pk": comment.parent_id or comment.pk, "message": text},
        )
        return remember_reader(response, voter)
    messages.success(request, text)
    response = redirect(f"{target.url}#comment-{comment.pk}")
    return remember_reader(response, voter)


@require_POST
@rate_limited("comment-vote", limit=30, window=600)
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    choice = request.POST.get("like")

    def act(comment: Comment, voter: str) -> str | None:
        if choice not in ("yes", "no"):
            return None
        if services.vote(comment, voter, choice == "yes"):
            return _("Thank you: your vote was counted.")
        return _("You have already voted on this comment.")

    return _reaction(request, pk, act)


@require_POST
@rate_limited("comment-report", limit=10, window=600)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    def act(comment: Comment, voter: str) -> str:
        if services.report(comment, voter):
            return _("Thank you: the moderators will look at this comment again.")
        return _("You have already reported this comment.")

    return _reaction(request, pk, act)
