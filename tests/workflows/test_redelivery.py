"""The redelivery sweep: documents and e-mails whose task was lost are produced on a later beat, once."""

from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from tests.factories import file_nomination
from workflows.models import EmailMode, Notification, NotificationPreference
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
)
from workflows.tasks import redelivery_sweep


def signed_without_rendering(people):
    """Sign in a test transaction: the on-commit render never runs, as if its message had been lost."""
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    return decision_sign(actor=people.chairman, nominations=[nomination])


def test_lost_document_render_is_redone_after_the_grace_period(people, settings):
    settings.REDELIVERY_GRACE_SECONDS = 600
    mail.outbox.clear()
    decision = signed_without_rendering(people)
    assert redelivery_sweep.delay().get()["decisions"] == 0  # just signed: its own task may still be running
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert redelivery_sweep.delay().get()["decisions"] == 1
        assert redelivery_sweep.delay().get()["decisions"] == 0
    decision.refresh_from_db()
    assert decision.pdf and decision.docx and all(c.pdf for c in decision.certificates.all())


def test_lost_emails_are_sent_once_and_never_to_digest_or_off_users(people, settings):
    settings.REDELIVERY_GRACE_SECONDS = 600
    NotificationPreference.objects.create(user=people.district_reviewer, email_mode=EmailMode.DIGEST)
    NotificationPreference.objects.create(user=people.head, email_mode=EmailMode.OFF)
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == [
        "district_reviewer",
        "head",
        "province_reviewer",
    ]
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert redelivery_sweep.delay().get()["emails"] == 1
        assert redelivery_sweep.delay().get()["emails"] == 0
    assert [message.to for message in mail.outbox] == [["province_reviewer@demo.local"]]


def test_old_unsent_emails_are_left_alone(people, settings):
    nomination = file_nomination(people.clerk)
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert redelivery_sweep.delay().get()["emails"] == 0
    assert mail.outbox == [] and Notification.objects.filter(nomination=nomination).exists()
