"""The moderation queue of an office: filter, sort, bulk decisions, edit, answer as the office."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ravabet.network import selectors as network
from ravabet.network.auth import staff_required
from ravabet.network.paging import page_number
from ravabet.network.permissions import Action, may
from ravabet.network.services import require

from . import selectors, services, targets
from .forms import RejectForm, TextForm
from .models import Comment
from .policy import Reason


def _ids(request: HttpRequest) -> list[int]:
    ids = []
    for value in request.POST.getlist("ids"):
        if value.isdigit():
            ids.append(int(value))
    return ids


QUEUE_PAGE = 50


@staff_required
def queue(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    require(request.user, Action.COMMENTS_MODERATE, office, request)
    sort = request.GET.get("sort", "newest")
    sort = sort if sort in selectors.SORTS else "newest"
    label = request.GET.get("label", "")
    status = request.GET.get("status", Comment.Status.PENDING)
    reject_form = RejectForm(request.POST or None)
    status_code = 200
    if request.method == "POST":
        ids = _ids(request)
        rows = selectors.by_ids(office, ids)
        action = request.POST.get("action")
        if not rows:
            messages.error(request, _("Select at least one comment."))
            status_code = 400
        elif action == "approve":
            count = services.approve(request.user, rows, request)
            messages.success(
                request,
                ngettext("%(n)s comment published.", "%(n)s comments published.", count)
                % {"n": count},
            )
            return redirect(request.get_full_path())
        elif action == "reject" and reject_form.is_valid():
            try:
                count = services.reject(
                    request.user,
                    rows,
                    reject_form.cleaned_data["reason"],
                    reject_form.cleaned_data["note"],
                    request,
                )
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
                status_code = 422
            else:
                messages.success(
                    request,
                    ngettext("%(n)s comment rejected.", "%(n)s comments rejected.", count)
                    % {"n": count},
                )
                return redirect(request.get_full_path())
        else:
            messages.error(request, _("Choose what to do with the selected comments."))
            status_code = 400
    page = page_number(request)
    start = (page - 1) * QUEUE_PAGE
    rows = list(
        selectors.queue(office, status=status, sort=sort, label=label)[
            start : start + QUEUE_PAGE + 1
        ]
    )
    query = urlencode({"status": status, "label": label, "sort": sort})
    return render(
        request,
        "comments/staff/queue.html",
        {
            "desk_office": office,
            "rows": rows[:QUEUE_PAGE],
            "page": page,
            "has_next": len(rows) > QUEUE_PAGE,
            "query": query,
            "sort": sort,
            "label": label,
            "status": status,
            "statuses": [
                *Comment.Status.choices,
                (selectors.REPORTED, _("Published and reported by readers")),
            ],
            "reasons": Reason.choices,
            "reject_form": reject_form,
            "figures": selectors.responsiveness(office),
            "auto_reject": services.auto_reject_enabled(office),
        },
        status=status_code,
    )


@staff_required
@require_POST
def settings_view(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    services.set_auto_reject(request.user, office, request.POST.get("auto_reject") == "on", request)
    messages.success(request, _("Settings saved."))
    return redirect("comments:queue", office.slug)


@staff_required
def detail(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    require(request.user, Action.COMMENTS_MODERATE, office, request)
    comment = selectors.comment(pk)
    if comment.office_id != office.pk or comment.is_official:
        raise Http404(_("There is no such comment in this office."))
    edit_form = TextForm(initial={"text": comment.text}, prefix="edit")
    reply_form = TextForm(prefix="reply")
    reject_form = RejectForm()
    status_code = 200
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "edit":
                edit_form = TextForm(request.POST, prefix="edit")
                if edit_form.is_valid():
                    services.edit(request.user, comment, edit_form.cleaned_data["text"], request)
                    messages.success(request, _("The edit was saved and recorded."))
                    return redirect(request.path)
            elif op == "reply":
                reply_form = TextForm(request.POST, prefix="reply")
                if reply_form.is_valid():
                    services.reply_as_office(
                        request.user, comment, reply_form.cleaned_data["text"], request
                    )
                    messages.success(request, _("The office's answer is published."))
                    return redirect(request.path)
            elif op == "approve":
                services.approve(request.user, [comment], request)
                messages.success(request, _("The comment is published."))
                return redirect(request.path)
            elif op == "reject":
                reject_form = RejectForm(request.POST)
                if reject_form.is_valid():
                    services.reject(
                        request.user,
                        [comment],
                        reject_form.cleaned_data["reason"],
                        reject_form.cleaned_data["note"],
                        request,
                    )
                    messages.success(request, _("The comment is rejected."))
                    return redirect(request.path)
            elif op == "wrong":
                if services.mark_label_wrong(
                    request.user, comment, request.POST.get("label", ""), request
                ):
                    messages.success(
                        request, _("Thank you: the mark is kept to improve the triage.")
                    )
                else:
                    messages.info(request, _("This label is already marked wrong."))
                return redirect(request.path)
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        status_code = 422
    target = targets.resolve(comment.target_kind, comment.target_key)
    return render(
        request,
        "comments/staff/detail.html",
        {
            "desk_office": office,
            "comment": comment,
            "target": target,
            "marked": set(comment.marks.values_list("label", flat=True)),
            "replies": list(comment.replies.order_by("created_at")),
            "edit_form": edit_form,
            "reply_form": reply_form,
            "reject_form": reject_form,
            "can_reply": may(request.user, Action.COMMENTS_REPLY, office),
            "reasons": dict(Reason.choices),
        },
        status=status_code,
    )
