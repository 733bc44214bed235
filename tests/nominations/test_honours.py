"""The Công dân Đồng Khởi rounds (open, window, close) and the public golden book."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import Event
from nominations.honours import conferral_default, conferral_note, golden_book, round_close, round_open
from nominations.models import AwardHistory, HonourRound, RoundStatus
from organisation.models import Council, CouncilKind
from tests.factories import file_dong_khoi, open_dong_khoi_round
from workflows.services import appraisal_approve, decision_sign, nomination_submit, open_task_of, vote_record

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PASSING_VOTE = {"members_total": 11, "members_present": 10, "votes_for": 9, "votes_against": 1}
FAILING_VOTE = {"members_total": 11, "members_present": 10, "votes_for": 7, "votes_against": 3}


def advisory_council():
    return Council.objects.get(unit__code="BT", kind=CouncilKind.ADVISORY)


def rounds_snapshot():
    return (
        HonourRound.objects.count(),
        list(HonourRound.objects.values_list("status", flat=True)),
        Event.objects.count(),
    )


def through_council(people, nomination, head, vote):
    nomination_submit(actor=head, nomination=nomination)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    vote_record(actor=people.secretary, task_id=open_task_of(nomination).task_id, **vote)


def test_round_opens_with_conferral_on_the_anniversary_even_on_a_sunday(people, time_machine):
    time_machine.move_to(datetime(2026, 9, 20, 9, 0, tzinfo=HCM), tick=False)
    honour_round = open_dong_khoi_round(people.province_reviewer)
    assert honour_round.status == RoundStatus.OPEN and honour_round.council == advisory_council()
    # 17/01/2027 is a Sunday: a ceremony keeps its date, and the page says it is a day off.
    assert honour_round.conferral_on == conferral_default(2026) == date(2027, 1, 17)
    assert conferral_note(honour_round.conferral_on) == "Chủ nhật, ngày nghỉ cuối tuần"
    event = Event.objects.get(action="honour_round.open")
    assert event.actor_id == people.province_reviewer.pk and event.unit_code == "BT"
    assert (
        event.data["conferral_on"] == "2027-01-17"
        and event.data["conferral_note"] == "Chủ nhật, ngày nghỉ cuối tuần"
    )


def test_conferral_note_names_weekdays_and_holidays():
    assert conferral_note(date(2028, 1, 17)) == "Thứ Hai"
    assert conferral_note(date(2027, 1, 1)).startswith("Thứ Sáu, ngày nghỉ lễ")


def test_round_close_is_audited_and_counts_what_is_still_in_flight(people, time_machine):
    time_machine.move_to(datetime(2026, 10, 15, 9, 0, tzinfo=HCM), tick=False)
    honour_round = open_dong_khoi_round(people.province_reviewer)
    file_dong_khoi(people.clerk, honour_round)
    round_close(actor=people.province_reviewer, honour_round=honour_round)
    honour_round.refresh_from_db()
    assert honour_round.status == RoundStatus.CLOSED
    assert Event.objects.get(action="honour_round.close").data == {"year": 2026, "pending_nominations": 1}
    before = rounds_snapshot()
    with pytest.raises(ValidationError) as excinfo:
        round_close(actor=people.province_reviewer, honour_round=honour_round)
    assert excinfo.value.message_dict["status"] == ["Đợt xét năm 2026 đã kết thúc."]
    assert rounds_snapshot() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"opens_on": date(2026, 12, 1)}, "closes_on", "Ngày kết thúc nhận hồ sơ phải sau ngày bắt đầu."),
        (
            {"conferral_on": date(2026, 11, 1)},
            "conferral_on",
            "Ngày trao tặng phải sau thời hạn nhận hồ sơ (30/11/2026).",
        ),
        ({"council": "full"}, "council", "Phải chọn Hội đồng tư vấn xét tặng danh hiệu đang hoạt động."),
        (
            {"opens_on": date(2024, 10, 1)},
            "opens_on",
            "Đợt xét năm 2026 phải nhận hồ sơ trong năm 2026 hoặc đầu năm sau.",
        ),
    ],
)
def test_bad_round_settings_are_refused(people, changes, field, message):
    kwargs = {
        "year": 2026,
        "council": advisory_council(),
        "opens_on": date(2026, 10, 1),
        "closes_on": date(2026, 11, 30),
    }
    kwargs.update(changes)
    if kwargs["council"] == "full":
        kwargs["council"] = Council.objects.get(unit__code="BT", kind=CouncilKind.FULL)
    before = rounds_snapshot()
    with pytest.raises(ValidationError) as excinfo:
        round_open(actor=people.province_reviewer, **kwargs)
    assert excinfo.value.message_dict[field] == [message]
    assert rounds_snapshot() == before


def test_one_round_per_year(people):
    open_dong_khoi_round(people.province_reviewer)
    before = rounds_snapshot()
    with pytest.raises(ValidationError) as excinfo:
        open_dong_khoi_round(people.province_reviewer)
    assert excinfo.value.message_dict["year"] == ["Đợt xét Công dân Đồng Khởi năm 2026 đã được mở."]
    assert rounds_snapshot() == before


@pytest.mark.parametrize(
    "actor", ["clerk", "head", "secretary", "chairman", "district_reviewer", "vl_reviewer", "outsider"]
)
def test_only_province_reviewers_open_and_close_rounds(people, actor):
    before = rounds_snapshot()
    with pytest.raises(PermissionDenied):
        open_dong_khoi_round(getattr(people, actor))
    assert rounds_snapshot() == before
    honour_round = open_dong_khoi_round(people.province_reviewer)
    before = rounds_snapshot()
    with pytest.raises(PermissionDenied):
        round_close(actor=getattr(people, actor), honour_round=honour_round)
    assert rounds_snapshot() == before


def run_round(people, time_machine, year, holders):
    """Run a whole round of `year`: file in the window, council, one chairman's decision, close after conferral."""
    time_machine.move_to(datetime(year, 10, 15, 9, 0, tzinfo=HCM), tick=False)
    honour_round = open_dong_khoi_round(people.province_reviewer, year=year)
    nominations = []
    for index, (clerk, head, unit_code, variant, name, position, vote) in enumerate(holders):
        nomination = file_dong_khoi(
            getattr(people, clerk),
            honour_round,
            unit_code=unit_code,
            variant=variant,
            full_name=name,
            position=position,
            citizen_id=f"0831{year}{index:04d}",  # 12 digits, as a CCCD has
            birth_year=1947,
        )
        through_council(people, nomination, getattr(people, head), vote)
        nominations.append((nomination, vote is PASSING_VOTE))
    time_machine.move_to(datetime(year, 12, 20, 9, 0, tzinfo=HCM), tick=False)
    decision = decision_sign(actor=people.chairman, nominations=[n for n, passed in nominations if passed])
    time_machine.move_to(datetime(year + 1, 1, 20, 9, 0, tzinfo=HCM), tick=False)
    round_close(actor=people.province_reviewer, honour_round=honour_round)
    return honour_round, decision, [n for n, _ in nominations]


