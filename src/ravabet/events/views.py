"""Thin views: public programme pages, registration and passes, the verify page; the organiser's
pages (events, registrations, check-in at the door, marks, door list, certificates, figures)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ravabet.network import ics, pdf
from ravabet.network import selectors as network
from ravabet.network.auth import staff_required
from ravabet.network.jalali import to_jalali_parts
from ravabet.network.language import is_english
from ravabet.network.permissions import Action, may
from ravabet.network.ratelimit import client_key, hit, rate_limited, too_many_requests
from ravabet.network.services import require
from ravabet.network.text import to_persian_digits

from . import (
    certificates,
    charts,
    codes,
    council_bridge,
    extras,
    jsonld,
    notices,
    selectors,
    services,
)
from .forms import (
    CancelForm,
    CheckinForm,
    CloneForm,
    EventForm,
    GuestForm,
    InviteForm,
    MarkForm,
    MoveForm,
    RevokeForm,
    SeriesForm,
    VerifyForm,
)
from .models import Event, Mark, Registration, RegStatus

# The verify page: 30 look-ups per 10 minutes per client, far above what an employer checking a
# few certificates needs, and far below what guessing 10^11 codes would take.
VERIFY_LIMIT = 30
VERIFY_WINDOW = 600


def _lang(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "fa") or "fa"


def _digits(number: int) -> str:
    """A number in the page's digits (Persian on Persian pages)."""
    return str(number) if is_english() else to_persian_digits(number)


