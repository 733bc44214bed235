"""The registry of people and collectives: finding the record a nomination is about, scoped to the filing unit's
subtree, flagging possible duplicates to the province's reviewer, and merging them.

A filing never learns about a record outside its subtree: a citizen ID known elsewhere gives a new record exactly as
an unknown one does, and the match is only shown to the province's reviewer as a possible duplicate.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import event_record
from nominations.models import (
    AwardHistory,
    Collective,
    DisciplineRecord,
    DisciplineState,
    DuplicateFlag,
    FlagStatus,
    Nominee,
    Person,
    PersonName,
    SubjectType,
)
from nominations.selectors import can_edit_registry_record
from organisation.models import Unit, predecessors_of
from organisation.policy import registry_scope, scope_of
from organisation.text import fold

# The province's emulation office (province reviewers) resolves possible duplicates.
MERGE_PERMISSION = "appraise_nomination"
CHUNK = 500  # ids per IN (...) list


def subject_find(*, unit, nominee_data):
    """Return the record of the unit's subtree a nomination filed at `unit` is about (citizen ID, else name + birth
    year at the same unit, or a collective by name), or None when the filing would create a new one. Reads only."""
    return subjects_find(unit=unit, nominee_datas=[nominee_data])[0]


def subjects_find(*, unit, nominee_datas):
    """`subject_find` for many nominees filed at `unit` (a list): the records in the same order, or None for each
    that would be new. Read in a few queries whatever their number."""
    scope = registry_scope(unit)
    found = [None] * len(nominee_datas)
    by_citizen_id, by_name, collectives = {}, {}, []
    scope_units = []  # the units of the scope, read at the first collective name that needs them
    for index, nominee_data in enumerate(nominee_datas):
        kind = nominee_data.get("kind")
        name = (nominee_data.get("full_name") or "").strip()
        home = nominee_data.get("unit") or unit
        if kind != SubjectType.INDIVIDUAL:
            named = None
            if kind == SubjectType.COLLECTIVE:
                named = unit_named(name, scope, prefer=home, units=scope_units)
            if named is not None:
                found[index] = unit_collective(named)
            else:
                collectives.append((index, kind, fold(name), home.pk))
            continue
        citizen_id = (nominee_data.get("citizen_id") or "").strip()
        if citizen_id:
            by_citizen_id.setdefault(citizen_id, []).append(index)
        else:
            year = nominee_data.get("birth_year")
            key = (home.pk, fold(name), int(year) if year else None)
            by_name.setdefault(key, []).append(index)
    # The same unit, or one it succeeded in a reorganisation: a record's history survives the re-coding.
    homes = {
        home_id: units & scope
        for home_id, units in predecessors_of(
            {home_id for *_key, home_id in collectives} | {home_id for home_id, _folded, _year in by_name}
        ).items()
    }
    live = Person.objects.filter(merged_into__isnull=True).order_by("pk")
    citizen_ids = sorted(by_citizen_id)
    for start in range(0, len(citizen_ids), CHUNK):
        chunk = citizen_ids[start : start + CHUNK]
        # The first record (lowest id) of the subtree with each citizen ID.
        for person in live.filter(citizen_id__in=chunk, unit_id__in=scope):
            for index in by_citizen_id.pop(person.citizen_id, ()):
                found[index] = person
    if by_name:
        people_homes = {home_id: homes[home_id] for home_id, _folded, _year in by_name}
        folded_names = sorted({folded for _home, folded, _year in by_name})
        for start in range(0, len(folded_names), CHUNK):
            chunk = folded_names[start : start + CHUNK]
            candidates = live.filter(unit_id__in=set().union(*people_homes.values()), name_folded__in=chunk)
            for person in candidates:
                for home_id, units in people_homes.items():
                    if person.unit_id in units:
                        for index in by_name.pop((home_id, person.name_folded, person.birth_year), ()):
                            found[index] = person
    _collectives_find(collectives, homes, found)
    return found


def _collectives_find(collectives, homes, found):
    """Set found[index] for each (index, kind, folded name, home unit id) of `collectives`: the first collective
    (lowest id) of that kind and name at the home unit or one it succeeded, within the scope (`homes`)."""
    wanted = {}
    for index, kind, folded, home_id in collectives:
        wanted.setdefault((kind, folded), []).append((index, homes[home_id]))
    names = sorted({folded for _kind, folded in wanted})
    for start in range(0, len(names), CHUNK):
        candidates = Collective.objects.filter(
            kind__in={kind for kind, _folded in wanted},
            is_unit=False,
            unit_id__in=set().union(*homes.values()),
            name_folded__in=names[start : start + CHUNK],
            merged_into__isnull=True,
        ).order_by("pk")
        for collective in candidates:
            for index, units in wanted.get((collective.kind, collective.name_folded), ()):
                if found[index] is None and collective.unit_id in units:
                    found[index] = collective


def subject_resolve(*, unit, nominee_data):
    """Return (person, collective) for a nomination filed at `unit`: the record of the unit's subtree that matches
    (`subject_find`), or a new one. Caller holds the transaction."""
    kind = nominee_data.get("kind")
    name = (nominee_data.get("full_name") or "").strip()
    home = nominee_data.get("unit") or unit
    found = subject_find(unit=unit, nominee_data=nominee_data)
    if kind != SubjectType.INDIVIDUAL:
        return None, found or Collective.objects.create(kind=kind, name=name, unit=home)
    if found is not None:
        if (nominee_data.get("citizen_id") or "").strip():  # found by citizen ID: the name may have changed
            _person_rename(found, name, source=_("Đề nghị khen thưởng"))
        return found, None
    citizen_id = (nominee_data.get("citizen_id") or "").strip()
    person = Person.objects.create(
        full_name=name,
        citizen_id=citizen_id,
        birth_year=nominee_data.get("birth_year") or None,
        gender=nominee_data.get("gender") or "",
        unit=home,
    )
    if citizen_id:
        _duplicates_flag(unit, [person])
    return person, None


def subjects_resolve(*, unit, nominees):
    """`subject_resolve` for the unsaved nominees of many nominations filed at `unit` whose records were looked up
    already (`subjects_find`: `person`/`collective` set where found): create the missing records — one per subject,
    however many rows name it — with their possible-duplicate flags, in a few statements, and rename a person found
    by citizen ID under another name. Sets `person`/`collective` on each nominee. Caller holds the transaction."""
    source = _("Đề nghị khen thưởng")
    new_people, new_collectives = {}, {}
    for nominee in nominees:
        citizen_id = (nominee.citizen_id or "").strip()
        if nominee.kind != SubjectType.INDIVIDUAL:
            if nominee.collective_id is None and nominee.collective is None:
                key = (nominee.kind, fold(nominee.full_name), nominee.unit_id)
                nominee.collective = new_collectives.setdefault(
                    key, Collective(kind=nominee.kind, name=nominee.full_name, unit=nominee.unit)
                )
            continue
        if nominee.person is not None:
            if citizen_id:  # found by citizen ID: the name may have changed
                _person_rename(nominee.person, nominee.full_name, source=source)
            continue
        key = (
            ("citizen_id", citizen_id)
            if citizen_id
            else (nominee.unit_id, fold(nominee.full_name), nominee.birth_year)
        )
        nominee.person = new_people.setdefault(
            key,
            Person(
                full_name=nominee.full_name,
                citizen_id=citizen_id,
                birth_year=nominee.birth_year,
                gender=nominee.gender,
                unit=nominee.unit,
            ),
        )
    for collective in new_collectives.values():
        collective.name_folded = fold(collective.name)
    Collective.objects.bulk_create(new_collectives.values(), batch_size=500)
    people = list(new_people.values())
    for person in people:
        person.name_folded = fold(person.full_name)
    Person.objects.bulk_create(people, batch_size=500)
    for nominee in nominees:  # the new ids onto the nominees
        nominee.person, nominee.collective = nominee.person, nominee.collective
    _duplicates_flag(unit, [person for person in people if person.citizen_id])


def _duplicates_flag(unit, people):
    """Flag each new person (with a citizen ID) whose citizen ID another record of the same province bears. Only
    the province holding both records may compare them; another province's record stays unseen."""
    if not people:
        return
    province = unit.province
    same_province = registry_scope(province)
    new_ids = {person.pk for person in people}
    candidates = {}
    citizen_ids = sorted({person.citizen_id for person in people})
    for start in range(0, len(citizen_ids), CHUNK):
        others = Person.objects.filter(
            merged_into__isnull=True, citizen_id__in=citizen_ids[start : start + CHUNK]
        ).exclude(pk__in=new_ids)
        for candidate in others.order_by("pk"):
            if candidate.unit_id in same_province:
                candidates.setdefault(candidate.citizen_id, []).append(candidate)
    DuplicateFlag.objects.bulk_create(
        [
            DuplicateFlag(person=person, candidate=candidate, province=province)
            for person in people
            for candidate in candidates.get(person.citizen_id, ())
        ],
        batch_size=500,
    )


