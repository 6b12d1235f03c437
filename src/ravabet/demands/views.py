"""Thin views: citizens' form and tracking, public responsiveness, the staff inbox."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ravabet.network import selectors as network
from ravabet.network.auth import staff_required
from ravabet.network.paging import page_number
from ravabet.network.permissions import Action, may
from ravabet.network.ratelimit import client_key, rate_limited
from ravabet.network.replica import reads_from_replica
from ravabet.network.services import require

from . import charts, selectors, services
from .forms import (
    AnswerForm,
    AssignForm,
    DeadlinesForm,
    DemandForm,
    InboxFilterForm,
    NoteForm,
    RateForm,
    ReferForm,
    TrackForm,
)
from .models import DemandEvent, Kind, Status

# Lookups by code are limited per client. Only the status page looks a code up, so only it
# counts: the form beside it checks the code's shape and check digit without reading the
# database (counting it too made one lookup cost three hits). 60 per 10 minutes is far above
# what a family or an office behind one address needs, and still stops enumeration cold
# (10^12 codes, and a Damm check digit that rejects a mistyped code before any lookup).
TRACK_LIMIT: dict[str, Any] = {"limit": 60, "window": 600, "methods": ("GET", "POST")}


def _lang(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "fa") or "fa"


# ----------------------------------------------------------------------------- citizens


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("demands.submit", limit=10, window=3600)
def new(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    if request.method == "POST":
        form = DemandForm(request.POST, request.FILES, lang=_lang(request))
        form.bind_client(client_key(request))
        if form.is_valid():
            data = form.cleaned_data
            demand = services.submit(
                office,
                kind=data["kind"],
                subject=data["subject"],
                body=data["body"],
                name=data["name"],
                mobile=data["mobile"],
                email=data["email"] or "",
                consent_publish=data["consent_publish"],
                attachments=data["attachments"],
                request=request,
            )
            request.session["demands_new"] = demand.code
            return redirect("demands:status", code=demand.code)
        form.renew_challenge()
        status = 400
    else:
        form = DemandForm(lang=_lang(request))
        status = 200
    return render(
        request,
        "demands/new.html",
        {
            "office": office,
            "form": form,
            "deadlines": [
                (Kind(kind).label, days) for kind, days in services.deadlines_of(office).items()
            ],
            "quick_links": network.quick_links(office),
        },
        status=status,
    )


def choose_office(request: HttpRequest) -> HttpResponse:
    """The first step of a demand sent from the network's pages: which office it goes to."""
    return render(
        request,
        "demands/choose.html",
        {"tree": network.office_tree(), "network_version": network.network_version()},
    )


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    """The form to look a demand up; GET ?code=… so that the page works from a link too."""
    if "code" not in request.GET:
        return render(request, "demands/track.html", {"form": TrackForm()})
    form = TrackForm(request.GET)
    if form.is_valid():
        return redirect("demands:status", code=form.cleaned_data["code"])
    return render(request, "demands/track.html", {"form": form}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("demands.track", **TRACK_LIMIT)
@reads_from_replica
def status(request: HttpRequest, code: str) -> HttpResponse:
    form = TrackForm({"code": code})
    if not form.is_valid():
        return render(request, "demands/track.html", {"form": form}, status=400)
    demand = selectors.demand_by_code(form.cleaned_data["code"])
    if demand is None:
        form.add_error(
            "code",
            _("No demand has this code. Check it against the message you received."),
        )
        return render(request, "demands/track.html", {"form": form}, status=404)
    rate_form = RateForm(request.POST or None)
    if request.method == "POST":
        if demand.status != Status.ANSWERED:
            rate_form.add_error(None, _("Only an answered demand can be rated."))
        elif rate_form.is_valid():
            services.rate(
                demand,
                satisfied=rate_form.cleaned_data["satisfied"],
                comment=rate_form.cleaned_data["comment"],
                request=request,
            )
            messages.success(request, _("Thank you; your rating was recorded."))
            return redirect("demands:status", code=demand.code)
    just_sent = request.session.pop("demands_new", None) == demand.code
    return render(
        request,
        "demands/status.html",
        {
            "demand": demand,
            "events": selectors.history(demand, public_only=True),
            "rate_form": rate_form,
            "just_sent": just_sent,
            "overdue": demand.is_open and demand.due_at < timezone.now(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _responsiveness(request: HttpRequest, office=None) -> HttpResponse:
    rows, total = selectors.responsiveness(office)
    lang = _lang(request)
    return render(
        request,
        "demands/responsiveness.html",
        {
            "office": office,
            "rows": rows,
            "total": total,
            "chart": charts.monthly_chart(rows, lang),
            "exchanges": selectors.published(office, limit=10),
            "quick_links": network.quick_links(office),
        },
    )


def responsiveness(request: HttpRequest) -> HttpResponse:
    return _responsiveness(request)


def office_responsiveness(request: HttpRequest, office_slug: str) -> HttpResponse:
    return _responsiveness(request, network.office_by_slug(office_slug))


@reads_from_replica
def published(request: HttpRequest, office_slug: str | None = None) -> HttpResponse:
    office = network.office_by_slug(office_slug) if office_slug else None
    page = page_number(request)
    per_page = 20
    exchanges = selectors.published(office, limit=per_page + 1, offset=(page - 1) * per_page)
    return render(
        request,
        "demands/published.html",
        {
            "office": office,
            "exchanges": exchanges[:per_page],
            "page": page,
            "has_next": len(exchanges) > per_page,
            "quick_links": network.quick_links(office),
        },
    )


# ----------------------------------------------------------------------------- staff


@staff_required
def inbox(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    require(request.user, Action.DEMANDS_VIEW, office, request)
    filters = InboxFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    demands = selectors.inbox(
        office,
        status=chosen.get("status", ""),
        kind=chosen.get("kind", ""),
        overdue=chosen.get("overdue", False),
    )
    page = Paginator(demands, 50).get_page(page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "demands/inbox.html",
        {
            "office": office,
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "now": timezone.now(),
            "can_settings": may(request.user, Action.DEMANDS_SETTINGS, office),
        },
    )


def _staff_demand(request: HttpRequest, office_slug: str, pk: int):
    office = network.office_by_slug(office_slug)
    require(request.user, Action.DEMANDS_VIEW, office, request)
    demand = selectors.demand_for_staff(office, pk)
    if demand is None:
        raise Http404(_("This office has no such demand."))
    return office, demand


@staff_required
def detail(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    office, demand = _staff_demand(request, office_slug, pk)
    return _render_detail(request, office, demand)


def _render_detail(request, office, demand, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    context = {
        "office": office,
        "demand": demand,
        "events": selectors.history(demand, public_only=False),
        "now": timezone.now(),
        "can_answer": demand.is_open and may(user, Action.DEMANDS_ANSWER, demand),
        "can_assign": demand.is_open and may(user, Action.DEMANDS_ASSIGN, demand),
        "can_refer": demand.is_open and may(user, Action.DEMANDS_REFER, demand),
        "can_close": demand.status == Status.ANSWERED and may(user, Action.DEMANDS_ANSWER, demand),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "assign_form": forms.get("assign_form")
        or AssignForm(colleagues=selectors.colleagues(office)),
        "refer_form": forms.get("refer_form") or ReferForm(office=office),
        "note_form": forms.get("note_form") or NoteForm(),
        "event_kinds": DemandEvent.Kind,
    }
    return render(request, "demands/detail.html", context, status=status)


def _back(office, demand) -> HttpResponse:
    return redirect("demands:detail", office_slug=office.slug, pk=demand.pk)


@staff_required
@require_POST
def answer(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    office, demand = _staff_demand(request, office_slug, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer(
                request.user, demand, form.cleaned_data["public"], form.cleaned_data["private"],
                request=request,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The answer was sent to the citizen."))
            return _back(office, demand)
    return _render_detail(request, office, demand, status=400, answer_form=form)


@staff_required
@require_POST
def assign(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    office, demand = _staff_demand(request, office_slug, pk)
    colleagues = selectors.colleagues(office)
    form = AssignForm(request.POST, colleagues=colleagues)
    if form.is_valid():
        assignee = next(u for u in colleagues if u.pk == form.cleaned_data["assignee"])
        try:
            services.assign(request.user, demand, assignee, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The demand was assigned."))
            return _back(office, demand)
    return _render_detail(request, office, demand, status=400, assign_form=form)


@staff_required
@require_POST
def refer(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    office, demand = _staff_demand(request, office_slug, pk)
    form = ReferForm(request.POST, office=office)
    if form.is_valid():
        try:
            services.refer(
                request.user, demand, form.cleaned_data["to_office"], form.cleaned_data["note"],
                request=request,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The demand was referred."))
            return redirect("demands:inbox", office_slug=office.slug)
    return _render_detail(request, office, demand, status=400, refer_form=form)


@staff_required
@require_POST
def note(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    office, demand = _staff_demand(request, office_slug, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(request.user, demand, form.cleaned_data["text"], request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _back(office, demand)
    return _render_detail(request, office, demand, status=400, note_form=form)


@staff_required
@require_POST
def close(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    office, demand = _staff_demand(request, office_slug, pk)
    try:
        services.close(request.user, demand, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(office, demand)


@staff_required
def attachment(
    request: HttpRequest, office_slug: str, pk: int, attachment_id: int
) -> HttpResponseBase:
    """A private file, after the permission check: nginx sends it when X-Accel-Redirect is set
    up (RAVABET_ACCEL_REDIRECT_PREFIX), Django streams it otherwise."""
    _office, demand = _staff_demand(request, office_slug, pk)
    item = selectors.attachment_of(demand, attachment_id)
    if item is None:
        raise Http404(_("This demand has no such attachment."))
    if not item.file.name or not item.file.storage.exists(item.file.name):
        services.report_missing_file(request.user, item, request)
        return render(
            request,
            "portal/error.html",
            {
                "status": 410,
                "title": _("File missing"),
                "detail": _(
                    "The file attached to this demand is missing from the server. The incident "
                    "was recorded; ask the site's operators to restore it from the backup."
                ),
            },
            status=410,
        )
    content_type = "application/pdf" if item.extension == "pdf" else f"image/{item.extension}"
    if item.extension == "jpg":
        content_type = "image/jpeg"
    prefix = settings.RAVABET_ACCEL_REDIRECT_PREFIX
    response: HttpResponseBase
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(item.file.name)
    else:
        response = FileResponse(item.file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="demand-{demand.pk}-{item.pk}.{item.extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def deadlines(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    require(request.user, Action.DEMANDS_SETTINGS, office, request)
    form = DeadlinesForm(request.POST or None, initial=services.deadlines_of(office))
    if request.method == "POST" and form.is_valid():
        services.set_deadlines(request.user, office, form.cleaned_data, request=request)
        messages.success(request, _("The deadlines were saved."))
        return redirect(reverse("demands:inbox", kwargs={"office_slug": office.slug}))
    return render(
        request,
        "demands/deadlines.html",
        {"office": office, "form": form},
        status=400 if request.method == "POST" else 200,
    )
