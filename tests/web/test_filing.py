"""The nomination pages: per-role homes, filing, detail, task actions, uploads and downloads, with negative tests."""

from datetime import date

import pytest
from django.urls import reverse

from approvals.models import ReviewRecord
from audit.models import Event
from nominations.models import DossierFile, Nomination, Status
from tests import factories
from tests.factories import award, file_nomination, movement, pdf_upload, unit
from workflows.services import appraisal_approve, nomination_submit, open_task_of, review_forward


def login(client, user):
    client.force_login(user)
    return client


def task_id(nomination):
    return open_task_of(nomination).task_id


def at_district(people, **kwargs):
    nomination = file_nomination(people.clerk, **kwargs)
    nomination_submit(actor=people.head, nomination=nomination)
    return nomination


def at_province(people, **kwargs):
    nomination = at_district(people, **kwargs)
    review_forward(actor=people.district_reviewer, task_id=task_id(nomination))
    return nomination


def test_anonymous_is_sent_to_login(client, people):
    response = client.get(reverse("nominations:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_login_page_is_vietnamese(client, db):
    response = client.get(reverse("login"))
    assert "Đăng nhập" in response.content.decode() and "Mật khẩu" in response.content.decode()


def test_clerk_home_lists_returned_first_and_new_button(client, people):
    first = file_nomination(people.clerk, full_name="Lê Văn Một")
    returned = at_district(people, full_name="Phạm Thị Hai")
    from workflows.services import review_return

    review_return(actor=people.district_reviewer, task_id=task_id(returned), reason="Thiếu biên bản.")
    body = login(client, people.clerk).get(reverse("nominations:home")).content.decode()
    assert body.index("Phạm Thị Hai") < body.index("Lê Văn Một")
    assert reverse("nominations:create") in body
    assert first.nominee.full_name in body


def test_header_shows_roles_and_inbox_count(client, people):
    at_district(people)
    body = login(client, people.district_reviewer).get(reverse("nominations:home")).content.decode()
    assert "Cán bộ xét duyệt" in body
    assert 'data-testid="inbox-count">1<' in body


def test_reviewer_search_is_accent_insensitive(client, people):
    at_district(people, full_name="Nguyễn Văn Bình")
    at_district(people, full_name="Trần Thị Cúc")
    body = (
        login(client, people.district_reviewer)
        .get(reverse("nominations:home"), {"q": "nguyen van"})
        .content.decode()
    )
    assert "Nguyễn Văn Bình" in body and "Trần Thị Cúc" not in body


def test_reviewer_filters_by_award_type(client, people):
    at_district(people, full_name="Nguyễn Văn Bình")
    at_district(people, full_name="Tổ dân phố 3", award_code="tap_the_lao_dong_xuat_sac", kind="collective")
    body = (
        login(client, people.district_reviewer)
        .get(reverse("nominations:home"), {"award_type": "tap_the_lao_dong_xuat_sac"})
        .content.decode()
    )
    assert "Tổ dân phố 3" in body and "Nguyễn Văn Bình" not in body


def test_filing_form_offers_only_award_types_the_unit_may_propose(client, people):
    response = login(client, people.clerk).get(reverse("nominations:create"))
    # The award select (the menu links the Công dân Đồng Khởi round screens, filed there, not here).
    names = [award.name for award in response.context["form"].fields["award_type"].queryset]
    assert "Bằng khen của Chủ tịch UBND tỉnh" in names
    assert not any("Công dân Đồng Khởi" in name for name in names)
    body = response.content.decode()
    assert "Chân 1" in body and "Mũi 3" in body


def _filing_data(**overrides):
    data = {
        "unit": unit("BT.MCN.DINHTHUY").pk,
        "kind": "individual",
        "full_name": "Võ Văn Tư",
        "gender": "male",
        "birth_year": "1985",
        "position": "Công chức văn hóa xã",
        "award_type": award("bang_khen_tinh").pk,
        "movement": movement().pk,
        "period_year": "2026",
        "achievements": "Hoàn thành xuất sắc nhiệm vụ.",
    }
    data.update(overrides)
    return data


def test_clerk_files_with_a_pdf(client, people):
    area = movement().content_areas.filter(parent__isnull=False).first()
    response = login(client, people.clerk).post(
        reverse("nominations:create"), {**_filing_data(), "content_areas": [area.pk], "file": pdf_upload()}
    )
    nomination = Nomination.objects.get(nominee__full_name="Võ Văn Tư")
    assert response.status_code == 302 and response.url == reverse("nominations:detail", args=[nomination.pk])
    assert nomination.status == Status.DRAFT
    assert list(nomination.content_areas.all()) == [area]
    assert nomination.files.get().kind == "achievement_report"


def test_filing_errors_are_field_level_vietnamese(client, people):
    response = login(client, people.clerk).post(
        reverse("nominations:create"),
        _filing_data(full_name="", achievements="", file=pdf_upload("virus.exe")),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-field="full_name"' in body and "Vui lòng nhập trường này." in body
    assert 'data-field="file"' in body and "không được chấp nhận" in body
    assert not Nomination.objects.exists()


def test_service_errors_land_on_their_fields(client, people):
    # A collective-only award for an individual: the eligibility rule answers on "award_type".
    response = login(client, people.clerk).post(
        reverse("nominations:create"), _filing_data(award_type=award("tap_the_lao_dong_xuat_sac").pk)
    )
    body = response.content.decode()
    assert 'data-field="award_type"' in body and "không áp dụng cho đối tượng" in body
    assert not Nomination.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "district_reviewer", "inspector"])
def test_people_without_filing_role_cannot_file(client, people, persona):
    response = login(client, getattr(people, persona)).post(reverse("nominations:create"), _filing_data())
    assert response.status_code == 403
    assert not Nomination.objects.exists()


def test_other_unit_clerk_cannot_file_for_my_unit(client, people):
    response = login(client, people.other_clerk).post(reverse("nominations:create"), _filing_data())
    # The unit field only offers the clerk's own unit, so the choice is refused on the field.
    assert response.status_code == 200 and 'data-field="unit"' in response.content.decode()
    assert not Nomination.objects.exists()


def test_detail_shows_route_flow_timeline_and_files(client, people):
    nomination = at_district(people)
    body = (
        login(client, people.district_reviewer)
        .get(reverse("nominations:detail", args=[nomination.pk]))
        .content.decode()
    )
    assert "Huyện Mỏ Cày Nam" in body and 'class="current"' in body
    assert 'data-testid="flow-diagram"' in body
    # The flow panel is the path taken up to the current step (issue #22): no step not yet reached, no outcome.
    panel = body[body.index('data-testid="flow-diagram"') :]
    panel = panel[: panel.index("</ol>")]
    assert "Lập đề nghị" in panel and "Trình đề nghị" in panel and 'aria-current="step"' in panel
    assert "Thẩm định" not in panel and "Bị từ chối" not in panel
    assert "achievement_report.pdf" in body
    assert 'data-testid="task-form"' in body


@pytest.mark.parametrize("persona", ["outsider", "other_reviewer", "other_clerk", "province_reviewer"])
def test_detail_is_hidden_from_people_outside_its_route(client, people, persona):
    nomination = at_district(people)
    response = login(client, getattr(people, persona)).get(
        reverse("nominations:detail", args=[nomination.pk])
    )
    assert response.status_code == 404


def test_district_reviewer_forwards_from_detail(client, people):
    nomination = at_district(people)
    response = login(client, people.district_reviewer).post(
        reverse("nominations:act", args=[nomination.pk]), {"action": "forward", "reason": "Đủ điều kiện."}
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Status.APPRAISAL


def test_return_without_reason_shows_field_error(client, people):
    nomination = at_district(people)
    response = login(client, people.district_reviewer).post(
        reverse("nominations:act", args=[nomination.pk]), {"action": "return", "reason": ""}
    )
    body = response.content.decode()
    assert response.status_code == 400 and 'data-field="reason"' in body and "Phải nêu lý do trả lại" in body
    nomination.refresh_from_db()
    assert nomination.status == Status.IN_REVIEW


@pytest.mark.parametrize(
    "persona,status", [("other_reviewer", 404), ("outsider", 404), ("clerk", 403), ("inspector", 403)]
)
def test_act_refused_to_people_who_do_not_hold_the_task(client, people, persona, status):
    nomination = at_district(people)
    response = login(client, getattr(people, persona)).post(
        reverse("nominations:act", args=[nomination.pk]), {"action": "forward"}
    )
    assert response.status_code == status
    nomination.refresh_from_db()
    assert nomination.status == Status.IN_REVIEW


def test_head_submits_selected_from_home(client, people):
    first = file_nomination(people.clerk, full_name="Lê Văn Một")
    second = file_nomination(people.clerk, full_name="Lê Văn Hai")
    response = login(client, people.head).post(
        reverse("nominations:submit_selected"), {"nomination": [first.pk, second.pk], "number": "12/TTr-UBND"}
    )
    assert response.status_code == 302
    assert set(Nomination.objects.values_list("status", flat=True)) == {Status.IN_REVIEW}
    assert Nomination.objects.get(pk=first.pk).submission.number == "12/TTr-UBND"


@pytest.mark.parametrize("persona", ["clerk", "outsider", "district_reviewer"])
def test_submit_selected_requires_the_head(client, people, persona):
    nomination = file_nomination(people.clerk)
    response = login(client, getattr(people, persona)).post(
        reverse("nominations:submit_selected"), {"nomination": [nomination.pk]}
    )
    assert response.status_code == 403
    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT


def test_head_of_other_unit_cannot_submit_my_nominations(client, people):
    from organisation.services import membership_grant

    membership_grant(user=people.other_clerk, unit=unit("BT.BATRI.ANNGAITRUNG"), role="unit_head")
    nomination = file_nomination(people.clerk)
    response = login(client, people.other_clerk).post(
        reverse("nominations:submit_selected"), {"nomination": [nomination.pk]}
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT


def test_bulk_forward_and_return_with_reason(client, people):
    first, second, third = (at_district(people, full_name=name) for name in ("Một", "Hai", "Ba"))
    login(client, people.district_reviewer)
    client.post(
        reverse("nominations:bulk_review"), {"task": [task_id(first), task_id(second)], "action": "forward"}
    )
    client.post(
        reverse("nominations:bulk_review"),
        {"task": [task_id(third)], "action": "return", "reason": "Bổ sung hồ sơ."},
    )
    statuses = dict(Nomination.objects.values_list("nominee__full_name", "status"))
    assert statuses == {"Một": Status.APPRAISAL, "Hai": Status.APPRAISAL, "Ba": Status.RETURNED}
    assert ReviewRecord.objects.get(nomination=third, action="return").reason == "Bổ sung hồ sơ."


@pytest.mark.parametrize("persona", ["outsider", "clerk", "secretary"])
def test_bulk_review_refused_without_review_role(client, people, persona):
    nomination = at_district(people)
    response = login(client, getattr(people, persona)).post(
        reverse("nominations:bulk_review"), {"task": [task_id(nomination)], "action": "forward"}
    )
    assert response.status_code == 403
    nomination.refresh_from_db()
    assert nomination.status == Status.IN_REVIEW


def test_bulk_review_by_other_district_changes_nothing(client, people):
    nomination = at_district(people)
    response = login(client, people.other_reviewer).post(
        reverse("nominations:bulk_review"), {"task": [task_id(nomination)], "action": "forward"}, follow=True
    )
    assert "không có quyền" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == Status.IN_REVIEW


def test_upload_errors_are_shown_on_the_file_field(client, people):
    nomination = file_nomination(people.clerk, with_dossier=False)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("bao-cao.pdf", b"not a pdf at all", content_type="application/pdf")
    response = login(client, people.clerk).post(
        reverse("nominations:upload", args=[nomination.pk]), {"kind": "evidence", "file": fake}
    )
    assert response.status_code == 400
    assert "Nội dung tệp không khớp với định dạng .pdf" in response.content.decode()
    assert not DossierFile.objects.exists()


@pytest.mark.parametrize("persona,status", [("outsider", 404), ("other_clerk", 404), ("inspector", 403)])
def test_upload_refused_to_other_people(client, people, persona, status):
    nomination = file_nomination(people.clerk, with_dossier=False)
    response = login(client, getattr(people, persona)).post(
        reverse("nominations:upload", args=[nomination.pk]), {"kind": "evidence", "file": pdf_upload()}
    )
    assert response.status_code == status
    assert not DossierFile.objects.exists()


def test_download_is_audited(client, people):
    nomination = at_district(people)
    dossier = nomination.files.first()
    response = login(client, people.district_reviewer).get(
        reverse("nominations:download", args=[nomination.pk, dossier.pk])
    )
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    event = Event.objects.get(action="dossier.download")
    assert event.actor == people.district_reviewer and event.nomination_id == nomination.pk


@pytest.mark.parametrize("persona", ["outsider", "other_reviewer", "other_clerk"])
def test_download_refused_and_not_leaked(client, people, persona):
    nomination = at_district(people)
    dossier = nomination.files.first()
    response = login(client, getattr(people, persona)).get(
        reverse("nominations:download", args=[nomination.pk, dossier.pk])
    )
    assert response.status_code == 404
    assert not Event.objects.filter(action="dossier.download").exists()


def test_edit_returned_nomination(client, people):
    nomination = file_nomination(people.clerk)
    response = login(client, people.clerk).post(
        reverse("nominations:edit", args=[nomination.pk]),
        {
            "full_name": "Nguyễn Văn An",
            "gender": "male",
            "birth_year": "1980",
            "position": "Phó Chủ tịch",
            "period_year": str(nomination.period_year),
            "achievements": "Thành tích mới.",
        },
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.achievements == "Thành tích mới." and nomination.nominee.position == "Phó Chủ tịch"


def test_edit_refused_once_submitted(client, people):
    nomination = at_district(people)
    response = login(client, people.clerk).post(
        reverse("nominations:edit", args=[nomination.pk]),
        {"full_name": "X", "period_year": str(nomination.period_year), "achievements": "Đổi."},
    )
    assert "Chỉ sửa được đề nghị" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.achievements != "Đổi."


@pytest.mark.parametrize(
    "persona,status", [("outsider", 404), ("other_clerk", 404), ("district_reviewer", 403)]
)
def test_edit_refused_to_other_people(client, people, persona, status):
    nomination = at_district(people)
    response = login(client, getattr(people, persona)).post(
        reverse("nominations:edit", args=[nomination.pk]),
        {"full_name": "X", "period_year": str(nomination.period_year), "achievements": "Đổi."},
    )
    assert response.status_code == status


def test_secretary_records_vote_with_minutes(client, people):
    nomination = at_province(
        people,
        award_code=factories.VOTED_COLLECTIVE,
        kind="collective",
        full_name="Trường Tiểu học Định Thủy",
    )
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination))
    factories.posting_window_pass([nomination])
    login(client, people.secretary)
    body = client.get(reverse("nominations:home")).content.decode()
    assert "Trường Tiểu học Định Thủy" in body
    response = client.post(
        reverse("nominations:act", args=[nomination.pk]),
        {"members_total": 15, "members_present": 13, "votes_for": 16, "votes_against": 0},
    )
    assert response.status_code == 400 and 'data-field="votes_for"' in response.content.decode()
    response = client.post(
        reverse("nominations:act", args=[nomination.pk]),
        {
            "members_total": 15,
            "members_present": 13,
            "votes_for": 12,
            "votes_against": 1,
            "minutes": pdf_upload("bien-ban.pdf"),
        },
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Status.AWAITING_SIGNATURE
    assert nomination.votes.get().minutes.name.endswith(".pdf")


def test_nomination_list_scoped_and_searchable(client, people):
    at_district(people, full_name="Nguyễn Văn Bình")
    file_nomination(people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG", full_name="Nguyễn Văn Khác")
    body = (
        login(client, people.district_reviewer)
        .get(reverse("nominations:list"), {"q": "NGUYEN"})
        .content.decode()
    )
    assert "Nguyễn Văn Bình" in body and "Nguyễn Văn Khác" not in body


def test_dashboard_for_province_officers_only(client, people):
    nomination = at_province(people)
    body = login(client, people.province_reviewer).get(reverse("nominations:dashboard")).content.decode()
    assert 'data-testid="chart-status"' in body and "Đang thẩm định" in body
    assert 'data-testid="chart-time"' in body and "Huyện, thành phố" in body
    assert nomination.award_type.name in body
    for persona in ("clerk", "district_reviewer", "outsider"):
        assert (
            login(client, getattr(people, persona)).get(reverse("nominations:dashboard")).status_code == 403
        )


def test_language_switch_to_english(client, people):
    login(client, people.clerk)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("nominations:home")})
    assert response.status_code == 302
    body = client.get(reverse("nominations:home")).content.decode()
    assert '<html lang="en">' in body
    assert "My unit" in body and "Log out" in body
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Đề nghị của đơn vị" in client.get(reverse("nominations:home")).content.decode()


def test_dates_are_day_month_year(client, people):
    nomination = at_district(people)
    nomination.refresh_from_db()
    body = login(client, people.district_reviewer).get(reverse("nominations:home")).content.decode()
    assert nomination.due_on.strftime("%d/%m/%Y") in body


def test_inbox_marks_overdue_tasks(client, people):
    from datetime import timedelta

    from django.utils import timezone

    from workflows.models import TaskScope

    nomination = at_district(people, full_name="Quá Hạn Văn A")
    TaskScope.objects.filter(nomination=nomination).update(due_on=timezone.localdate() - timedelta(days=3))
    body = login(client, people.district_reviewer).get(reverse("nominations:home")).content.decode()
    assert 'class="overdue"' in body and "Quá hạn" in body


def test_sensitive_fields_only_for_the_proposing_unit_and_inspector(client, people):
    nomination = at_district(people, citizen_id="083090001234")
    url = reverse("nominations:detail", args=[nomination.pk])
    assert "083090001234" in login(client, people.head).get(url).content.decode()
    assert "083090001234" in login(client, people.inspector).get(url).content.decode()
    assert "083090001234" not in login(client, people.district_reviewer).get(url).content.decode()
    assert "083090001234" in login(client, people.clerk).get(url).content.decode()  # the clerk typed it in


def test_detail_lists_missing_dossier_kinds_while_editable(client, people):
    nomination = file_nomination(people.clerk, with_dossier=False)
    body = (
        login(client, people.clerk).get(reverse("nominations:detail", args=[nomination.pk])).content.decode()
    )
    assert 'data-testid="missing-files"' in body and "Báo cáo thành tích" in body


def test_council_member_reads_what_the_council_votes_on(client, people):
    nomination = at_province(
        people, award_code=factories.VOTED_COLLECTIVE, kind="collective", full_name="Tổ dân phố Hội Đồng"
    )
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination))
    factories.posting_window_pass([nomination])
    login(client, people.council_member)
    body = client.get(reverse("nominations:home")).content.decode()
    assert 'data-testid="council-home"' in body and "Tổ dân phố Hội Đồng" in body
    assert client.get(reverse("nominations:detail", args=[nomination.pk])).status_code == 200
    response = client.post(
        reverse("nominations:act", args=[nomination.pk]),
        {"members_total": 15, "members_present": 13, "votes_for": 12, "votes_against": 1},
    )
    assert response.status_code == 403


