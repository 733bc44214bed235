"""Absolute session timeout: a login lasts at most SESSION_ABSOLUTE_HOURS, however active the user is.

The idle timeout needs no code (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST). This middleware stamps the
session with the time it first sees the user authenticated and logs the user out once that stamp is older than the
limit; the next page then asks for a login as for any anonymous visitor.
"""

import time

from django.conf import settings
from django.contrib.auth import logout

SESSION_KEY = "_login_at"


class SessionAbsoluteTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            login_at = request.session.get(SESSION_KEY)
            if login_at is None:
                request.session[SESSION_KEY] = now
            elif now - login_at >= settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)  # flushes the session; request.user becomes AnonymousUser
        return self.get_response(request)