def unit_named(name, scope, *, prefer=None, units=None):
    """Return the unit among `scope` (ids) that `name` names — its name or short name, accents and case ignored —
    or None. `prefer` (the filing unit) wins a tie, then units still in operation, then the oldest.

    `units`: a list that holds the scope's units once read (empty at first), for many names in one scope."""
    folded = fold(name)
    if not folded:
        return None
    if prefer is not None and folded in (fold(prefer.name), fold(prefer.short_name)):
        return prefer
    if units is None:
        units = []
    if not units:
        units.extend(
            Unit.objects.filter(pk__in=scope)
            .only("pk", "name", "short_name", "valid_from", "valid_to")
            .order_by()
        )
    matches = [unit for unit in units if folded in (fold(unit.name), fold(unit.short_name))]
    matches.sort(key=lambda unit: (not unit.is_active, unit.pk))
    return matches[0] if matches else None


def unit_collective(unit):
    """Return the registry collective that is `unit` itself (a unit of the tree as a collective), creating it the
    first time. It is found by the unit, not by name, so its history survives a renaming of the unit."""
    collective, _created = Collective.objects.get_or_create(
        unit=unit, is_unit=True, defaults={"name": unit.name, "kind": SubjectType.COLLECTIVE}
    )
    return collective


def _person_rename(person, name, *, source):
    """Keep the earlier name in the history when the same person now bears another one."""
    if name and name != person.full_name:
        PersonName.objects.create(person=person, full_name=person.full_name, source=source)
        person.full_name = name
        person.save(update_fields=["full_name", "name_folded"])


