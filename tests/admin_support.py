"""Shared by the admin tests of each app: a signed-in superuser and the admin form as a browser posts it."""

from django.urls import reverse


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


def signed_in_admin(client, people):
    client.force_login(people.admin)
    return client
