"""Anonymous feedback: the challenge, the per-address and per-posting limits, and spam marked by a reviewer."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from approvals.models import PostingFeedback
from audit.models import Event
from tests.web.test_public import posted, solved
from tests.workflows.test_posting_and_bulk import _at
from web.challenge import SALT
from workflows.services import open_task_of, vote_record


def _send(client, posting, address="203.0.113.5", **fields):
    data = solved(**{"sender_name": "Dân", "content": "Góp ý.", **fields})
    return client.post(reverse("public:feedback", args=[posting.pk]), data, REMOTE_ADDR=address)


@pytest.fixture
def posting(people):
    return posted(people).postings.get()


def test_a_wrong_answer_is_refused_and_a_new_question_shown(client, posting):
    response = _send(client, posting, challenge_answer=99)
    body = response.content.decode()
    assert response.status_code == 400 and "Câu trả lời kiểm tra chưa đúng" in body
    assert "Kiểm tra chống thư rác:" in body
    assert not PostingFeedback.objects.exists()


def test_a_missing_or_forged_challenge_is_refused(client, posting):
    assert _send(client, posting, challenge="").status_code == 400
    forged = signing.dumps({"a": 1, "b": 1, "n": "x", "t": 0}, salt="other")
    assert _send(client, posting, challenge=forged, challenge_answer=2).status_code == 400
    assert not PostingFeedback.objects.exists()


def test_the_honeypot_filled_in_is_refused(client, posting):
    assert _send(client, posting, website="http://spam.example").status_code == 400
    assert not PostingFeedback.objects.exists()


def test_a_challenge_answered_at_once_is_refused_and_later_accepted(client, posting, settings):
    settings.FEEDBACK_CHALLENGE_MIN_SECONDS = 3
    data = solved(sender_name="Dân", content="Góp ý.")
    url = reverse("public:feedback", args=[posting.pk])
    response = client.post(url, data)
    assert response.status_code == 400 and "Bạn gửi quá nhanh" in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        assert client.post(url, data).status_code == 302


def test_a_challenge_cannot_be_replayed(client, posting):
    data = solved(sender_name="Dân", content="Góp ý.")
    url = reverse("public:feedback", args=[posting.pk])
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 400 and "đã hết hạn hoặc đã được dùng" in response.content.decode()
    assert PostingFeedback.objects.count() == 1


def test_an_expired_challenge_is_refused(client, posting, settings):
    data = solved(sender_name="Dân", content="Góp ý.")
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.FEEDBACK_CHALLENGE_MAX_SECONDS + 5)):
        assert client.post(reverse("public:feedback", args=[posting.pk]), data).status_code == 400
    assert (
        signing.loads(data["challenge"], salt=SALT)["a"] + signing.loads(data["challenge"], salt=SALT)["b"]
        == (data["challenge_answer"])
    )


def test_feedback_is_rate_limited_per_address(client, posting, settings):
    statuses = [_send(client, posting).status_code for _ in range(settings.FEEDBACK_LIMIT_PER_ADDRESS + 1)]
    assert statuses == [302] * settings.FEEDBACK_LIMIT_PER_ADDRESS + [429]
    last = _send(client, posting)
    assert "Bạn đã gửi quá nhiều góp ý" in last.content.decode()
    assert _send(client, posting, address="198.51.100.7").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.FEEDBACK_WINDOW_MINUTES + 1)):
        assert _send(client, posting).status_code == 302
    assert (
        PostingFeedback.objects.filter(sender_ip="203.0.113.5").count()
        == settings.FEEDBACK_LIMIT_PER_ADDRESS + 1
    )


def test_feedback_is_rate_limited_per_posting(client, posting, settings):
    settings.FEEDBACK_LIMIT_PER_POSTING = 3
    statuses = [_send(client, posting, address=f"192.0.2.{n}").status_code for n in range(1, 5)]
    assert statuses == [302, 302, 302, 429]
    assert (
        "Trường hợp này đang nhận quá nhiều góp ý"
        in _send(client, posting, address="192.0.2.9").content.decode()
    )


def test_spam_marked_by_the_reviewer_is_audited_and_no_longer_blocks_the_vote(client, people):
    with time_machine.travel(_at(date(2026, 12, 1)), tick=False):
        nomination = posted(people)
        posting = nomination.postings.get()
        _send(client, posting)
        feedback = PostingFeedback.objects.get()
        client.force_login(people.province_reviewer)
        response = client.post(
            reverse("approvals:feedback_spam", args=[feedback.pk]), {"reason": "Quảng cáo"}
        )
        assert response.status_code == 302
        detail = client.get(reverse("nominations:detail", args=[nomination.pk])).content.decode()
        assert f'data-testid="feedback-spam-{feedback.pk}"' in detail
    feedback.refresh_from_db()
    assert feedback.is_spam and feedback.spam_marked_by == people.province_reviewer
    event = Event.objects.get(action="posting.feedback_spam")
    assert event.actor == people.province_reviewer and event.reason == "Quảng cáo"
    assert event.nomination_id == nomination.pk
    with time_machine.travel(_at(date(2026, 12, 16)), tick=False):
        from viewflow.workflow.timers import fire_due_timers

        fire_due_timers()
        scope = open_task_of(nomination)
        vote = vote_record(
            actor=people.secretary,
            task_id=scope.task_id,
            members_total=15,
            members_present=14,
            votes_for=13,
            votes_against=1,
        )
    assert vote.passed


def test_marking_spam_is_refused_to_others(client, people, posting):
    _send(client, posting)
    feedback = PostingFeedback.objects.get()
    expected = {"outsider": 404, "other_reviewer": 404, "clerk": 403, "district_reviewer": 403}
    for persona, status in expected.items():
        client.force_login(getattr(people, persona))
        response = client.post(reverse("approvals:feedback_spam", args=[feedback.pk]), {"reason": "x"})
        assert response.status_code == status, persona
    client.logout()
    assert client.post(reverse("approvals:feedback_spam", args=[feedback.pk])).status_code == 302
    assert not PostingFeedback.objects.get().is_spam
    assert not Event.objects.filter(action="posting.feedback_spam").exists()
