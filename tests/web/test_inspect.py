"""Inspector pages: only inspectors get in, each sees only their units, filters explain bad dates, exports audited."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from approvals.models import Decision
from audit.models import Event
from organisation.services import membership_grant
from tests.factories import file_nomination, unit
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
)

PAGES = [
    ("audit:search", {}),
    ("audit:export_csv", {}),
    ("audit:export_xlsx", {}),
    ("audit:decision_trace", {}),
    ("audit:decisions", {}),
    ("audit:verify", {}),
]


def _url(name, nomination=None):
    if name == "audit:timeline":
        return reverse(name, args=[nomination.pk])
    return reverse(name)


def _awarded(people, full_name="Nguyễn Văn An"):
    nomination = file_nomination(people.clerk, full_name=full_name)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(
        actor=people.province_reviewer, task_id=open_task_of(nomination).task_id, reason="Đủ tiêu chuẩn."
    )
    decision = decision_sign(actor=people.chairman, nominations=[nomination])
    return nomination, decision


@pytest.fixture
def nomination(people):
    return file_nomination(people.clerk)


ALL_VIEWS = [name for name, _ in PAGES] + ["audit:timeline"]


@pytest.mark.parametrize("name", ALL_VIEWS)
@pytest.mark.parametrize(
    "persona", ["clerk", "district_reviewer", "province_reviewer", "chairman", "outsider"]
)
def test_non_inspectors_are_refused(client, people, nomination, name, persona):
    client.force_login(getattr(people, persona))
    assert client.get(_url(name, nomination)).status_code == 403


@pytest.mark.parametrize("name", ALL_VIEWS)
def test_anonymous_is_sent_to_login(client, people, nomination, name):
    response = client.get(_url(name, nomination))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_non_inspector_cannot_run_verification(client, people):
    client.force_login(people.province_reviewer)
    before = Event.objects.count()
    assert client.post(reverse("audit:verify")).status_code == 403
    assert Event.objects.count() == before


@pytest.mark.parametrize("name", ALL_VIEWS)
def test_inspector_opens_every_page(client, people, nomination, name):
    client.force_login(people.inspector)
    assert client.get(_url(name, nomination)).status_code == 200


def test_timeline_shows_who_what_reason_files_and_durations(client, people):
    nomination, decision = _awarded(people)
    client.force_login(people.inspector)
    page = client.get(reverse("audit:timeline", args=[nomination.pk])).content.decode()
    for text in (
        "Võ Thị Kim Ngân",
        "Thẩm định đạt",
        "Đủ tiêu chuẩn.",
        "Chuyển cấp trên",
        "achievement_report.pdf",
        "Ghi nhận khen thưởng",
        "dưới 1 phút",
        "Cán bộ xét duyệt",
        "Thủ trưởng đơn vị",
        "Huyện Mỏ Cày Nam",
        "Bằng khen của Chủ tịch UBND tỉnh",
        "Loại hình khen thưởng: ",
        "Quy trình: Thường xuyên",
    ):
        assert text in page, text
    # People read names, never the machine's codes and logins.
    for raw in (
        "province_reviewer",
        "document.generate",
        "award_type: bang_khen_tinh",
        "route: standard",
        ">BT.MCN<",
        ">BT.MCN.DINHTHUY<",
        "permission:",
    ):
        assert raw not in page, raw


def test_timeline_names_the_person_acted_for(client, people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(
        actor=people.district_reviewer,
        task_id=open_task_of(nomination).task_id,
        on_behalf_of=people.district_chairman,
    )
    client.force_login(people.inspector)
    page = client.get(reverse("audit:timeline", args=[nomination.pk])).content.decode()
    assert "thay mặt Phạm Văn Lợi" in page


def test_timeline_of_a_nomination_outside_the_inspectors_units_is_not_found(client, people):
    inspector = get_user_model().objects.create_user("mcn_inspector", password="x")
    membership_grant(user=inspector, unit=unit("BT.MCN"), role="inspector")
    ours = file_nomination(people.clerk)
    theirs = file_nomination(people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG", full_name="Châu Văn Tư")
    other_province = file_nomination(people.vl_clerk, unit_code="VL.DINHTHUY")
    client.force_login(inspector)
    assert client.get(reverse("audit:timeline", args=[ours.pk])).status_code == 200
    assert client.get(reverse("audit:timeline", args=[theirs.pk])).status_code == 404
    client.force_login(people.inspector)
    assert client.get(reverse("audit:timeline", args=[other_province.pk])).status_code == 404


def test_search_is_limited_to_the_inspectors_units(client, people):
    inspector = get_user_model().objects.create_user("mcn_inspector", password="x")
    membership_grant(user=inspector, unit=unit("BT.MCN"), role="inspector")
    ours = file_nomination(people.clerk)
    theirs = file_nomination(people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG", full_name="Châu Văn Tư")
    client.force_login(inspector)
    shown = {e.nomination_id for e in client.get(reverse("audit:search")).context["page"].object_list}
    assert ours.pk in shown and theirs.pk not in shown
    client.force_login(people.inspector)
    response = client.get(reverse("audit:search"), {"unit": "BT.BATRI"})
    rows = response.context["page"].object_list
    assert {e.nomination_id for e in rows} == {theirs.pk, None}  # None: the district's membership grants
    assert {e.action for e in rows if e.nomination_id is None} == {"membership.grant"}


def test_search_filters_by_actor_action_dates_and_award_type(client, people):
    nomination, _decision = _awarded(people)
    other = file_nomination(
        people.clerk,
        award_code="tap_the_lao_dong_xuat_sac",
        kind="collective",
        full_name="Trường Tiểu học Định Thủy",
    )
    client.force_login(people.inspector)
    search = reverse("audit:search")
    rows = client.get(search, {"actor": "province_reviewer"}).context["page"].object_list
    assert [e.action for e in rows] == ["task.approve"]
    rows = client.get(search, {"action": "task.forward"}).context["page"].object_list
    assert [e.nomination_id for e in rows] == [nomination.pk]
    rows = client.get(search, {"action": "dossier"}).context["page"].object_list
    assert {e.nomination_id for e in rows} == {nomination.pk, other.pk}
    rows = client.get(search, {"award_type": "tap_the_lao_dong_xuat_sac"}).context["page"].object_list
    assert rows and {e.nomination_id for e in rows} == {other.pk}
    from django.utils import timezone

    today = timezone.localdate().strftime("%d/%m/%Y")
    assert client.get(search, {"date_from": today, "date_to": today}).context["page"].paginator.count > 0
    assert (
        client.get(search, {"date_from": "01/01/2020", "date_to": "31/12/2020"})
        .context["page"]
        .paginator.count
        == 0
    )


@pytest.mark.parametrize(
    "bad", [{"date_from": "2026-01-05"}, {"date_from": "31/02/2026"}, {"date_to": "hôm qua"}]
)
def test_bad_dates_give_a_clear_vietnamese_error(client, people, bad):
    client.force_login(people.inspector)
    response = client.get(reverse("audit:search"), bad)
    field = next(iter(bad))
    assert response.context["form"].errors[field] == [
        "Ngày không hợp lệ, vui lòng nhập theo dạng dd/mm/yyyy (ví dụ 05/01/2026)."
    ]
    assert "dd/mm/yyyy" in response.content.decode()
    assert client.get(reverse("audit:export_csv"), bad).status_code == 400


def test_reversed_date_range_is_refused(client, people):
    client.force_login(people.inspector)
    response = client.get(reverse("audit:search"), {"date_from": "05/01/2026", "date_to": "01/01/2026"})
    assert "“Đến ngày” phải bằng hoặc sau “Từ ngày”." in response.context["form"].errors["date_to"]


def test_csv_export_of_the_filtered_set_is_itself_audited(client, people):
    nomination, _decision = _awarded(people)
    client.force_login(people.inspector)
    response = client.get(reverse("audit:export_csv"), {"nomination": nomination.pk, "action": "task"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Mã sự kiện", "Thời gian", "Người thực hiện"]
    actions = [row[rows[0].index("Mã thao tác")] for row in rows[1:]]
    assert set(actions) == {"task.open", "task.submit", "task.forward", "task.approve", "task.sign"}
    export = Event.objects.get(action="read.export")
    assert export.actor_id == people.inspector.pk and export.chain == f"user:{people.inspector.pk}"
    assert export.data == {
        "format": "csv",
        "filters": {"nomination": nomination.pk, "action": "task"},
        "rows": len(rows) - 1,
    }


def test_excel_export_is_itself_audited(client, people):
    _awarded(people)
    client.force_login(people.inspector)
    response = client.get(reverse("audit:export_xlsx"), {"action": "task.approve"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã sự kiện" and len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Mã thao tác"] == "task.approve" and record["Thao tác"] == "Thẩm định đạt"
    assert record["Người thực hiện"] == "Võ Thị Kim Ngân" and record["Vai trò"] == "Cán bộ xét duyệt"
    assert Event.objects.filter(action="read.export", data__format="xlsx").count() == 1


def test_decision_trace_lists_every_event_of_every_nomination(client, people):
    first, decision = _awarded(people)
    client.force_login(people.inspector)
    response = client.get(reverse("audit:decision_trace"), {"number": decision.number})
    traced = response.context["decisions"]
    assert [d.pk for d in traced] == [decision.pk]
    assert [n.pk for n in traced[0].traced] == [first.pk]
    assert [e.action for e in traced[0].own_events] == ["decision.sign"]
    page = response.content.decode()
    assert "Ký quyết định" in page and "Trần Ngọc Tam" in page and "Tổng tiền thưởng: " in page
    assert "decision.sign" not in page and "chairman<" not in page
    assert len(traced[0].traced[0].events) == Event.objects.filter(nomination_id=first.pk).count()
    missing = client.get(reverse("audit:decision_trace"), {"number": "99/QĐ-UBND"})
    assert "Không tìm thấy quyết định số “99/QĐ-UBND”" in missing.content.decode()


def test_verification_page_runs_and_records_a_check(client, people, nomination):
    client.force_login(people.inspector)
    response = client.post(reverse("audit:verify"))
    assert response.context["result"].ok
    assert "Nhật ký toàn vẹn" in response.content.decode()
    check = Event.objects.get(action="audit.verify")
    assert check.actor_id == people.inspector.pk and check.data["ok"] is True
    assert client.get(reverse("audit:verify")).context["history"][0].pk == check.pk


def test_verification_page_shows_the_first_broken_link(client, people, nomination):
    from audit import triggers

    with triggers.disabled():
        Event.objects.filter(nomination_id=nomination.pk, seq=2).update(reason="sửa")
    client.force_login(people.inspector)
    response = client.post(reverse("audit:verify"))
    assert not response.context["result"].ok
    assert f"nomination:{nomination.pk}" in response.content.decode()


def test_exports_neutralise_formulas_typed_into_reasons(client, people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    from workflows.services import review_return

    review_return(
        actor=people.district_reviewer,
        task_id=open_task_of(nomination).task_id,
        reason='=HYPERLINK("http://x","bấm")',
    )
    client.force_login(people.inspector)
    body = b"".join(client.get(reverse("audit:export_csv"), {"action": "task.return"}).streaming_content)
    assert "'=HYPERLINK" in body.decode("utf-8-sig")
    response = client.get(reverse("audit:export_xlsx"), {"action": "task.return"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    column = [cell.value for cell in sheet[1]].index("Lý do")
    reason = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert reason == ['\'=HYPERLINK("http://x","bấm")']


def test_security_events_are_limited_to_the_people_of_the_inspectors_units(client, people):
    for username in ("clerk", "vl_clerk"):
        client.post(reverse("login"), {"username": username, "password": "sai-mat-khau"})
        client.post(reverse("login"), {"username": username, "password": "Demo@2026"})
        client.logout()
    client.force_login(people.inspector)
    rows = client.get(reverse("audit:search"), {"action": "security"}).context["page"].object_list
    seen = {(e.action, e.actor_id or e.data.get("username")) for e in rows}
    assert ("security.login", people.clerk.pk) in seen
    assert ("security.login_failed", "clerk") in seen
    assert not {who for _action, who in seen} & {people.vl_clerk.pk, "vl_clerk"}


def test_excel_export_opens_ready_to_read(client, people):
    """Widths set, header frozen and filterable, times as real date-time cells in local time."""
    _awarded(people)
    client.force_login(people.inspector)
    response = client.get(reverse("audit:export_xlsx"), {"action": "task"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
    assert sheet.column_dimensions["B"].width >= 18 and sheet.column_dimensions["I"].width >= 40
    at = sheet["B2"]
    assert isinstance(at.value, datetime.datetime) and at.number_format == "dd/mm/yyyy hh:mm:ss"
    event = Event.objects.filter(action__startswith="task.").order_by("-at", "-id").first()
    local = event.at.astimezone(timezone.get_current_timezone()).replace(tzinfo=None, microsecond=0)
    assert at.value.replace(microsecond=0) == local


def test_action_filter_is_a_list_of_named_choices(client, people):
    client.force_login(people.inspector)
    form = client.get(reverse("audit:search")).context["form"]
    groups = dict(form.fields["action"].choices[1:])
    assert ("task", "Mọi thao tác xử lý hồ sơ") in [(k, str(v)) for k, v in groups["Nhóm thao tác"]]
    assert ("task.return", "Trả lại để bổ sung") in [(k, str(v)) for k, v in groups["Từng thao tác"]]
    page = client.get(reverse("audit:search")).content.decode()
    assert (
        '<select name="action"' in page and '<option value="document.generate">Tạo văn bản</option>' in page
    )
    response = client.get(reverse("audit:search"), {"action": "không-có"})
    assert response.context["form"].errors["action"]


def test_unit_filter_lists_the_inspected_units_by_name(client, people):
    inspector = get_user_model().objects.create_user("mcn_inspector", password="x")
    membership_grant(user=inspector, unit=unit("BT.MCN"), role="inspector")
    client.force_login(inspector)
    choices = dict(client.get(reverse("audit:search")).context["form"].fields["unit"].widget.choices)
    # The district is offered by name; its communes are reached through it (a province has ~1,300 of them).
    assert choices["BT.MCN"] == "Huyện Mỏ Cày Nam" and "BT.BATRI" not in choices
    assert "BT.MCN.DINHTHUY" not in choices
    assert not client.get(reverse("audit:search"), {"unit": "BT.MCN.DINHTHUY"}).context["form"].errors
    errors = client.get(reverse("audit:search"), {"unit": "BT.BATRI"}).context["form"].errors
    assert errors["unit"] == ["Đơn vị này không thuộc phạm vi thanh tra của bạn."]


@pytest.mark.parametrize(
    "query", ["1", "01", "01/QĐ-UBND", "01/QD-UBND", "01/qd-ubnd", "qd-ubnd", "nguyen van an"]
)
def test_decision_list_finds_by_partial_number_without_diacritics_or_by_nominee(client, people, query):
    _nomination, decision = _awarded(people)
    assert decision.number == "01/QĐ-UBND"
    client.force_login(people.inspector)
    response = client.get(reverse("audit:decisions"), {"q": query})
    assert [d.pk for d in response.context["page"].object_list] == [decision.pk]
    page = response.content.decode()
    assert "01/QĐ-UBND" in page and f"?id={decision.pk}" in page


def test_decision_list_finds_seven_among_many(client, people):
    """Sequence 7 first, then the others whose number holds a 7 (17/QĐ-UBND)."""
    first, decision = _awarded(people)
    Decision.objects.filter(pk=decision.pk).update(sequence=7, number="07/QĐ-UBND")
    other = Decision.objects.create(
        issuer=decision.issuer,
        year=decision.year,
        sequence=17,
        number="17/QĐ-UBND",
        title="Khen",
        signed_on=decision.signed_on,
        signer=people.chairman,
    )
    client.force_login(people.inspector)
    found = [d.pk for d in client.get(reverse("audit:decisions"), {"q": "7"}).context["page"].object_list]
    assert found == [decision.pk, other.pk]
    assert client.get(reverse("audit:decisions"), {"q": "07/QD-UBND"}).context["page"].paginator.count == 1
    assert (
        client.get(reverse("audit:decisions"), {"q": "Trần Văn Không"}).context["page"].paginator.count == 0
    )
    trace = client.get(reverse("audit:decision_trace"), {"id": decision.pk})
    assert [n.pk for n in trace.context["decisions"][0].traced] == [first.pk]


def test_decision_list_is_limited_to_the_inspectors_units(client, people):
    _nomination, decision = _awarded(people)
    inspector = get_user_model().objects.create_user("batri_inspector", password="x")
    membership_grant(user=inspector, unit=unit("BT.BATRI"), role="inspector")
    client.force_login(inspector)
    assert client.get(reverse("audit:decisions"), {"q": "01"}).context["page"].paginator.count == 0
    assert client.get(reverse("audit:decision_trace"), {"id": decision.pk}).status_code == 404
    client.force_login(people.clerk)
    assert client.get(reverse("audit:decisions")).status_code == 403


def test_decision_list_explains_a_bad_year(client, people):
    client.force_login(people.inspector)
    response = client.get(reverse("audit:decisions"), {"year": "hai nghìn"})
    assert response.context["form"].errors["year"] == ["Năm phải là số, ví dụ 2026."]
