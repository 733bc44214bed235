"""The registry: scoped reuse, possible duplicates flagged to the province reviewer, audited merge keeping history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import Event
from nominations.models import AwardHistory, DuplicateFlag, FlagStatus, Person, PersonName
from nominations.registry import duplicate_dismiss, person_merge
from tests.factories import file_nomination

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
