"""The newsroom for staff: desk, write and edit, workflow steps, photos, revisions."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from ravabet.network import selectors as network
from ravabet.network.auth import staff_required
from ravabet.network.diff import word_diff
from ravabet.network.permissions import Action, may
from ravabet.network.services import require
from ravabet.network.templatetags.persian import fa_digits

from . import selectors, services
from .forms import NewsForm, PhotoForm, ScheduleForm


@staff_required
def desk(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    require(request.user, Action.NEWS_WRITE, office, request)
    return render(
        request,
        "news/staff/desk.html",
        {"desk_office": office, **selectors.desk(office, request.user)},
    )


@staff_required
def create(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    require(request.user, Action.NEWS_WRITE, office, request)
    form = NewsForm(request.POST or None, initial={"language": "fa"})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_news(request.user, office, form.to_data(), request)
        except ValidationError as exc:
            form.add_error(_field_of(exc), exc)
        else:
            messages.success(
                request, _("Draft saved. News code: %(code)s") % {"code": fa_digits(item.code)}
            )
            return redirect("news_staff:edit", item.code)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "news/staff/edit.html", {"form": form, "desk_office": office}, status=status
    )


def _readable_item(request: HttpRequest, code: int):
    """The item for a staff page, after the one rule for staff reads (`Action.NEWS_READ_ANY`:
    anyone's item for editors and managers, one's own for authors; network.permissions)."""
    item = selectors.staff_item(code)
    require(request.user, Action.NEWS_READ_ANY, item, request)
    return item


def _field_of(exc: ValidationError) -> str | None:
    """The form field a service's refusal is about (None: the form as a whole)."""
    code = getattr(exc, "code", None) or ""
    return "translation_of" if code.startswith("translation_") else None


def _edit_context(request, item, form=None, photo_form=None, schedule_form=None):
    return {
        "item": item,
        "desk_office": item.office,
        "form": form or NewsForm(initial=NewsForm.initial_for(item)),
        "photo_form": photo_form or PhotoForm(),
        "schedule_form": schedule_form or ScheduleForm(),
        "can_edit": services.can_edit(request.user, item),
        "can_review": may(request.user, Action.NEWS_REVIEW, item),
        "can_publish": may(request.user, Action.NEWS_PUBLISH, item),
        "can_stats": may(request.user, Action.NEWS_STATS, item),
        "votes": selectors.votes_summary(item),
        "photos": list(item.photos.all()),
        # The editor's image button offers the item's own photos (the sanitiser keeps no others).
        "editor_photos": [{"src": p.image.url, "alt": p.alt} for p in item.photos.all()],
    }


@staff_required
def edit(request: HttpRequest, code: int) -> HttpResponse:
    item = _readable_item(request, code)
    form = None
    if request.method == "POST":
        form = NewsForm(request.POST, initial=NewsForm.initial_for(item))
        if form.is_valid():
            try:
                services.update_news(request.user, item, form.to_data(), request)
            except ValidationError as exc:
                form.add_error(_field_of(exc), exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("news_staff:edit", item.code)
    status = 422 if form is not None else 200
    return render(
        request, "news/staff/edit.html", _edit_context(request, item, form), status=status
    )


@staff_required
@require_POST
def step(request: HttpRequest, code: int) -> HttpResponse:
    item = _readable_item(request, code)
    action = request.POST.get("step", "")
    schedule_form = None
    try:
        if action == "submit":
            item = services.submit_for_review(request.user, item, request)
            messages.success(request, _("Sent for review."))
        elif action == "send_back":
            item = services.send_back(request.user, item, request.POST.get("note", ""), request)
            messages.success(request, _("Sent back to the author."))
        elif action == "publish":
            schedule_form = ScheduleForm(request.POST)
            if not schedule_form.is_valid():
                raise ValidationError(schedule_form.errors["publish_at"][0])
            at = schedule_form.cleaned_data["publish_at"]
            item = services.publish(request.user, item, at, request)
            messages.success(
                request, _("Scheduled.") if item.status == "scheduled" else _("Published.")
            )
        elif action == "unpublish":
            item = services.unpublish(request.user, item, request)
            messages.success(request, _("Unpublished."))
        else:
            raise ValidationError(_("Unknown step."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        context = _edit_context(request, item, schedule_form=schedule_form)
        return render(request, "news/staff/edit.html", context, status=422)
    return redirect("news_staff:edit", item.code)


@staff_required
@require_POST
def add_photo(request: HttpRequest, code: int) -> HttpResponse:
    item = _readable_item(request, code)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_photo(
                request.user,
                item,
                form.cleaned_data["image"],
                form.cleaned_data["alt"],
                form.cleaned_data["caption"],
                form.cleaned_data["main"],
                request,
            )
        except ValidationError as exc:
            form.add_error("image" if exc.code != "alt_required" else "alt", exc)
        else:
            messages.success(request, _("Photo added."))
            return redirect("news_staff:edit", item.code)
    too_large = any(e.code == "too_large" for e in form.errors.as_data().get("image", []))
    context = _edit_context(request, item, photo_form=form)
    return render(request, "news/staff/edit.html", context, status=413 if too_large else 422)


@staff_required
@require_POST
def remove_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.attached_photo(pk)
    code = photo.news.code if photo.news is not None else None
    try:
        item = services.remove_photo(request.user, photo, request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("news_staff:edit", code)
    messages.success(request, _("Photo removed."))
    return redirect("news_staff:edit", item.code)


def _as_text(value: object) -> str:
    return strip_tags(re.sub(r"</(p|h[2-4]|li|blockquote)>|<br\s*/?>", "\n", str(value or "")))


_DIFF_FIELDS = {
    "title": _l("Title"),
    "over_title": _l("Over-title"),
    "lead": _l("Lead"),
    "body": _l("Body"),
    "tags": _l("Tags"),
    "group": _l("News group"),
    "source_line": _l("Source"),
}


@staff_required
def revisions(request: HttpRequest, code: int) -> HttpResponse:
    item = _readable_item(request, code)
    revs = selectors.revisions(item)
    by_number = {r.number: r for r in revs}
    compare = None
    if len(revs) >= 2:
        try:
            a = by_number[int(request.GET.get("a", revs[1].number))]
            b = by_number[int(request.GET.get("b", revs[0].number))]
        except (KeyError, ValueError):
            a, b = revs[1], revs[0]
        compare = {
            "a": a,
            "b": b,
            "fields": [
                (label, word_diff(_as_text(a.data.get(name)), _as_text(b.data.get(name))))
                for name, label in _DIFF_FIELDS.items()
                if a.data.get(name) != b.data.get(name)
            ],
        }
    return render(
        request,
        "news/staff/revisions.html",
        {"item": item, "desk_office": item.office, "revisions": revs, "compare": compare},
    )


@staff_required
@require_POST
def restore(request: HttpRequest, code: int, number: int) -> HttpResponse:
    item = _readable_item(request, code)
    revision = get_object_or_404(item.revisions, number=number)
    services.restore_revision(request.user, item, revision, request)
    messages.success(request, _("Revision %(number)s restored.") % {"number": fa_digits(number)})
    return redirect("news_staff:edit", item.code)
