"""Database checks of the permission policy (run by `manage.py check --database default` and by `migrate`)."""

from django.core.checks import Error, register
from django.db import DatabaseError


@register("security", "database")
def scoped_permissions_never_global(app_configs=None, databases=None, **kwargs):
    """approvals.E001: a review/sign/inspect permission held globally by a user or a group."""
    if not databases:
        return []
    from approvals.policy import global_scoped_grants

    try:
        grants = global_scoped_grants()
    except DatabaseError:  # tables not migrated yet
        return []
    return [
        Error(
            f"Global grant of a scoped permission: {grant}.",
            hint="Remove it; grant roles on units with `manage.py grant_role` (approvals.services.membership_grant).",
            id="approvals.E001",
        )
        for grant in grants
    ]
