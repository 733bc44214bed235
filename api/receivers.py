"""End a user's API tokens when their password changes or one of their roles is revoked."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver

from api.tokens import tokens_revoke, tokens_revoke_bulk
from organisation.signals import membership_revoked, memberships_revoked


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api_tokens_end_on_password_change")
def _password_changed(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return  # e.g. last_login on every sign-in: no extra query
    stored = get_user_model().objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        tokens_revoke(user=instance, reason="password_changed")


@receiver(membership_revoked, dispatch_uid="api_tokens_end_on_role_revoke")
def _role_revoked(sender, user, unit, role, revoked_by=None, **kwargs):
    tokens_revoke(user=user, reason="role_revoked", actor=revoked_by)


@receiver(memberships_revoked, dispatch_uid="api_tokens_end_on_roles_revoke")
def _roles_revoked(sender, revocations, revoked_by=None, **kwargs):
    tokens_revoke_bulk(
        users=[user for user, _unit, _role in revocations], reason="role_revoked", actor=revoked_by
    )
