"""Writes about who holds which role where. Each records its audit event in its transaction."""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import event_build, event_record, events_append_bulk
from organisation.models import ClusterMember, Delegation, Membership, Role, Tier, Unit, UnitSuccession
from organisation.policy import can_manage_delegation, forget_scope, group_for, groups_for, membership_sync
from organisation.signals import membership_revoked, memberships_revoked


@transaction.atomic
def membership_grant(*, user, unit, role, granted_by=None):
    """Give `user` the role at `unit` (idempotent) and put them in the unit-role group."""
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ: %(role)s") % {"role": role}})
    membership = Membership.objects.active().filter(user=user, unit=unit, role=role).first()
    if membership is not None:
        return membership, False
    membership = Membership.objects.create(user=user, unit=unit, role=role, granted_by=granted_by)
    with membership_sync():
        user.groups.add(group_for(unit, role))
    if role == Role.ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    forget_scope(user)
    event_record(**_membership_event("membership.grant", granted_by, membership, user, unit, role))
    return membership, True


def _membership_event(action, actor, membership, user, unit, role):
    """The audit event of a membership granted or revoked (the per-row and the bulk services write the same)."""
    return {
        "action": action,
        "actor": actor,
        "obj": membership,
        "chain": "permissions",
        "unit_code": unit.code,
        "data": {"user": user.username, "role": role, "unit": unit.code},
    }


@transaction.atomic
def membership_revoke(*, user, unit, role, revoked_by=None):
    """End the role at once: the membership is closed and the user leaves the unit-role group."""
    memberships = list(Membership.objects.active().filter(user=user, unit=unit, role=role))
    if not memberships:
        return 0
    now = timezone.now()
    for membership in memberships:
        membership.revoked_at = now
        membership.save(update_fields=["revoked_at"])
        event_record(**_membership_event("membership.revoke", revoked_by, membership, user, unit, role))
    with membership_sync():
        user.groups.remove(group_for(unit, role))
    forget_scope(user)
    # The API ends the user's tokens here (api.receivers): a revoked role must not live on in a token.
    membership_revoked.send(sender=Membership, user=user, unit=unit, role=role, revoked_by=revoked_by)
    return len(memberships)


@transaction.atomic
def delegation_grant(
    *,
    actor,
    delegator,
    delegate,
    unit,
    role,
    valid_from,
    valid_to,
    reason,
    delegator_title="",
    delegate_title="",
):
    """Let `delegate` act as `delegator` in `role` at `unit` from `valid_from` to `valid_to` (both included).

    The substitute gets no group and no guardian row: the policy reads the delegation on the day it checks.
    """
    if not can_manage_delegation(actor, delegator=delegator, unit=unit):
        raise PermissionDenied
    errors = {}
    if role not in Role.values or role == Role.ADMIN:
        errors["role"] = _("Vai trò này không được ủy quyền.")
    elif not Membership.objects.active().filter(user=delegator, unit=unit, role=role).exists():
        errors["delegator"] = _("Người ủy quyền không giữ vai trò “%(role)s” tại %(unit)s.") % {
            "role": Role(role).label,
            "unit": unit.name,
        }
    if delegate is None or not delegate.is_active:
        errors["delegate"] = _("Người được ủy quyền không tồn tại hoặc đã bị khóa.")
    elif delegate.pk == delegator.pk:
        errors["delegate"] = _("Không thể tự ủy quyền cho chính mình.")
    if valid_from is None:
        errors["valid_from"] = _("Vui lòng nhập ngày bắt đầu.")
    if valid_to is None:
        errors["valid_to"] = _("Vui lòng nhập ngày kết thúc.")
    elif valid_from is not None and valid_to < valid_from:
        errors["valid_to"] = _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")
    elif valid_to < timezone.localdate():
        errors["valid_to"] = _("Ngày kết thúc đã qua.")
    if not (reason or "").strip():
        errors["reason"] = _("Vui lòng nêu lý do hoặc văn bản ủy quyền.")
    if not unit.is_active:
        errors["unit"] = _("Đơn vị đã ngừng hoạt động.")
    if errors:
        raise ValidationError(errors)
    delegation = Delegation.objects.create(
        unit=unit,
        role=role,
        delegator=delegator,
        delegate=delegate,
        delegator_title=delegator_title.strip(),
        delegate_title=delegate_title.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        reason=reason.strip(),
        created_by=actor,
    )
    forget_scope(delegate)
    event_record(
        action="delegation.grant",
        actor=actor,
        on_behalf_of=delegator if actor.pk != delegator.pk else None,
        obj=delegation,
        chain="permissions",
        unit_code=unit.code,
        reason=delegation.reason,
        data={
            "delegator": delegator.username,
            "delegate": delegate.username,
            "role": role,
            "unit": unit.code,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat(),
        },
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor, delegation):
    """End a delegation before its date (idempotent)."""
    delegation = (
        Delegation.objects.select_for_update()
        .select_related("unit", "delegator", "delegate")
        .get(pk=delegation.pk)
    )
    if not can_manage_delegation(actor, delegator=delegation.delegator, unit=delegation.unit):
        raise PermissionDenied
    if delegation.revoked_at is not None:
        return delegation
    delegation.revoked_at, delegation.revoked_by = timezone.now(), actor
    delegation.save(update_fields=["revoked_at", "revoked_by"])
    forget_scope(delegation.delegate)
    event_record(
        action="delegation.revoke",
        actor=actor,
        obj=delegation,
        chain="permissions",
        unit_code=delegation.unit.code,
        data={"delegator": delegation.delegator.username, "delegate": delegation.delegate.username},
    )
    return delegation


