"""The admin: every save audited field by field, roles only through the services, nominations scoped, audit
events read-only."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from approvals.models import Membership, Unit
from approvals.policy import group_name
from audit.models import Event
from nominations.models import AwardType, ContentArea, Movement, Nomination
from tests.factories import file_nomination
from workflows.models import DeadlineRule


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    return client


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def form_data(client, url):
    """The admin form's current values, as the browser would post them back."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            value = ""
        elif isinstance(value, bool):
            if not value:
                continue
            value = "on"
        elif hasattr(value, "isoformat"):
            value = value.strftime("%d/%m/%Y") if not hasattr(value, "hour") else value.isoformat()
        data[name] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        for inline_form in formset.formset.initial_forms:
            data[f"{inline_form.prefix}-id"] = inline_form.instance.pk
            data[f"{inline_form.prefix}-{formset.formset.fk.name}"] = formset.formset.instance.pk
    return data


def test_every_registered_model_has_a_working_changelist(admin_client):
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url


def test_changing_a_unit_in_the_admin_records_before_and_after(admin_client, people):
    unit = Unit.objects.get(code="BT.MCN.DINHTHUY")
    data = form_data(admin_client, change_url(unit))
    data["short_name"] = "Định Thủy"
    response = admin_client.post(change_url(unit), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = Event.objects.filter(action="admin.change", object_type="approvals.unit").latest("id")
    assert event.actor_id == people.admin.pk and event.object_id == str(unit.pk)
    assert event.data["changes"] == {"short_name": ["", "Định Thủy"]}


def test_adding_and_deleting_a_deadline_rule_are_audited(admin_client):
    url = reverse("admin:workflows_deadlinerule_add")
    response = admin_client.post(url, {"route": "standard", "step": "hop_hoi_dong", "working_days": "7"})
    assert response.status_code == 302
    rule = DeadlineRule.objects.get(route="standard", step="hop_hoi_dong")
    added = Event.objects.get(
        action="admin.add", object_type="workflows.deadlinerule", object_id=str(rule.pk)
    )
    assert added.data["changes"]["working_days"] == [None, 7]
    delete_url = reverse("admin:workflows_deadlinerule_delete", args=[rule.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    deleted = Event.objects.get(action="admin.delete", object_id=str(rule.pk))
    assert deleted.data["before"]["working_days"] == 7


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


def test_granting_a_role_in_the_admin_goes_through_the_service(admin_client, people):
    unit = Unit.objects.get(code="BT.BATRI")
    response = admin_client.post(
        reverse("admin:approvals_membership_add"),
        {"user": people.outsider.pk, "unit": unit.pk, "role": "reviewer"},
    )
    assert response.status_code == 302
    membership = Membership.objects.active().get(user=people.outsider, unit=unit, role="reviewer")
    assert membership.granted_by == people.admin
    assert people.outsider.groups.filter(name=group_name(unit, "reviewer")).exists()
    assert Event.objects.filter(action="membership.grant", object_id=str(membership.pk)).exists()

    response = admin_client.post(
        reverse("admin:approvals_membership_changelist"),
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
    delete_url = reverse("admin:approvals_membership_delete", args=[membership.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_audit_events_are_read_only_in_the_admin(admin_client, people):
    event = Event.objects.first()
    assert admin_client.get(reverse("admin:audit_event_add")).status_code == 403
    response = admin_client.post(change_url(event), {"action": "forged"})
    assert response.status_code == 403
    assert (
        admin_client.post(reverse("admin:audit_event_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.action != "forged"
    assert admin_client.get(change_url(event)).status_code == 200  # viewing is fine


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


def test_user_admin_offers_neither_unit_groups_nor_scoped_permissions(admin_client, people):
    response = admin_client.get(change_url(people.district_reviewer))
    form = response.context["adminform"].form
    assert "groups" not in form.fields
    offered = {(p.content_type.app_label, p.codename) for p in form.fields["user_permissions"].queryset}
    assert ("approvals", "review_nomination") not in offered and ("approvals", "inspect_unit") not in offered
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


def test_an_admin_save_and_its_audit_event_commit_or_roll_back_together(admin_client, monkeypatch):
    unit = Unit.objects.get(code="BT.MCN.DINHTHUY")
    data = form_data(admin_client, change_url(unit))
    data["short_name"] = "Không được lưu"

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("audit.admin_mixins.event_record", broken)
    with pytest.raises(RuntimeError):
        admin_client.post(change_url(unit), data)
    unit.refresh_from_db()
    assert unit.short_name == ""


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
