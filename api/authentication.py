"""Token authentication: django-rest-knox's expiring per-sign-in tokens, stored only as digests."""

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions


class ExpiringTokenAuthentication(TokenAuthentication):
    """Knox's scheme; a header that is not UTF-8 is an invalid token (401), not a server error."""

    def authenticate_credentials(self, token):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ."))
        return super().authenticate_credentials(token)
