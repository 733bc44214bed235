"""Celery tasks: thin wrappers that take ids and call services.

Every task is idempotent (the services check what is already done under a row lock), acknowledged late (a worker
killed mid-task leaves the message to be redelivered) and retried with exponential backoff on transient errors.
"""

import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from approvals import documents
from audit.anchor import anchor_write
from audit.context import Origin, reset_origin, set_origin
from nominations import services as nomination_services
from workflows import notifications, reminders
from workflows.steps import timers_fire_due

logger = logging.getLogger(__name__)

# Transient failures worth another try: database connection/lock trouble, network, SMTP.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError, smtplib.SMTPException)
RELIABLE = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "ignore_result": True,
}


_origin_tokens = {}


@task_prerun.connect(dispatch_uid="audit_origin_worker")
def _origin_worker(task_id=None, **kwargs):
    """Audit events written by any task record the worker as their channel."""
    _origin_tokens[task_id] = set_origin(Origin(channel="worker"))


@task_postrun.connect(dispatch_uid="audit_origin_worker_reset")
def _origin_reset(task_id=None, **kwargs):
    token = _origin_tokens.pop(task_id, None)
    if token is not None:
        reset_origin(token)


@shared_task(name="workflows.deadlines_scan", **RELIABLE)
def deadlines_scan():
    """Beat: send due reminders/escalations, then fire viewflow's DB-backed timers (the posting window): set-based
    where the walk allows, else with viewflow's own firing (workflows.steps.timers_fire_due)."""
    sent = reminders.deadlines_scan()
    fired = timers_fire_due()
    return {"sent": sent, "timers": fired}


@shared_task(name="workflows.audit_anchor", **RELIABLE)
def audit_anchor():
    """Beat: sign the audit chain heads into a new anchor file outside the database (audit.anchor)."""
    return str(anchor_write())


@shared_task(name="workflows.pending_uploads_purge", **RELIABLE)
def pending_uploads_purge():
    """Beat: delete the files held for a form that was never corrected (PENDING_UPLOAD_HOURS)."""
    older_than = timezone.now() - timedelta(hours=settings.PENDING_UPLOAD_HOURS)
    return nomination_services.pending_uploads_purge(older_than=older_than)


@shared_task(name="workflows.redelivery_sweep", **RELIABLE)
def redelivery_sweep():
    """Beat: re-enqueue work whose task was lost (a broker without redelivery, a task failed for good).

    Both tasks are idempotent, so re-enqueueing something that is merely slow costs a no-op run.
    """
    now = timezone.now()
    grace = timedelta(seconds=settings.REDELIVERY_GRACE_SECONDS)
    decision_ids = documents.decisions_missing_documents(signed_before=now - grace)
    for decision_id in decision_ids:
        decision_documents_render.delay(decision_id)
    notification_ids = notifications.emails_unsent(
        created_before=now - grace, created_after=now - timedelta(days=2)
    )
    for notification_id in notification_ids:
        notification_email_send.delay(notification_id)
    return {"decisions": len(decision_ids), "emails": len(notification_ids)}


@shared_task(name="workflows.notification_email_send", **RELIABLE)
def notification_email_send(notification_id):
    return notifications.notification_email_send(notification_id)


@shared_task(name="workflows.notification_emails_send", **RELIABLE)
def notification_emails_send(notification_ids):
    """Send the e-mails of one event in one task (one broker publish per event, not per recipient).

    Each send is idempotent (a mailed notification is skipped), so a retry after a partial run sends the rest.
    """
    for notification_id in notification_ids:
        notifications.notification_email_send(notification_id)


@shared_task(name="workflows.notifications_digest", **RELIABLE)
def notifications_digest():
    """Beat, daily: one digest task per user who chose the digest and has unsent notifications."""
    user_ids = notifications.digest_recipients()
    for user_id in user_ids:
        notification_digest_send.delay(user_id)
    return len(user_ids)


@shared_task(name="workflows.notification_digest_send", **RELIABLE)
def notification_digest_send(user_id):
    return notifications.digest_send(user_id)


@shared_task(
    name="workflows.decision_documents_render", **{**RELIABLE, "autoretry_for": (*TRANSIENT, OSError)}
)
def decision_documents_render(decision_id):
    """Render and store the decision's PDF and .docx and each certificate's PDF (skipping what exists)."""
    return documents.decision_documents_render(decision_id)
