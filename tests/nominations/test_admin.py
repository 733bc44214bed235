"""Admin of the catalogue and of nominations: audited, versioned, scoped."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.models import Event
from nominations.models import AwardType, ContentArea, Movement, Nomination
from tests.admin_support import change_url, form_data, signed_in_admin
from tests.factories import file_nomination


@pytest.fixture
def admin_client(client, people):
    return signed_in_admin(client, people)


def test_inline_content_areas_are_audited(admin_client):
    movement = Movement.objects.first()
    data = form_data(admin_client, change_url(movement))
    existing = ContentArea.objects.filter(movement=movement).order_by("order", "code")
    prefix = "content_areas"
    data[f"{prefix}-TOTAL_FORMS"] = existing.count() + 1
    data[f"{prefix}-INITIAL_FORMS"] = existing.count()
    for index, area in enumerate(existing):
        data.update(
            {
                f"{prefix}-{index}-id": area.pk,
                f"{prefix}-{index}-movement": movement.pk,
                f"{prefix}-{index}-code": area.code,
                f"{prefix}-{index}-name": area.name,
                f"{prefix}-{index}-parent": area.parent_id or "",
                f"{prefix}-{index}-order": area.order,
            }
        )
    new = existing.count()
    data.update(
        {
            f"{prefix}-{new}-movement": movement.pk,
            f"{prefix}-{new}-code": "moi",
            f"{prefix}-{new}-name": "Nội dung mới",
            f"{prefix}-{new}-order": 99,
        }
    )
    response = admin_client.post(change_url(movement), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    area = ContentArea.objects.get(movement=movement, code="moi")
    assert Event.objects.filter(
        action="admin.add", object_type="nominations.contentarea", object_id=str(area.pk)
    ).exists()


def test_nominations_admin_is_scoped_for_staff_who_are_not_superusers(client, people):
    mine = file_nomination(people.clerk)
    other = file_nomination(people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG", full_name="Trần Văn Ba")
    clerk = people.clerk
    clerk.is_staff = True
    clerk.save()
    clerk.user_permissions.add(
        Permission.objects.get(codename="view_nomination", content_type__app_label="nominations")
    )
    client.force_login(clerk)
    response = client.get(reverse("admin:nominations_nomination_changelist"))
    assert response.status_code == 200
    shown = {row.pk for row in response.context["cl"].result_list}
    assert shown == {mine.pk}
    assert client.get(change_url(mine)).status_code == 200
    assert client.get(change_url(other)).status_code == 302  # "does not exist": the admin redirects home
    assert client.post(change_url(mine), {"status": "awarded"}).status_code == 403
    assert Nomination.objects.get(pk=mine.pk).status == "draft"


def test_an_award_type_version_in_use_is_frozen_except_its_end_date(admin_client, people):
    nomination = file_nomination(people.clerk)
    version = nomination.award_type
    response = admin_client.get(change_url(version))
    form = response.context["adminform"].form
    assert set(form.fields) == {"effective_to"}
    unused = AwardType.objects.exclude(pk__in=Nomination.objects.values("award_type")).first()
    assert "cash_multiplier" in admin_client.get(change_url(unused)).context["adminform"].form.fields


def test_new_award_type_version_closes_the_old_one_and_is_audited(admin_client, people):
    from datetime import timedelta

    from django.utils import timezone

    nomination = file_nomination(people.clerk)
    old = nomination.award_type
    response = admin_client.post(
        reverse("admin:nominations_awardtype_changelist"),
        {"action": "new_version", "_selected_action": [old.pk]},
    )
    assert response.status_code == 302
    tomorrow = timezone.localdate() + timedelta(days=1)
    old.refresh_from_db()
    new = AwardType.objects.get(code=old.code, effective_from=tomorrow)
    assert old.effective_to == tomorrow - timedelta(days=1) and new.effective_to is None
    assert new.cash_multiplier == old.cash_multiplier and not new.nominations.exists()
    assert AwardType.version_on(old.code, tomorrow) == new and AwardType.version_on(old.code) == old
    nomination.refresh_from_db()
    assert nomination.award_type_id == old.pk  # filed nominations keep their version
    assert Event.objects.filter(
        action="admin.add", object_type="nominations.awardtype", object_id=str(new.pk)
    ).exists()
    changed = Event.objects.get(
        action="admin.change", object_type="nominations.awardtype", object_id=str(old.pk)
    )
    assert changed.data["changes"] == {"effective_to": [None, old.effective_to.isoformat()]}
    # The new version is not used yet, so it is editable.
    assert "cash_multiplier" in admin_client.get(change_url(new)).context["adminform"].form.fields
