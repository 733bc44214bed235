"""The permission policy, in one place.

A role held at a unit (a Membership) puts the user in the group of that unit and role; the group holds guardian
object permissions on the unit (never global ones). Revoking the membership removes the user from the group, so
access ends at once. Scope questions read the user's groups once per request (`UserScope`) instead of asking
guardian per call.

A delegation (ủy quyền, `Delegation`) adds the delegated role's permissions and group to the substitute's scope on
the days it is in force, computed when the scope is read: nothing is written to guardian or to the groups, so it
ends with its date (or the delegator's role) and leaves nothing behind; `delegator_for` says whom they act for.
"""

import contextvars
from contextlib import contextmanager
from datetime import date
from functools import cached_property

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import CharField, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.db.models.signals import m2m_changed
from django.utils import timezone
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import assign_perm

from organisation.models import Delegation, Membership, Role, Unit, UnitSuccession, predecessor_ids

ROLE_PERMISSIONS = {
    Role.UNIT_CLERK: ["file_nomination"],
    Role.UNIT_HEAD: ["file_nomination", "submit_nomination"],
    Role.REVIEWER: ["review_nomination", "appraise_nomination"],
    Role.COUNCIL_SECRETARY: ["record_vote", "view_council"],
    Role.COUNCIL_MEMBER: ["view_council"],
    Role.APPROVER: ["sign_decision", "view_council"],
    Role.INSPECTOR: ["inspect_unit", "view_sensitive"],
    Role.ADMIN: [],
}

# Permissions whose scope covers the unit and everything below it.
SUBTREE_PERMISSIONS = {"inspect_unit", "view_sensitive"}

# Who finds and links a registry record (a person or collective): the holders of these permissions at a unit, for
# the records whose unit lies in that unit's subtree. Nobody else learns that a record exists.
REGISTRY_PERMISSIONS = (
    "file_nomination",
    "submit_nomination",
    "review_nomination",
    "appraise_nomination",
    "inspect_unit",
)

# Permissions that only mean something on an object (a unit, a nomination). A global grant of any of them would
# pass every object check (viewflow's queue and `can_assign` accept `user.has_perm(perm)` without an object), so
# they are never granted globally: adding one to a user's or group's global permissions raises, and the database
# check `organisation.E001` reports rows written around the ORM (bulk loads, raw SQL).
SCOPED_PERMISSIONS = frozenset(
    {("organisation", codename) for codename, _ in Unit._meta.permissions}
    | {("organisation", codename) for codenames in ROLE_PERMISSIONS.values() for codename in codenames}
    | {("nominations", "view_sensitive_nominee")}
)


def scoped_permission_q(prefix=""):
    condition = Q(pk__in=[])
    for app_label, codename in SCOPED_PERMISSIONS:
        condition |= Q(**{f"{prefix}content_type__app_label": app_label, f"{prefix}codename": codename})
    return condition


def global_scoped_grants():
    """Return ["user <name>: app.codename" | "group <name>: app.codename"] for every global grant of a scoped
    permission. The policy allows none; a non-empty answer is a security defect."""
    User = get_user_model()
    found = []
    user_rows = User.user_permissions.through.objects.filter(scoped_permission_q("permission__")).values_list(
        "user__username", "permission__content_type__app_label", "permission__codename"
    )
    found += [f"user {name}: {app}.{codename}" for name, app, codename in user_rows]
    group_rows = Group.permissions.through.objects.filter(scoped_permission_q("permission__")).values_list(
        "group__name", "permission__content_type__app_label", "permission__codename"
    )
    found += [f"group {name}: {app}.{codename}" for name, app, codename in group_rows]
    return sorted(found)


def membership_drift():
    """Return the differences between active memberships and unit-role group membership (rows written around the
    services: a bulk load, raw SQL, a restored backup). Empty when the policy holds."""
    User = get_user_model()
    in_groups = {
        (user_id, name): username
        for user_id, username, name in User.groups.through.objects.filter(
            group__name__startswith="unit:"
        ).values_list("user_id", "user__username", "group__name")
    }
    held = {
        (user_id, f"unit:{code}:{role}"): username
        for user_id, username, code, role in Membership.objects.active().values_list(
            "user_id", "user__username", "unit__code", "role"
        )
    }
    found = [
        f"user {username} is in {name} without an active membership"
        for (_, name), username in in_groups.items()
        if (_, name) not in held
    ]
    found += [
        f"user {username} holds {name} but is not in the group"
        for (_, name), username in held.items()
        if (_, name) not in in_groups
    ]
    return sorted(found)


