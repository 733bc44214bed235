"""Who may view a nomination: guardian direct-FK grants to the unit-role groups of the units it reaches.

The unit-role groups are the organisation's (`organisation.policy`); the grant rows are the nomination's, so the
grant lives here, beside the nomination, and the ground floor knows nothing of nominations."""

from django.contrib.auth.models import Group, Permission
from django.db import connection

from nominations.models import NominationGroupObjectPermission
from organisation.policy import group_for, group_name, groups_for


def nomination_view_grant(nomination, unit, roles):
    """Let the unit-role groups of `roles` at `unit` view `nomination` (guardian direct-FK rows, idempotent).

    Does what `assign_perm("nominations.view_nomination", group_for(unit, role), nomination)` does for each role,
    usually in one statement instead of four to six per role: an INSERT ... SELECT over the groups by name that
    skips grants already present. Only when fewer rows went in than roles asked (a grant already there, or a group
    not created yet) are the group names read, missing groups created by group_for, and the insert repeated.
    """
    names = {group_name(unit, role): role for role in roles}
    if _insert_view_grants(nomination, "name", list(names)) == len(names):
        return
    existing = set(Group.objects.filter(name__in=names).values_list("name", flat=True))
    missing = [group_for(unit, role).pk for name, role in names.items() if name not in existing]
    if missing:
        _insert_view_grants(nomination, "id", missing)


def _insert_view_grants(nomination, column, values):
    """INSERT the view grants of the groups whose `column` is in `values`; return the number of rows inserted."""
    permission = Permission.objects.filter(
        content_type__app_label="nominations", content_type__model="nomination", codename="view_nomination"
    ).values("id")
    permission_sql, permission_params = permission.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {NominationGroupObjectPermission._meta.db_table} (permission_id, group_id, content_object_id) "
            f"SELECT ({permission_sql}), g.id, %s FROM {Group._meta.db_table} g "
            f"WHERE g.{column} IN ({', '.join(['%s'] * len(values))}) ON CONFLICT DO NOTHING",
            [*permission_params, nomination.pk, *values],
        )
        return cursor.rowcount


def nominations_view_grant_bulk(grants):
    """Do what nomination_view_grant does for each (nomination id, unit, roles) of `grants`, in a few statements:
    the missing unit-role groups are made by groups_for, the grant rows inserted at once (present ones skipped)."""
    grants = [(nomination_id, unit, role) for nomination_id, unit, roles in grants for role in roles]
    if not grants:
        return
    groups = groups_for((unit, role) for _nomination_id, unit, role in grants)
    permission = Permission.objects.get(
        content_type__app_label="nominations", content_type__model="nomination", codename="view_nomination"
    )
    NominationGroupObjectPermission.objects.bulk_create(
        [
            NominationGroupObjectPermission(
                permission_id=permission.pk, group_id=groups[unit, role].pk, content_object_id=nomination_id
            )
            for nomination_id, unit, role in grants
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
