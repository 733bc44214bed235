"""Reads of nominations, scoped by the viewer. Every page, export and endpoint goes through these."""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from nominations.models import (
    AwardHistory,
    AwardType,
    Collective,
    DossierFile,
    DuplicateFlag,
    FlagStatus,
    Movement,
    Nomination,
    NominationGroupObjectPermission,
    Person,
    Status,
    Submission,
)
from organisation.policy import scope_of
from organisation.text import fold

PUBLIC_STATUSES = [Status.POSTING]


def nominations_visible_to(user):
    """Return the nominations `user` may read.

    Unit head/clerk: their unit's own. Reviewer, council, approver: those granted to their unit-role group when the
    nomination reached them (guardian direct-FK rows), and they keep seeing them afterwards. Inspector: everything
    proposed within their subtree, closed ones included. Anyone else: nothing (the public reads postings only).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Nomination.objects.none()
    if user.is_superuser:  # the system administrator, as everywhere in Django (admin, has_perm)
        return Nomination.objects.all()
    scope = scope_of(user)
    condition = Q(pk__in=[])
    own_units = scope.units("file_nomination") | scope.units("submit_nomination")
    if own_units:
        condition |= Q(unit_id__in=own_units)
    if scope.group_ids:
        reached = NominationGroupObjectPermission.objects.filter(
            group_id__in=scope.group_ids,
            permission__content_type__app_label="nominations",
            permission__codename="view_nomination",
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
    if perm == "view_sensitive" and can_view_sensitive(user, nomination):
        return nomination
    raise PermissionDenied


def get_submission_for_user(user, pk, perm="view"):
    """Return the submission (tờ trình) if `user` sees one of its nominations, else 404; "edit" (the signed scan)
    is for those who submit the unit's nominations, else 403."""
    submission = (
        Submission.objects.select_related("unit", "submitted_by")
        .filter(pk=pk, nominations__in=nominations_visible_to(user))
        .distinct()
        .first()
    )
    if submission is None:
        raise Http404
    if perm == "edit" and not scope_of(user).can("submit_nomination", submission.unit_id):
        raise PermissionDenied
    return submission


def submission_nominations(submission):
    """The nominations of a submission in list order, with what the tờ trình prints loaded."""
    return list(
        submission.nominations.select_related("nominee", "unit", "award_type", "deciding_unit").order_by(
            "-award_type__rank", "award_type__code", "pk"
        )
    )


def get_dossier_file_for_user(user, pk):
    """Return the dossier file if its nomination is visible to `user`, else 404 (downloads go through here)."""
    dossier_file = (
        DossierFile.objects.select_related("nomination__unit")
        .filter(pk=pk, nomination__in=nominations_visible_to(user))
        .first()
    )
    if dossier_file is None:
        raise Http404
    return dossier_file


# The nominee's citizen ID and discipline status need their own permission: only inspectors (view_sensitive,
# subtree-wide) and the proposing unit's own clerk and head see them; the nomination page hides them from
# reviewers, council and signers, and the API does not expose them.


def can_view_sensitive(user, nomination):
    """True if `user` may read the nominee's citizen ID and discipline status on `nomination`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    scope = scope_of(user)
    unit_id = nomination.unit_id
    return (
        scope.can("view_sensitive", unit_id)
        or scope.can("submit_nomination", unit_id)
        or scope.can("file_nomination", unit_id)
    )


def nominations_search(queryset, q):
    """Accent-insensitive search on the nominee's name: 'nguyen van' finds 'Nguyễn Văn'."""
    folded = fold(q)
    if not folded:
        return queryset
    return queryset.filter(nominee__name_folded__contains=folded)


def nominations_posted_publicly(day=None):
    """Return nominations on public posting today (công khai): the only nominations the public sees."""
    day = day or timezone.localdate()
    return Nomination.objects.filter(
        status=Status.POSTING, postings__opens_on__lte=day, postings__closes_on__gte=day
    ).distinct()


