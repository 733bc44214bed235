"""Reads behind the analytics page: time per tier and step, overdue tasks by unit, volumes, trends over years.

Each figure is an aggregate query over the nominations proposed within a unit subtree (never a loop over rows).
Medians and 90th percentiles are computed by the database: PostgreSQL's `percentile_cont`; elsewhere (SQLite in
development) by reading the two rows around the percentile's position in each group, ordered by duration.
"""

from datetime import timedelta

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
)

from approvals.models import Certificate
from nominations.models import Nomination, Status
from nominations.process import step_label
from organisation.models import Tier
from workflows.models import TaskScope

TIER_LABELS = dict(Tier.choices)
SPENT = ExpressionWrapper(F("task__finished") - F("created"), output_field=DurationField())


class Percentile(Aggregate):
    """PostgreSQL's ordered-set aggregate: the continuous percentile of an interval, in seconds."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM %(expressions)s))"
    output_field = FloatField()

    def __init__(self, expression, fraction, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def _finished(unit_ids):
    return TaskScope.objects.filter(
        nomination__unit_id__in=unit_ids, is_open=False, task__finished__isnull=False
    ).order_by()


def time_per_step(unit_ids):
    """Return [{tier, step, n, median_days, p90_days}] for the finished tasks of the units' nominations."""
    finished = _finished(unit_ids)
    groups = finished.values("unit__tier", "step").annotate(n=Count("pk"))
    if connection.vendor == "postgresql":
        groups = groups.annotate(median=Percentile(SPENT, 0.5), p90=Percentile(SPENT, 0.9))
    rows = []
    for group in groups.order_by("unit__tier", "step"):
        if connection.vendor == "postgresql":
            median, p90 = group["median"], group["p90"]
        else:
            subset = finished.filter(unit__tier=group["unit__tier"], step=group["step"])
            median = _percentile(subset, group["n"], 0.5)
            p90 = _percentile(subset, group["n"], 0.9)
        rows.append(
            {
                "tier": TIER_LABELS.get(group["unit__tier"], group["unit__tier"]),
                "step": step_label(group["step"]),
                "n": group["n"],
                "median_days": round((median or 0) / 86400, 1),
                "p90_days": round((p90 or 0) / 86400, 1),
            }
        )
    return rows


def _percentile(subset, n, fraction):
    """The duration (seconds) at `fraction` of the ordered group, interpolated between the two rows around it as
    PostgreSQL's percentile_cont does; reads at most two rows."""
    position = fraction * (n - 1)
    low = int(position)
    spent = subset.annotate(spent=SPENT).order_by("spent").values_list("spent", flat=True)[low : low + 2]
    values = [value.total_seconds() if isinstance(value, timedelta) else value for value in spent]
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return values[0] + (values[1] - values[0]) * (position - low)


def overdue_by_unit(unit_ids, today):
    """Return [{unit, n, oldest}] of the open tasks past their due date, by the unit holding them."""
    rows = (
        TaskScope.objects.filter(nomination__unit_id__in=unit_ids, is_open=True, due_on__lt=today)
        .values("unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__name")
    )
    return [{"label": row["unit__name"], "n": row["n"]} for row in rows]


def nominations_in(unit_ids, year=None):
    nominations = Nomination.objects.filter(unit_id__in=unit_ids).order_by()
    return nominations.filter(period_year=year) if year else nominations


def volume_by_award(unit_ids, year=None):
    """Return [{label, n, awarded}]: nominations and awards by award type."""
    rows = (
        nominations_in(unit_ids, year)
        .values("award_type__name")
        .annotate(n=Count("pk"), awarded=Count("pk", filter=Q(status=Status.AWARDED)))
        .order_by("-n", "award_type__name")
    )
    return [{"label": row["award_type__name"], "n": row["n"], "awarded": row["awarded"]} for row in rows]


def volume_by_area(unit_ids, year=None):
    """Return [{label, n, awarded}] by movement content area group ("Chân 1", "Mũi 2", ...)."""
    through = Nomination.content_areas.through.objects.filter(
        nomination_id__in=nominations_in(unit_ids, year).values("pk")
    )
    rows = (
        through.values("contentarea__parent__name")
        .annotate(
            n=Count("nomination_id", distinct=True),
            awarded=Count("nomination_id", distinct=True, filter=Q(nomination__status=Status.AWARDED)),
        )
        .order_by("-n", "contentarea__parent__name")
    )
    return [
        {"label": row["contentarea__parent__name"] or "—", "n": row["n"], "awarded": row["awarded"]}
        for row in rows
    ]


def trends(unit_ids):
    """Return [{label: year, n: nominations filed for the year, awarded: certificates signed that year}]."""
    filed = dict(
        nominations_in(unit_ids).values("period_year").annotate(n=Count("pk")).values_list("period_year", "n")
    )
    awarded = dict(
        Certificate.objects.filter(nomination__unit_id__in=unit_ids, is_revoked=False)
        .order_by()
        .values("decision__year")
        .annotate(n=Count("pk"))
        .values_list("decision__year", "n")
    )
    return [
        {"label": year, "n": filed.get(year, 0), "awarded": awarded.get(year, 0)}
        for year in sorted(set(filed) | set(awarded))
    ]
