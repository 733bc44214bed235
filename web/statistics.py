"""Reads behind the province dashboard. Each takes the viewer's visible nominations, so scope is never widened."""

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F
from django.utils.translation import gettext as _

from nominations.models import Nomination, Status
from organisation.models import Tier
from workflows.models import TaskScope


def _bars(rows, key):
    """Return a chart: rows (label, count, percent of the largest) sorted by count, largest first."""
    rows = sorted(((label or _("(không có)"), n) for label, n in rows), key=lambda row: -row[1])
    top = max((n for _label, n in rows), default=0)
    return {"key": key, "rows": [(label, n, round(100 * n / top) if top else 0) for label, n in rows]}


def nomination_counts(visible):
    """Return [(title, chart)] counting the visible nominations by status, movement, area, award and tier."""
    visible = visible.order_by()
    status_labels, tier_labels = dict(Status.choices), dict(Tier.choices)
    by_status = [
        (status_labels.get(s, s), n) for s, n in visible.values_list("status").annotate(n=Count("id"))
    ]
    by_tier = [
        (tier_labels.get(t, t), n)
        for t, n in visible.values_list("current_unit__tier").annotate(n=Count("id"))
    ]
    # Areas are counted by their group (Chân 1, Mũi 2, ...), the level the province reports on.
    by_area = (
        Nomination.content_areas.through.objects.filter(nomination_id__in=visible.values("pk"))
        .values_list("contentarea__parent__name")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        (_("Theo trạng thái"), _bars(by_status, "status")),
        (
            _("Theo phong trào"),
            _bars(visible.values_list("movement__name").annotate(n=Count("id")), "movement"),
        ),
        (_("Theo nội dung thi đua"), _bars(by_area, "area")),
        (
            _("Theo loại hình khen thưởng"),
            _bars(visible.values_list("award_type__name").annotate(n=Count("id")), "award"),
        ),
        (_("Theo cấp đang xử lý"), _bars(by_tier, "tier")),
    ]


def time_per_tier(visible):
    """Return the average time a finished human task spent at each tier, from its opening to its completion."""
    tier_labels = dict(Tier.choices)
    spent = (
        TaskScope.objects.filter(
            nomination_id__in=visible.values("pk"), is_open=False, task__finished__isnull=False
        )
        .values_list("unit__tier")
        .annotate(
            avg=Avg(ExpressionWrapper(F("task__finished") - F("created"), output_field=DurationField())),
            n=Count("pk"),
        )
        .order_by()
    )
    rows = []
    for tier, avg, n in spent:
        hours = avg.total_seconds() / 3600 if avg is not None else 0
        rows.append({"tier": tier_labels.get(tier, tier), "hours": hours, "days": hours / 24, "n": n})
    return bar_widths(rows)


def bar_widths(rows):
    """Set each row's bar width (pct) from the figure printed next to it (hours to 0.1 under a day, else days to
    0.1), so two rows both reading "0,0 giờ" draw the same, empty, bar."""
    for row in rows:
        row["shown_hours"] = round(row["hours"], 1) if row["days"] < 1 else round(row["days"], 1) * 24
    top = max((row["shown_hours"] for row in rows), default=0)
    for row in rows:
        row["pct"] = round(100 * row["shown_hours"] / top) if top else 0
    return rows


def overdue_tasks(visible, today, limit=50):
    return list(
        TaskScope.objects.filter(nomination_id__in=visible.values("pk"), is_open=True, due_on__lt=today)
        .select_related("nomination__nominee", "nomination__award_type", "unit")
        .order_by("due_on")[:limit]
    )