def _check_resolves_duplicates(actor, flag):
    if not scope_of(actor).can(MERGE_PERMISSION, flag.province_id):
        raise PermissionDenied


@transaction.atomic
def person_merge(*, actor, flag, keep):
    """Merge the two records of `flag` into `keep` (one of them): nominations, history and names move to it, the
    other record stays, pointing at `keep`, so nothing of the history is lost."""
    flag = DuplicateFlag.objects.select_for_update().select_related("person", "candidate").get(pk=flag.pk)
    _check_resolves_duplicates(actor, flag)
    if flag.status != FlagStatus.OPEN:
        raise ValidationError({"flag": _("Trường hợp nghi trùng này đã được xử lý.")})
    if keep.pk not in (flag.person_id, flag.candidate_id):
        raise ValidationError({"keep": _("Chỉ chọn một trong hai hồ sơ đang xem xét.")})
    gone = flag.candidate if keep.pk == flag.person_id else flag.person
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    if gone.merged_into_id:
        raise ValidationError({"flag": _("Hồ sơ này đã được hợp nhất trước đó.")})
    moved_snapshots = Nominee.objects.filter(person=gone).update(person=keep)
    moved_awards = AwardHistory.objects.filter(person=gone).update(person=keep)
    PersonName.objects.filter(person=gone).update(person=keep)
    if gone.full_name != keep.full_name:
        PersonName.objects.create(person=keep, full_name=gone.full_name, source=_("Hợp nhất hồ sơ"))
    if not keep.citizen_id and gone.citizen_id:
        keep.citizen_id = gone.citizen_id
    if keep.birth_year is None:
        keep.birth_year = gone.birth_year
    keep.save()
    gone.merged_into = keep
    gone.save(update_fields=["merged_into"])
    flag.status, flag.resolved_by, flag.resolved_at = FlagStatus.MERGED, actor, timezone.now()
    flag.save(update_fields=["status", "resolved_by", "resolved_at"])
    DuplicateFlag.objects.filter(person=gone, status=FlagStatus.OPEN).update(person=keep)
    DuplicateFlag.objects.filter(candidate=gone, status=FlagStatus.OPEN).update(candidate=keep)
    event_record(
        action="person.merge",
        actor=actor,
        obj=keep,
        role="reviewer",
        unit_code=flag.province.code,
        data={
            "kept": keep.pk,
            "merged": gone.pk,
            "flag": flag.pk,
            "snapshots": moved_snapshots,
            "awards": moved_awards,
        },
    )
    return keep


@transaction.atomic
def duplicate_dismiss(*, actor, flag):
    """Record that the two records of `flag` are different people."""
    flag = DuplicateFlag.objects.select_for_update().get(pk=flag.pk)
    _check_resolves_duplicates(actor, flag)
    if flag.status != FlagStatus.OPEN:
        raise ValidationError({"flag": _("Trường hợp nghi trùng này đã được xử lý.")})
    flag.status, flag.resolved_by, flag.resolved_at = FlagStatus.DISMISSED, actor, timezone.now()
    flag.save(update_fields=["status", "resolved_by", "resolved_at"])
    event_record(
        action="person.duplicate_dismiss",
        actor=actor,
        obj=flag,
        role="reviewer",
        unit_code=flag.province.code,
        data={"person": flag.person_id, "candidate": flag.candidate_id},
    )
    return flag


@transaction.atomic
def discipline_record(
    *, actor, person, state, decided_on, level=None, decision_number="", effective_until=None
):
    """Record a disciplinary measure or a pending case of a person of the actor's units."""
    if not can_edit_registry_record(actor, person):
        raise PermissionDenied
    errors = {}
    if state not in DisciplineState.values:
        errors["state"] = _("Tình trạng không hợp lệ.")
    if state == DisciplineState.DECIDED and level is None:
        errors["level"] = _("Vui lòng chọn hình thức kỷ luật.")
    if effective_until is not None and decided_on is not None and effective_until < decided_on:
        errors["effective_until"] = _("Ngày hết hiệu lực phải sau ngày quyết định.")
    if errors:
        raise ValidationError(errors)
    record = DisciplineRecord.objects.create(
        person=person,
        state=state,
        level=level,
        decision_number=decision_number.strip(),
        decided_on=decided_on,
        effective_until=effective_until,
        recorded_by=actor,
    )
    event_record(
        action="person.discipline",
        actor=actor,
        obj=record,
        unit_code=person.unit.code,
        data={"person": person.pk, "state": state, "level": level, "until": str(effective_until or "")},
    )
    return record