def direct_unit_grants():
    """Return guardian object grants on units given straight to users: the scope ignores them but viewflow's
    queue and `can_assign` would honour them, so the policy allows none (roles go through groups)."""
    rows = UserObjectPermission.objects.filter(
        content_type__app_label="organisation", content_type__model="unit"
    )
    return sorted(
        f"user {username}: organisation.{codename} on unit {object_pk}"
        for username, codename, object_pk in rows.values_list(
            "user__username", "permission__codename", "object_pk"
        )
    )


def _refuse_global_grant(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if reverse:  # permission.user_set.add(...) / permission.group_set.add(...)
        permissions = [instance]
    else:
        permissions = Permission.objects.filter(pk__in=pk_set).select_related("content_type")
    for permission in permissions:
        if (permission.content_type.app_label, permission.codename) in SCOPED_PERMISSIONS:
            raise PermissionDenied(
                f"{permission.content_type.app_label}.{permission.codename} is scoped: grant it on a unit "
                "through a membership (organisation.services.membership_grant), never globally."
            )


_membership_sync = contextvars.ContextVar("policy_membership_sync", default=False)


@contextmanager
def membership_sync():
    """Let the membership services (and only them) put users in or take them out of unit-role groups."""
    token = _membership_sync.set(True)
    try:
        yield
    finally:
        _membership_sync.reset(token)


def _refuse_unit_group_change(sender, instance, action, reverse, pk_set, **kwargs):
    """A user in a unit-role group holds the role; joining it without a Membership (Django's user admin, a shell)
    would grant access no membership records, and leaving it would not close the membership."""
    if action not in ("pre_add", "pre_remove", "pre_clear") or _membership_sync.get():
        return
    if reverse:  # group.user_set.add(...)
        names = [instance.name]
    elif pk_set is None:  # user.groups.clear()
        names = list(instance.groups.values_list("name", flat=True))
    else:
        names = list(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    managed = [name for name in names if parse_group_name(name)]
    if managed:
        raise PermissionDenied(
            f"Unit-role groups {managed} follow memberships: use `manage.py grant_role/revoke_role` or the "
            "Membership admin (organisation.services.membership_grant/revoke)."
        )


def connect_guards():
    """Refuse writes around the policy (connected in OrganisationConfig.ready)."""
    User = get_user_model()
    m2m_changed.connect(
        _refuse_global_grant,
        sender=Group.permissions.through,
        dispatch_uid="policy_refuse_global_group_grant",
    )
    m2m_changed.connect(
        _refuse_global_grant,
        sender=User.user_permissions.through,
        dispatch_uid="policy_refuse_global_user_grant",
    )
    m2m_changed.connect(
        _refuse_unit_group_change, sender=User.groups.through, dispatch_uid="policy_refuse_unit_group_change"
    )


def group_name(unit, role):
    return f"unit:{unit.code}:{role}"


def group_for(unit, role):
    """Return the group of `role` at `unit`, creating it with its object permissions on first use."""
    group, created = Group.objects.get_or_create(name=group_name(unit, role))
    if created:
        for codename in ROLE_PERMISSIONS[role]:
            assign_perm(f"organisation.{codename}", group, unit)
    return group


def groups_for(pairs):
    """Return {(unit, role): group} for many (unit, role) pairs as `group_for` makes them: the missing groups and
    their object permissions on their unit are created with a few bulk statements, not a few per group."""
    pairs = list(dict.fromkeys(pairs))
    names = {group_name(unit, role): (unit, role) for unit, role in pairs}
    found = {group.name: group for group in Group.objects.filter(name__in=list(names))}
    missing = [Group(name=name) for name in names if name not in found]
    if missing:
        Group.objects.bulk_create(missing, batch_size=500)
        unit_type = ContentType.objects.get_for_model(Unit)
        permission_ids = dict(Permission.objects.filter(content_type=unit_type).values_list("codename", "id"))
        GroupObjectPermission.objects.bulk_create(
            [
                GroupObjectPermission(
                    group=group,
                    permission_id=permission_ids[codename],
                    content_type=unit_type,
                    object_pk=str(names[group.name][0].pk),
                )
                for group in missing
                for codename in ROLE_PERMISSIONS[names[group.name][1]]
            ],
            batch_size=500,
        )
        found |= {group.name: group for group in missing}
    return {pair: found[name] for name, pair in names.items()}


def parse_group_name(name):
    """Return (unit_code, role) for a unit-role group name, or None."""
    parts = name.split(":")
    if len(parts) == 3 and parts[0] == "unit":
        return parts[1], parts[2]
    return None


class UnitTree:
    """The unit tree held in memory (a province has ~1,500 units): children and subtree lookups."""

    def __init__(self):
        self.parent_of = dict(Unit.objects.values_list("id", "parent_id"))
        self.children_of = {}
        for unit_id, parent_id in self.parent_of.items():
            self.children_of.setdefault(parent_id, []).append(unit_id)
        # A successor's subtree holds the units it succeeded, so its inspectors find the history kept there.
        for predecessor_id, successor_id in UnitSuccession.objects.values_list(
            "predecessor_id", "successor_id"
        ):
            self.children_of.setdefault(successor_id, []).append(predecessor_id)

    def subtree(self, unit_ids):
        seen, stack = set(), list(unit_ids)
        while stack:
            unit_id = stack.pop()
            if unit_id in seen:
                continue
            seen.add(unit_id)
            stack.extend(self.children_of.get(unit_id, ()))
        return seen

    def branches(self, unit_ids):
        """Return the units of `unit_ids` worth offering as a subtree to pick: the tops of the set and every unit
        with units below it (a province's ~1,300 communes are reached through their district)."""
        unit_ids = set(unit_ids)
        return {
            unit_id
            for unit_id in unit_ids
            if self.parent_of.get(unit_id) not in unit_ids or self.children_of.get(unit_id)
        }


class UserScope:
    """What a user may do where, computed once from guardian's group object permissions."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def _rows(self):
        """Read the user's group object permissions on units, the delegations in force today and the user's groups,
        in one query: ("own", codename, unit pk, None, None), ("delegated", role, unit pk, delegator id, group id)
        and ("group", None, None, None, group id) rows.

        The statement is `_rows_query`'s, compiled once per process and database (`_rows_statement`): only the user
        and the day change between requests, and compiling the ORM union cost more than running it."""
        if not (self.user and self.user.is_authenticated and self.user.is_active):
            return []
        sql, params = _rows_statement(self.user.pk, timezone.localdate())
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [tuple(row) for row in cursor.fetchall()]

    @cached_property
    def own_grants(self):
        """Return {codename: set(unit ids)} from the user's unit-role groups."""
        grants = {}
        for kind, codename, object_pk, _delegator, _group in self._rows:
            if kind == "own":
                grants.setdefault(codename, set()).add(int(object_pk))
        return grants

    @cached_property
    def delegations(self):
        """Return the delegations the user acts under today: in their date range, not revoked, and given by someone
        who still holds the role (a delegator who loses the role takes the substitute's access with them)."""
        if not any(row[0] == "delegated" for row in self._rows):
            return []
        return list(delegations_in_force(timezone.localdate()).filter(delegate=self.user))

    @cached_property
    def acting_for(self):
        """Return {(codename, unit id): delegator id} for what the user may do only as a substitute."""
        found = {}
        for kind, role, unit_pk, delegator_id, _group in self._rows:
            if kind != "delegated":
                continue
            for codename in ROLE_PERMISSIONS[role]:
                if int(unit_pk) not in self.own_grants.get(codename, ()):
                    found.setdefault((codename, int(unit_pk)), delegator_id)
        return found

    @cached_property
    def delegated_group_ids(self):
        return [group_id for kind, *_rest, group_id in self._rows if kind == "delegated" and group_id]

    @cached_property
    def grants(self):
        """Return {codename: set(unit ids)}: the user's own roles and the ones delegated to them today."""
        grants = {codename: set(unit_ids) for codename, unit_ids in self.own_grants.items()}
        for codename, unit_id in self.acting_for:
            grants.setdefault(codename, set()).add(unit_id)
        return grants

    def delegator_for(self, codename, unit_id):
        """Return the id of the holder the user acts for when doing `codename` at the unit, or None (own role)."""
        return self.acting_for.get((codename, unit_id))

    @cached_property
    def subtree_grants(self):
        tree = None
        expanded = {}
        for codename, unit_ids in self.grants.items():
            if codename in SUBTREE_PERMISSIONS:
                tree = tree or UnitTree()
                expanded[codename] = tree.subtree(unit_ids)
        return expanded

    def units(self, codename):
        """Return the ids of the units where the user holds `codename` (subtree-wide for inspection)."""
        if codename in SUBTREE_PERMISSIONS:
            return self.subtree_grants.get(codename, set())
        return self.grants.get(codename, set())

    def can(self, codename, unit_id):
        return unit_id in self.units(codename)

    @cached_property
    def registry_units(self):
        """Return the ids of the units whose people and collectives the user may see and link."""
        roots = set()
        for codename in REGISTRY_PERMISSIONS:
            roots |= self.grants.get(codename, set())
        # A unit that succeeded others in a reorganisation keeps their people: history follows the person.
        return UnitTree().subtree(predecessor_ids(roots)) if roots else set()

    @cached_property
    def registry_editable_units(self):
        """Return the ids of the units whose records (history, discipline) the user may write: their filing units'
        subtrees."""
        roots = self.grants.get("file_nomination", set()) | self.grants.get("submit_nomination", set())
        # A unit that succeeded others in a reorganisation keeps their people: history follows the person.
        return UnitTree().subtree(predecessor_ids(roots)) if roots else set()

    @cached_property
    def group_ids(self):
        """The user's unit-role groups, and those of the roles delegated to them today (what they may read)."""
        if not self.user.is_authenticated:
            return []
        if self.user.is_active:  # read with the grants (`_rows`)
            ids = [group_id for kind, *_rest, group_id in self._rows if kind == "group"]
        else:
            ids = list(self.user.groups.values_list("id", flat=True))
        return ids + [group_id for group_id in self.delegated_group_ids if group_id not in ids]

    @property
    def is_inspector(self):
        return bool(self.grants.get("inspect_unit"))


_scopes_held = contextvars.ContextVar("policy_registry_scopes", default=None)


@contextmanager
def registry_scopes_held():
    """Within the block, each unit's registry scope is computed once: a batch of filings (a nomination list) reads
    the unit tree once instead of once per row. Only for a block that changes no unit or succession."""
    token = _scopes_held.set({})
    try:
        yield
    finally:
        _scopes_held.reset(token)


def _subtree_of(unit_id):
    """UnitTree().subtree(predecessor_ids([unit_id])) in one recursive query, without reading the whole tree: the
    unit, the units below it and the units it succeeded (succession edges are tree edges there), transitively."""
    units, successions = Unit._meta.db_table, UnitSuccession._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE edge (parent, child) AS ("
            f"SELECT parent_id, id FROM {units} WHERE parent_id IS NOT NULL "
            f"UNION ALL SELECT successor_id, predecessor_id FROM {successions}"
            f"), below (id) AS (SELECT CAST(%s AS BIGINT) UNION SELECT edge.child FROM edge JOIN below ON edge.parent = below.id) "
            f"SELECT id FROM below",
            [unit_id],
        )
        return {row[0] for row in cursor.fetchall()}


def registry_scope(unit):
    """Return the ids of the units whose registry records a filing at `unit` may find and link: its subtree, and
    the subtrees of the units it succeeded in a reorganisation (a person's history survives the re-coding)."""
    held = _scopes_held.get()
    if held is not None and unit.pk in held:
        return held[unit.pk]
    scope = _subtree_of(unit.pk)
    if held is not None:
        held[unit.pk] = frozenset(scope)
        return held[unit.pk]
    return scope


def can_manage_delegation(actor, *, delegator, unit):
    """The holder delegates their own role; an administrator of the unit or of a unit above it may record it."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser or actor.pk == delegator.pk:
        return True
    lineage = [u.pk for u in unit.lineage()]
    return Membership.objects.active().filter(user=actor, role=Role.ADMIN, unit_id__in=lineage).exists()


def delegations_in_force(day):
    """The delegations in force on `day` whose delegator still holds the delegated role at the unit."""
    holds = Membership.objects.active().filter(
        user_id=OuterRef("delegator_id"), unit_id=OuterRef("unit_id"), role=OuterRef("role")
    )
    return Delegation.objects.in_force_on(day).filter(Exists(holds)).select_related("unit")


def members_of(unit_ids):
    """Return the ids of the users who hold or held a role in the units (a subquery), so an inspector keeps seeing
    the security events of people who have since left."""
    return Membership.objects.filter(unit_id__in=unit_ids).values("user_id")


def _rows_query(user_id, day):
    """UserScope._rows as a queryset: the union of the user's group object permissions on units, the delegations
    in force on `day` given to them (`delegations_in_force`, the delegation rule) and the user's groups."""
    own = (
        GroupObjectPermission.objects.filter(
            group__user=user_id, content_type__app_label="organisation", content_type__model="unit"
        )
        .order_by()
        .values_list(
            Value("own", output_field=CharField()),
            "permission__codename",
            "object_pk",
            Value(None, output_field=IntegerField()),
            Value(None, output_field=IntegerField()),
        )
    )
    group = Group.objects.filter(
        name=Concat(Value("unit:"), OuterRef("unit__code"), Value(":"), OuterRef("role"))
    ).values("id")[:1]
    delegated = (
        delegations_in_force(day)
        .filter(delegate=user_id)
        .order_by()
        .values_list(
            Value("delegated", output_field=CharField()),
            "role",
            Cast("unit_id", CharField()),
            "delegator_id",
            Subquery(group, output_field=IntegerField()),
        )
    )
    groups = (
        get_user_model()
        .groups.through.objects.filter(user_id=user_id)
        .order_by()
        .values_list(
            Value("group", output_field=CharField()),
            Value(None, output_field=CharField()),
            Value(None, output_field=CharField()),
            Value(None, output_field=IntegerField()),
            "group_id",
        )
    )
    return own.union(delegated, groups, all=True)


_rows_statements = {}


def _rows_statement(user_id, day):
    """Return (sql, params) of `_rows_query(user_id, day)` without compiling it again.

    The SQL is compiled once per process and database connection alias: compiled for two different users and days,
    the statements must be the same and the parameters differ only where the user id and the day go, which are
    then filled in per call (the day adapted as the DateField lookups adapt it). Anything else refuses to cache."""
    key = (connection.alias, connection.vendor)
    compiled = _rows_statements.get(key)
    if compiled is None:
        probes = [(-1, date(2000, 1, 1)), (-2, date(2001, 2, 2))]
        (sql, params), (sql_other, params_other) = (
            _rows_query(*probe).query.get_compiler(connection=connection).as_sql() for probe in probes
        )
        slots = []
        for value, other in zip(params, params_other, strict=True):
            if value == other:
                slots.append((None, value))
            elif (value, other) == (probes[0][0], probes[1][0]):
                slots.append(("user", None))
            elif (value, other) == tuple(connection.ops.adapt_datefield_value(day) for _, day in probes):
                slots.append(("day", None))
            else:
                raise RuntimeError(f"UserScope._rows: unexpected parameter {value!r} / {other!r}")
        if sql != sql_other or not {"user", "day"} <= {kind for kind, _ in slots}:
            raise RuntimeError("UserScope._rows: the statement depends on more than the user and the day")
        compiled = _rows_statements[key] = (sql, tuple(slots))
    sql, slots = compiled
    values = {"user": user_id, "day": connection.ops.adapt_datefield_value(day)}
    return sql, [value if kind is None else values[kind] for kind, value in slots]


def scope_of(user):
    """Return the user's scope, cached on the user object for the request or task at hand."""
    scope = getattr(user, "_award_scope", None)
    if scope is None:
        scope = UserScope(user)
        if user is not None and user.is_authenticated:
            user._award_scope = scope
    return scope


def forget_scope(user):
    for attr in ("_award_scope", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)
