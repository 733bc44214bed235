"""Token authentication: django-rest-knox's expiring per-sign-in tokens, stored only as digests."""

import binascii
from hmac import compare_digest

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions


class ExpiringTokenAuthentication(TokenAuthentication):
    """Knox's scheme; a header that is not UTF-8 is an invalid token (401), not a server error.

    Knox's own lookup, with one statement less per request: knox reads all the user's other tokens on every request
    to delete the expired ones; here the token's query says (EXISTS) whether the user has any such token, and they
    are read and deleted as knox does only then."""

    def authenticate_credentials(self, token):
        try:
            token = token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ."))
        model = get_token_model()
        others_expired = (
            model.objects.filter(user_id=OuterRef("user_id"), expiry__lt=timezone.now())
            .exclude(digest=OuterRef("digest"))
            .values("pk")
        )
        candidates = (
            model.objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user")
            .annotate(others_expired=Exists(others_expired))
        )
        for auth_token in candidates:
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ."))
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ."))

    def _cleanup_token(self, auth_token):
        if getattr(auth_token, "others_expired", True):
            return super()._cleanup_token(auth_token)
        # knox's check of the token itself (the user has no other expired token to delete)
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False
