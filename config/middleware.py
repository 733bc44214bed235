"""Absolute session timeout: a login lasts at most SESSION_ABSOLUTE_HOURS, however active the user is.

The idle timeout needs no code (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST). Each login stamps the session
with its time (`user_logged_in`, so signing in again starts a new period); this middleware stamps sessions that
predate it and logs the user out once the stamp is older than the limit; the next page then asks for a login as for
any anonymous visitor.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SESSION_KEY = "_login_at"


@receiver(user_logged_in, dispatch_uid="session_login_stamp")
def _stamp_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = int(time.time())


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
