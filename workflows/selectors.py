"""The inbox: a user's actionable tasks from the indexed TaskScope table, not viewflow's queue filter."""

from django.db.models import Q

from approvals.policy import scope_of
from workflows.models import TaskScope

ACTIONABLE_PERMISSIONS = [
    "submit_nomination",
    "review_nomination",
    "appraise_nomination",
    "record_vote",
    "sign_decision",
]


def inbox_for(user, step=None):
    """Return the open task scopes the user may act on, earliest due first."""
    scope = scope_of(user)
    condition = Q(pk__in=[])
    for codename in ACTIONABLE_PERMISSIONS:
        units = scope.units(codename)
        if units:
            condition |= Q(permission=codename, unit_id__in=units)
    queryset = TaskScope.objects.filter(condition, is_open=True)
    if step:
        queryset = queryset.filter(step=step)
    return queryset.select_related("nomination__nominee", "nomination__award_type", "unit").order_by(
        "due_on", "created"
    )


def inbox_count(user):
    scope = scope_of(user)
    condition = Q(pk__in=[])
    for codename in ACTIONABLE_PERMISSIONS:
        units = scope.units(codename)
        if units:
            condition |= Q(permission=codename, unit_id__in=units)
    return TaskScope.objects.filter(condition, is_open=True).count()


def task_scope_for_user(user, task_id):
    """Return the open task scope if the user may act on it, else None (callers answer 404)."""
    row = TaskScope.objects.select_related("nomination", "unit").filter(pk=task_id).first()
    if row is None or not scope_of(user).can(row.permission, row.unit_id):
        return None
    return row
