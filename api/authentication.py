"""Token authentication: django-rest-knox's expiring per-sign-in tokens, stored only as digests."""

import binascii
import functools
from hmac import compare_digest

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions


def _candidates(token_key):
    """The tokens with `token_key`, each with its user and `others_expired` (whether the user holds another token
    past its expiry): the ORM query below, or on PostgreSQL the same statement written once (`_candidates_sql`)
    instead of compiled again on every request."""
    model = get_token_model()
    if connection.vendor == "postgresql":
        return _candidates_read(model, token_key)
    others_expired = (
        model.objects.filter(user_id=OuterRef("user_id"), expiry__lt=timezone.now())
        .exclude(digest=OuterRef("digest"))
        .values("pk")
    )
    return (
        model.objects.filter(token_key=token_key)
        .select_related("user")
        .annotate(others_expired=Exists(others_expired))
    )


@functools.cache
def _candidates_sql(model):
    """SELECT the token's columns, its user's columns and EXISTS(another token of the user past its expiry)
    FROM the token table joined to the user table WHERE token_key = %s; the first parameter is now."""
    quote = connection.ops.quote_name
    token, user = model._meta, model._meta.get_field("user").related_model._meta
    columns = [f"t.{quote(field.column)}" for field in token.concrete_fields]
    columns += [f"u.{quote(field.column)}" for field in user.concrete_fields]
    user_id, expiry, digest = (quote(token.get_field(name).column) for name in ("user", "expiry", "digest"))
    return (
        f"SELECT {', '.join(columns)}, EXISTS(SELECT 1 FROM {quote(token.db_table)} o WHERE o.{user_id} = t.{user_id}"
        f" AND o.{expiry} < %s AND o.{digest} <> t.{digest}) FROM {quote(token.db_table)} t"
        f" INNER JOIN {quote(user.db_table)} u ON u.{quote(user.pk.column)} = t.{user_id}"
        f" WHERE t.{quote(token.get_field('token_key').column)} = %s"
    )


def _candidates_read(model, token_key):
    """Run `_candidates_sql` and build the tokens and their users as the ORM query would (PostgreSQL returns these
    columns as Python values, no converter applies)."""
    field = model._meta.get_field("user")
    user_model = field.related_model
    token_names = [f.attname for f in model._meta.concrete_fields]
    user_names = [f.attname for f in user_model._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(_candidates_sql(model), [timezone.now(), token_key])
        rows = cursor.fetchall()
    found = []
    for row in rows:
        auth_token = model.from_db(connection.alias, token_names, row[: len(token_names)])
        user = user_model.from_db(connection.alias, user_names, row[len(token_names) : -1])
        field.set_cached_value(auth_token, user)
        auth_token.others_expired = row[-1]
        found.append(auth_token)
    return found


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
        for auth_token in _candidates(token[: CONSTANTS.TOKEN_KEY_LENGTH]):
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
