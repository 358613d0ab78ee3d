"""The client's address, the one way every part of the system reads it (login throttling, API
throttling, logs).

Behind nginx every request comes from nginx's address, so the real client is in
X-Forwarded-For. That header is written by whoever sends the request, so it is believed only
when the request really comes from a configured trusted proxy (settings.OCOP_TRUSTED_PROXIES),
and then only the part appended by trusted proxies: the list is read from the right, skipping
trusted proxies, and the first address that is not one of them is the client."""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def parse_address(text: str) -> str | None:
    """A bare IP address from a header item ("1.2.3.4", "1.2.3.4:5678", "[::1]:80"), or None."""
    text = text.strip()
    if text.startswith("["):  # [IPv6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4:port
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def is_trusted_proxy(address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(getattr(settings, "OCOP_TRUSTED_PROXIES", ()))))


def client_ip(request) -> str | None:
    """The address of the client that sent this request (see the module's docstring)."""
    remote = parse_address(request.META.get("REMOTE_ADDR", "") or "")
    if not is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [parse_address(item) for item in forwarded.split(",")] if forwarded else []
    for hop in reversed(hops):
        if hop is None:
            # Garbage in the chain: nothing to the left of it can be believed.
            return remote
        if not is_trusted_proxy(hop):
            return hop
    # Only proxies in the chain (or no header): the last one is the best we know.
    return hops[0] if hops else remote
