"""Staff sign-in (password, then a TOTP code), office members and the office's audit log."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, user_login_failed
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from . import audit, selectors, services
from .auth import (
    confirmed_totp_device,
    ensure_totp_device,
    pending_user,
    seconds_until_next_code,
    staff_required,
)
from .forms import AuditFilterForm, GrantRoleForm, SignInForm, TokenForm
from .models import Membership
from .permissions import Action
from .text import to_persian_digits

PENDING = "ravabet_pending_user"
NEXT = "ravabet_next"


def _safe_next(request: HttpRequest, value: str | None) -> str | None:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step one: user name and password. A locked-out client gets 429 from django-axes."""
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return render(request, "network/locked_out.html", status=429)
        if user is None:
            form.add_error(None, _("User name or password is wrong."))
        else:
            request.session.cycle_key()
            request.session[PENDING] = user.pk
            request.session[NEXT] = _safe_next(request, request.GET.get("next"))
            return redirect("network:verify")
    status = 400 if request.method == "POST" else 200
    return render(request, "network/sign_in.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the authenticator app; enrols the app on first sign-in."""
    user = pending_user(request)
    if user is None:
        return redirect("network:login")
    device = confirmed_totp_device(user)
    enrolling = device is None
    if enrolling:
        device = ensure_totp_device(user, confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            next_url = request.session.pop(NEXT, None)
            request.session.pop(PENDING, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            services.record(user, "auth.sign_in", request=request)
            return redirect(next_url or "portal:dashboard")
        # A wrong code counts toward the same lockout as a wrong password.
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        if getattr(request, "axes_locked_out", False):
            request.session.flush()
            return render(request, "network/locked_out.html", status=429)
        wait = seconds_until_next_code(device, form.cleaned_data["token"])
        if wait is not None:
            persian = (get_language() or "").startswith("fa")
            form.add_error(
                "token",
                _(
                    "This code has already been used to sign in; each code works once. Wait for "
                    "the next code in your app (about %(seconds)s seconds) and enter that one."
                )
                % {"seconds": to_persian_digits(wait) if persian else wait},
            )
        else:
            form.add_error("token", _("The code is wrong or has expired."))
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["otp_uri"] = device.config_url
        context["otp_qr"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
    status = 400 if request.method == "POST" else 200
    return render(request, "network/verify.html", context, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.record(request.user, "auth.sign_out", request=request)
    logout(request)
    return redirect("portal:province_home")


@staff_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = selectors.office_by_slug(office_slug)
    services.require(request.user, Action.OFFICE_MEMBERS, office, request)
    form = GrantRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.grant_role(
            request.user,
            form.cleaned_data["username"],
            office,
            form.cleaned_data["role"],
            request=request,
        )
        messages.success(request, _("The role was granted."))
        return redirect("network:members", office_slug=office.slug)
    return render(
        request,
        "network/members.html",
        {"office": office, "members": selectors.members_of(office), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def revoke(request: HttpRequest, office_slug: str, membership_id: int) -> HttpResponse:
    office = selectors.office_by_slug(office_slug)
    membership = get_object_or_404(Membership, pk=membership_id, office=office)
    services.revoke_role(request.user, membership, request=request)
    messages.success(request, _("The role was revoked."))
    return redirect("network:members", office_slug=office.slug)


@staff_required
def audit_log(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = selectors.office_by_slug(office_slug)
    services.require(request.user, Action.AUDIT_VIEW, office, request)
    include_subtree = request.GET.get("subtree") in ("1", "on")
    form = AuditFilterForm(
        request.GET or None,
        people=selectors.audit_people(office, include_subtree=include_subtree),
        actions=audit.action_choices(),
    )
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {
            "actor_id": form.cleaned_data["person"],
            "action": form.cleaned_data["action"],
            "since": form.cleaned_data["since"],
            "before": form.cleaned_data["until"],
        }
    events = selectors.audit_events(office, include_subtree=include_subtree, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    named = audit.people_in(list(page))
    rows = [
        {
            "event": e,
            "label": audit.action_label(e.action),
            "who": (e.actor.get_full_name() if e.actor else "") or e.actor_name,
            "changes": audit.changes_of(e.changes, named),
        }
        for e in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/audit_log.html",
        {
            "office": office,
            "page": page,
            "rows": rows,
            "form": form,
            "query": query.urlencode(),
            "include_subtree": include_subtree,
        },
        status=422 if form.is_bound and not form.is_valid() else 200,
    )
