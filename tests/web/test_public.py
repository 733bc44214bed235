"""Public pages: no login, minimal fields, feedback during posting, honour roll, certificate verification."""

from django.urls import reverse

from approvals.models import Certificate, PostingFeedback
from nominations.models import Status
from tests.factories import file_nomination
from web.challenge import challenge_new
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
)


def solved(**fields):
    """The feedback form's fields with its arithmetic challenge answered."""
    token, a, b = challenge_new()
    return {"challenge": token, "challenge_answer": a + b, **fields}


def posted(people, **kwargs):
    """A collective proposed for the provincial emulation flag: approved, now on public posting."""
    nomination = file_nomination(
        people.clerk,
        award_code="co_thi_dua_tinh",
        kind="collective",
        full_name="Hợp tác xã Định Thủy",
        citizen_id="079123456789",
        **kwargs,
    )
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    nomination.refresh_from_db()
    assert nomination.status == Status.POSTING
    return nomination


def awarded(people, full_name="Nguyễn Văn An"):
    nomination = file_nomination(people.clerk, full_name=full_name)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    decision_sign(actor=people.chairman, nominations=[nomination])
    return Certificate.objects.get(nomination=nomination)


def test_posted_list_shows_minimal_fields_only(client, people):
    nomination = posted(people)
    body = client.get(reverse("public:posted")).content.decode()
    assert (
        "Hợp tác xã Định Thủy" in body and "Cờ thi đua của UBND tỉnh" in body and nomination.unit.name in body
    )
    assert "079123456789" not in body and "kỷ luật" not in body.lower()


def test_posted_list_hides_nominations_not_on_posting(client, people):
    file_nomination(people.clerk, full_name="Chưa Công Khai")
    assert "Chưa Công Khai" not in client.get(reverse("public:posted")).content.decode()


def test_public_feedback_is_received(client, people):
    nomination = posted(people)
    posting = nomination.postings.get()
    response = client.post(
        reverse("public:feedback", args=[posting.pk]),
        solved(**{"sender_name": "Trần Văn Dân", "content": "Đề nghị xem lại thành tích."}),
    )
    assert response.status_code == 302
    assert PostingFeedback.objects.get().sender_name == "Trần Văn Dân"


def test_public_feedback_errors_are_field_level(client, people):
    posting = posted(people).postings.get()
    response = client.post(
        reverse("public:feedback", args=[posting.pk]), solved(**{"sender_name": "", "content": ""})
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-field="sender_name"' in body and "Vui lòng nhập họ tên." in body
    assert 'data-field="content"' in body
    assert not PostingFeedback.objects.exists()


def test_feedback_on_a_nomination_not_posted_is_refused(client, people):
    nomination = posted(people)
    posting = nomination.postings.get()
    nomination.status = Status.REJECTED
    nomination.save(update_fields=["status"])
    response = client.post(
        reverse("public:feedback", args=[posting.pk]), solved(**{"sender_name": "A", "content": "B"})
    )
    assert response.status_code == 404


def test_reviewer_at_deciding_unit_answers_feedback(client, people):
    posting = posted(people).postings.get()
    client.post(
        reverse("public:feedback", args=[posting.pk]), solved(**{"sender_name": "Dân", "content": "Góp ý."})
    )
    feedback = PostingFeedback.objects.get()
    client.force_login(people.province_reviewer)
    response = client.post(
        reverse("approvals:feedback_answer", args=[feedback.pk]), {"answer": "Đã xác minh."}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.answer == "Đã xác minh."


def test_feedback_answer_refused_to_others(client, people):
    posting = posted(people).postings.get()
    client.post(
        reverse("public:feedback", args=[posting.pk]), solved(**{"sender_name": "Dân", "content": "Góp ý."})
    )
    feedback = PostingFeedback.objects.get()
    expected = {
        "outsider": 404,
        "other_reviewer": 404,
        "clerk": 403,
        "district_reviewer": 403,
        "secretary": 404,
    }
    for persona, status in expected.items():
        client.force_login(getattr(people, persona))
        response = client.post(reverse("approvals:feedback_answer", args=[feedback.pk]), {"answer": "X"})
        assert response.status_code == status, persona
    client.logout()
    assert (
        client.post(reverse("approvals:feedback_answer", args=[feedback.pk]), {"answer": "X"}).status_code
        == 302
    )
    feedback.refresh_from_db()
    assert not feedback.is_answered


def test_verification_page_shows_holder_award_and_decision(client, people):
    certificate = awarded(people)
    response = client.get(reverse("public:verify", args=[certificate.verification_code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn Văn An" in body and certificate.decision.number in body and "Hợp lệ" in body
    assert certificate.decision.signed_on.strftime("%d/%m/%Y") in body


def test_verification_page_shows_revoked_state(client, people):
    certificate = awarded(people)
    certificate.is_revoked = True
    certificate.save(update_fields=["is_revoked"])
    body = client.get(reverse("public:verify", args=[certificate.verification_code])).content.decode()
    assert "ĐÃ BỊ THU HỒI" in body


def test_verification_of_unknown_code_is_not_found(client, db):
    response = client.get(reverse("public:verify", args=["khongtontai"]))
    assert response.status_code == 404 and "Không tìm thấy" in response.content.decode()


def test_honour_roll_lists_awarded_by_year(client, people):
    certificate = awarded(people)
    file_nomination(people.clerk, full_name="Chưa Khen")
    body = client.get(
        reverse("public:honour_roll"), {"nam": certificate.nomination.period_year}
    ).content.decode()
    assert "Nguyễn Văn An" in body and "Chưa Khen" not in body and certificate.decision.number in body