# Units in a reorganisation (workflows.reorganisation drives these; each is idempotent and audited).


def unit_open(*, actor, code, name, tier, parent, valid_from, issuer_symbol="", short_name="", reason=""):
    """Open the unit `code` from `valid_from`, or return it unchanged if it is already open. Return (unit, opened)."""
    unit = Unit.objects.filter(code=code).first()
    if unit is not None:
        return unit, False
    unit = Unit.objects.create(
        code=code,
        name=name,
        tier=tier,
        parent=parent,
        valid_from=valid_from,
        issuer_symbol=issuer_symbol,
        short_name=short_name,
    )
    event_record(**_unit_open_event(actor, unit, reason))
    return unit, True


def _unit_open_event(actor, unit, reason):
    return {
        "action": "unit.open",
        "actor": actor,
        "obj": unit,
        "unit_code": unit.code,
        "reason": reason,
        "data": {
            "name": unit.name,
            "tier": unit.tier,
            "parent": unit.parent.code if unit.parent else None,
            "valid_from": str(unit.valid_from),
        },
    }


def unit_close(*, actor, unit, last_day, reason=""):
    """Close `unit` after `last_day` (its valid_to); idempotent. Return True if it changed."""
    if unit.valid_to is not None and unit.valid_to <= last_day:
        return False
    unit.valid_to = last_day
    unit.save(update_fields=["valid_to"])
    event_record(**_unit_close_event(actor, unit, reason))
    return True


def _unit_close_event(actor, unit, reason):
    return {
        "action": "unit.close",
        "actor": actor,
        "obj": unit,
        "unit_code": unit.code,
        "reason": reason,
        "data": {"valid_to": str(unit.valid_to)},
    }


def unit_reparent(*, actor, unit, parent, reason=""):
    """Put `unit` under `parent` (a unit keeps its identity and history when only its parent changes)."""
    if unit.parent_id == parent.pk:
        return False
    before = unit.parent.code if unit.parent_id else None
    unit.parent = parent
    unit.save(update_fields=["parent"])
    event_record(**_unit_reparent_event(actor, unit, before, reason))
    return True


def _unit_reparent_event(actor, unit, before, reason):
    return {
        "action": "unit.reparent",
        "actor": actor,
        "obj": unit,
        "unit_code": unit.code,
        "reason": reason,
        "data": {"parent": [before, unit.parent.code]},
    }


def succession_link(*, actor, predecessor, successor, effective_on, reorganisation, is_main=True):
    """Record that `successor` took over `predecessor`'s work from `effective_on` (idempotent). Return
    (link, created)."""
    link, created = UnitSuccession.objects.get_or_create(
        predecessor=predecessor,
        successor=successor,
        defaults={"effective_on": effective_on, "reorganisation": reorganisation, "is_main": is_main},
    )
    if created:
        event_record(**_succession_event(actor, link))
    return link, created


def _succession_event(actor, link):
    return {
        "action": "unit.succession",
        "actor": actor,
        "obj": link,
        "unit_code": link.successor.code,
        "data": {
            "predecessor": link.predecessor.code,
            "successor": link.successor.code,
            "reorganisation": link.reorganisation,
        },
    }


