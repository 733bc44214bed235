"""Notifications: who hears about a transition, e-mail after commit (immediate or digest), the in-app pages."""

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import Event
from organisation.models import Role
from tests.factories import file_nomination, unit
from workflows import notifications
from workflows.models import EmailMode, Notification, NotificationPreference
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
    review_reject,
    review_return,
)


def usernames(kind, nomination=None):
    rows = Notification.objects.filter(kind=kind)
    if nomination is not None:
        rows = rows.filter(nomination=nomination)
    return sorted(rows.values_list("user__username", flat=True))


def test_task_opened_notifies_the_permission_holders_of_that_unit_only(people):
    nomination = file_nomination(people.clerk)
    assert usernames("task_opened", nomination) == ["head"]  # the submit task of the commune
    nomination_submit(actor=people.head, nomination=nomination)
    assert usernames("task_opened", nomination) == ["district_reviewer", "head"]
    note = Notification.objects.get(kind="task_opened", user=people.district_reviewer)
    assert note.url == reverse("nominations:detail", args=[nomination.pk])
    assert "Nguyễn Văn An" in note.title and "Hạn xử lý" in note.body


def test_return_reject_and_award_notify_the_proposing_unit(people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    review_return(
        actor=people.district_reviewer,
        task_id=open_task_of(nomination).task_id,
        reason="Bổ sung biên bản họp xét.",
    )
    assert usernames("returned", nomination) == ["clerk", "head"]
    returned = Notification.objects.filter(kind="returned").first()
    assert "Bổ sung biên bản họp xét." in returned.body and "Huyện Mỏ Cày Nam" in returned.body

    other = file_nomination(people.clerk, full_name="Lê Thị Bình")
    nomination_submit(actor=people.head, nomination=other)
    review_reject(
        actor=people.district_reviewer, task_id=open_task_of(other).task_id, reason="Không đủ tiêu chuẩn."
    )
    assert usernames("rejected", other) == ["clerk", "head"]

    third = file_nomination(people.clerk, full_name="Phan Văn Cường")
    nomination_submit(actor=people.head, nomination=third)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(third).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(third).task_id)
    decision = decision_sign(actor=people.chairman, nominations=[third])
    assert usernames("awarded", third) == ["clerk", "head"]
    assert decision.number in Notification.objects.get(kind="awarded", user=people.clerk).body


def test_immediate_email_goes_out_only_after_commit(people, django_capture_on_commit_callbacks):
    nomination = file_nomination(people.clerk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        nomination_submit(actor=people.head, nomination=nomination)
    assert mail.outbox == []  # nothing mailed while the transaction is open
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["district_reviewer@demo.local"]]
    message = mail.outbox[0]
    assert message.subject.startswith("[Thi đua – Khen thưởng] Có đề nghị mới cần xử lý")
    assert "Kính gửi Lê Minh Tâm" in message.body and "/de-nghi/" in message.body
    assert Notification.objects.get(user=people.district_reviewer).emailed_at is not None
    # Redelivery of the same task sends nothing more.
    notifications.notification_email_send(Notification.objects.get(user=people.district_reviewer).pk)
    assert len(mail.outbox) == 1


def test_digest_users_get_one_daily_mail(people, django_capture_on_commit_callbacks):
    from workflows.tasks import notifications_digest

    NotificationPreference.objects.create(user=people.district_reviewer, email_mode=EmailMode.DIGEST)
    first, second = file_nomination(people.clerk), file_nomination(people.clerk, full_name="Lê Thị Bình")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        nomination_submit(actor=people.head, nomination=first)
        nomination_submit(actor=people.head, nomination=second)
    assert mail.outbox == []
    assert notifications_digest.delay().get() == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["district_reviewer@demo.local"] and "Tổng hợp 2 thông báo" in digest.subject
    assert "Nguyễn Văn An" in digest.body and "Lê Thị Bình" in digest.body
    assert notifications_digest.delay().get() == 0
    assert len(mail.outbox) == 1


