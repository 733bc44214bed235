"""One inbox for every route: standard, fast-track and Công dân Đồng Khởi tasks side by side, earliest due first."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from nominations.models import Route
from tests.factories import file_dong_khoi, file_nomination, open_dong_khoi_round
from workflows.selectors import inbox_count, inbox_for
from workflows.services import nomination_submit, open_task_of, review_forward

# Thursday 15/10/2026, inside the Đồng Khởi window.
THURSDAY = datetime(2026, 10, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_province_reviewer_sees_all_three_routes_with_kind_and_due_date(people, time_machine):
    time_machine.move_to(THURSDAY, tick=False)
    standard = file_nomination(people.clerk, full_name="Người Thường Xuyên")
    nomination_submit(actor=people.head, nomination=standard)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(standard).task_id)
    fast = file_nomination(
        people.dept_clerk, unit_code="BT.SGDDT", route=Route.FAST_TRACK, full_name="Người Đột Xuất"
    )
    nomination_submit(actor=people.dept_head, nomination=fast)
    honour_round = open_dong_khoi_round(people.province_reviewer)
    dong_khoi = file_dong_khoi(people.clerk, honour_round, full_name="Người Đồng Khởi")
    nomination_submit(actor=people.head, nomination=dong_khoi)

    inbox = list(inbox_for(people.province_reviewer))
    # Earliest due first, in working days from Thursday 15/10: fast track 3, Đồng Khởi 15, standard appraisal 20.
    assert [
        (row.nomination_id, row.step, row.route, row.nomination.get_route_display(), row.due_on)
        for row in inbox
    ] == [
        (fast.pk, "appraise", "fast_track", "Đột xuất", date(2026, 10, 20)),
        (dong_khoi.pk, "appraise", "dong_khoi", "Công dân Đồng Khởi", date(2026, 11, 5)),
        (standard.pk, "appraise", "standard", "Thường xuyên", date(2026, 11, 12)),
    ]
    assert inbox_count(people.province_reviewer) == 3
    assert [row.nomination_id for row in inbox_for(people.province_reviewer, step="appraise")] == [
        fast.pk,
        dong_khoi.pk,
        standard.pk,
    ]
    # Nobody else's inbox picks them up.
    assert list(inbox_for(people.district_reviewer)) == []
    assert list(inbox_for(people.vl_reviewer)) == []
    assert list(inbox_for(people.dept_reviewer)) == []
