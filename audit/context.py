"""Where the current request, task or command comes from, so events can record their origin."""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    channel: str = "system"
    ip: str | None = None
    user_agent: str = ""


_current = contextvars.ContextVar("audit_origin", default=Origin())  # noqa: B039  (Origin is frozen)


def current_origin():
    return _current.get()


@contextmanager
def origin(channel, ip=None, user_agent=""):
    token = _current.set(Origin(channel=channel, ip=ip, user_agent=(user_agent or "")[:300]))
    try:
        yield
    finally:
        _current.reset(token)


def origin_from_request(request, channel="web"):
    ip = request.META.get("REMOTE_ADDR") or None
    return Origin(channel=channel, ip=ip, user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])


def set_origin(value):
    return _current.set(value)


def reset_origin(token):
    _current.reset(token)
