"""The public search page: a GET form that works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ravabet.network import selectors as network
from ravabet.network.ratelimit import rate_limited
from ravabet.network.replica import reads_from_replica
from ravabet.network.text import strip_controls

from . import selectors
from .forms import SearchForm


def _groups() -> list[tuple[str, str]]:
    groups = cache.get("search:groups")
    if groups is None:
        groups = selectors.groups()
        cache.set("search:groups", groups, 300)
    return groups


@rate_limited("search", limit=60, window=60, methods=("GET",))
@reads_from_replica
def results(request: HttpRequest) -> HttpResponse:
    # Invisible characters (bidi marks, C1) are dropped; C0 ones never get here (network/edge.py).
    # dict(): each parameter's last value, as items() gives it (the stubs type items() wider).
    typed = {name: strip_controls(value) for name, value in request.GET.dict().items()}
    form = SearchForm(typed or None)
    page = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            data: dict[str, Any] = form.cleaned_data
            # «کد خبر ۱۰۰۱» opens the item itself when exactly one document has the code.
            if target := selectors.code_match(data["q"], user=request.user):
                return redirect(target)
            page = selectors.search(
                data["q"],
                user=request.user,
                office=data["office"],
                group=data["group"],
                tag=data["tag"],
                date_from=data["date_from"],
                date_to=data["date_to"],
                language=data["language"],
                sort=data["sort"] or "relevance",
                page=data["page"] or 1,
            )
        else:
            status = 400
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "page": page,
            "offices": network.active_offices(),
            "groups": _groups(),
            "base_query": params.urlencode(),
            "quick_links": network.quick_links(None),
        },
        status=status,
    )
