"""Fast single filing: "Lưu và lập tiếp", copy from last year's list, the file kept across a refused post, field
errors that say what is valid; with the negative permission tests of each new write."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from nominations.models import DossierFile, Nomination, PendingUpload, Status
from nominations.services import nominations_to_copy
from tests.factories import PDF_BYTES, award, file_nomination, movement, pdf_upload, unit
from workflows.services import nominations_copy_last_year

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "unit": unit("BT.MCN.DINHTHUY").pk,
        "kind": "individual",
        "full_name": "Võ Thị Hoa",
        "gender": "female",
        "birth_year": 1985,
        "position": "Công chức văn hóa xã",
        "award_type": award("bang_khen_tinh").pk,
        "movement": movement().pk,
        "period_year": timezone.localdate().year,
        "achievements": "Hoàn thành xuất sắc nhiệm vụ năm.",
    }
    data.update(changes)
    return data


def test_save_and_new_opens_a_fresh_form_with_the_same_award_and_unit(client, people):
    client.force_login(people.clerk)
    response = client.post(reverse("nominations:create"), form_data(save_and_new="1"))
    created = Nomination.objects.get(nominee__full_name="Võ Thị Hoa")
    assert response.status_code == 302
    assert response.url.startswith(reverse("nominations:create") + "?")
    assert f"award_type={created.award_type_id}" in response.url and f"unit={created.unit_id}" in response.url
    form = client.get(response.url).context["form"]
    assert form.initial["award_type"] == created.award_type_id and form.initial["unit"] == created.unit_id
    assert not form.is_bound  # a new nominee: nothing of the last one is carried over but the award and unit


def test_plain_save_still_opens_the_nomination(client, people):
    client.force_login(people.clerk)
    response = client.post(reverse("nominations:create"), form_data())
    created = Nomination.objects.get(nominee__full_name="Võ Thị Hoa")
    assert response.url == reverse("nominations:detail", args=[created.pk])


def test_the_file_is_kept_across_a_refused_post_and_attached_on_the_valid_one(client, people):
    client.force_login(people.clerk)
    refused = client.post(
        reverse("nominations:create"), form_data(achievements="", file=pdf_upload("bao-cao-hoa.pdf"))
    )
    assert (
        refused.status_code == 200 and not Nomination.objects.filter(nominee__full_name="Võ Thị Hoa").exists()
    )
    pending = PendingUpload.objects.get(owner=people.clerk)
    body = refused.content.decode()
    assert f'name="pending_file" value="{pending.pk}"' in body and "bao-cao-hoa.pdf" in body
    accepted = client.post(reverse("nominations:create"), form_data(pending_file=str(pending.pk)))
    created = Nomination.objects.get(nominee__full_name="Võ Thị Hoa")
    assert accepted.status_code == 302
    attached = DossierFile.objects.get(nomination=created)
    assert attached.original_name == "bao-cao-hoa.pdf" and attached.kind == "achievement_report"
    assert attached.file.read() == PDF_BYTES
    assert not PendingUpload.objects.exists()
    assert Event.objects.filter(action="dossier.add", nomination_id=created.pk).exists()


def test_another_users_held_file_is_never_attached(client, people):
    client.force_login(people.clerk)
    client.post(reverse("nominations:create"), form_data(achievements="", file=pdf_upload()))
    pending = PendingUpload.objects.get(owner=people.clerk)
    client.force_login(people.other_clerk)
    client.post(
        reverse("nominations:create"),
        form_data(unit=unit("BT.BATRI.ANNGAITRUNG").pk, full_name="Người khác", pending_file=str(pending.pk)),
    )
    other = Nomination.objects.get(nominee__full_name="Người khác")
    assert not other.files.exists() and PendingUpload.objects.filter(pk=pending.pk).exists()


def test_a_bad_file_is_not_held(client, people):
    client.force_login(people.clerk)
    client.post(reverse("nominations:create"), form_data(achievements="", file=pdf_upload("x.exe")))
    assert not PendingUpload.objects.exists()


def test_field_errors_say_what_is_valid(client, people):
    client.force_login(people.clerk)
    year = timezone.localdate().year
    form = client.post(
        reverse("nominations:create"), form_data(birth_year=1850, citizen_id="08318500012")
    ).context["form"]
    assert form.errors["birth_year"] == [f"Năm sinh phải từ 1900 đến {year}."]
    assert form.errors["citizen_id"] == ["Số CCCD phải gồm đúng 12 chữ số."]
    assert "12" in str(form.fields["citizen_id"].help_text)


@pytest.fixture
def last_year(people):
    year = timezone.localdate().year - 1
    kept = file_nomination(people.clerk, full_name="Đặng Văn Lâm", year=year)
    collective = file_nomination(
        people.clerk,
        award_code="tap_the_lao_dong_tien_tien",
        kind="collective",
        full_name="Tổ dân phố 2",
        position="",
        year=year,
    )
    refused = file_nomination(people.clerk, full_name="Bị Từ Chối", year=year)
    Nomination.objects.filter(pk=refused.pk).update(status=Status.REJECTED)
    return year + 1, kept, collective


def test_copy_from_last_year_drafts_the_list_again_once(client, people, last_year):
    year, kept, collective = last_year
    client.force_login(people.clerk)
    page = client.get(reverse("nominations:create")).content.decode()
    assert 'data-testid="copy-last-year"' in page
    response = client.post(reverse("nominations:copy_last_year"), {"unit": kept.unit_id, "year": year})
    assert response.status_code == 302
    copies = Nomination.objects.filter(period_year=year, unit=kept.unit)
    assert sorted(c.nominee.full_name for c in copies) == ["Tổ dân phố 2", "Đặng Văn Lâm"]
    assert all(c.status == Status.DRAFT and c.created_by == people.clerk for c in copies)
    assert (
        Event.objects.filter(action="nomination.create", nomination_id__in=copies.values("pk")).count() == 2
    )
    event = Event.objects.get(action="nomination.copy_year")
    assert sorted(old for _new, old in event.data["created"]) == sorted([kept.pk, collective.pk])
    copied_collective = copies.get(nominee__full_name="Tổ dân phố 2")
    assert copied_collective.members.count() == collective.members.count()
    # Again: nothing new, the list is already there.
    assert nominations_to_copy(unit=kept.unit, year=year) == []
    client.post(reverse("nominations:copy_last_year"), {"unit": kept.unit_id, "year": year})
    assert Nomination.objects.filter(period_year=year, unit=kept.unit).count() == 2


def test_copy_from_last_year_is_refused_to_other_units_and_outsiders(client, people, last_year):
    year, kept, _collective = last_year
    for stranger in (people.other_clerk, people.outsider, people.district_reviewer):
        with pytest.raises(PermissionDenied):
            nominations_copy_last_year(actor=stranger, unit=kept.unit, year=year)
        client.force_login(stranger)
        response = client.post(reverse("nominations:copy_last_year"), {"unit": kept.unit_id, "year": year})
        assert response.status_code == 403
    assert not Nomination.objects.filter(period_year=year).exists()
    assert not Event.objects.filter(action="nomination.copy_year").exists()


def test_held_files_never_used_are_purged_after_the_hours_set(
    client, people, settings, django_capture_on_commit_callbacks
):
    import os
    from datetime import timedelta

    from django.core.files.base import ContentFile

    from workflows.tasks import pending_uploads_purge

    client.force_login(people.clerk)
    client.post(reverse("nominations:create"), form_data(achievements="", file=pdf_upload("cu.pdf")))
    client.post(reverse("nominations:create"), form_data(achievements="", file=pdf_upload("moi.pdf")))
    old, new = PendingUpload.objects.order_by("created_at")
    PendingUpload.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=settings.PENDING_UPLOAD_HOURS, minutes=1)
    )
    storage, old_name = old.file.storage, old.file.name
    assert storage.exists(old_name)
    # A list previewed and never confirmed, long ago, and one previewed just now.
    left = storage.save("imports/lists/cu.xlsx", ContentFile(b"x"))
    fresh = storage.save("imports/lists/moi.xlsx", ContentFile(b"x"))
    past = (timezone.now() - timedelta(hours=settings.PENDING_UPLOAD_HOURS + 1)).timestamp()
    os.utime(storage.path(left), (past, past))
    with django_capture_on_commit_callbacks(execute=True):
        assert pending_uploads_purge() == 2
    assert list(PendingUpload.objects.values_list("pk", flat=True)) == [new.pk]
    assert not storage.exists(old_name) and storage.exists(new.file.name)
    assert not storage.exists(left) and storage.exists(fresh)
    event = Event.objects.get(action="dossier.hold_purge")
    assert event.data["count"] == 2 and event.data["files"][0]["id"] == str(old.pk)
    assert event.data["imports"] == [left]
    assert pending_uploads_purge() == 0  # nothing left to purge: no event either
    assert Event.objects.filter(action="dossier.hold_purge").count() == 1
    assert settings.CELERY_BEAT_SCHEDULE["pending-uploads-purge"]["task"] == "workflows.pending_uploads_purge"
