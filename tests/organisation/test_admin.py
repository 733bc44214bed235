"""The admin: every save audited field by field, roles only through the services, nominations scoped, audit
events read-only."""

import pytest
from django.urls import reverse

from audit.models import Event
from organisation.models import Membership, Unit
from organisation.policy import group_name
from tests.admin_support import change_url, form_data, signed_in_admin


@pytest.fixture
def admin_client(client, people):
    return signed_in_admin(client, people)


def test_changing_a_unit_in_the_admin_records_before_and_after(admin_client, people):
    unit = Unit.objects.get(code="BT.MCN.DINHTHUY")
    data = form_data(admin_client, change_url(unit))
    data["short_name"] = "Định Thủy"
    response = admin_client.post(change_url(unit), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = Event.objects.filter(action="admin.change", object_type="organisation.unit").latest("id")
    assert event.actor_id == people.admin.pk and event.object_id == str(unit.pk)
    assert event.data["changes"] == {"short_name": ["", "Định Thủy"]}


def test_granting_a_role_in_the_admin_goes_through_the_service(admin_client, people):
    unit = Unit.objects.get(code="BT.BATRI")
    response = admin_client.post(
        reverse("admin:organisation_membership_add"),
        {"user": people.outsider.pk, "unit": unit.pk, "role": "reviewer"},
    )
    assert response.status_code == 302
    membership = Membership.objects.active().get(user=people.outsider, unit=unit, role="reviewer")
    assert membership.granted_by == people.admin
    assert people.outsider.groups.filter(name=group_name(unit, "reviewer")).exists()
    assert Event.objects.filter(action="membership.grant", object_id=str(membership.pk)).exists()

    response = admin_client.post(
        reverse("admin:organisation_membership_changelist"),
        {"action": "revoke_selected", "_selected_action": [membership.pk]},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.revoked_at is not None
    assert not people.outsider.groups.filter(name=group_name(unit, "reviewer")).exists()
    assert Event.objects.filter(action="membership.revoke", object_id=str(membership.pk)).exists()


def test_a_membership_cannot_be_edited_or_deleted_in_the_admin(admin_client, people):
    membership = Membership.objects.active().get(user=people.clerk)
    response = admin_client.post(
        change_url(membership), {"user": people.outsider.pk, "unit": membership.unit_id, "role": "reviewer"}
    )
    membership.refresh_from_db()
    assert membership.user == people.clerk and membership.role == "unit_clerk"
    assert response.status_code in (200, 302)
    delete_url = reverse("admin:organisation_membership_delete", args=[membership.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_user_admin_offers_neither_unit_groups_nor_scoped_permissions(admin_client, people):
    response = admin_client.get(change_url(people.district_reviewer))
    form = response.context["adminform"].form
    assert "groups" not in form.fields
    offered = {(p.content_type.app_label, p.codename) for p in form.fields["user_permissions"].queryset}
    assert ("organisation", "review_nomination") not in offered and (
        "organisation",
        "inspect_unit",
    ) not in offered
    assert ("nominations", "view_nomination") in offered
    # The roles are shown read-only on the user's page.
    assert "BT.MCN" in response.content.decode()


def test_editing_a_user_keeps_their_roles_and_audits_without_the_password(admin_client, people):
    user = people.district_reviewer
    data = form_data(admin_client, change_url(user))
    data.update({"last_name": "Tâm (đã đổi)", "date_joined_0": "01/01/2026", "date_joined_1": "08:00:00"})
    data.pop("date_joined", None)
    response = admin_client.post(change_url(user), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert user.groups.filter(name="unit:BT.MCN:reviewer").exists()
    event = Event.objects.filter(
        action="admin.change", object_type="auth.user", object_id=str(user.pk)
    ).latest("id")
    assert event.data["changes"]["last_name"] == ["Tâm", "Tâm (đã đổi)"]
    assert "password" not in str(event.data) or event.data["changes"].get("password") == ["***", "***"]


def test_unit_groups_are_hidden_from_the_group_admin_and_cannot_be_joined_directly(admin_client, people):
    from django.contrib.auth.models import Group
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    response = admin_client.get(reverse("admin:auth_group_changelist"))
    assert not [g for g in response.context["cl"].result_list if g.name.startswith("unit:")]
    group = Group.objects.get(name="unit:BT.MCN:reviewer")
    assert admin_client.get(change_url(group)).status_code == 302  # not in the admin's queryset
    response = admin_client.post(reverse("admin:auth_group_add"), {"name": "unit:BT:reviewer2"})
    assert response.status_code == 200 and "name" in response.context["adminform"].form.errors
    with pytest.raises(PermissionDenied), transaction.atomic():
        people.outsider.groups.add(group)
    with pytest.raises(PermissionDenied), transaction.atomic():
        group.user_set.add(people.outsider)
    with pytest.raises(PermissionDenied), transaction.atomic():
        people.district_reviewer.groups.clear()
    assert people.district_reviewer.groups.filter(pk=group.pk).exists()


def test_a_password_change_in_the_admin_is_audited_without_the_password(admin_client, people):
    url = reverse("admin:auth_user_password_change", args=[people.outsider.pk])
    response = admin_client.post(
        url, {"password1": "Mat-khau-Moi-2026", "password2": "Mat-khau-Moi-2026", "usable_password": "true"}
    )
    assert response.status_code == 302
    people.outsider.refresh_from_db()
    assert people.outsider.check_password("Mat-khau-Moi-2026")
    event = Event.objects.get(action="admin.password_change", object_id=str(people.outsider.pk))
    assert event.actor_id == people.admin.pk and "Mat-khau" not in str(event.data)


def test_old_admin_addresses_of_moved_models_redirect(client):
    """Bookmarks from before units moved to the organisation app still lead to the same admin page."""
    response = client.get("/admin/approvals/unit/12/change/?x=1")
    assert response.status_code == 301
    assert response["Location"] == "/admin/organisation/unit/12/change/?x=1"
    assert client.get("/admin/approvals/decision/").status_code != 301


def test_council_members_are_configured_in_the_admin_and_audited(admin_client, people):
    from organisation.models import Council, CouncilKind

    council = Council.objects.get(unit__code="BT", kind=CouncilKind.FULL)
    url = change_url(council)
    data = form_data(admin_client, url)
    data["term"] = "2026–2031"
    prefix = "members"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-0-user": people.chairman.pk,
            f"{prefix}-0-position": "chairman",
            f"{prefix}-0-valid_from": "01/01/2026",
            f"{prefix}-1-user": people.secretary.pk,
            f"{prefix}-1-position": "secretary",
            f"{prefix}-1-valid_from": "01/01/2026",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    council.refresh_from_db()
    assert council.term == "2026–2031" and council.size_on() == 2
    events = Event.objects.filter(action="admin.add", object_type="organisation.councilmember")
    assert events.count() == 2 and {e.actor_id for e in events} == {people.admin.pk}


def test_council_admin_is_closed_to_officers(client, people):
    from organisation.models import Council

    client.force_login(people.secretary)
    council = Council.objects.first()
    assert client.get(change_url(council)).status_code in (302, 403)