def test_head_submits_from_the_detail_page(client, people):
    nomination = file_nomination(people.clerk)
    response = login(client, people.head).post(
        reverse("nominations:act", args=[nomination.pk]), {"action": "submit"}
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Status.IN_REVIEW


def test_submit_with_missing_dossier_is_refused_on_the_form(client, people):
    nomination = file_nomination(people.clerk, with_dossier=False)
    response = login(client, people.head).post(
        reverse("nominations:act", args=[nomination.pk]), {"action": "submit"}
    )
    assert response.status_code == 400 and "Hồ sơ còn thiếu" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT


def test_refusals_are_explained_in_vietnamese(client, people, settings):
    settings.DEBUG = False
    nomination = at_district(people)
    login(client, people.outsider)
    response = client.get(reverse("nominations:create"))
    assert response.status_code == 403 and "Không có quyền truy cập" in response.content.decode()
    response = client.get(reverse("nominations:detail", args=[nomination.pk]))
    assert response.status_code == 404 and "Không tìm thấy" in response.content.decode()


def test_act_on_a_closed_nomination_is_refused_to_readers(client, people):
    # With no open task the view used to redirect anyone who could read the nomination (302 on a write).
    from workflows.services import decision_sign

    nomination = at_province(people)
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination))
    decision_sign(actor=people.chairman, nominations=[nomination])
    url = reverse("nominations:act", args=[nomination.pk])
    for persona in ("clerk", "head", "district_reviewer", "province_reviewer", "inspector"):
        client.force_login(getattr(people, persona))
        assert client.post(url, {"action": "return", "reason": ""}).status_code == 403, persona
    # Who signed the last step still hears "already done" (a double click), and nothing changes.
    response = login(client, people.chairman).post(url, {"action": "return", "reason": ""})
    assert response.status_code == 302 and response.url == reverse("nominations:detail", args=[nomination.pk])
    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED


