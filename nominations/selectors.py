"""Reads of nominations, scoped by the viewer. Every page, export and endpoint goes through these."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from approvals.policy import scope_of
from nominations.models import Nomination, NominationGroupObjectPermission, Status
from nominations.text import fold

PUBLIC_STATUSES = [Status.POSTING]


def nominations_visible_to(user):
    """Return the nominations `user` may read.

    Unit head/clerk: their unit's own. Reviewer, council, approver: those granted to their unit-role group when the
    nomination reached them (guardian direct-FK rows). Inspector: everything proposed within their subtree.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Nomination.objects.none()
    scope = scope_of(user)
    condition = Q(pk__in=[])
    own_units = scope.units("file_nomination") | scope.units("submit_nomination")
    if own_units:
        condition |= Q(unit_id__in=own_units)
    if scope.group_ids:
        reached = NominationGroupObjectPermission.objects.filter(
            group_id__in=scope.group_ids, permission__codename="view_nomination"
        ).values("content_object_id")
        condition |= Q(pk__in=reached)
    inspected = scope.units("inspect_unit")
    if inspected:
        condition |= Q(unit_id__in=inspected)
    return Nomination.objects.filter(condition)


def get_nomination_for_user(user, pk, perm="view"):
    """Return the nomination if `user` may `perm` it; 404 when it is not visible at all, 403 when read-only."""
    nomination = (
        nominations_visible_to(user)
        .select_related("nominee", "unit", "award_type", "deciding_unit", "current_unit", "movement")
        .filter(pk=pk)
        .first()
    )
    if nomination is None:
        raise Http404
    if perm == "view":
        return nomination
    scope = scope_of(user)
    if perm == "edit" and scope.can("file_nomination", nomination.unit_id):
        return nomination
    if perm == "view_sensitive" and (
        scope.can("view_sensitive", nomination.unit_id) or scope.can("submit_nomination", nomination.unit_id)
    ):
        return nomination
    raise PermissionDenied


def can_view_sensitive(user, nomination):
    scope = scope_of(user)
    return scope.can("view_sensitive", nomination.unit_id) or scope.can(
        "submit_nomination", nomination.unit_id
    )


def nominations_search(queryset, q):
    """Accent-insensitive search on the nominee's name: 'nguyen van' finds 'Nguyễn Văn'."""
    folded = fold(q)
    if not folded:
        return queryset
    return queryset.filter(nominee__name_folded__contains=folded)


def nominations_posted_publicly(day=None):
    """Return nominations on public posting today (công khai): the only nominations the public sees."""
    from django.utils import timezone

    day = day or timezone.localdate()
    return Nomination.objects.filter(
        status=Status.POSTING, postings__opens_on__lte=day, postings__closes_on__gte=day
    ).distinct()
