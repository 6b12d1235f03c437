"""Who is asking: the one place that reads a request's client address.

Behind nginx the direct peer (`REMOTE_ADDR`) is the proxy, so every reader would be one client
(one rate-limit budget; one axes lockout for everyone). `X-Forwarded-For` names the real client,
but anyone can send that header, so it is believed only when the direct peer is one of the
configured trusted proxies (`RAVABET_TRUSTED_PROXIES`: addresses or CIDR ranges). The header is
then read from the right: each trusted hop appended its peer, and the first address that is not
a trusted proxy is the client (anything further left was written by the client and is not
believed). With no trusted proxies configured the header is ignored and `REMOTE_ADDR` is used.

Addresses are stored and compared as keyed hashes (`address_hash`: an HMAC under the secret
key); a bare hash of an IPv4 address is reversed by trying all 2³² of them.

Nothing else in the code reads `REMOTE_ADDR` (tools/ and docs/decisions.md, "Client addresses").
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
UNKNOWN = "unknown"


@functools.cache
def _parse_networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def trusted_networks() -> tuple[IPNetwork, ...]:
    """The trusted proxies from the settings (`RAVABET_TRUSTED_PROXIES`), parsed once."""
    return _parse_networks(tuple(getattr(settings, "RAVABET_TRUSTED_PROXIES", ()) or ()))


def _address(text: str) -> IPAddress | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:5123"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's address as text, or None when the request carries no usable one."""
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in (part.strip() for part in forwarded.split(",")) if hop]
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: the last good one (a trusted proxy's peer) is the client
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


def address_hash(address: str | None, *, size: int = 24) -> str:
    """A keyed hash of an address (HMAC under the secret key), `size` hex characters."""
    key = hashlib.sha256(f"ravabet.clientaddr|{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, (address or UNKNOWN).encode(), hashlib.sha256).hexdigest()[:size]


def client_hash(request: HttpRequest) -> str:
    """The client as a keyed hash: for rate limits, replay guards and flood checks."""
    return address_hash(client_address(request))


def axes_client_ip(request: HttpRequest) -> str | None:
    """django-axes' client address (`AXES_CLIENT_IP_CALLABLE`): the real client, not the proxy."""
    return client_address(request)
