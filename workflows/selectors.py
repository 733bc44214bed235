"""The inbox: a user's actionable tasks from the indexed TaskScope table, not viewflow's queue filter."""

from django.db.models import Count, IntegerField, Q, Subquery

from nominations.process import Step
from organisation.policy import scope_of
from workflows.models import TaskScope

ACTIONABLE_PERMISSIONS = [
    "submit_nomination",
    "review_nomination",
    "appraise_nomination",
    "record_vote",
    "sign_decision",
]
# The permission a revise task is opened under (workflows.flows: the proposing unit's head resubmits).
REVISE_PERMISSION = "submit_nomination"


def _actionable(user):
    """The user's open tasks: WHERE is_open AND permission IN (...) AND unit_id IN (...), one such branch per
    distinct unit set (a reviewer's review and appraise grants share their units, so usually one branch).

    Each branch is a range scan of the partial index `taskscope_inbox` (permission, unit_id, due_on) WHERE is_open,
    and the count is an index-only scan: the cost follows the user's open workload, never the size of viewflow's
    task table or of the history.
    """
    scope = scope_of(user)
    codenames_by_units = {}
    for codename in ACTIONABLE_PERMISSIONS:
        units = scope.units(codename)
        if units:
            codenames_by_units.setdefault(frozenset(units), []).append(codename)
    condition = Q(pk__in=[])
    for units, codenames in codenames_by_units.items():
        condition |= Q(permission__in=codenames, unit_id__in=sorted(units))
    file_units = scope.units("file_nomination")
    if file_units:
        # A returned nomination is work for the proposing unit's clerk too (complete the dossier), though only the
        # head resubmits it: the same index range, narrowed to the revise step.
        condition |= Q(permission=REVISE_PERMISSION, step=Step.REVISE, unit_id__in=sorted(file_units))
    return TaskScope.objects.filter(condition, is_open=True)


def inbox_count_queryset(user):
    return _actionable(user)


def inbox_for(user, step=None):
    """Return the open task scopes the user may act on, earliest due first."""
    queryset = _actionable(user)
    if step:
        queryset = queryset.filter(step=step)
    return queryset.select_related("nomination__nominee", "nomination__award_type", "unit").order_by(
        "due_on", "created"
    )


def inbox_page(user, page_size=20, offset=0, step=None):
    """Return (rows, total) for one inbox page in one round trip: the total is an uncorrelated scalar subquery
    (evaluated once, an index-only count) carried on every row; an empty page falls back to `count()`."""
    queryset = inbox_for(user, step=step)
    total = queryset.order_by().values("is_open").annotate(total=Count("pk")).values("total")
    rows = list(
        queryset.annotate(inbox_total=Subquery(total, output_field=IntegerField()))[
            offset : offset + page_size
        ]
    )
    if rows:
        return rows, rows[0].inbox_total
    return rows, (queryset.count() if offset else 0)


def inbox_count(user):
    """The number on the inbox badge and the menu; an index-only count of the same ranges."""
    return inbox_count_queryset(user).count()


def task_scope_for_user(user, task_id):
    """Return the open task scope if the user may act on it, else None (callers answer 404). The row alone: its
    callers read its ids and flags, and joining the nomination and unit rows cost more than the read itself."""
    row = TaskScope.objects.filter(pk=task_id).first()
    if row is None or not scope_of(user).can(row.permission, row.unit_id):
        return None
    return row


def task_ids_for_user(user, task_ids):
    """The ids among `task_ids` of tasks the user may act on (`task_scope_for_user` for many, in one query)."""
    scope = scope_of(user)
    rows = TaskScope.objects.filter(pk__in=task_ids).values_list("pk", "permission", "unit_id")
    return {pk for pk, permission, unit_id in rows if scope.can(permission, unit_id)}


# The permissions of the steps one batch call may move (workflows.batch.tasks_act).
BATCH_STEP_PERMISSIONS = ("submit_nomination", "review_nomination", "appraise_nomination")


def may_act_in_batch(user):
    """Whether the user holds, at some unit, a step a batch call moves; nobody else may call it at all."""
    scope = scope_of(user)
    return any(scope.units(codename) for codename in BATCH_STEP_PERMISSIONS)