def test_full_round_with_both_variants_fills_the_public_golden_book(people, time_machine, client):
    _, earlier, _ = run_round(
        people,
        time_machine,
        2025,
        [
            (
                "clerk",
                "head",
                "BT.MCN.DINHTHUY",
                "tieu_bieu",
                "Lê Thị Hồng Gấm",
                "Nông dân sản xuất giỏi",
                PASSING_VOTE,
            )
        ],
    )
    honour_round, decision, nominations = run_round(
        people,
        time_machine,
        2026,
        [
            (
                "clerk",
                "head",
                "BT.MCN.DINHTHUY",
                "tieu_bieu",
                "Nguyễn Thị Định",
                "Nguyên Bí thư Đảng ủy xã",
                PASSING_VOTE,
            ),
            (
                "dept_clerk",
                "dept_head",
                "BT.SGDDT",
                "danh_du",
                "Pierre Nguyễn",
                "Việt kiều tại Pháp",
                PASSING_VOTE,
            ),
            (
                "dept_clerk",
                "dept_head",
                "BT.SGDDT",
                "tieu_bieu",
                "Trần Văn Chưa Đạt",
                "Giáo viên",
                FAILING_VOTE,
            ),
        ],
    )
    assert decision.title == "Về việc tặng danh hiệu “Công dân Đồng Khởi” năm 2026"
    assert decision.certificates.count() == 2

    book = golden_book()
    assert [entry["year"] for entry in book] == [2026, 2025]
    assert [(h["name"], h["variant"]) for h in book[0]["holders"]] == [
        ("Nguyễn Thị Định", "Công dân Đồng Khởi tiêu biểu"),
        ("Pierre Nguyễn", "Công dân Đồng Khởi danh dự"),
    ]
    assert book[0]["conferral_on"] == date(2027, 1, 17) and book[1]["conferral_on"] == date(2026, 1, 17)

    response = client.get(reverse("honours:golden_book"))
    assert reverse("honours:golden_book") == "/cong-dan-dong-khoi/"
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Sổ vàng Công dân Đồng Khởi",
        "Năm 2026",
        "Năm 2025",
        "Nguyễn Thị Định",
        "Công dân Đồng Khởi tiêu biểu",
        "Pierre Nguyễn",
        "Công dân Đồng Khởi danh dự",
        "Việt kiều tại Pháp, Sở Giáo dục và Đào tạo",
        "Nguyên Bí thư Đảng ủy xã, Xã Định Thủy",
        decision.number,
        earlier.number,
        "17/01/2027",
        "Chủ nhật, ngày nghỉ cuối tuần",
        "Lê Thị Hồng Gấm",
    ):
        assert text in page, text
    assert page.index("Năm 2026") < page.index("Năm 2025")
    # Not approved by the council: not in the book. Personal data beyond the public minimum: never.
    assert "Trần Văn Chưa Đạt" not in page
    for nomination in nominations:
        assert nomination.nominee.citizen_id not in page
    assert "1947" not in page


