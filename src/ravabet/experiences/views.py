"""Pages of the experiences app: thin (reads through `selectors`, writes through `services`)."""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from ravabet.network import selectors as network
from ravabet.network.auth import staff_required
from ravabet.network.diff import word_diff
from ravabet.network.jalali import format_date
from ravabet.network.paging import page_number
from ravabet.network.ratelimit import client_key, rate_limited

from . import selectors, services
from .forms import (
    AppliedForm,
    AttachmentForm,
    ConfirmForm,
    ContactForm,
    ExperienceForm,
    PublishForm,
    ReviewForm,
    split_tags,
)
from .models import Experience, Status

# The sections in the order of the page (field of `services.version_data`, label).
SECTION_LABELS = [
    ("title", _l("Title")), ("situation", _l("Situation")), ("goal", _l("Goal")),
    ("steps", _l("What was done (steps)")), ("channels", _l("Channels and tools")),
    ("audience_text", _l("Audience")), ("results", _l("Results")), ("evidence", _l("Evidence")),
    ("worked", _l("What worked")), ("did_not_work", _l("What did not work")),
    ("lessons", _l("Lessons")), ("recommendations", _l("Recommendations")),
    ("contact_name", _l("Contact person")), ("tags", _l("Tags")),
]  # fmt: skip


