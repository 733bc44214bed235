"""The registry: scoped reuse, possible duplicates flagged to the province reviewer, audited merge keeping history."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from nominations.models import (
    AwardHistory,
    Collective,
    DuplicateFlag,
    FlagStatus,
    Person,
    PersonName,
    SubjectType,
)
from nominations.registry import duplicate_dismiss, person_merge, subject_find, subjects_find
from organisation.models import Unit, UnitSuccession
from organisation.services import membership_grant
from tests.factories import file_nomination, unit

CCCD = "083090004321"


def _duplicate(people):
    mine = file_nomination(people.clerk, full_name="Phan Văn Trùng", citizen_id=CCCD)
    theirs = file_nomination(
        people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG", full_name="Phan Van Trung", citizen_id=CCCD
    )
    return mine, theirs, DuplicateFlag.objects.get()


def test_outside_match_is_flagged_to_the_province_and_merged_with_history_kept(people):
    mine, theirs, flag = _duplicate(people)
    assert flag.person == theirs.nominee.person and flag.candidate == mine.nominee.person
    AwardHistory.objects.create(person=flag.person, award_code="giay_khen", year=2020, source="backfill")
    keep = person_merge(actor=people.province_reviewer, flag=flag, keep=flag.candidate)
    theirs.nominee.refresh_from_db()
    assert theirs.nominee.person == keep and keep.awards.count() == 1
    assert Person.objects.get(pk=flag.person_id).merged_into == keep
    assert PersonName.objects.filter(person=keep, full_name="Phan Van Trung").exists()
    flag.refresh_from_db()
    assert flag.status == FlagStatus.MERGED and flag.resolved_by == people.province_reviewer
    assert Event.objects.get(action="person.merge").data["merged"] == flag.person_id
    with pytest.raises(ValidationError):
        person_merge(actor=people.province_reviewer, flag=flag, keep=flag.candidate)


@pytest.mark.parametrize("who", ["clerk", "district_reviewer", "vl_reviewer", "other_clerk"])
def test_only_the_province_reviewer_resolves_duplicates(people, who):
    _mine, _theirs, flag = _duplicate(people)
    with pytest.raises(PermissionDenied):
        person_merge(actor=getattr(people, who), flag=flag, keep=flag.candidate)
    with pytest.raises(PermissionDenied):
        duplicate_dismiss(actor=getattr(people, who), flag=flag)
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_duplicate_page_lists_and_resolves_for_the_province_reviewer_only(client, people):
    _mine, _theirs, flag = _duplicate(people)
    client.force_login(people.other_clerk)
    assert client.get(reverse("registry:duplicates")).status_code == 403
    assert (
        client.post(reverse("registry:duplicate_resolve", args=[flag.pk]), {"action": "dismiss"}).status_code
        == 404
    )
    client.force_login(people.province_reviewer)
    assert "Phan Van Trung" in client.get(reverse("registry:duplicates")).content.decode()
    client.post(reverse("registry:duplicate_resolve", args=[flag.pk]), {"action": "dismiss"})
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED
    assert Event.objects.filter(action="person.duplicate_dismiss").exists()


# -- collectives: a unit of the tree, or a named collective under a unit ---------------------------------------


def _collective_of(actor, name, unit_code="BT.MCN.DINHTHUY", years_back=0):
    # One award a year per collective (the duplicate rule): a second filing for the same one goes a year back.
    year = timezone.localdate().year - years_back
    nomination = file_nomination(actor, unit_code=unit_code, kind="collective", full_name=name, year=year)
    return nomination.nominee.collective


def test_a_collective_named_as_its_unit_is_the_units_own_collective_whatever_the_spelling(people):
    first = _collective_of(people.clerk, "Xã Định Thủy")
    again = _collective_of(people.clerk, "XA DINH THUY", years_back=1)
    team = _collective_of(people.clerk, "Tổ Một cửa")
    assert first.is_unit and first.unit.code == "BT.MCN.DINHTHUY" and first.name == first.unit.name
    assert again == first
    assert not team.is_unit and team != first and team.unit == first.unit


def test_a_unit_of_the_subtree_is_found_but_a_unit_outside_it_is_only_a_name(people):
    district_clerk = get_user_model().objects.create(username="mcn_clerk")
    membership_grant(user=district_clerk, unit=unit("BT.MCN"), role="unit_clerk")
    commune = _collective_of(district_clerk, "xã định thủy", unit_code="BT.MCN")
    assert commune.is_unit and commune.unit.code == "BT.MCN.DINHTHUY"
    assert _collective_of(people.clerk, "Xã Định Thủy", years_back=1) == commune
    # Xã An Ngãi Trung lies in another district: naming it creates a collective under the filing unit.
    foreign = _collective_of(people.clerk, "Xã An Ngãi Trung")
    assert not foreign.is_unit and foreign.unit.code == "BT.MCN.DINHTHUY"
    assert not Collective.objects.filter(unit__code="BT.BATRI.ANNGAITRUNG").exists()


def test_a_renamed_unit_keeps_its_collective_and_history(people):
    own = _collective_of(people.clerk, "Xã Định Thủy")
    AwardHistory.objects.create(collective=own, award_code="tap_the_lao_dong_tien_tien", year=2024)
    Unit.objects.filter(code="BT.MCN.DINHTHUY").update(name="Xã Định Thủy Mới")
    assert _collective_of(people.clerk, "Xã Định Thủy Mới", years_back=1) == own
    assert own.awards.count() == 1


def test_one_collective_per_unit(people):
    own = _collective_of(people.clerk, "Xã Định Thủy")
    with pytest.raises(IntegrityError), transaction.atomic():
        Collective.objects.create(name="Bản sao", unit=own.unit, is_unit=True)


def test_existing_collectives_named_as_their_unit_are_marked_by_the_migration(people):
    fill = importlib.import_module("nominations.migrations.0012_fill_collective_is_unit").fill
    commune = unit("BT.MCN.DINHTHUY")
    older = Collective.objects.create(name="xã Định Thủy", unit=commune)
    newer = Collective.objects.create(name="Xã Định Thủy", unit=commune)
    team = Collective.objects.create(name="Tổ Một cửa", unit=commune)
    fill(django_apps, None)
    assert [
        c.is_unit for c in Collective.objects.filter(pk__in=[older.pk, newer.pk, team.pk]).order_by("pk")
    ] == [
        True,
        False,
        False,
    ]


def test_a_list_finds_each_rows_record_across_a_reorganisation(people):
    """A list's lookups, read for all rows at once, find what each row's filing finds: the oldest live record of
    the filing unit or of a unit it succeeded, a collective naming a unit of the subtree as that unit's own."""
    commune = unit("BT.MCN.DINHTHUY")
    merged = Unit.objects.filter(parent=commune.parent).exclude(pk=commune.pk).order_by("pk").first()
    UnitSuccession.objects.create(
        predecessor=merged, successor=commune, effective_on=timezone.localdate(), reorganisation="2025"
    )
    team = Collective.objects.create(kind=SubjectType.COLLECTIVE, name="Tổ Một cửa", unit=merged)
    Collective.objects.create(kind=SubjectType.COLLECTIVE, name="Tổ một cửa", unit=commune)
    household = Collective.objects.create(kind=SubjectType.HOUSEHOLD, name="Hộ Lê Văn Ba", unit=commune)
    Collective.objects.create(kind=SubjectType.HOUSEHOLD, name="Tổ Một cửa", unit=commune)
    person = Person.objects.create(full_name="Lê Thị Hoa", birth_year=1980, unit=merged)
    rows = [
        {"kind": "collective", "full_name": "TO MOT CUA"},
        {"kind": "household", "full_name": "Hộ Lê Văn Ba"},
        {"kind": "individual", "full_name": "Le Thi Hoa", "birth_year": 1980},
        {"kind": "collective", "full_name": "Xã Định Thủy"},
        {"kind": "collective", "full_name": "Tổ Mới"},
        # A household of that name lives at the successor only: not found from the unit it succeeded.
        {"kind": "household", "full_name": "Tổ Một cửa", "unit": merged},
    ]
    found = subjects_find(unit=commune, nominee_datas=rows)
    assert found[:3] == [team, household, person]
    assert found[3].is_unit and found[3].unit == commune
    assert found[4] is None and found[5] is None
    assert found == [subject_find(unit=commune, nominee_data=row) for row in rows]