def user_by_username(username):
    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def cluster_member_add(*, actor, cluster, unit, valid_from, valid_to=None, is_head=False):
    """Seat `unit` in the emulation cluster (cụm, khối thi đua) from `valid_from`, as the province's yearly
    decision on clusters sets it; `is_head` marks the cụm trưởng. An administrator of the cluster's unit or above."""
    if actor is None or not (
        actor.is_superuser
        or Membership.objects.active()
        .filter(user=actor, role=Role.ADMIN, unit_id__in=[u.pk for u in cluster.lineage()])
        .exists()
    ):
        raise PermissionDenied
    errors = {}
    if cluster.tier != Tier.CLUSTER:
        errors["cluster"] = _("Đơn vị được chọn không phải cụm, khối thi đua.")
    elif unit.tier in (Tier.CLUSTER, Tier.PROVINCE):
        errors["unit"] = _("Thành viên cụm, khối phải là cơ quan, đơn vị, địa phương.")
    elif not unit.is_within(cluster.province):
        errors["unit"] = _("Đơn vị không thuộc tỉnh của cụm, khối.")
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    if errors:
        raise ValidationError(errors)
    member, created = ClusterMember.objects.get_or_create(
        cluster=cluster, unit=unit, valid_from=valid_from, defaults={"valid_to": valid_to, "is_head": is_head}
    )
    if created:
        event_record(
            action="cluster.member_add",
            actor=actor,
            obj=member,
            unit_code=cluster.code,
            data={"unit": unit.code, "valid_from": valid_from.isoformat(), "is_head": is_head},
        )
    return member


def unit_by_code(code):
    return Unit.objects.filter(code=code).first()


# Many rows at once (a reorganisation of a province moves thousands): each function below leaves the rows and the
# audit events (each chain in the same order) that calling the service above once per row would leave, in a few
# bulk statements whatever the number of rows. Their events are appended with `events_append_bulk`.


def units_open_bulk(*, actor, specs, valid_from, reason=""):
    """Open the units of `specs` (dicts with unit_open's fields; `parent` the code of an existing unit or of an
    earlier spec) that do not exist yet, in spec order. Return ({code: unit} for every spec, [units opened])."""
    units = {
        unit.code: unit
        for unit in Unit.objects.filter(code__in={spec["code"] for spec in specs} | _parent_codes(specs))
    }
    opened, pending = [], []
    for spec in specs:
        if spec["code"] in units:
            continue
        unit = Unit(
            code=spec["code"],
            name=spec.get("name", ""),
            tier=spec.get("tier", Tier.BASE),
            valid_from=valid_from,
            issuer_symbol=spec.get("issuer_symbol", ""),
            short_name=spec.get("short_name", ""),
        )
        units[unit.code] = unit
        opened.append((unit, spec.get("parent")))
    # A parent opened in the same call must have its id first: insert the longest runs whose parents have one.
    for unit, parent_code in opened:
        parent = units.get(parent_code) if parent_code else None
        if parent is not None and parent.pk is None:
            Unit.objects.bulk_create(pending, batch_size=500)
            pending = []
        unit.parent = parent
        pending.append(unit)
    Unit.objects.bulk_create(pending, batch_size=500)
    events_append_bulk(event_build(**_unit_open_event(actor, unit, reason)) for unit, _parent_code in opened)
    return units, [unit for unit, _parent_code in opened]


def _parent_codes(specs):
    return {spec["parent"] for spec in specs if spec.get("parent")}


def succession_links_bulk(*, actor, links, effective_on, reorganisation):
    """Record the (predecessor, successor, is_main) links not recorded yet, in order (the first of two equal pairs
    counts). Return the links created."""
    existing = set(
        UnitSuccession.objects.filter(predecessor__in=[p for p, _s, _m in links]).values_list(
            "predecessor_id", "successor_id"
        )
    )
    created = []
    for predecessor, successor, is_main in links:
        if (predecessor.pk, successor.pk) in existing:
            continue
        existing.add((predecessor.pk, successor.pk))
        created.append(
            UnitSuccession(
                predecessor=predecessor,
                successor=successor,
                effective_on=effective_on,
                reorganisation=reorganisation,
                is_main=is_main,
            )
        )
    UnitSuccession.objects.bulk_create(created, batch_size=500)
    events_append_bulk(event_build(**_succession_event(actor, link)) for link in created)
    return created


