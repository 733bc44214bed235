"""Database checks of the permission policy (run by `manage.py check --database default` and by `migrate`)."""

from django.core.checks import Error, register
from django.db import DatabaseError

from organisation.policy import direct_unit_grants, global_scoped_grants, membership_drift


@register("security", "database")
def scoped_permissions_never_global(app_configs=None, databases=None, **kwargs):
    """organisation.E001: a review/sign/inspect permission held globally by a user or a group; E002: a guardian grant
    on a unit given straight to a user; E003: memberships and unit-role groups out of step."""
    if not databases:
        return []
    hint = "Remove it; grant roles on units with `manage.py grant_role` (organisation.services.membership_grant)."
    try:
        errors = [
            Error(f"Global grant of a scoped permission: {grant}.", hint=hint, id="organisation.E001")
            for grant in global_scoped_grants()
        ]
        errors += [
            Error(
                f"Object grant on a unit outside the unit-role groups: {grant}.",
                hint=hint,
                id="organisation.E002",
            )
            for grant in direct_unit_grants()
        ]
        errors += [
            Error(
                f"Memberships and unit-role groups disagree: {drift}.",
                id="organisation.E003",
                hint="Re-run `manage.py grant_role`/`revoke_role` for this user, unit and role.",
            )
            for drift in membership_drift()
        ]
    except DatabaseError:  # tables not migrated yet
        return []
    return errors