def test_email_off_sends_nothing(people, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=people.district_reviewer, email_mode=EmailMode.OFF)
    nomination = file_nomination(people.clerk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        nomination_submit(actor=people.head, nomination=nomination)
    assert mail.outbox == []
    assert notifications.digest_send(people.district_reviewer.pk) == 0
    assert Notification.objects.filter(user=people.district_reviewer).count() == 1


# ----------------------------------------------------------------------------------------------- pages
@pytest.fixture
def reviewer_note(people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    return Notification.objects.get(user=people.district_reviewer)


def test_list_page_and_unread_count(client, people, reviewer_note):
    client.force_login(people.district_reviewer)
    response = client.get(reverse("workflows:notifications"))
    assert response.status_code == 200
    assert reviewer_note.title in response.content.decode()
    assert response.context["unread_notifications"] == 1
    client.force_login(people.other_reviewer)
    response = client.get(reverse("workflows:notifications"))
    assert reviewer_note.title not in response.content.decode()
    assert response.context["unread_notifications"] == 0


def test_anonymous_is_sent_to_login(client, reviewer_note):
    response = client.get(reverse("workflows:notifications"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("workflows:notification_read", args=[reviewer_note.pk]))
    assert response.status_code == 302
    reviewer_note.refresh_from_db()
    assert reviewer_note.read_at is None


def test_mark_own_notification_read_is_audited(client, people, reviewer_note):
    client.force_login(people.district_reviewer)
    response = client.post(reverse("workflows:notification_read", args=[reviewer_note.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == reviewer_note.url
    reviewer_note.refresh_from_db()
    assert reviewer_note.read_at is not None
    assert Event.objects.filter(action="notification.read", object_id=str(reviewer_note.pk)).count() == 1
    assert client.get(reverse("workflows:notifications")).context["unread_notifications"] == 0


def test_cannot_mark_another_users_notification_read(client, people, reviewer_note):
    client.force_login(people.other_reviewer)
    response = client.post(reverse("workflows:notification_read", args=[reviewer_note.pk]))
    assert response.status_code == 404
    reviewer_note.refresh_from_db()
    assert reviewer_note.read_at is None
    client.force_login(people.head)  # holds notifications of their own, still not this one
    assert client.post(reverse("workflows:notification_read", args=[reviewer_note.pk])).status_code == 404
    assert not Event.objects.filter(action="notification.read").exists()


def test_mark_read_rejects_get(client, people, reviewer_note):
    client.force_login(people.district_reviewer)
    assert client.get(reverse("workflows:notification_read", args=[reviewer_note.pk])).status_code == 405


def test_read_all_touches_only_own_notifications(client, people, reviewer_note):
    client.force_login(people.head)
    client.post(reverse("workflows:notifications_read_all"))
    reviewer_note.refresh_from_db()
    assert reviewer_note.read_at is None
    assert not Notification.objects.filter(user=people.head, read_at__isnull=True).exists()


def test_preference_change_and_invalid_value(client, people):
    client.force_login(people.clerk)
    client.post(reverse("workflows:notification_preference"), {"email_mode": "digest"})
    assert NotificationPreference.objects.get(user=people.clerk).email_mode == "digest"
    response = client.post(reverse("workflows:notification_preference"), {"email_mode": "sms"}, follow=True)
    assert "Cách nhận thư không hợp lệ." in response.content.decode()
    assert NotificationPreference.objects.get(user=people.clerk).email_mode == "digest"


def test_email_tasks_group_recipients_and_never_split_one():
    # A decision of 500 awards from 500 communes queued 500 e-mail tasks (one broker round trip each, inside the
    # signer's request); they are grouped into tasks of about EMAIL_TASK_SIZE, a recipient's ids kept together.
    size = notifications.EMAIL_TASK_SIZE
    per_recipient = [[n] for n in range(size)] + [list(range(1000, 1000 + size + 5)), [7, 8]]
    batches = list(notifications._email_batches(per_recipient))
    assert batches[0] == list(range(size))
    assert batches[1] == list(range(1000, 1000 + size + 5))  # larger than a task: still one, never split
    assert batches[2] == [7, 8]
    assert sorted(n for batch in batches for n in batch) == sorted(n for ids in per_recipient for n in ids)
    assert list(notifications._email_batches([])) == []


def test_bulk_holders_in_given_roles_read_as_the_single_lookup(people):
    roles = [Role.UNIT_HEAD, Role.UNIT_CLERK]
    communes = [unit("BT.MCN.DINHTHUY"), people.head.memberships.first().unit]
    held = notifications.users_holding_bulk({("", u) for u in communes}, roles=roles)
    for commune in communes:
        assert held["", commune.pk] == notifications.users_holding("", commune, roles=roles)
    assert [u.username for u in held["", unit("BT.MCN.DINHTHUY").pk]] == ["clerk", "head"]