def _base(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _qr_svg(data: str) -> SafeString:
    svg = segno.make(data, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    return mark_safe(svg)  # noqa: S308 - segno's own markup of our URL


def _error(request: HttpRequest, error: services.EventsError, template: str, context: dict) -> Any:
    return render(request, template, {**context, "error": error.message}, status=error.status)


# ----------------------------------------------------------------------------- public


def programmes(request: HttpRequest) -> HttpResponse:
    return render(request, "events/programmes.html", {"series_list": selectors.all_series()})


def series(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.series_by_slug(slug)
    events = selectors.programme(programme)
    bars = selectors.series_bars(programme)
    return render(
        request,
        "events/series.html",
        {
            "series": programme,
            "office": programme.office,
            "events": events,
            "jsonld": jsonld.script(events, _base(request)),
            "bars": bars,
            "chart": charts.bars_svg(
                bars, title=_("Registered and present per event"), persian=not is_english()
            )
            if bars
            else "",
        },
    )


def office_events(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    events = selectors.office_programme(office)
    return render(
        request,
        "events/office_events.html",
        {
            "office": office,
            "events": events,
            "series_list": selectors.series_of_office(office),
            "jsonld": jsonld.script(events, _base(request)),
        },
    )


def _event_context(request: HttpRequest, event: Event, **extra: Any) -> dict[str, Any]:
    return {
        "event": event,
        "office": event.office,
        "sessions": list(event.sessions.all()),
        "seats_left": selectors.seats_left(event),
        "mine": selectors.registration_of(event, request.user),
        "jsonld": jsonld.script([event], _base(request)),
        "can_manage": may(request.user, Action.EVENTS_MANAGE, event),
        "closed": _closed_reason(event),
        "extras": extras.for_event(event),
        **extra,
    }


def _closed_reason(event: Event) -> str:
    return selectors.closed_reason(event)


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("events.register", limit=10, window=3600)
def event(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's page; a guest registers here, a signed-in staff member with one button."""
    item = selectors.event_by_pk(pk)
    lang = _lang(request)
    form = GuestForm(lang=lang)
    if request.method == "POST":
        staff = request.user.is_authenticated and request.POST.get("as_staff")
        try:
            if staff:
                registration = services.register(item, user=request.user, request=request)
            else:
                form = GuestForm(request.POST, lang=lang)
                form.bind_client(client_key(request))
                if not form.is_valid():
                    form.renew_challenge()
                    return render(
                        request, "events/event.html", _event_context(request, item, form=form),
                        status=422,
                    )  # fmt: skip
                data = form.cleaned_data
                registration = services.register(
                    item,
                    guest=services.Guest(
                        data["name"], data["mobile"], data["email"] or "", data["organisation"]
                    ),
                    request=request,
                )
        except services.EventsError as error:
            if not staff:
                form.renew_challenge()
            return render(
                request,
                "events/event.html",
                _event_context(request, item, form=form, error=error.message),
                status=error.status,
            )
        return redirect("events:pass", token=registration.token)
    return render(request, "events/event.html", _event_context(request, item, form=form))


@never_cache
def pass_page(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant's own page: status, place on the waiting list, QR pass, leave link."""
    registration = selectors.registration_by_token(token)
    item = registration.event
    qr = ""
    if registration.status == RegStatus.CONFIRMED:
        qr = _qr_svg(
            _base(request)
            + reverse("events:staff_pass", kwargs={"code": registration.checkin_code})
        )
    response = render(
        request,
        "events/pass.html",
        {
            "registration": registration,
            "event": item,
            "office": item.office,
            "position": selectors.waiting_position(registration),
            "qr": qr,
            "code": codes.shown(registration.checkin_code),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.registration_by_token(token)
    if request.method == "POST":
        registration = services.leave(token, request=request)
        messages.success(request, _("You have left the list. Thank you for letting us know."))
        return redirect("events:pass", token=token)
    response = render(
        request,
        "events/leave.html",
        {
            "registration": registration,
            "event": registration.event,
            "office": registration.event.office,
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def verify_form(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("events:verify", code=codes.clean(form.cleaned_data["code"]) or "0")
    return _noindex(render(request, "events/verify.html", {"form": form}))


@never_cache
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Name, course, hours, date — or "revoked"; "not found" says nothing about valid codes."""
    if not hit("events.verify", client_key(request), limit=VERIFY_LIMIT, window=VERIFY_WINDOW):
        return _noindex(too_many_requests(request, VERIFY_WINDOW))
    certificate = selectors.certificate_by_code(code)
    status = 200 if certificate is not None else 404
    return _noindex(
        render(
            request,
            "events/verify.html",
            {"form": VerifyForm(), "certificate": certificate, "looked_up": True},
            status=status,
        )
    )


# ----------------------------------------------------------------------------- staff


def _staff_event(request: HttpRequest, pk: int, action: Action) -> Event:
    item = selectors.event_by_pk(pk)
    require(request.user, action, item, request)
    return item


@staff_required
@require_http_methods(["GET", "POST"])
def staff_list(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    require(request.user, Action.EVENTS_MANAGE, office, request)
    series_choices = [(s.pk, s.title) for s in selectors.series_of_office(office)]
    event_form = EventForm(prefix="event", series_choices=series_choices)
    series_form = SeriesForm(prefix="series")
    status = 200
    if request.method == "POST" and "event-title" in request.POST:
        event_form = EventForm(request.POST, prefix="event", series_choices=series_choices)
        if event_form.is_valid():
            data = dict(event_form.cleaned_data)
            count = data.pop("sessions")
            series_pk = data.pop("series")
            start, end = data["starts_at"], data["ends_at"]
            day_end = start.replace(hour=end.hour, minute=end.minute) if count > 1 else end
            sessions = [
                (start + timedelta(days=i), day_end + timedelta(days=i), "", False)
                for i in range(count)
            ]
            if count > 1:
                data["ends_at"] = sessions[-1][1]
            programme = next(
                (s for s in selectors.series_of_office(office) if s.pk == series_pk), None
            )
            try:
                created = services.create_event(
                    request.user,
                    office,
                    series=programme,
                    sessions=sessions,
                    request=request,
                    **data,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    event_form.add_error(field if field in event_form.fields else None, errors)
            else:
                messages.success(request, _("The event was created."))
                return redirect("events:staff_event", pk=created.pk)
        status = 422
    elif request.method == "POST":
        series_form = SeriesForm(request.POST, prefix="series")
        if series_form.is_valid():
            data = series_form.cleaned_data
            try:
                services.create_series(request.user, office, **data, request=request)
            except ValidationError as error:
                series_form.add_error(None, error)
            else:
                messages.success(request, _("The programme was created."))
                return redirect("events:staff_list", office_slug=office.slug)
        status = 422
    return render(
        request,
        "events/staff_list.html",
        {
            "office": office,
            "events": selectors.events_of_office(office),
            "series_list": selectors.series_of_office(office),
            "event_form": event_form,
            "series_form": series_form,
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_clone(request: HttpRequest, slug: str) -> HttpResponse:
    source = selectors.series_by_slug(slug)
    require(request.user, Action.EVENTS_MANAGE, source.office, request)
    initial = {"year": source.year + 1, "slug": f"{slug}-{source.year + 1}"}
    form = CloneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.clone_series(request.user, source, **form.cleaned_data, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The programme was copied with all its events."))
            return redirect("events:series", slug=made.slug)
    return render(
        request,
        "events/staff_clone.html",
        {"source": source, "form": form, "office": source.office},
        status=422 if form.is_bound and form.errors else 200,
    )


def _manage_context(request: HttpRequest, item: Event, **extra: Any) -> dict[str, Any]:
    rows = selectors.registrations_for(item, request.user)
    outcomes = {r.pk: o for r, o in selectors.outcomes(item)}
    for row in rows:
        row.outcome = outcomes.get(row.registration.pk)
    return {
        "event": item,
        "office": item.office,
        "sessions": list(item.sessions.all()),
        "rows": rows,
        "marks": Mark.choices,
        "sees_guests": may(request.user, Action.EVENTS_GUESTS, item),
        "can_certify": may(request.user, Action.EVENTS_CERTIFY, item),
        "certificates": selectors.certificates_of(item),
        "figures": selectors.attendance_figures([item])[0],
        "move_form": MoveForm(prefix="move"),
        "cancel_form": CancelForm(prefix="cancel"),
        "invite_form": InviteForm(
            prefix="invite",
            offices=network.active_offices(),
            working_groups=council_bridge.working_groups(),
        ),
        **extra,
    }


@staff_required
def staff_event(request: HttpRequest, pk: int) -> HttpResponse:
    item = _staff_event(request, pk, Action.EVENTS_MANAGE)
    return render(request, "events/staff_event.html", _manage_context(request, item))


def _registration(item: Event, reg_pk: int) -> Registration:
    for registration in item.registrations.all():
        if registration.pk == reg_pk:
            return registration
    raise Http404(_("No such registration."))


@staff_required
@require_POST
def staff_decide(request: HttpRequest, pk: int, reg_pk: int, decision: str) -> HttpResponse:
    if decision not in ("approve", "reject"):
        raise Http404(_("No such registration."))
    item = _staff_event(request, pk, Action.EVENTS_MANAGE)
    registration = _registration(item, reg_pk)
    try:
        if decision == "approve":
            services.approve(request.user, registration, request)
        else:
            services.reject(request.user, registration, request)
    except services.EventsError as error:
        messages.error(request, error.message)
    return redirect("events:staff_event", pk=item.pk)


@staff_required
@require_POST
def staff_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _staff_event(request, pk, Action.EVENTS_MANAGE)
    form = MoveForm(request.POST, prefix="move")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.move_event(
                request.user,
                item,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"] or None,
                request=request,
            )
        except (ValidationError, services.EventsError) as error:
            form.add_error(None, getattr(error, "message", None) or error)  # type: ignore[arg-type]
        else:
            messages.success(request, _("The event was moved; everyone registered is told."))
            return redirect("events:staff_event", pk=item.pk)
    return render(
        request,
        "events/staff_event.html",
        _manage_context(request, item, move_form=form),
        status=422,
    )


@staff_required
@require_POST
def staff_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    item = _staff_event(request, pk, Action.EVENTS_MANAGE)
    form = CancelForm(request.POST, prefix="cancel")
    if not form.is_valid():
        return render(
            request,
            "events/staff_event.html",
            _manage_context(request, item, cancel_form=form),
            status=422,
        )
    services.cancel_event(request.user, item, reason=form.cleaned_data["reason"], request=request)
    messages.success(request, _("The event was cancelled; everyone registered is told."))
    return redirect("events:staff_event", pk=item.pk)


@staff_required
@require_POST
def staff_invite(request: HttpRequest, pk: int) -> HttpResponse:
    item = _staff_event(request, pk, Action.EVENTS_MANAGE)
    form = InviteForm(
        request.POST,
        prefix="invite",
        offices=network.active_offices(),
        working_groups=council_bridge.working_groups(),
    )
    if form.is_valid():
        names = [n.strip() for n in form.cleaned_data["usernames"].splitlines() if n.strip()]
        users = selectors.users_by_username(names)
        unknown = sorted(set(names) - {u.get_username() for u in users})
        if unknown:
            form.add_error(
                "usernames", _("Unknown user names: %(names)s") % {"names": ", ".join(unknown)}
            )
        else:
            count = services.invite(
                request.user,
                item,
                offices=form.cleaned_data["offices"],
                working_groups=form.cleaned_data.get("working_groups") or [],
                users=users,
                request=request,
            )
            messages.success(request, _("%(n)s invitations added.") % {"n": _digits(count)})
            return redirect("events:staff_event", pk=item.pk)
    return render(
        request,
        "events/staff_event.html",
        _manage_context(request, item, invite_form=form),
        status=422,
    )


@staff_required
@require_POST
def staff_mark(request: HttpRequest, pk: int) -> HttpResponse:
    item = _staff_event(request, pk, Action.EVENTS_CHECKIN)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("The mark could not be read."), status=400)
    data = form.cleaned_data
    registration = _registration(item, data["registration"])
    session = selectors.session_of(item, data["session"])
    try:
        services.mark(request.user, registration, session, data["mark"], request=request)
    except services.EventsError as error:
        messages.error(request, error.message)
    return redirect("events:staff_event", pk=item.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_checkin(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """The door: one small form (the code), one line of answer; no script, no images."""
    item = _staff_event(request, pk, Action.EVENTS_CHECKIN)
    session = selectors.session_of(item, session_pk)
    form = CheckinForm(request.POST or None)
    result: dict[str, Any] = {}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            done = services.check_in(
                request.user,
                session,
                form.cleaned_data["code"],
                method=(request.POST.get("method") == "qr" and "qr") or "code",
                request=request,
            )
        except Registration.DoesNotExist:
            result = {"bad": _("No pass has this code. Check the digits and try again.")}
            status = 404
        except services.EventsError as error:
            result = {"bad": error.message}
            status = error.status
        else:
            name = done.registration.display_name
            result = (
                {"warn": _("%(name)s was already checked in.") % {"name": name}}
                if done.already
                else {"ok": _("%(name)s is checked in.") % {"name": name}}
            )
            form = CheckinForm()
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "events/checkin.html",
        {
            "event": item,
            "session": session,
            "form": form,
            "present": selectors.present_count(session),
            **result,
        },
        status=status,
    )


@staff_required
def staff_pass(request: HttpRequest, code: str) -> HttpResponse:
    """Where a pass's QR code leads the organiser's phone: who it is, and a check-in button per
    session of that event."""
    registration = selectors.pass_by_code(code)
    item = registration.event
    require(request.user, Action.EVENTS_CHECKIN, item, request)
    return render(
        request,
        "events/staff_pass.html",
        {
            "registration": registration,
            "event": item,
            "sessions": list(item.sessions.all()),
            "code": registration.checkin_code,
            "name": selectors.visible_name(registration, request.user),
        },
    )


@staff_required
def staff_door_list(request: HttpRequest, pk: int) -> HttpResponse:
    item = _staff_event(request, pk, Action.EVENTS_CHECKIN)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 Persian only with a byte-order mark
    writer = csv.writer(buffer)
    writer.writerows(selectors.door_list(item, request.user))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="door-list-{item.pk}.csv"'
    return response


@staff_required
@require_POST
def staff_certify(request: HttpRequest, pk: int) -> HttpResponse:
    item = _staff_event(request, pk, Action.EVENTS_CERTIFY)
    reg_pk = request.POST.get("registration")
    try:
        if reg_pk:
            services.issue_certificate(request.user, _registration(item, int(reg_pk)), request)
            messages.success(request, _("The certificate was issued."))
        else:
            made = services.issue_certificates(request.user, item, request)
            messages.success(
                request, _("%(n)s certificates were issued.") % {"n": _digits(len(made))}
            )
    except services.NotEligible as error:
        return render(
            request,
            "events/staff_event.html",
            _manage_context(request, item, error=error.message),
            status=error.status,
        )
    return redirect("events:staff_event", pk=item.pk)


@staff_required
@require_POST
def staff_revoke(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        raise Http404(_("No such certificate."))
    item = certificate.registration.event
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the certificate is revoked."))
        return redirect("events:staff_event", pk=item.pk)
    try:
        services.revoke_certificate(
            request.user, certificate, reason=form.cleaned_data["reason"], request=request
        )
    except PermissionDenied:
        raise
    messages.success(request, _("The certificate was revoked."))
    return redirect("events:staff_event", pk=item.pk)


@staff_required
def staff_figures(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    require(request.user, Action.EVENTS_MANAGE, office, request)
    this_year = to_jalali_parts(timezone.localdate())[0]
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    if not 1380 <= year <= 1500:
        year = this_year
    start, end = selectors.jalali_year_span(year)
    by_office = selectors.training_hours_by_office(start, end)
    offices = {o.pk: o for o, _depth in network.office_tree()}
    office_rows = sorted(
        (
            (offices[pk], hours)
            for pk, hours in by_office.items()
            if pk in offices and offices[pk].path.startswith(office.path)
        ),
        key=lambda pair: -pair[1],
    )
    return render(
        request,
        "events/figures.html",
        {
            "office": office,
            "year": year,
            "people": selectors.training_hours_by_person(start, end, office),
            "office_rows": office_rows,
            "events": selectors.attendance_figures(list(selectors.events_of_office(office))),
        },
    )


# ----------------------------------------------------------------------------- calendar, PDF


def series_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole programme as a calendar (cancelled events marked so)."""
    programme = selectors.series_by_slug(slug)
    body = ics.calendar(
        [notices.calendar_entry(e) for e in selectors.programme(programme)],
        name=programme.title_fa,
    )
    return ics.response(body, f"{programme.slug}.ics")


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.event_by_pk(pk)
    return ics.response(ics.calendar([notices.calendar_entry(item)]), f"event-{item.pk}.ics")


@staff_required
def staff_certificates_zip(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """Every certificate of the event in one zip (revoked ones left out)."""
    item = _staff_event(request, pk, Action.EVENTS_CERTIFY)
    response = StreamingHttpResponse(
        certificates.stream_zip(selectors.certificates_of(item), base_url=_verify_base()),
        content_type="application/zip",
    )
    response["Content-Disposition"] = f'attachment; filename="certificates-{item.pk}.zip"'
    return response


@staff_required
def staff_certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        raise Http404(_("No such certificate."))
    require(request.user, Action.EVENTS_CERTIFY, certificate.registration.event, request)
    data = certificates.render(certificate, base_url=_verify_base())
    return pdf.response(data, f"certificate-{certificate.code}.pdf")


def _verify_base() -> str:
    from django.conf import settings

    return settings.SITE_URL
