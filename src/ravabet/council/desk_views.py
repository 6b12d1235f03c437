"""Staff pages of the council's desks: the secretary's desk, an office's "our decisions", and the
one-click news draft from a held meeting. Thin: reads through `selectors`, writes through
`services_public`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ravabet.network import selectors as network
from ravabet.network.auth import staff_required
from ravabet.network.permissions import Action
from ravabet.network.services import require
from ravabet.network.text import to_persian_digits

from . import selectors, services_public


@staff_required
def desk(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "council/desk/secretary.html",
        {"desk": selectors.secretary_desk(request.user)},
    )


@staff_required
def office_decisions(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    require(request.user, Action.COUNCIL_REPORT, office, request)
    return render(
        request,
        "council/desk/office_decisions.html",
        {"office": office, "mine": selectors.office_decisions(office)},
    )


@staff_required
@require_POST
def news_draft(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_news(pk)
    try:
        result = services_public.draft_news_from_meeting(request.user, meeting, request)
    except ValidationError as exc:
        return render(
            request,
            "council/desk/refused.html",
            {"message": " ".join(exc.messages), "meeting": meeting},
            status=409,
        )
    code = str(result.item.code)
    shown = code if request.LANGUAGE_CODE.startswith("en") else to_persian_digits(code)
    if result.created:
        messages.success(
            request,
            _(
                "Draft news item %(code)s made in the host office's newsroom; it goes through "
                "the newsroom's normal review."
            )
            % {"code": shown},
        )
    else:
        messages.info(
            request,
            _("This meeting's news draft was made before: item %(code)s.") % {"code": shown},
        )
    return redirect("news_staff:edit", code=result.item.code)
