"""Thin views of the evaluation: public honours and methodology, the DG's overview, evaluators'
marking and audit queues, and each office's private card with its right of reply."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ravabet.network import selectors as network
from ravabet.network.auth import staff_required
from ravabet.network.permissions import Action, may
from ravabet.network.services import require

from . import charts, exports, selectors, services
from .forms import AuditForm, EvidenceForm, MarkForm, OpenPeriodForm, ReplyForm, WeightForm
from .models import Kind, Period


def _refused(request: HttpRequest, error: services.EvaluationError) -> HttpResponse:
    return render(
        request, "evaluation/refused.html", {"message": error.message}, status=error.status
    )


# ----------------------------------------------------------------------------- public


def public_index(request: HttpRequest) -> HttpResponse:
    published = list(selectors.published_periods()[:24])
    latest = published[0] if published else None
    return render(
        request,
        "evaluation/public.html",
        {
            "period": latest,
            "groups": selectors.public_results(latest) if latest else [],
            "periods": published,
        },
    )


def public_period(request: HttpRequest, key: str) -> HttpResponse:
    period = selectors.period_by_key(key, published=True)
    return render(
        request,
        "evaluation/public.html",
        {
            "period": period,
            "groups": selectors.public_results(period),
            "periods": list(selectors.published_periods()[:24]),
        },
    )


def methodology(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("version", "")
    version = (
        selectors.version_by_number(int(number)) if number.isdigit() else selectors.version_in_use()
    )
    return render(
        request,
        "evaluation/methodology.html",
        {
            "version": version,
            "sections": selectors.criteria_tree(version),
            "versions": list(selectors.versions()),
        },
    )


# ----------------------------------------------------------------------------- director-general


def _manage(request: HttpRequest, period: Period | None = None) -> None:
    target = period.scope if period is not None else selectors.network_root()
    require(request.user, Action.EVALUATION_MANAGE, target, request)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_index(request: HttpRequest) -> HttpResponse:
    root = selectors.network_root()
    manages = may(request.user, Action.EVALUATION_MANAGE, root)
    evaluator = selectors.is_evaluator(request.user)
    form = OpenPeriodForm(request.POST or None, scopes=selectors.scopes_for(request.user))
    status = 200
    if request.method == "POST":
        if not manages:
            _manage(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                period = services.open_period(
                    request.user,
                    year=data["year"],
                    month=data["month"],
                    reply_days=data["reply_days"],
                    scope=data["scope"],
                    request=request,
                )
            except services.EvaluationError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("The period is open; measured scores are marked."))
                return redirect("evaluation:overview", key=period.key)
        else:
            status = 400
    return render(
        request,
        "evaluation/staff_index.html",
        {
            "form": form if manages else None,
            "manages": manages,
            "evaluator": evaluator,
            "periods": list(selectors.periods()[:36]) if manages or evaluator else [],
            "versions": list(selectors.versions()) if manages else [],
            "cards": selectors.cards_for(request.user),
            "evaluators": selectors.evaluators() if manages else [],
        },
        status=status,
    )


@staff_required
@require_POST
def evaluators(request: HttpRequest) -> HttpResponse:
    """Appoint (or release) a member of the evaluation working group, by user name."""
    _manage(request)
    user = network.active_user(request.POST.get("username", "").strip())
    if user is None:
        return _refused(request, services.EvaluationError(_("No such staff user."), status=404))
    services.appoint_evaluator(request.user, user, active=request.POST.get("active") != "0",
                               request=request)  # fmt: skip
    messages.success(request, _("The evaluation group was updated."))
    return redirect("evaluation:staff")


@staff_required
def overview(request: HttpRequest, key: str) -> HttpResponse:
    period = selectors.period_by_key(key)
    _manage(request, period)
    found = selectors.overview(period)
    return render(
        request,
        "evaluation/overview.html",
        {
            "period": period,
            "overview": found,
            "tiers_chart": charts.tiers_by_group(found.groups),
            "histogram_chart": charts.histogram(found.histogram),
        },
    )


@staff_required
@require_POST
def advance(request: HttpRequest, key: str) -> HttpResponse:
    period = selectors.period_by_key(key)
    step = {
        Period.Stage.MARKING: services.open_replies,
        Period.Stage.REPLY: services.start_audit,
        Period.Stage.AUDIT: services.publish,
    }.get(Period.Stage(period.stage))
    if step is None:
        return _refused(request, services.EvaluationError(_("This period is published.")))
    try:
        step(request.user, period, request)
    except services.EvaluationError as error:
        return _refused(request, error)
    messages.success(request, _("The period moved to its next stage."))
    return redirect("evaluation:overview", key=period.key)


@staff_required
def export_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    period = selectors.period_by_key(key)
    _manage(request, period)
    data = exports.workbook(period, selectors.overview(period), selectors.export_rows(period))
    response = HttpResponse(data, content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="evaluation-{period.key}.xlsx"'
    return response


@staff_required
def export_pdf(request: HttpRequest, key: str) -> HttpResponse:
    from ravabet.network import pdf

    period = selectors.period_by_key(key)
    _manage(request, period)
    found = selectors.overview(period)
    data = pdf.render(
        "evaluation/pdf/overview.html",
        {
            "period": period,
            "overview": found,
            "tiers_chart": charts.tiers_by_group(found.groups),
            "histogram_chart": charts.histogram(found.histogram),
        },
        language=getattr(request, "LANGUAGE_CODE", "fa") or "fa",
    )
    return pdf.response(data, f"evaluation-{period.key}.pdf")


@staff_required
def criteria(request: HttpRequest, number: int) -> HttpResponse:
    _manage(request)
    version = selectors.version_by_number(number)
    return render(
        request,
        "evaluation/criteria.html",
        {"version": version, "sections": selectors.criteria_tree(version)},
    )


@staff_required
@require_POST
def set_weight(request: HttpRequest, number: int, kind: str, pk: int) -> HttpResponse:
    _manage(request)
    version = selectors.version_by_number(number)
    item = selectors.section_by_id(pk) if kind == "section" else selectors.indicator_by_id(pk)
    form = WeightForm(request.POST)
    if not form.is_valid():
        return _refused(request, services.EvaluationError(_("A weight is between 0 and 100."),
                                                          status=400))  # fmt: skip
    try:
        services.set_weight(request.user, item, form.cleaned_data["weight"], request)
    except services.EvaluationError as error:
        return _refused(request, error)
    messages.success(request, _("The weight was saved."))
    return redirect("evaluation:criteria", number=version.number)


@staff_required
@require_POST
def copy_version(request: HttpRequest, number: int) -> HttpResponse:
    _manage(request)
    version = services.new_version(
        request.user, selectors.version_by_number(number), request.POST.get("note", ""), request
    )
    messages.success(request, _("A new version was made; it is used by the next period opened."))
    return redirect("evaluation:criteria", number=version.number)


# ----------------------------------------------------------------------------- evaluators


def _evaluator_only(request: HttpRequest) -> None:
    if not selectors.is_evaluator(request.user):
        raise PermissionDenied(_("Only members of the evaluation group mark and audit."))


@staff_required
@require_http_methods(["GET", "POST"])
def marking(request: HttpRequest, key: str, score_id: int | None = None) -> HttpResponse:
    period = selectors.period_by_key(key)
    _evaluator_only(request)
    bound: dict[int, MarkForm] = {}
    status = 200
    if request.method == "POST" and score_id is not None:
        score = selectors.score_in(period, score_id)
        form = MarkForm(request.POST, prefix=f"s{score.pk}")
        if form.is_valid():
            try:
                services.mark(request.user, score, form.cleaned_data["mark"],
                              form.cleaned_data["note"], request)  # fmt: skip
            except services.EvaluationError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("The mark was saved."))
                return redirect("evaluation:marking", key=period.key)
        else:
            status = 400
        bound[score.pk] = form
    rows = [
        (score, bound.get(score.pk) or MarkForm(prefix=f"s{score.pk}"))
        for score in selectors.pending_scores(period)
        if not selectors.is_own_office(request.user, score.office)
    ]
    return render(
        request, "evaluation/marking.html", {"period": period, "rows": rows}, status=status
    )


@staff_required
@require_http_methods(["GET", "POST"])
def auditing(request: HttpRequest, key: str, score_id: int | None = None) -> HttpResponse:
    period = selectors.period_by_key(key)
    _evaluator_only(request)
    bound: dict[int, AuditForm] = {}
    status = 200
    if request.method == "POST" and score_id is not None:
        score = selectors.score_in(period, score_id)
        form = AuditForm(request.POST, prefix=f"a{score.pk}")
        if form.is_valid():
            try:
                services.audit(request.user, score, rubric_mark=form.cleaned_data["mark"],
                               note=form.cleaned_data["note"], request=request)  # fmt: skip
            except services.EvaluationError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("The audit was saved."))
                return redirect("evaluation:auditing", key=period.key)
        else:
            status = 400
        bound[score.pk] = form
    rows = [
        (score, bound.get(score.pk) or AuditForm(prefix=f"a{score.pk}"))
        for score in selectors.scores_to_audit(period)
        if not selectors.is_own_office(request.user, score.office)
    ]
    return render(
        request, "evaluation/auditing.html", {"period": period, "rows": rows}, status=status
    )


# ----------------------------------------------------------------------------- the office


def _card_context(request: HttpRequest, office: Any, period: Period) -> dict[str, Any]:
    found = selectors.card(period, office)
    return {
        "office": office,
        "period": period,
        "card": found,
        "trend_chart": charts.trend(found.trend),
        "may_reply": may(request.user, Action.EVALUATION_REPLY, office),
        "replies_open": selectors.replies_open(period, found.result),
        "reply_forms": {},
        "evidence_forms": {},
        "Kind": Kind,
    }


@staff_required
def office_card(request: HttpRequest, office_slug: str, key: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    require(request.user, Action.EVALUATION_VIEW, office, request)
    period = selectors.period_for_office(key, office)
    return render(request, "evaluation/card.html", _card_context(request, office, period))


@staff_required
def office_card_pdf(request: HttpRequest, office_slug: str, key: str) -> HttpResponse:
    from ravabet.network import pdf

    office = network.office_by_slug(office_slug)
    require(request.user, Action.EVALUATION_VIEW, office, request)
    period = selectors.period_for_office(key, office)
    context = _card_context(request, office, period)
    data = pdf.render("evaluation/pdf/card.html", context,
                      language=getattr(request, "LANGUAGE_CODE", "fa") or "fa")  # fmt: skip
    return pdf.response(data, f"evaluation-{office.slug}-{period.key}.pdf")


@staff_required
@require_POST
def office_action(
    request: HttpRequest, office_slug: str, key: str, action: str, score_id: int | None = None
) -> HttpResponse:
    """Reply to a score, submit evidence, or say the office has finished replying."""
    office = network.office_by_slug(office_slug)
    require(request.user, Action.EVALUATION_REPLY, office, request)
    period = selectors.period_for_office(key, office)
    back = reverse("evaluation:card", kwargs={"office_slug": office.slug, "key": period.key})
    context = _card_context(request, office, period)
    try:
        if action == "close":
            services.close_replies(request.user, period, office, request)
            messages.success(request, _("Your replies were sent to the audit."))
            return redirect(back)
        score = selectors.score_in(period, score_id or 0)
        if score.office_id != office.pk:
            raise PermissionDenied
        if action == "evidence":
            form: Any = EvidenceForm(request.POST, prefix=f"e{score.pk}")
            context["evidence_forms"][score.pk] = form
            if form.is_valid():
                services.submit_evidence(request.user, score, form.cleaned_data["evidence"],
                                         request)  # fmt: skip
                messages.success(request, _("The evidence was submitted."))
                return redirect(back)
        else:
            form = ReplyForm(request.POST, prefix=f"r{score.pk}")
            context["reply_forms"][score.pk] = form
            if form.is_valid():
                data = form.cleaned_data
                services.reply(request.user, score, agrees=data["agrees"],
                               reasons=data["reasons"], evidence_url=data["evidence_url"],
                               request=request)  # fmt: skip
                messages.success(request, _("Your reply was saved."))
                return redirect(back)
        return render(request, "evaluation/card.html", context, status=400)
    except services.EvaluationError as error:
        if action == "close":
            return _refused(request, error)
        form.add_error(None, error.message)
        return render(request, "evaluation/card.html", context, status=error.status)