def _error(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
    return render(
        request,
        "portal/error.html",
        {"status": status, "title": title, "detail": detail},
        status=status,
    )


def _gone(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        410,
        _("This write-up has been withdrawn"),
        _(
            "The office that wrote this experience has withdrawn it from publication. "
            "Other experiences of the network are in the list of experience write-ups."
        ),
    )


def _readable(request: HttpRequest, pk: int) -> Experience:
    item = selectors.experience(pk)
    if item is None:
        raise Http404(_("No experience write-up has this address."))
    return item


# ------------------------------------------------------------------ public pages


def listing(request: HttpRequest) -> HttpResponse:
    filters = selectors.Filters.from_query(request.GET)
    result = selectors.listing(request.user, filters, page_number(request))
    export = reverse("experiences:export") + (
        "?" + urlencode(filters.query()) if filters.active else ""
    )
    facet_links = {
        name: [
            (
                value,
                "?" + urlencode(filters.query(**{name: None if value.selected else value.value})),
            )
            for value in values
        ]
        for name, values in result.facets.items()
    }
    return render(
        request,
        "experiences/list.html",
        {
            "listing": result,
            "facet_links": facet_links,
            "export_url": export,
            "page_query": urlencode(filters.query()),
            "network_staff": selectors.is_network_staff(request.user),
        },
    )


def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV (UTF-8 with a BOM, so spreadsheet programs read the Persian)."""
    filters = selectors.Filters.from_query(request.GET)

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())
    header = [
        _("Code"),
        _("Title"),
        _("Type"),
        _("Office"),
        _("Level"),
        _("Year"),
        _("Published"),
        _("Published to"),
        _("Applied by other offices"),
        _("Useful: yes"),
        _("Useful: no"),
        _("Review by"),
        _("Address"),
    ]
    base = request.build_absolute_uri("/")[:-1]

    def rows() -> Any:
        yield "\ufeff" + writer.writerow(header)
        for item in selectors.export_rows(request.user, filters):
            yield writer.writerow(
                [
                    item.pk,
                    item.title,
                    item.get_kind_display(),
                    item.office.name,
                    item.office.get_kind_display(),
                    item.year or "",
                    format_date(item.published_at),
                    item.get_audience_display(),
                    item.applied_count,
                    item.useful_yes,
                    item.useful_no,
                    format_date(item.review_by),
                    base + item.get_absolute_url(),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="experiences.csv"'
    return response


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    seen = selectors.access(request.user, item)
    if seen == selectors.Access.GONE:
        return _gone(request)
    if seen != selectors.Access.FULL:
        raise Http404(_("No experience write-up has this address."))
    user = request.user
    staff = selectors.is_network_staff(user)
    voter = _voter(request)
    context: dict[str, Any] = {
        "item": item,
        "news_items": selectors.news_evidence(item),
        "figures": [e for e in item.evidence.all() if e.kind == "figure"],
        "links": [e for e in item.evidence.all() if e.kind == "link"],
        "may_edit": selectors.may_edit(user, item),
        "may_publish": selectors.may_publish(user, item),
        "may_review": selectors.may_review(user, item),
        "network_staff": staff,
        "voted": selectors.reader_vote(item, voter) if item.is_published else None,
        "missing": [services.REQUIRED_SECTIONS[name] for name in services.missing_sections(item)]
        if item.status in (Status.DRAFT, Status.CHANGES)
        else [],
    }
    if staff and item.is_published:
        offices = selectors.applying_offices(user, item)
        context["applied_form"] = AppliedForm(offices=offices) if offices.exists() else None
    if context["may_review"]:
        context["review_form"] = ReviewForm()
    if context["may_publish"] and item.status in (
        Status.APPROVED,
        Status.PUBLISHED,
        Status.WITHDRAWN,
    ):
        context["publish_form"] = PublishForm(initial={"audience": item.audience})
        context["confirm_form"] = ConfirmForm(prefix="confirm")
    if context["may_edit"]:
        context["attachment_form"] = AttachmentForm()
    return render(request, "experiences/detail.html", context)


def _voter(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"u:{request.user.pk}"
    return f"c:{client_key(request)}"


@require_POST
@rate_limited("experiences-vote", limit=20, window=600)
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    if selectors.access(request.user, item) != selectors.Access.FULL or not item.is_published:
        raise Http404(_("No experience write-up has this address."))
    choice = request.POST.get("useful")
    if choice not in ("yes", "no"):
        messages.error(request, _("Choose “yes” or “no”."))
        return redirect(item.get_absolute_url() + "#useful")
    office = None
    if request.user.is_authenticated:
        office = next(iter(selectors.writable_offices(request.user)), None)
    counted = services.vote_useful(item, _voter(request), choice == "yes", office)
    messages.success(
        request,
        _("Thank you: your answer was counted.")
        if counted
        else _("You have already answered for this write-up."),
    )
    return redirect(item.get_absolute_url() + "#useful")


def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A reusable file, for whoever may read its write-up."""
    row = selectors.attachment(pk)
    if row is None:
        raise Http404(_("No such file."))
    seen = selectors.access(request.user, row.experience)
    if seen == selectors.Access.GONE:
        return _gone(request)
    if seen != selectors.Access.FULL:
        raise Http404(_("No such file."))
    if not row.file.name or not row.file.storage.exists(row.file.name):
        return _error(request, 410, _("File missing"), _("The file is missing from the server."))
    types = {
        "pdf": "application/pdf",
        "jpg": "image/jpeg",
        "png": "image/png",
        "webp": "image/webp",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt": "application/vnd.oasis.opendocument.text",
        "ods": "application/vnd.oasis.opendocument.spreadsheet",
        "odp": "application/vnd.oasis.opendocument.presentation",
    }
    prefix = settings.RAVABET_ACCEL_REDIRECT_PREFIX
    response: HttpResponseBase
    content_type = types.get(row.extension, "application/octet-stream")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/experiences/" + row.file.name
    else:
        response = FileResponse(row.file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="experience-{row.experience_id}-{row.pk}.{row.extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------ staff pages


@staff_required
def desk(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "experiences/desk.html",
        {**selectors.desk(request.user), "offices": selectors.writable_offices(request.user)},
    )


def _save_form(
    request: HttpRequest, office: Any, item: Experience | None
) -> tuple[ExperienceForm, HttpResponse | None, int]:
    form = ExperienceForm(request.POST, office=office)
    if not form.is_valid():
        return form, None, 422
    try:
        if item is None:
            saved = services.create(request.user, office, form.data_object(), request)
            messages.success(request, _("Draft saved."))
        else:
            saved = services.update(
                request.user,
                item,
                form.data_object(),
                request,
                confirm_personal_data=form.cleaned_data.get("confirm_personal_data", False),
            )
            messages.success(request, _("Changes saved."))
    except services.PersonalDataFound as exc:
        form.add_error(None, exc.messages[0])
        form.findings = exc.findings  # type: ignore[attr-defined]
        return form, None, 422
    except services.WrongState as exc:
        form.add_error(None, exc.messages[0])
        return form, None, 409
    return form, redirect(reverse("experiences:detail", args=[saved.pk])), 200


@staff_required
def create(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    if not selectors.writable_offices(request.user).filter(pk=office.pk).exists():
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form, done, status = _save_form(request, office, None)
        if done is not None:
            return done
    else:
        form = ExperienceForm(office=office)
    return render(
        request,
        "experiences/edit.html",
        {"form": form, "office": office, "item": None},
        status=status,
    )


@staff_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    if not selectors.may_edit(request.user, item):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form, done, status = _save_form(request, item.office, item)
        if done is not None:
            return done
    else:
        form = ExperienceForm(initial=ExperienceForm.initial_from(item), office=item.office)
    return render(
        request,
        "experiences/edit.html",
        {"form": form, "office": item.office, "item": item},
        status=status,
    )


def _back(item: Experience, anchor: str = "") -> HttpResponse:
    return redirect(reverse("experiences:detail", args=[item.pk]) + anchor)


@staff_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    try:
        services.submit(request.user, item, request)
    except services.MissingSections as exc:
        return render(
            request,
            "experiences/missing.html",
            {"item": item, "sections": [services.REQUIRED_SECTIONS[n] for n in exc.sections]},
            status=422,
        )
    except services.WrongState as exc:
        messages.error(request, exc.messages[0])
        return _back(item)
    messages.success(request, _("The write-up was sent for review."))
    return _back(item)


@staff_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review(
                request.user,
                item,
                form.cleaned_data["decision"],
                form.cleaned_data["body"],
                request,
            )
        except services.WrongState as exc:
            messages.error(request, exc.messages[0])
            return _back(item)
        except ValidationError as exc:
            form.add_error("body", exc.messages[0])
        else:
            messages.success(request, _("Your review was recorded."))
            return _back(item, "#review")
    elif not selectors.may_review(request.user, item):
        raise PermissionDenied
    return render(request, "experiences/review.html", {"item": item, "form": form}, status=422)


@staff_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    form = PublishForm(request.POST)
    findings = []
    status = 422
    if form.is_valid():
        try:
            services.publish(
                request.user,
                item,
                form.cleaned_data["audience"],
                form.cleaned_data.get("review_by"),
                request,
                confirm_personal_data=form.cleaned_data["confirm_personal_data"],
            )
        except services.PersonalDataFound as exc:
            form.add_error(None, exc.messages[0])
            findings = exc.findings
        except services.WrongState as exc:
            form.add_error(None, exc.messages[0])
            status = 409
        else:
            messages.success(request, _("Published."))
            return _back(item)
    return render(
        request,
        "experiences/publish.html",
        {"item": item, "form": form, "findings": findings},
        status=status,
    )


@staff_required
@require_POST
def unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    try:
        services.unpublish(request.user, item, request)
    except services.WrongState as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Withdrawn from publication."))
    return _back(item)


@staff_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    form = ConfirmForm(request.POST, prefix="confirm")
    if form.is_valid():
        try:
            services.confirm_still_valid(
                request.user, item, form.cleaned_data.get("review_by"), request
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Confirmed: the write-up still holds."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return _back(item)


@staff_required
@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach(
                request.user,
                item,
                form.cleaned_data["file"],
                form.cleaned_data["title"],
                form.cleaned_data["purpose"],
                request,
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages[0])
        else:
            messages.success(request, _("File attached."))
            return _back(item, "#attachments")
    return render(request, "experiences/attach.html", {"item": item, "form": form}, status=422)


@staff_required
@require_POST
def detach(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.attachment(pk)
    if row is None:
        raise Http404(_("No such file."))
    services.detach(request.user, row, request)
    messages.success(request, _("File removed."))
    return _back(row.experience, "#attachments")


@staff_required
@require_POST
def applied(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    if selectors.access(request.user, item) != selectors.Access.FULL:
        raise Http404(_("No experience write-up has this address."))
    form = AppliedForm(request.POST, offices=selectors.applying_offices(request.user, item))
    if form.is_valid():
        try:
            services.mark_applied(
                request.user,
                item,
                form.cleaned_data["office"],
                form.cleaned_data["note"],
                request,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("Thank you: your office's use of it was recorded."))
            return _back(item, "#applied")
    return render(request, "experiences/applied.html", {"item": item, "form": form}, status=422)


@staff_required
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    readable = selectors.access(request.user, item) == selectors.Access.FULL
    if not (
        selectors.may_edit(request.user, item)
        or selectors.may_review(request.user, item)
        or (readable and selectors.is_network_staff(request.user))
    ):
        raise Http404(_("No experience write-up has this address."))
    rows = selectors.versions(item)
    by_number = {row.number: row for row in rows}
    compare = None
    if len(rows) >= 2:
        try:
            a = by_number[int(request.GET.get("a", rows[1].number))]
            b = by_number[int(request.GET.get("b", rows[0].number))]
        except (KeyError, ValueError):
            a, b = rows[1], rows[0]
        compare = {
            "a": a,
            "b": b,
            "fields": [
                (label, word_diff(str(a.data.get(name, "")), str(b.data.get(name, ""))))
                for name, label in SECTION_LABELS
                if a.data.get(name, "") != b.data.get(name, "")
            ],
        }
    return render(
        request, "experiences/versions.html", {"item": item, "versions": rows, "compare": compare}
    )


# ------------------------------------------------------------------ the PR network directory


@staff_required
def directory(request: HttpRequest) -> HttpResponse:
    if not selectors.is_network_staff(request.user):
        raise PermissionDenied
    expertise = request.GET.get("expertise", "")[:80]
    office = request.GET.get("office", "")[:60]
    editable = selectors.directory_offices(request.user)
    return render(
        request,
        "experiences/directory.html",
        {
            "offices": selectors.directory(expertise, office),
            "expertise": expertise,
            "tags": selectors.expertise_tags(),
            "form": ContactForm(offices=editable) if editable.exists() else None,
        },
    )


@staff_required
@require_POST
def add_contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST, offices=selectors.directory_offices(request.user))
    if form.is_valid():
        c = form.cleaned_data
        office = c["office"]
        services.save_contact(
            request.user,
            office,
            name=c["name"],
            position=c["position"],
            title=c["title"],
            phone=c["phone"],
            email=c["email"],
            expertise=split_tags(c["expertise"]),
            request=request,
        )
        messages.success(request, _("Added to the directory."))
        return redirect(reverse("experiences:directory") + f"?office={office.slug}")
    messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(reverse("experiences:directory"))
