"""Staff sign-in (password, then a TOTP code), office members and the office's audit log."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from . import audit, clientaddr, counters, enrolment, selectors, services
from .auth import (
    confirmed_totp_device,
    ensure_totp_device,
    pending_user,
    seconds_until_next_code,
    staff_required,
)
from .forms import (
    AuditFilterForm,
    ChildOfficeForm,
    GrantRoleForm,
    MoveOfficeForm,
    RenameOfficeForm,
    SignInForm,
    TokenForm,
)
from .models import Membership, Office
from .paging import page_number
from .permissions import Action
from .ratelimit import too_many_requests
from .text import to_persian_digits

PENDING = "ravabet_pending_user"
NEXT = "ravabet_next"
ENROL = "ravabet_enrol_user"  # the account whose enrolment link this browser opened


def _safe_next(request: HttpRequest, value: str | None) -> str | None:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


def _spraying(request: HttpRequest) -> bool:
    """Too many failed sign-ins from this address, whatever the user names (password spraying:
    axes locks one name per address, so a sprayer trying one password on many names is
    stopped here)."""
    limit = settings.RAVABET_SIGN_IN_FAILURES_PER_ADDRESS
    client = clientaddr.client_hash(request)
    return counters.current("sign-in-failed", client, window=3600) >= limit


def _count_failure(request: HttpRequest) -> None:
    counters.hit("sign-in-failed", clientaddr.client_hash(request), window=3600)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step one: user name and password. A locked-out client gets 429 from django-axes; an
    address with too many failures across user names gets 429 here."""
    form = SignInForm(request.POST or None)
    if request.method == "POST" and _spraying(request):
        return too_many_requests(request, 3600)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return render(request, "network/locked_out.html", status=429)
        if user is None:
            _count_failure(request)
            form.add_error(None, _("User name or password is wrong."))
        elif confirmed_totp_device(user) is None and request.session.get(ENROL) != user.pk:
            # No authenticator yet: the password alone must not be enough to enrol one.
            services.record(user, "auth.enrol_refused", request=request, allowed=False)
            form.add_error(
                None,
                _(
                    "This account has no authenticator app yet. Open the one-time enrolment "
                    "link you were sent, or ask your office's PR manager for a new one."
                ),
            )
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
    if enrolling and request.session.get(ENROL) != user.pk:
        return redirect("network:login")  # enrolment only through the account's link
    if device is None:
        device = ensure_totp_device(user, confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            next_url = request.session.pop(NEXT, None)
            request.session.pop(PENDING, None)
            request.session.pop(ENROL, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            services.record(user, "auth.sign_in", request=request)
            return redirect(next_url or "portal:dashboard")
        # A wrong code counts toward the same lockout as a wrong password.
        _count_failure(request)
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


@never_cache
@require_http_methods(["GET"])
def enrol(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link of an account without an authenticator: then sign in and enrol."""
    user = enrolment.user_for_token(token)
    if user is None:
        return render(request, "network/enrol_invalid.html", status=410)
    request.session.cycle_key()
    request.session[ENROL] = user.pk
    services.record(user, "auth.enrol_link", request=request)
    messages.info(
        request,
        _("Sign in with your password; then set up your authenticator app."),
    )
    return redirect("network:login")


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


def _managed(request: HttpRequest, office_slug: str) -> Office:
    office = selectors.office_by_slug(office_slug)
    services.require(request.user, Action.OFFICE_EDIT, office, request)
    return office


@staff_required
@require_http_methods(["GET", "POST"])
def offices(request: HttpRequest, office_slug: str) -> HttpResponse:
    """The offices below the manager's own: the list, and a form to add one."""
    office = _managed(request, office_slug)
    tree = selectors.subtree(office).select_related("parent").order_by("path")
    form = ChildOfficeForm(request.POST or None, offices=tree)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = services.add_child_office(
                request.user,
                data["parent"],
                kind=data["kind"],
                slug=data["slug"],
                name_fa=data["name_fa"],
                name_en=data["name_en"],
                request=request,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The office was added."))
            return redirect("network:office_edit", office_slug=office.slug, child_slug=child.slug)
    return render(
        request,
        "network/offices.html",
        {"office": office, "tree": tree, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@staff_required
@require_http_methods(["GET", "POST"])
def office_edit(request: HttpRequest, office_slug: str, child_slug: str) -> HttpResponse:
    """Rename, move or deactivate one office of the manager's subtree."""
    office = _managed(request, office_slug)
    child = selectors.office_by_slug(child_slug)
    if not child.is_within(office):
        raise Http404(_("No office has this address."))
    targets = selectors.move_targets(office, child)
    action = request.POST.get("action") if request.method == "POST" else None
    rename = RenameOfficeForm(
        request.POST if action == "rename" else None,
        initial={"name_fa": child.name_fa, "name_en": child.name_en},
    )
    move = MoveOfficeForm(
        request.POST if action == "move" else None,
        offices=targets,
        initial={"parent": child.parent_id},
    )
    problem: ValidationError | None = None
    try:
        if action == "rename" and rename.is_valid():
            services.rename_office(request.user, child, request=request, **rename.cleaned_data)
            messages.success(request, _("The office was renamed."))
            return redirect("network:office_edit", office_slug=office.slug, child_slug=child.slug)
        if action == "move" and move.is_valid():
            services.move_office(request.user, child, move.cleaned_data["parent"], request)
            messages.success(request, _("The office was moved."))
            return redirect("network:office_edit", office_slug=office.slug, child_slug=child.slug)
        if action == "deactivate":
            services.deactivate_office(request.user, child, request)
            messages.success(request, _("The office was deactivated."))
            return redirect("network:offices", office_slug=office.slug)
    except ValidationError as error:
        problem = error
    return render(
        request,
        "network/office_edit.html",
        {
            "office": office,
            "child": child,
            "rename": rename,
            "move": move,
            "problem": problem.messages if problem is not None else [],
            "may_move": child != office,
        },
        status=400 if request.method == "POST" else 200,
    )


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
    page = Paginator(events, 50).get_page(page_number(request))
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


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, limited per address and per target email, with links built from
    RAVABET_SITE_URL (never from the request's Host header, which anyone can set).

    An address over its limit gets 429. An email over its limit gets the usual "sent" page but
    no further message: the page must not tell whether an account exists, and the owner's
    inbox must not be flooded.
    """

    template_name = "network/password_reset.html"
    email_template_name = "network/password_reset_email.txt"
    subject_template_name = "network/password_reset_subject.txt"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        per_address = settings.RAVABET_PASSWORD_RESETS_PER_ADDRESS
        client = clientaddr.client_hash(request)
        if counters.hit("password-reset-address", client, window=3600) > per_address:
            return too_many_requests(request, 3600)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        per_email = settings.RAVABET_PASSWORD_RESETS_PER_EMAIL
        if counters.hit("password-reset-email", clientaddr.address_hash(email), window=3600) > (
            per_email
        ):
            return redirect(self.get_success_url())
        site = urlsplit(settings.SITE_URL)
        self.domain_override = site.netloc
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)
