"""Where the current request, task or command comes from, so events can record their origin."""

import contextvars
import ipaddress
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Origin:
    channel: str = "system"
    ip: str | None = None
    user_agent: str = ""


_current = contextvars.ContextVar("audit_origin", default=Origin())  # noqa: B039 (frozen dataclass)


def current_origin():
    return _current.get()


@contextmanager
def origin(channel, ip=None, user_agent=""):
    token = _current.set(Origin(channel=channel, ip=ip, user_agent=(user_agent or "")[:300]))
    try:
        yield
    finally:
        _current.reset(token)


def client_address(request):
    """Return the client's address: REMOTE_ADDR, or with `TRUSTED_PROXY_COUNT` proxies in front the X-Forwarded-For
    entry appended by the outermost trusted proxy (entries further left are whatever the client sent).

    django-axes (`AXES_CLIENT_IP_CALLABLE`) and the audit origin use this; DRF's `NUM_PROXIES` picks the same entry.
    A header with fewer entries than proxies, or an entry that is not an address, falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not count:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def origin_from_request(request, channel="web"):
    return Origin(
        channel=channel, ip=client_address(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300]
    )


def set_origin(value):
    return _current.set(value)


def reset_origin(token):
    _current.reset(token)
