"""Filing, listing, reading, attaching and submitting nominations; 404 for other units, 403 for read-only."""

import pytest

from audit.models import Event
from nominations.models import DossierFile, Nomination, Status
from tests.api.conftest import nomination_payload, pdf
from tests.factories import file_nomination
from workflows.services import nomination_submit


def test_clerk_files_a_nomination(people, as_user):
    response = as_user(people.clerk).post("/api/v1/nominations/", nomination_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    nomination = Nomination.objects.get(pk=body["id"])
    assert (
        body["status"] == "draft"
        and body["unit"] == "BT.MCN.DINHTHUY"
        and body["award_type"] == "bang_khen_tinh"
    )
    assert body["current_step"] == "submit" and body["due_on"] and body["decision"] is None
    assert nomination.created_by == people.clerk
    assert Event.objects.get(action="nomination.create", nomination_id=nomination.pk).channel == "api"


def test_fast_track_route_and_content_areas(people, as_user):
    from nominations.models import ContentArea

    area = ContentArea.objects.filter(movement__code="dong_khoi_moi_2020_2025").first()
    payload = nomination_payload(
        route="fast_track", award_type="bang_khen_tinh", content_areas=[area.code], event_on="2026-01-05"
    )
    response = as_user(people.clerk).post("/api/v1/nominations/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["route"] == "fast_track" and response.json()["content_areas"] == [area.code]


@pytest.mark.parametrize("who", ["other_clerk", "outsider", "district_reviewer", "chairman", "inspector"])
def test_only_the_units_own_staff_may_file(people, as_user, who):
    response = as_user(getattr(people, who)).post("/api/v1/nominations/", nomination_payload(), format="json")
    assert response.status_code == 403
    assert not Nomination.objects.exists()


def test_filing_errors_are_field_messages(people, as_user):
    client = as_user(people.clerk)
    response = client.post(
        "/api/v1/nominations/",
        nomination_payload(unit="NOPE", award_type="nope", nominee={"kind": "robot", "full_name": ""}),
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"unit", "award_type", "nominee"}
    assert set(errors["nominee"]) == {"kind", "full_name"}
    # Errors found by the service keep the service's field keys.
    response = client.post(
        "/api/v1/nominations/", nomination_payload(achievements=" ", period_year=1990), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "achievements": ["Vui lòng nhập tóm tắt thành tích."],
        "period_year": ["Năm đề nghị không hợp lệ."],
    }


def test_content_area_of_another_movement_is_rejected(people, as_user):
    response = as_user(people.clerk).post(
        "/api/v1/nominations/", nomination_payload(content_areas=["zzz"]), format="json"
    )
    assert response.status_code == 400 and "content_areas" in response.json()


def test_list_is_scoped_filtered_and_searched_without_accents(people, as_user):
    mine = file_nomination(people.clerk, full_name="Nguyễn Văn Ánh")
    file_nomination(people.clerk, full_name="Trần Thị Bé", award_code="chien_si_thi_dua_co_so")
    theirs = file_nomination(people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG", full_name="Nguyễn Văn Ánh")
    client = as_user(people.clerk)
    ids = [n["id"] for n in client.get("/api/v1/nominations/").json()["results"]]
    assert mine.pk in ids and theirs.pk not in ids and len(ids) == 2
    assert [n["id"] for n in client.get("/api/v1/nominations/?q=nguyen van anh").json()["results"]] == [
        mine.pk
    ]
    assert [
        n["id"] for n in client.get("/api/v1/nominations/?award_type=bang_khen_tinh").json()["results"]
    ] == [mine.pk]
    assert client.get("/api/v1/nominations/?status=awarded").json()["count"] == 0
    assert client.get("/api/v1/nominations/?unit=BT.BATRI.ANNGAITRUNG").json()["count"] == 0
    page = client.get("/api/v1/nominations/?page_size=1").json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]
    assert as_user(people.outsider).get("/api/v1/nominations/").json()["count"] == 0
    assert as_user(people.inspector).get("/api/v1/nominations/").json()["count"] == 3


def test_other_units_nomination_is_404_like_a_missing_one(people, as_user):
    theirs = file_nomination(people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG")
    client = as_user(people.clerk)
    hidden = client.get(f"/api/v1/nominations/{theirs.pk}/")
    missing = client.get(f"/api/v1/nominations/{theirs.pk + 1000}/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    for path in ("attachments", "audit"):
        assert (
            client.generic(
                "GET" if path == "audit" else "POST", f"/api/v1/nominations/{theirs.pk}/{path}/"
            ).status_code
            == 404
        )
    assert client.post(f"/api/v1/nominations/{theirs.pk}/submit/").status_code == 404


def test_guessing_ids_reveals_nothing_to_an_outsider(people, as_user):
    nomination = file_nomination(people.clerk)
    client = as_user(people.outsider)
    for pk in range(nomination.pk - 2, nomination.pk + 3):
        assert client.get(f"/api/v1/nominations/{pk}/").status_code == 404
        assert client.get(f"/api/v1/nominations/{pk}/audit/").status_code == 404


def test_detail_shows_route_and_files(people, as_user):
    nomination = file_nomination(people.clerk)
    body = as_user(people.head).get(f"/api/v1/nominations/{nomination.pk}/").json()
    assert body["route_units"] == ["BT.MCN"] and body["deciding_unit"] == "BT"
    assert sorted(f["kind"] for f in body["files"]) == ["achievement_report", "submission"]
    assert body["nominee"]["full_name"] == "Nguyễn Văn An"


def test_attachment_upload_and_its_checks(people, as_user):
    nomination = file_nomination(people.clerk, with_dossier=False)
    client = as_user(people.clerk)
    url = f"/api/v1/nominations/{nomination.pk}/attachments/"
    response = client.post(url, {"kind": "evidence", "file": pdf("minh-chứng.pdf")}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "minh-chứng.pdf"
    assert Event.objects.get(action="dossier.add", nomination_id=nomination.pk).channel == "api"
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"kind": "evidence", "file": fake}, format="multipart")
    assert response.status_code == 400 and list(response.json()) == ["file"]
    response = client.post(url, {"kind": "poster"}, format="multipart")
    assert response.status_code == 400 and set(response.json()) == {"kind", "file"}
    assert DossierFile.objects.filter(nomination=nomination).count() == 1


def test_reviewer_who_sees_a_nomination_may_not_attach_files(people, as_user):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    response = as_user(people.district_reviewer).post(
        f"/api/v1/nominations/{nomination.pk}/attachments/",
        {"kind": "evidence", "file": pdf()},
        format="multipart",
    )
    assert response.status_code == 403
    response = as_user(people.other_clerk).post(
        f"/api/v1/nominations/{nomination.pk}/attachments/",
        {"kind": "evidence", "file": pdf()},
        format="multipart",
    )
    assert response.status_code == 404


def test_attachment_after_submission_is_refused(people, as_user):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    response = as_user(people.clerk).post(
        f"/api/v1/nominations/{nomination.pk}/attachments/",
        {"kind": "evidence", "file": pdf()},
        format="multipart",
    )
    assert response.status_code == 400 and "file" in response.json()


def test_head_submits_clerk_may_not(people, as_user):
    nomination = file_nomination(people.clerk)
    response = as_user(people.clerk).post(f"/api/v1/nominations/{nomination.pk}/submit/")
    assert response.status_code == 403
    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT
    response = as_user(people.head).post(f"/api/v1/nominations/{nomination.pk}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "in_review"
    assert Event.objects.get(action="task.submit", nomination_id=nomination.pk).channel == "api"


def test_submit_with_missing_dossier_names_the_missing_kind(people, as_user):
    nomination = file_nomination(people.clerk, with_dossier=False)
    response = as_user(people.head).post(f"/api/v1/nominations/{nomination.pk}/submit/")
    assert response.status_code == 400
    assert response.json() == {"files": ["Hồ sơ còn thiếu: Báo cáo thành tích."]}


def test_second_submit_is_a_conflict_and_changes_nothing(people, as_user):
    nomination = file_nomination(people.clerk)
    client = as_user(people.head)
    assert client.post(f"/api/v1/nominations/{nomination.pk}/submit/").status_code == 200
    events = Event.objects.count()
    again = client.post(f"/api/v1/nominations/{nomination.pk}/submit/")
    assert again.status_code == 409
    assert again.json() == {"detail": "Công việc này đã được xử lý hoặc không còn hiệu lực."}
    assert Event.objects.count() == events


def test_submit_with_idempotency_key_replays(people, as_user):
    nomination = file_nomination(people.clerk)
    client = as_user(people.head)
    url = f"/api/v1/nominations/{nomination.pk}/submit/"
    first = client.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="sub-1")
    events = Event.objects.count()
    second = client.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="sub-1")
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert Event.objects.count() == events
    other = client.post(url, {"note": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="sub-1")
    assert other.status_code == 422


def test_audit_trail_is_visible_with_the_nomination_only(people, as_user):
    nomination = file_nomination(people.clerk)
    events = as_user(people.head).get(f"/api/v1/nominations/{nomination.pk}/audit/").json()["results"]
    assert [e["action"] for e in events][:2] == ["nomination.create", "task.open"]
    assert all(len(e["hash"]) == 64 for e in events)
    assert (
        as_user(people.district_reviewer).get(f"/api/v1/nominations/{nomination.pk}/audit/").status_code
        == 404
    )
    assert as_user(people.inspector).get(f"/api/v1/nominations/{nomination.pk}/audit/").status_code == 200


def test_query_parameters_are_validated_like_fields(people, as_user):
    client = as_user(people.clerk)
    response = client.get("/api/v1/nominations/", {"q": "a\x00b", "status": "flying"})
    assert response.status_code == 400 and set(response.json()) == {"q", "status"}
    assert client.get("/api/v1/tasks/", {"step": "x\x00"}).status_code == 400
    assert client.get("/api/v1/award-types/", {"unit": "\x00"}).status_code == 400


@pytest.mark.parametrize("persona", ["clerk", "district_reviewer", "inspector"])
def test_submit_of_a_submitted_nomination_is_refused_before_its_state_is_told(people, as_user, persona):
    # Readers who may not submit used to hear 409 "already done" (the state check ran before the permission).
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    assert (
        as_user(getattr(people, persona)).post(f"/api/v1/nominations/{nomination.pk}/submit/").status_code
        == 403
    )
    assert as_user(people.head).post(f"/api/v1/nominations/{nomination.pk}/submit/").status_code == 409
