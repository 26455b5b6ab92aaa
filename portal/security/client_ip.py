"""The address of the person at the other end, as the lockout and the security log see it.

Behind a reverse proxy REMOTE_ADDR is the proxy's own address, so every visitor would share
one lockout; in front of no proxy, X-Forwarded-For is whatever the client chose to write. So
the header is believed only as far as the operator says proxies of their own append to it:
with TRUSTED_PROXY_COUNT=N, the N-th address from the right end is the one the outermost
trusted proxy saw. Anything to the left of it was written by the client and is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip_address(request: HttpRequest) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE, and the address the security log writes."""
    remote_addr = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        # The request did not come through every trusted proxy: only the peer address is known.
        return remote_addr
    return _valid_ip(forwarded[-proxies]) or remote_addr