def units_close_bulk(*, actor, closures, last_day, reason=""):
    """For each (unit, children, new parent) in order: put the children under the new parent (unit_reparent), then
    close the unit after `last_day` (unit_close). Return ([(child, old parent code, new parent)] reparented, [units
    closed])."""
    events, reparented, closed = [], [], []
    for unit, children, parent in closures:
        for child in children:
            if parent is None or child.parent_id == parent.pk:
                continue
            before = child.parent.code if child.parent_id else None
            child.parent = parent
            reparented.append((child, before, parent))
            events.append(event_build(**_unit_reparent_event(actor, child, before, reason)))
        if unit.valid_to is not None and unit.valid_to <= last_day:
            continue
        unit.valid_to = last_day
        closed.append(unit)
        events.append(event_build(**_unit_close_event(actor, unit, reason)))
    Unit.objects.bulk_update({child for child, _before, _parent in reparented}, ["parent"], batch_size=500)
    Unit.objects.filter(pk__in=[unit.pk for unit in closed]).update(valid_to=last_day)
    events_append_bulk(events)
    return reparented, closed


def memberships_change_bulk(*, changes, actor=None):
    """Make the changes ("grant" | "revoke", user, unit, role) in order, as membership_grant and membership_revoke
    would one after the other: the same memberships, unit-role groups and group members, staff flags, events and,
    once for all the revocations, the `memberships_revoked` signal."""
    for kind, _user, _unit, role in changes:
        if kind == "grant" and role not in Role.values:
            raise ValidationError({"role": _("Vai trò không hợp lệ: %(role)s") % {"role": role}})
    active = defaultdict(list)
    for membership in Membership.objects.active().filter(unit__in={unit for _k, _u, unit, _r in changes}):
        active[(membership.user_id, membership.unit_id, membership.role)].append(membership)
    now = timezone.now()
    created, revoked, events, joins, staff, ended = [], [], [], {}, {}, []
    for kind, user, unit, role in changes:
        key = (user.pk, unit.pk, role)
        if kind == "grant":
            if active[key]:
                continue
            membership = Membership(user=user, unit=unit, role=role, granted_by=actor)
            active[key] = [membership]
            created.append(membership)
            if role == Role.ADMIN and not user.is_staff:
                user.is_staff = True
                staff[user.pk] = user
            events.append(("membership.grant", membership, user, unit, role))
        else:
            if not active[key]:
                continue
            for membership in active.pop(key):
                membership.revoked_at = now
                revoked.append(membership)
                events.append(("membership.revoke", membership, user, unit, role))
            ended.append((user, unit, role))
        joins[(user.pk, unit, role)] = kind == "grant"
        forget_scope(user)
    _group_members_set(joins)
    Membership.objects.filter(pk__in=[m.pk for m in revoked if m.pk is not None]).update(revoked_at=now)
    Membership.objects.bulk_create(created, batch_size=500)  # a membership granted then revoked: both at once
    get_user_model().objects.filter(pk__in=list(staff)).update(is_staff=True)
    events_append_bulk(
        event_build(**_membership_event(action, actor, membership, user, unit, role))
        for action, membership, user, unit, role in events
    )
    if ended:
        # The API ends the users' tokens here (api.receivers), as it does for each membership_revoke.
        memberships_revoked.send(sender=Membership, revocations=ended, revoked_by=actor)
    return created, revoked


def _group_members_set(joins):
    """Put users in or take them out of unit-role groups: {(user id, unit, role): True to join, False to leave}."""
    if not joins:
        return
    groups = groups_for((unit, role) for _user_id, unit, role in joins)
    members = get_user_model().groups.through
    members.objects.bulk_create(
        [
            members(user_id=user_id, group_id=groups[unit, role].pk)
            for (user_id, unit, role), join in joins.items()
            if join
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    leaving = {(user_id, groups[unit, role].pk) for (user_id, unit, role), join in joins.items() if not join}
    if not leaving:
        return
    rows = members.objects.filter(
        user_id__in={user_id for user_id, _group_id in leaving},
        group_id__in={group_id for _user_id, group_id in leaving},
    ).values_list("pk", "user_id", "group_id")
    members.objects.filter(pk__in=[pk for pk, *pair in rows if tuple(pair) in leaving]).delete()
