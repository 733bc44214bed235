"""Writes about nominations and dossiers, the eligibility rules, and the one writer of where a nomination stands.

The workflow moves a nomination; `nomination_move` is how it (and a revocation) writes the result down.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import event_build, event_record, field_changes
from nominations.eligibility import (
    FAIL,
    SubjectFacts,
    eligibility_evaluate,
    results_as_data,
    subject_facts_load,
    subject_facts_preloaded,
    subject_key,
)
from nominations.honours import nomination_round_errors
from nominations.models import (
    AwardHistory,
    AwardType,
    DecidingTier,
    DossierFile,
    DossierKind,
    DossierRequirement,
    Nomination,
    NominationMember,
    Nominee,
    PendingUpload,
    Route,
    Status,
    SubjectType,
    Submission,
    citizen_id_error,
)
from nominations.process import Step
from nominations.registry import subject_resolve, subjects_resolve
from nominations.selectors import award_types_newest
from nominations.uploads import HELD_IMPORTS, inspect_upload
from organisation.models import Tier
from organisation.policy import scope_of
from organisation.text import fold

DECIDING_TIERS = {
    DecidingTier.STATE: set(),  # decided above the province: never filed here
    DecidingTier.PROVINCE: {Tier.PROVINCE},
    DecidingTier.DISTRICT: {Tier.DISTRICT, Tier.DEPARTMENT},
}

EDITABLE_FIELDS = ["achievements", "period_year"]
NOMINEE_FIELDS = ["full_name", "gender", "birth_year", "position", "citizen_id", "discipline_status"]


# The earliest birth year a nominee may have (the form says the range in its message).
BIRTH_YEAR_MIN = 1900


# The file a filing form attaches on each route: the document every nomination of the route needs (the catalogue
# rows of DossierRequirement require it; `dossier_missing` then finds it present).
FILING_KINDS = {
    Route.STANDARD: DossierKind.ACHIEVEMENT_REPORT,
    Route.FAST_TRACK: DossierKind.SUBMISSION,
    Route.DONG_KHOI: DossierKind.ACHIEVEMENT_REPORT,
}


def filing_dossier_kind(route):
    """Return the kind of the file attached when filing on `route` (the fast track's tờ trình, the standard
    route's achievement report)."""
    return FILING_KINDS[route]


def deciding_unit_for(*, unit, award_type):
    """Return the unit whose authority decides `award_type` for nominations of `unit`, or None."""
    found = _unit_of_tier(unit, award_type.deciding_tier)
    if found is None and award_type.fallback_tier:
        # A lineage without the tier (a commune of a two-tier province has no district): the next authority.
        found = _unit_of_tier(unit, award_type.fallback_tier)
    return found


def _unit_of_tier(unit, deciding_tier):
    if deciding_tier == DecidingTier.BASE:
        return unit if unit.tier != Tier.CLUSTER else None
    wanted = DECIDING_TIERS[deciding_tier]
    for candidate in unit.lineage():
        if candidate.tier in wanted:
            return candidate
    return None


def route_between(*, unit, deciding_unit):
    """Return the review units strictly between the proposing unit and the deciding unit, lowest first."""
    if unit.pk == deciding_unit.pk:
        return []
    route = []
    for ancestor in unit.ancestors():
        if ancestor.pk == deciding_unit.pk:
            break
        if ancestor.tier != Tier.CLUSTER:
            route.append(ancestor)
    return route


def award_types_for(unit, day=None, fast_track=False):
    """Return the award types in force that `unit` may propose (its lineage reaches their deciding tier)."""
    allowed = []
    for award_type in award_types_newest(day):
        if award_type.code == "cong_dan_dong_khoi":
            continue
        if fast_track and not award_type.allowed_on_fast_track:
            continue
        if deciding_unit_for(unit=unit, award_type=award_type) is not None:
            allowed.append(award_type)
    return sorted(allowed, key=lambda a: a.name)


def eligibility_check(*, nomination, day=None, save=True):
    """Evaluate the rules in force (nominations.eligibility) and record the rule set and results on the nomination.

    Raise ValidationError with field messages (each citing its article) when a rule fails; "cần xác nhận" results
    do not refuse, they are shown to the reviewer.
    """
    award_type = nomination.award_type
    nominee = nomination.nominee
    errors = {}
    if award_type.subject_types and nominee.kind not in award_type.subject_types:
        errors["award_type"] = [
            _("Loại hình “%(award)s” không áp dụng cho đối tượng %(kind)s.")
            % {"award": award_type.name, "kind": SubjectType(nominee.kind).label.lower()}
        ]
    rule_set, results = eligibility_evaluate(nomination, day)
    for result in results:
        if result.outcome == FAIL:
            errors.setdefault(result.field, []).append(
                _("%(reason)s (Căn cứ: %(basis)s.)") % {"reason": result.reason, "basis": result.basis}
            )
    if errors:
        raise ValidationError(errors)
    data = results_as_data(results)
    unchanged = nomination.rule_set == rule_set.code and nomination.eligibility == data
    nomination.rule_set = rule_set.code
    nomination.eligibility = data
    # A batch path (save=False) writes the results with its other columns; a re-check with the same outcome
    # (submit, appraise, sign) writes nothing.
    if nomination.pk and save and not unchanged:
        Nomination.objects.filter(pk=nomination.pk).update(
            rule_set=nomination.rule_set, eligibility=nomination.eligibility
        )
    return results


def subject_q(nominee, prefix="nominee__"):
    """Return the filter for rows about the same registry record as `nominee` (its own row when unlinked)."""
    if nominee.person_id:
        return Q(**{f"{prefix}person_id": nominee.person_id})
    if nominee.collective_id:
        return Q(**{f"{prefix}collective_id": nominee.collective_id})
    return Q(**{(prefix[:-2] if prefix else "pk"): nominee.pk})


def history_of(nominee):
    """Return the award history of the registry record `nominee` stands for."""
    if nominee.person_id:
        return AwardHistory.objects.filter(person_id=nominee.person_id)
    if nominee.collective_id:
        return AwardHistory.objects.filter(collective_id=nominee.collective_id)
    return AwardHistory.objects.filter(nominee=nominee)


def merit_streak(*, nominee, award_code, year):
    """Count consecutive years up to `year` in which the nominee's person or collective holds `award_code` as a
    merit award (ad-hoc and revoked awards never count)."""
    years = set(
        history_of(nominee)
        .filter(award_code=award_code, is_ad_hoc=False, is_revoked=False, year__lte=year)
        .values_list("year", flat=True)
    )
    streak, current = 0, year
    while current in years:
        streak += 1
        current -= 1
    return streak


def nomination_errors(
    *,
    unit,
    award_type,
    nominee_data,
    period_year,
    achievements,
    movement=None,
    content_areas=(),
    route=Route.STANDARD,
    honour_round=None,
    variant="",
    event_on=None,
    deciding_unit=None,
):
    """Return ({field: message}, deciding unit) for a nomination about to be filed: the checks of one filing, shared
    by the form, the API and the list import (which asks it row by row before writing anything).

    `deciding_unit` may be passed when the caller already knows it for this unit and award type (a list import asks
    once per award type); the eligibility rules are separate (`eligibility_check`).
    """
    errors = {}
    if not unit.is_active:
        errors["unit"] = _("Đơn vị đã ngừng hoạt động, không thể lập đề nghị mới.")
    if deciding_unit is None:
        deciding_unit = deciding_unit_for(unit=unit, award_type=award_type)
    if deciding_unit is None:
        # Name the authority, so a proposer outside its tier knows why (e.g. Giấy khen in a two-tier province).
        errors["award_type"] = _(
            "“%(award)s” do %(authority)s quyết định; “%(unit)s” không trực thuộc cấp có thẩm quyền này nên không "
            "thể đề nghị."
        ) % {
            "award": award_type.name,
            "authority": DecidingTier(award_type.deciding_tier).label,
            "unit": unit.name,
        }
    if route == Route.FAST_TRACK and not award_type.allowed_on_fast_track:
        errors["award_type"] = _("Loại hình “%(award)s” không được khen thưởng đột xuất.") % {
            "award": award_type.name
        }
    if not (achievements or "").strip():
        errors["achievements"] = _("Vui lòng nhập tóm tắt thành tích.")
    this_year = timezone.localdate().year
    if not (2000 <= int(period_year or 0) <= this_year + 1):
        errors["period_year"] = _("Năm đề nghị không hợp lệ.")
    kind = nominee_data.get("kind")
    if kind not in SubjectType.values:
        errors["nominee.kind"] = _("Đối tượng phải là cá nhân, tập thể hoặc hộ gia đình.")
    if not (nominee_data.get("full_name") or "").strip():
        errors["nominee.full_name"] = _("Vui lòng nhập họ tên hoặc tên tập thể.")
    birth_year = nominee_data.get("birth_year")
    if birth_year not in (None, "") and not (BIRTH_YEAR_MIN <= int(birth_year) <= this_year):
        errors["nominee.birth_year"] = _("Năm sinh phải từ %(first)s đến %(last)s.") % {
            "first": BIRTH_YEAR_MIN,
            "last": this_year,
        }
    citizen_id_problem = citizen_id_error(nominee_data.get("citizen_id"))
    if citizen_id_problem:
        errors["nominee.citizen_id"] = citizen_id_problem
    if route == Route.FAST_TRACK and event_on is None:
        errors["event_on"] = _("Vui lòng nhập ngày lập thành tích đột xuất.")
    elif event_on is not None and event_on > timezone.localdate():
        errors["event_on"] = _("Ngày lập thành tích không được sau hôm nay.")
    if movement is not None:
        foreign = [area for area in content_areas if area.movement_id != movement.pk]
        if foreign:
            errors["content_areas"] = _("Nội dung thi đua không thuộc phong trào đã chọn.")
    errors.update(
        nomination_round_errors(
            unit=unit,
            award_type=award_type,
            route=route,
            honour_round=honour_round,
            variant=variant,
            period_year=period_year,
            nominee_data=nominee_data,
        )
    )
    return errors, deciding_unit


def nomination_draft(
    *,
    actor,
    unit,
    award_type,
    nominee_data,
    period_year,
    achievements,
    deciding_unit,
    person=None,
    collective=None,
    movement=None,
    route=Route.STANDARD,
    honour_round=None,
    variant="",
    event_on=None,
):
    """Return the unsaved nomination (with its unsaved nominee) that `nomination_build` files, for input that passed
    `nomination_errors`: the list import checks the eligibility rules on it before writing anything."""
    nominee = Nominee(
        person=person,
        collective=collective,
        kind=nominee_data.get("kind"),
        full_name=nominee_data["full_name"].strip(),
        gender=nominee_data.get("gender") or "",
        birth_year=nominee_data.get("birth_year") or None,
        position=nominee_data.get("position") or "",
        unit=nominee_data.get("unit") or unit,
        citizen_id=(nominee_data.get("citizen_id") or "").strip(),
        discipline_status=nominee_data.get("discipline_status") or "",
        category=nominee_data.get("category") or "",
    )
    nomination = Nomination(
        route=route,
        nominee=nominee,
        unit=unit,
        movement=movement,
        award_type=award_type,
        period_year=int(period_year),
        achievements=achievements.strip(),
        deciding_unit=deciding_unit,
        route_units=[]
        if route != Route.STANDARD
        else [u.pk for u in route_between(unit=unit, deciding_unit=deciding_unit)],
        is_ad_hoc=route == Route.FAST_TRACK,
        created_by=actor,
        current_unit=unit,
        status=Status.DRAFT,
        round=honour_round,
        variant=variant or "",
        event_on=event_on,
    )
    nomination._members = []
    return nomination


def nomination_build(
    *,
    actor,
    unit,
    award_type,
    nominee_data,
    period_year,
    achievements,
    movement=None,
    content_areas=(),
    route=Route.STANDARD,
    honour_round=None,
    variant="",
    event_on=None,
    members=(),
):
    """Create the nominee and nomination rows (status draft). Caller holds the transaction.

    `event_on` is the day of the feat, required on the fast track (khen thưởng đột xuất), never in the future.

    `honour_round` and `variant` are for the annual Công dân Đồng Khởi title (route dong_khoi) only; `members`
    (dicts of NominationMember fields) is a collective's member list, which the collective titles count.
    """
    if not scope_of(actor).can("file_nomination", unit.pk):
        raise PermissionDenied
    errors, deciding_unit = nomination_errors(
        unit=unit,
        award_type=award_type,
        nominee_data=nominee_data,
        period_year=period_year,
        achievements=achievements,
        movement=movement,
        content_areas=content_areas,
        route=route,
        honour_round=honour_round,
        variant=variant,
        event_on=event_on,
    )
    if errors:
        raise ValidationError(errors)
    # The registry record is found within the unit's subtree only; the nominee row is this nomination's own
    # snapshot of the printed fields, so no other filing can ever read or rename it.
    person, collective = subject_resolve(unit=unit, nominee_data=nominee_data)
    nomination = nomination_draft(
        actor=actor,
        unit=unit,
        award_type=award_type,
        nominee_data=nominee_data,
        period_year=period_year,
        achievements=achievements,
        deciding_unit=deciding_unit,
        person=person,
        collective=collective,
        movement=movement,
        route=route,
        honour_round=honour_round,
        variant=variant,
        event_on=event_on,
    )
    nomination.nominee.save()
    nomination.nominee = nomination.nominee  # the nominee's new id onto the nomination
    member_rows = [NominationMember(**member) for member in members]
    nomination._members = member_rows
    eligibility_check(nomination=nomination)
    nomination.save()
    for member in member_rows:
        member.nomination = nomination
    NominationMember.objects.bulk_create(member_rows)
    if content_areas:
        nomination.content_areas.set(content_areas)
    event_record(**_created_event(actor, nomination))
    return nomination


def _created_event(actor, nomination):
    """The `nomination.create` event of a nomination just written (the arguments of event_record/event_build)."""
    honour_round = nomination.round
    return {
        "action": "nomination.create",
        "actor": actor,
        "obj": nomination,
        "nomination_id": nomination.pk,
        "role": "unit",
        "unit_code": nomination.unit.code,
        "data": {
            "award_type": nomination.award_type.code,
            "route": nomination.route,
            "unit": nomination.unit.code,
            "period_year": nomination.period_year,
            "deciding_unit": nomination.deciding_unit.code,
            **({"round": honour_round.year, "variant": nomination.variant} if honour_round else {}),
        },
    }


def nominations_create_batch(*, actor, unit, drafts, status=None, step=None, due_on=None):
    """Write many nominations of `unit` at once: the drafts (`nomination_draft`) that passed `nomination_errors` and
    `eligibility_check` — a checked list (nominations.lists) — with their registry records (`subjects_resolve`) and
    nominees, in a few statements; the rows `nomination_build` writes for each. `status`, `step` and `due_on` are
    where the caller's process puts them at once (so the rows are not written twice).

    Return the unsaved `nomination.create` events, in the drafts' order, for the caller to append with the events of
    what it does next (audit.services.events_append_bulk). Caller holds the transaction."""
    if not scope_of(actor).can("file_nomination", unit.pk):
        raise PermissionDenied
    if any(draft.unit_id != unit.pk or draft.pk or draft.route != Route.STANDARD for draft in drafts):
        raise ValueError("nominations_create_batch files new standard-route drafts of `unit` only")
    nominees = [draft.nominee for draft in drafts]
    found = {key for nominee in nominees if (key := subject_key(nominee)) is not None}
    subjects_resolve(unit=unit, nominees=nominees)
    # The rules again, on the records now linked (as `nomination_build` checks after `subject_resolve`): a new
    # person is now a person without discipline records, not an unlinked name. Read for all drafts at once; a
    # record `subjects_resolve` just created has nothing to read yet (no history, discipline or nomination).
    keys = {key for nominee in nominees if (key := subject_key(nominee)) is not None}
    facts = subject_facts_load(keys & found) | {key: SubjectFacts() for key in keys - found}
    with subject_facts_preloaded(facts):
        for draft in drafts:
            eligibility_check(nomination=draft)
    for nominee in nominees:
        nominee.name_folded = fold(nominee.full_name)
    Nominee.objects.bulk_create(nominees, batch_size=500)
    for draft in drafts:
        draft.nominee = draft.nominee  # the nominee's new id onto the nomination
        draft.created_by = actor
        draft.status = Status(status or draft.status)
        draft.current_step = Step(step) if step else draft.current_step
        draft.due_on = due_on
    Nomination.objects.bulk_create(drafts, batch_size=500)
    return [event_build(**_created_event(actor, draft)) for draft in drafts]


# Who was proposed last year and is worth proposing again: not what was refused or taken back.
COPY_SKIPPED_STATUSES = (Status.REJECTED, Status.NOT_APPROVED, Status.REVOKED)


def nominations_to_copy(*, unit, year):
    """Return the unit's regular nominations of `year - 1` not yet proposed again for `year` (same award, same
    registry record or, unlinked, the same folded name), oldest first: the list "copy from last year" drafts."""
    previous = list(
        Nomination.objects.filter(unit=unit, period_year=year - 1, route=Route.STANDARD)
        .exclude(status__in=COPY_SKIPPED_STATUSES)
        .select_related("nominee", "award_type", "movement")
        .prefetch_related("members", "content_areas")
        .order_by("created_at", "pk")
    )
    current = Nomination.objects.filter(unit=unit, period_year=year).values_list(
        "award_type__code", "nominee__person_id", "nominee__collective_id", "nominee__name_folded"
    )
    taken = set()
    for code, person_id, collective_id, folded in current:
        taken.add(
            (code, "p", person_id)
            if person_id
            else (code, "c", collective_id)
            if collective_id
            else (code, "n", folded)
        )
    wanted = []
    for old in previous:
        nominee = old.nominee
        key = (
            (old.award_type.code, "p", nominee.person_id)
            if nominee.person_id
            else (old.award_type.code, "c", nominee.collective_id)
            if nominee.collective_id
            else (old.award_type.code, "n", nominee.name_folded)
        )
        if key not in taken:
            taken.add(key)
            wanted.append(old)
    return wanted


def copy_arguments(old, *, year):
    """The `nomination_build` arguments that propose `old`'s nominee again for `year`: the award type's version in
    force today, the nominee's printed fields, the achievements to be updated, the collective's members."""
    nominee = old.nominee
    award_type = AwardType.version_on(old.award_type.code) or old.award_type
    movement = old.movement if old.movement and (old.movement.end_year or year) >= year else None
    return {
        "unit": old.unit,
        "award_type": award_type,
        "nominee_data": {
            "kind": nominee.kind,
            "full_name": nominee.full_name,
            "gender": nominee.gender,
            "birth_year": nominee.birth_year,
            "position": nominee.position,
            "unit": nominee.unit,
            "citizen_id": nominee.citizen_id,
            "category": nominee.category,
        },
        "period_year": year,
        "achievements": old.achievements,
        "movement": movement,
        "content_areas": list(old.content_areas.all()) if movement else [],
        "members": [
            {
                "full_name": member.full_name,
                "completed_tasks": member.completed_tasks,
                "is_advanced_worker": member.is_advanced_worker,
                "is_grassroots_emulation_fighter": member.is_grassroots_emulation_fighter,
                "discipline_level": member.discipline_level,
            }
            for member in old.members.all()
        ],
    }


@transaction.atomic
def nomination_update(*, actor, nomination, achievements=None, period_year=None, nominee_data=None):
    """Edit a draft or returned nomination; records field-level before/after."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not scope_of(actor).can("file_nomination", nomination.unit_id):
        raise PermissionDenied
    if nomination.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(_("Chỉ sửa được đề nghị ở trạng thái dự thảo hoặc bị trả lại."))
    before = {name: getattr(nomination, name) for name in EDITABLE_FIELDS}
    if achievements is not None:
        if not achievements.strip():
            raise ValidationError({"achievements": _("Vui lòng nhập tóm tắt thành tích.")})
        nomination.achievements = achievements.strip()
    if period_year is not None:
        if nomination.round_id and int(period_year) != nomination.round.year:
            raise ValidationError(
                {
                    "period_year": _("Năm đề nghị phải là năm của đợt xét (%(year)s).")
                    % {"year": nomination.round.year}
                }
            )
        nomination.period_year = int(period_year)
    changes = field_changes(nomination, before, EDITABLE_FIELDS)
    nominee = nomination.nominee
    if nominee_data:
        nominee_before = {name: getattr(nominee, name) for name in NOMINEE_FIELDS}
        for name in NOMINEE_FIELDS:
            if name in nominee_data:
                setattr(nominee, name, nominee_data[name] or ("" if name != "birth_year" else None))
        nominee_changes = field_changes(nominee, nominee_before, NOMINEE_FIELDS)
        for sensitive in ("citizen_id", "discipline_status"):
            if sensitive in nominee_changes:
                nominee_changes[sensitive] = ["***", "***"]
        if nominee_changes:
            nominee.save()
            changes.update({f"nominee.{k}": v for k, v in nominee_changes.items()})
    if changes:
        nomination.save(update_fields=["achievements", "period_year", "updated_at"])
        event_record(
            action="nomination.update",
            actor=actor,
            obj=nomination,
            nomination_id=nomination.pk,
            unit_code=nomination.unit.code,
            data={"changes": changes},
        )
    return nomination


@transaction.atomic
def dossier_file_add(*, actor, nomination, kind, uploaded):
    """Attach a checked file to a draft or returned nomination."""
    if not scope_of(actor).can("file_nomination", nomination.unit_id):
        raise PermissionDenied
    if kind not in DossierKind.values:
        raise ValidationError({"kind": _("Loại tài liệu không hợp lệ.")})
    if nomination.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(
            {"file": _("Chỉ bổ sung hồ sơ khi đề nghị ở trạng thái dự thảo hoặc bị trả lại.")}
        )
    name, content_type, size, sha256 = inspect_upload(uploaded)
    uploaded.name = name
    dossier_file = DossierFile.objects.create(
        nomination=nomination,
        kind=kind,
        file=uploaded,
        original_name=name,
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=actor,
    )
    event_record(
        action="dossier.add",
        actor=actor,
        obj=dossier_file,
        nomination_id=nomination.pk,
        unit_code=nomination.unit.code,
        data={"kind": kind, "name": name, "size": size, "sha256": sha256},
    )
    return dossier_file


@transaction.atomic
def submission_scan_attach(*, actor, submission, uploaded):
    """Store the tờ trình as signed by the unit's head (a checked scan), replacing the previous one."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not scope_of(actor).can("submit_nomination", submission.unit_id):
        raise PermissionDenied
    name, _content_type, size, sha256 = inspect_upload(uploaded)
    uploaded.name = name
    replaced = submission.scan_sha256
    submission.scan = uploaded
    submission.scan_name = name
    submission.scan_sha256 = sha256
    submission.scan_uploaded_by = actor
    submission.scan_uploaded_at = timezone.now()
    submission.save(
        update_fields=["scan", "scan_name", "scan_sha256", "scan_uploaded_by", "scan_uploaded_at"]
    )
    event_record(
        action="submission.scan",
        actor=actor,
        obj=submission,
        chain=f"submission:{submission.pk}",
        unit_code=submission.unit.code,
        data={"name": name, "size": size, "sha256": sha256, **({"replaced": replaced} if replaced else {})},
    )
    return submission


@transaction.atomic
def pending_upload_keep(*, actor, uploaded):
    """Hold a checked file for `actor` while the form it came with is corrected; return the row (its id goes back
    in the form, and only `actor` can use it)."""
    name, _content_type, size, sha256 = inspect_upload(uploaded)
    uploaded.name = name
    pending = PendingUpload.objects.create(
        owner=actor, file=uploaded, original_name=name, size=size, sha256=sha256
    )
    event_record(
        action="dossier.hold",
        actor=actor,
        obj=pending,
        data={"name": name, "size": size, "sha256": sha256},
    )
    return pending


def pending_uploads_purge(*, older_than):
    """Delete what was uploaded and held but never used, kept since before `older_than`: the files held for a
    filing form that was never corrected (`pending_upload_keep`) and the lists and history files previewed but never
    confirmed (HELD_IMPORTS). A citizen's document must not stay on the server because a form was left. The held
    rows go in one transaction with one audit event naming them; the files leave the storage once it commits.
    Return the number of files purged."""
    with transaction.atomic():
        stale = list(
            PendingUpload.objects.select_for_update().filter(created_at__lt=older_than).order_by("created_at")
        )
        names = [pending.file.name for pending in stale]
        imports = _held_imports_before(older_than)
        if not stale and not imports:
            return 0
        PendingUpload.objects.filter(pk__in=[pending.pk for pending in stale]).delete()
        event_record(
            action="dossier.hold_purge",
            object_type=PendingUpload._meta.label_lower,
            data={
                "count": len(stale) + len(imports),
                "held_before": older_than.isoformat(),
                "files": [{"id": str(p.pk), "sha256": p.sha256, "owner": p.owner_id} for p in stale],
                "imports": imports,
            },
        )
        transaction.on_commit(lambda: [default_storage.delete(name) for name in [*names, *imports]])
    return len(stale) + len(imports)


def _held_imports_before(older_than):
    found = []
    for folder in HELD_IMPORTS:
        try:
            _folders, files = default_storage.listdir(folder)
        except (FileNotFoundError, NotImplementedError):
            continue
        for name in files:
            path = f"{folder}/{name}"
            if default_storage.get_modified_time(path) < older_than:
                found.append(path)
    return sorted(found)


def pending_upload_get(*, actor, token):
    """Return `actor`'s own pending upload `token`, or None (another user's token is as good as none)."""
    try:
        return PendingUpload.objects.filter(pk=token, owner=actor).first()
    except (ValueError, ValidationError):
        return None


def pending_upload_attach(*, actor, pending, nomination, kind):
    """Attach the held file to `nomination` as a dossier file (checked again) and drop the held copy. Caller holds
    the transaction."""
    with pending.file.open("rb") as handle:
        content = ContentFile(handle.read(), name=pending.original_name)
    dossier_file = dossier_file_add(actor=actor, nomination=nomination, kind=kind, uploaded=content)
    storage, path = pending.file.storage, pending.file.name
    pending.delete()
    transaction.on_commit(lambda: storage.delete(path))
    return dossier_file


_KEEP = object()


def nomination_move(nomination, *, status=None, step=None, unit=_KEEP, due_on=_KEEP):
    """Write where `nomination` now stands: its status, step, the unit holding it and the due date.

    Only the columns given are written (with update_fields), so a move never overwrites what another writer
    changed on the same row; `unit` and `due_on` take None to clear them.
    """
    fields = []
    if status is not None:
        nomination.status = Status(status)
        fields.append("status")
    if step is not None:
        nomination.current_step = Step(step)
        fields.append("current_step")
    if unit is not _KEEP:
        nomination.current_unit = unit
        fields.append("current_unit")
    if due_on is not _KEEP:
        nomination.due_on = due_on
        fields.append("due_on")
    if fields:
        nomination.save(update_fields=[*fields, "updated_at"])
    return nomination


def _in_force(row, day):
    return row.effective_from <= day and (row.effective_to is None or day <= row.effective_to)


def _missing(nomination, rows, present, day):
    """The labels of the rows in force on `day` binding `nomination` whose kind is not in `present`."""
    day = day or nomination.received_on or timezone.localdate()
    missing, seen = [], set()
    for row in rows:
        if _in_force(row, day) and row.applies_to(nomination) and row.kind not in present | seen:
            seen.add(row.kind)
            missing.append(row.label())
    return missing


def dossier_missing(nomination, day=None):
    """Return the labels of the documents the catalogue (DossierRequirement rows in force on `day`, by default
    the day the dossier was received, else today) requires of `nomination` and its dossier lacks."""
    rows = DossierRequirement.objects.filter(
        Q(award_code="") | Q(award_code=nomination.award_type.code), Q(route="") | Q(route=nomination.route)
    ).order_by("kind", "pk")
    present = set(nomination.files.values_list("kind", flat=True))
    return _missing(nomination, list(rows), present, day)


def dossier_missing_many(nominations):
    """Return {nomination pk: missing labels} for a page of nominations (award type and nominee loaded), in two
    queries: a list shows completeness at a glance without a query per row."""
    nominations = list(nominations)
    rows = list(DossierRequirement.objects.order_by("kind", "pk"))
    present = {}
    kinds = (
        DossierFile.objects.filter(nomination__in=[n.pk for n in nominations])
        .order_by()
        .values_list("nomination_id", "kind")
    )
    for nomination_id, kind in kinds:
        present.setdefault(nomination_id, set()).add(kind)
    return {n.pk: _missing(n, rows, present.get(n.pk, set()), None) for n in nominations}


def history_record(*, nomination, decision):
    """Record the award in the nominee's history (ad-hoc awards are marked and never count as merit)."""
    nominee = nomination.nominee
    return AwardHistory.objects.create(
        person_id=nominee.person_id,
        collective_id=nominee.collective_id,
        nominee=nominee,
        award_code=nomination.award_type.code,
        year=nomination.period_year,
        nomination=nomination,
        decision_number=decision.number,
        decided_on=decision.signed_on,
        is_ad_hoc=nomination.is_ad_hoc,
    )


def histories_record(pairs):
    """`history_record` for many (nomination, decision) pairs, in one statement."""
    rows = [
        AwardHistory(
            person_id=nomination.nominee.person_id,
            collective_id=nomination.nominee.collective_id,
            nominee=nomination.nominee,
            award_code=nomination.award_type.code,
            year=nomination.period_year,
            nomination=nomination,
            decision_number=decision.number,
            decided_on=decision.signed_on,
            is_ad_hoc=nomination.is_ad_hoc,
        )
        for nomination, decision in pairs
    ]
    return AwardHistory.objects.bulk_create(rows, batch_size=500)