def test_download_of_a_file_lost_from_storage_is_404_not_500(client, people):
    nomination = at_district(people)
    dossier = nomination.files.first()
    dossier.file.storage.delete(dossier.file.name)
    response = login(client, people.clerk).get(
        reverse("nominations:download", args=[nomination.pk, dossier.pk])
    )
    assert response.status_code == 404
    assert not Event.objects.filter(action="dossier.download").exists()


def test_inbox_marks_the_route_kind(client, people):
    standard = at_district(people, full_name="Thường Xuyên Văn B")
    fast = file_nomination(people.clerk, full_name="Đột Xuất Văn C", route="fast_track")
    nomination_submit(actor=people.head, nomination=fast)
    body = login(client, people.province_reviewer).get(reverse("nominations:home")).content.decode()
    assert 'class="pill route route-fast_track"' in body and "Đột xuất" in body
    body = login(client, people.district_reviewer).get(reverse("nominations:home")).content.decode()
    assert 'class="pill route route-standard"' in body and standard.nominee.full_name in body


def test_clerk_files_a_fast_track_nomination_from_the_form(client, people):
    from nominations.models import Route

    login(client, people.clerk)
    page = client.get(reverse("nominations:create") + "?route=fast_track").content.decode()
    assert "Đề nghị khen thưởng đột xuất" in page
    assert "Giấy khen" in page and "Chiến sĩ thi đua cơ sở" not in page  # only fast-track award types
    response = client.post(
        reverse("nominations:create"),
        {
            "route": "fast_track",
            "unit": unit("BT.MCN.DINHTHUY").pk,
            "kind": "individual",
            "full_name": "Lê Văn Cứu",
            "gender": "male",
            "birth_year": 1990,
            "position": "Dân quân",
            "award_type": award("bang_khen_tinh").pk,
            "movement": movement().pk,
            "period_year": 2026,
            "achievements": "Cứu 3 người bị nạn trong lũ.",
            "event_on": "2026-01-05",
            "file": pdf_upload("to-trinh.pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    nomination = Nomination.objects.get(nominee__full_name="Lê Văn Cứu")
    assert nomination.route == Route.FAST_TRACK and nomination.is_ad_hoc
    assert nomination.files.get().kind == "submission"
    assert nomination.event_on == date(2026, 1, 5)


def test_fast_track_form_refuses_an_award_type_not_allowed_on_it(client, people):
    login(client, people.clerk)
    response = client.post(
        reverse("nominations:create"),
        {
            "route": "fast_track",
            "unit": unit("BT.MCN.DINHTHUY").pk,
            "kind": "individual",
            "full_name": "Lê Văn D",
            "award_type": award("chien_si_thi_dua_co_so").pk,
            "movement": movement().pk,
            "period_year": 2026,
            "achievements": "x",
        },
    )
    assert (
        response.status_code == 200 and not Nomination.objects.filter(nominee__full_name="Lê Văn D").exists()
    )


@pytest.mark.parametrize(
    ("route", "kind"), [("standard", "achievement_report"), ("fast_track", "submission")]
)
def test_the_filing_form_names_the_dossier_kind_the_route_requires(client, people, route, kind):
    from nominations.models import DossierKind, DossierRequirement
    from nominations.services import filing_dossier_kind

    # The form attaches a document the catalogue requires on that route, so a filed dossier is complete.
    assert filing_dossier_kind(route) == kind
    assert DossierRequirement.objects.in_force().filter(route=route, award_code="", kind=kind).exists()
    login(client, people.clerk)
    form = client.get(reverse("nominations:create") + f"?route={route}").context["form"]
    assert str(form.fields["file"].label) == f"{DossierKind(kind).label} (PDF, DOCX…)"
