"""One map of names for steps and events: the nomination page and the inspector's pages say the same thing."""

from audit.labels import ACTION_LABELS as AUDIT_LABELS
from nominations.process import Action, Step
from web.labels import EVENT_LABELS, data_items, event_label, step_label
from web.templatetags import ui


def test_every_task_action_is_named_as_the_vocabulary_names_it():
    for action in Action:
        assert event_label(f"task.{action}") == action.label


def test_template_filters_and_inspector_use_the_same_names():
    for action in EVENT_LABELS:
        assert ui.event_label(action) == event_label(action)
    for step in Step:
        assert ui.step_label(step.value) == step_label(step.value) == step.label


def test_audit_keeps_only_its_own_generic_events():
    assert {action.split(".", 1)[0] for action in AUDIT_LABELS} == {"security", "audit", "read"}
    assert AUDIT_LABELS.items() <= EVENT_LABELS.items()


def test_disputed_names_read_one_way():
    assert str(event_label("task.submit")) == "Trình đề nghị"
    assert str(event_label("task.return")) == "Trả lại để bổ sung"
    assert str(event_label("dossier.add")) == "Thêm tài liệu hồ sơ"
    assert str(event_label("posting.open")) == "Bắt đầu công khai"


def test_unknown_names_fall_back_to_the_code():
    assert event_label("something.new") == "something.new"
    assert step_label("hop_hoi_dong") == "hop_hoi_dong"


def test_every_event_the_code_records_has_a_name():
    """The inspector never reads a raw action such as document.generate."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    recorded = set()
    for app in ("approvals", "nominations", "workflows", "organisation", "audit", "config"):
        for path in (root / app).rglob("*.py"):
            recorded.update(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text()))
    assert recorded and not recorded - set(EVENT_LABELS)
    assert str(event_label("document.generate")) == "Tạo văn bản"


def test_event_details_read_as_names_dates_and_money():
    items = data_items(
        {
            "award_type": "bang_khen_tinh",
            "route": "standard",
            "unit": "BT.MCN",
            "due_on": "2026-01-05",
            "amount": "1520000",
            "step": "appraise",
            "permission": "approvals.review_nomination",
        },
        units={"BT.MCN": "Huyện Mỏ Cày Nam"},
        award_types={"bang_khen_tinh": "Bằng khen của Chủ tịch UBND tỉnh"},
    )
    assert [(str(label), str(value)) for label, value in items] == [
        ("Loại hình khen thưởng", "Bằng khen của Chủ tịch UBND tỉnh"),
        ("Quy trình", "Thường xuyên"),
        ("Đơn vị", "Huyện Mỏ Cày Nam"),
        ("Bước", "Thẩm định"),
        ("Hạn xử lý", "05/01/2026"),
        ("Tiền thưởng", "1.520.000 đ"),
    ]


def test_bulk_actions_are_named_as_the_nomination_page_names_them_at_each_step():
    from web.labels import action_choices, bulk_action_choices

    for step in (Step.REVIEW, Step.APPRAISE):
        assert set(bulk_action_choices([step])) == set(action_choices(step))
    appraisal = dict(bulk_action_choices([Step.APPRAISE]))
    assert str(appraisal["approve"]) == "Thẩm định đạt"
    assert "forward" not in appraisal


def test_dashboard_bars_follow_the_figure_shown():
    from web.statistics import bar_widths

    def row(hours):
        return {"hours": hours, "days": hours / 24}

    # Both read "0,0 giờ": the same empty bar, not 3% and 100%.
    assert [r["pct"] for r in bar_widths([row(0.001), row(0.04)])] == [0, 0]
    assert [r["pct"] for r in bar_widths([row(0.04), row(2.0), row(48.0)])] == [0, 4, 100]