def test_revoked_titles_leave_the_golden_book(people, time_machine, client):
    _, _, nominations = run_round(
        people,
        time_machine,
        2026,
        [("clerk", "head", "BT.MCN.DINHTHUY", "tieu_bieu", "Nguyễn Văn Thu Hồi", "Doanh nhân", PASSING_VOTE)],
    )
    assert "Nguyễn Văn Thu Hồi" in client.get("/cong-dan-dong-khoi/").content.decode()
    AwardHistory.objects.filter(nomination=nominations[0]).update(is_revoked=True)
    page = client.get("/cong-dan-dong-khoi/").content.decode()
    assert "Nguyễn Văn Thu Hồi" not in page and "Chưa có người được tặng danh hiệu." in page


def test_golden_book_is_read_only(client, db):
    assert client.post("/cong-dan-dong-khoi/").status_code == 405
    assert client.get("/cong-dan-dong-khoi/").status_code == 200


@pytest.mark.postgres
def test_closing_waits_for_a_signature_in_progress(tpeople):
    """The signature holds the round row: a close cannot commit between the signing check and the decision."""
    import threading
    from types import SimpleNamespace

    from django.db import OperationalError, connection, transaction

    from nominations.honours import sign_errors

    honour_round = open_dong_khoi_round(tpeople.province_reviewer)
    outcome = {}

    def close_now():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '300ms'")
            round_close(actor=tpeople.province_reviewer, honour_round=honour_round)
            outcome["closed"] = True
        except OperationalError as exc:
            outcome["blocked"] = exc
        finally:
            connection.close()

    with transaction.atomic():
        assert sign_errors([SimpleNamespace(round_id=honour_round.pk)]) is None
        closer = threading.Thread(target=close_now)
        closer.start()
        closer.join()
    assert "blocked" in outcome and "closed" not in outcome
    honour_round.refresh_from_db()
    assert honour_round.status == RoundStatus.OPEN
    round_close(actor=tpeople.province_reviewer, honour_round=honour_round)
    with transaction.atomic():
        assert sign_errors([SimpleNamespace(round_id=honour_round.pk)]).endswith("không thể ký quyết định.")
