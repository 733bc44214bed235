"""Analytics over the demo awards: medians and 90th percentiles per tier and step as the database computes them,
overdue tasks by unit, volumes and trends; a handful of aggregate queries whatever the number of nominations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from nominations.models import ContentArea
from organisation.models import Unit
from organisation.policy import UnitTree
from tests.factories import file_nomination
from workflows import analytics, demo
from workflows.models import TaskScope
from workflows.services import nomination_submit


@pytest.fixture
def province(people):
    demo.seed_awards()
    return UnitTree().subtree([Unit.objects.get(code="BT").pk])


def test_median_and_p90_per_tier_and_step_interpolate_like_percentile_cont(province):
    reviews = TaskScope.objects.filter(step="review", unit__code="BT.MCN", is_open=False).select_related(
        "task"
    )
    assert reviews.count() == 4
    for scope, days in zip(reviews.order_by("pk"), (1, 2, 3, 10), strict=True):
        TaskScope.objects.filter(pk=scope.pk).update(created=scope.task.finished - timedelta(days=days))
    rows = {(str(r["tier"]), str(r["step"])): r for r in analytics.time_per_step(province)}
    review = rows[("Huyện, thành phố", "Xét duyệt")]
    # Sorted 1, 2, 3, 10 days: median between 2 and 3; p90 at 2.7 of 3 positions: 3 + 0.7 × 7.
    assert review["n"] == 4 and review["median_days"] == 2.5 and review["p90_days"] == 7.9
    assert rows[("Tỉnh", "Thẩm định")]["n"] == 5


def test_overdue_tasks_are_counted_by_the_unit_holding_them(province, people):
    nomination = file_nomination(people.clerk, full_name="Phan Văn Trễ")
    nomination_submit(actor=people.head, nomination=nomination)
    TaskScope.objects.filter(nomination=nomination, is_open=True).update(
        due_on=timezone.localdate() - timedelta(days=3)
    )
    assert analytics.overdue_by_unit(province, timezone.localdate()) == [
        {"label": "Huyện Mỏ Cày Nam", "n": 1}
    ]


def test_volumes_and_trends(province, people):
    area = ContentArea.objects.filter(parent__isnull=False).select_related("parent").first()
    nomination = file_nomination(people.clerk, full_name="Võ Văn Mới")
    nomination.content_areas.set([area])
    awards = analytics.volume_by_award(province)
    assert [(r["n"], r["awarded"]) for r in awards] == [(6, 5)]
    assert analytics.volume_by_area(province) == [{"label": area.parent.name, "n": 1, "awarded": 0}]
    trend = {r["label"]: r for r in analytics.trends(province)}
    assert trend[demo.DEMO_REPORT_YEAR]["awarded"] == 5
    assert trend[timezone.localdate().year]["n"] >= 1


def test_analytics_take_a_fixed_number_of_queries(province, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        analytics.volume_by_award(province)
        analytics.volume_by_area(province)
        analytics.trends(province)
        analytics.overdue_by_unit(province, timezone.localdate())
