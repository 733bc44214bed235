"""API tokens: issue one per sign-in (per client) with an expiry, and end them. Each change is audited.

Tokens are django-rest-knox rows (only a digest of the token is stored). They end on logout, on logout-all, when the
user's password changes and when one of the user's roles is revoked (api.receivers).
"""

from django.db import transaction
from knox.models import get_token_model

from audit.services import chain_for, event_build, event_record, events_append_bulk


@transaction.atomic
def token_issue(*, user, client=""):
    """Create a new token for `user` and return (instance, token string); the sign-in is audited."""
    instance, token = get_token_model().objects.create(user=user)
    event_record(
        action="security.token_issued",
        actor=user,
        chain=chain_for(user_id=user.pk),
        data={"client": client, "token_key": instance.token_key, "expiry": instance.expiry.isoformat()},
    )
    return instance, token


@transaction.atomic
def tokens_revoke(*, user, reason, token=None, actor=None):
    """End one token of `user` (`token`) or all of them; return how many ended. Audited when any ended."""
    tokens = get_token_model().objects.filter(user=user)
    if token is not None:
        tokens = tokens.filter(pk=token.pk)
    keys = sorted(tokens.values_list("token_key", flat=True))
    if not keys:
        return 0
    tokens.delete()
    event_record(
        action="security.token_revoked",
        actor=actor if actor is not None else user,
        chain=chain_for(user_id=user.pk),
        data={"reason": reason, "count": len(keys), "token_keys": keys},
    )
    return len(keys)


@transaction.atomic
def tokens_revoke_bulk(*, users, reason, actor=None):
    """End all the tokens of each of `users`, as tokens_revoke would user by user (one event per user who had
    any), in three statements; return how many ended."""
    users = {user.pk: user for user in users}
    keys = {}
    for user_id, key in (
        get_token_model()
        .objects.filter(user_id__in=list(users))
        .order_by("token_key")
        .values_list("user_id", "token_key")
    ):
        keys.setdefault(user_id, []).append(key)
    if not keys:
        return 0
    get_token_model().objects.filter(user_id__in=list(keys)).delete()
    events_append_bulk(
        event_build(
            action="security.token_revoked",
            actor=actor if actor is not None else users[user_id],
            chain=chain_for(user_id=user_id),
            data={"reason": reason, "count": len(user_keys), "token_keys": user_keys},
        )
        for user_id, user_keys in keys.items()
    )
    return sum(len(user_keys) for user_keys in keys.values())