def award_types_newest(day=None, *, in_force=True):
    """Return the newest version of each award type, by code: among the versions in force on `day` (default today),
    or among every version ever (`in_force=False`: filters over past nominations, whose types may have lapsed)."""
    versions = AwardType.objects.in_force(day) if in_force else AwardType.objects.all()
    newest = versions.filter(code=OuterRef("code")).order_by("-effective_from", "-pk").values("pk")[:1]
    return versions.filter(pk=Subquery(newest)).order_by("code")


def movement_in_force(year):
    """Return the pk of the movement running in `year` (the latest started, if several), or None when none runs:
    the filing form preselects it, never a finished one."""
    return (
        Movement.objects.filter(start_year__lte=year)
        .filter(Q(end_year__isnull=True) | Q(end_year__gte=year))
        .order_by("-start_year", "code")
        .values_list("pk", flat=True)
        .first()
    )


def _registry_units(user):
    """The ids of the units whose registry records `user` may see, or None for every unit (the superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    return scope_of(user).registry_units


def people_visible_to(user):
    """Return the registry people `user` may see: those of the units in the user's registry scope (a filing,
    reviewing or inspecting unit's subtree, and the units it succeeded)."""
    units = _registry_units(user)
    return Person.objects.all() if units is None else Person.objects.filter(unit_id__in=units)


def collectives_visible_to(user):
    """Return the registry collectives `user` may see, by the same scope as people."""
    units = _registry_units(user)
    return Collective.objects.all() if units is None else Collective.objects.filter(unit_id__in=units)


def can_edit_registry_record(user, record):
    """True if `user` may write a person's or collective's history and discipline: their filing units' subtrees."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return record.unit_id in scope_of(user).registry_editable_units


def _registry_record_for_user(queryset, user, pk, perm):
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404
    if perm == "edit" and not can_edit_registry_record(user, record):
        raise PermissionDenied
    return record


def get_person_for_user(user, pk, perm="view"):
    """Return the person if `user` may see them, else 404 (another unit's person looks like a missing one); with
    perm="edit", 403 when the person is seen but not the user's to write."""
    queryset = people_visible_to(user).select_related("unit", "merged_into")
    return _registry_record_for_user(queryset, user, pk, perm)


def get_collective_for_user(user, pk, perm="view"):
    """Return the collective if `user` may see it, else 404; with perm="edit", 403 when seen but not writable."""
    queryset = collectives_visible_to(user).select_related("unit", "merged_into")
    return _registry_record_for_user(queryset, user, pk, perm)


def registry_search(queryset, *, q=None, citizen_id=None):
    """Narrow visible registry records: accent-insensitive on the name ('nguyen van' finds 'Nguyễn Văn'), exact on
    the citizen ID. Apply to a `*_visible_to` queryset only, so a lookup never reaches outside the caller's scope."""
    folded = fold(q or "")
    if folded:
        queryset = queryset.filter(name_folded__contains=folded)
    if citizen_id:
        queryset = queryset.filter(citizen_id=citizen_id)
    return queryset


def get_history_entry_for_user(user, pk):
    """Return an award-history entry whose person or collective `user` may see, else 404."""
    entry = (
        AwardHistory.objects.select_related("person__unit", "collective__unit", "batch")
        .filter(pk=pk)
        .filter(Q(person__in=people_visible_to(user)) | Q(collective__in=collectives_visible_to(user)))
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def person_history(person):
    """Return the person's awards, newest first, with where each comes from."""
    return (
        AwardHistory.objects.filter(person=person)
        .select_related("nomination__award_type", "batch")
        .order_by("-year", "-pk")
    )


def collective_history(collective):
    """Return the collective's awards, newest first, with where each comes from."""
    return (
        AwardHistory.objects.filter(collective=collective)
        .select_related("nomination__award_type", "batch")
        .order_by("-year", "-pk")
    )


def duplicate_flags_for(user):
    """Return the open possible duplicates of the provinces whose reviewers `user` is among."""
    provinces = scope_of(user).units("appraise_nomination")
    return (
        DuplicateFlag.objects.filter(province_id__in=provinces, status=FlagStatus.OPEN)
        .select_related("person__unit", "candidate__unit")
        .order_by("-flagged_at", "-pk")
    )
