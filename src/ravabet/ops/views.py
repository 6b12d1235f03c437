"""`/metrics` for Prometheus: a bearer token, or an address in RAVABET_METRICS_ALLOW."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from ravabet.network.clientaddr import client_address


def _allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "RAVABET_METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].strip(), token):
        return True
    address = client_address(request)
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in getattr(settings, "RAVABET_METRICS_ALLOW", []):
        if ip in ipaddress.ip_network(entry, strict=False):
            return True
    return False


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse(
            "دسترسی ممنوع / forbidden: send the metrics token, or scrape from an allowed address\n",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    from . import metrics as registry

    return HttpResponse(registry.render(), content_type=registry.CONTENT_TYPE_LATEST)
