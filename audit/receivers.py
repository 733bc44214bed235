"""Security events: login, logout, failed login, lockout."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.services import chain_for, event_record


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    event_record(action="security.login", actor=user, chain=chain_for(user_id=user.pk))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        event_record(action="security.logout", actor=user, chain=chain_for(user_id=user.pk))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    event_record(
        action="security.login_failed", chain="security", data={"username": credentials.get("username", "")}
    )


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    event_record(
        action="security.lockout", chain="security", data={"username": username or "", "ip": ip_address}
    )
