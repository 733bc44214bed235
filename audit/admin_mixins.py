"""Admin changes leave the same trail as the services: a field-level before/after event in the transaction of the
change (Django's admin runs each add/change/delete view inside one atomic block, and so do we for bulk actions)."""

from django.db import transaction

from audit.services import _plain, event_record, field_changes

# Never copied into the audit trail, only flagged as changed.
SECRET_FIELDS = frozenset({"password", "pkcs12_passphrase"})


def _field_names(model):
    return [field.name for field in model._meta.concrete_fields if not field.primary_key]


def snapshot(instance):
    """Return {field: stored value} as the database holds it now (foreign keys as ids)."""
    if instance.pk is None:
        return {}
    names = _field_names(type(instance))
    row = type(instance)._default_manager.filter(pk=instance.pk).values(*names).first()
    return row or {}


def _nomination_id(instance):
    """The nomination an admin change belongs on (its timeline): a model names it with `audit_nomination_id`
    (a nomination itself, for one) or carries a `nomination_id` column. The audit app knows no model of ours."""
    return getattr(instance, "audit_nomination_id", getattr(instance, "nomination_id", None))


def audit_admin_change(*, request, instance, before, action):
    """Record `action` on `instance` with the fields that changed since `before` (all fields for an addition)."""
    changes = field_changes(instance, before, _field_names(type(instance)))
    for name in SECRET_FIELDS & set(changes):
        changes[name] = ["***", "***"]
    if action == "admin.change" and not changes:
        return None
    return event_record(
        action=action,
        actor=request.user,
        obj=instance,
        nomination_id=_nomination_id(instance),
        data={"changes": changes, "repr": str(instance)[:200]},
    )


class AuditedAdminMixin:
    """ModelAdmin mixin: every add, change and delete (also inline rows and the bulk delete action) writes an audit
    event with the changed fields' before/after values, in the same transaction as the write."""

    def save_model(self, request, obj, form, change):
        before = snapshot(obj) if change else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_admin_change(
                request=request, instance=obj, before=before, action="admin.change" if change else "admin.add"
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            before = snapshot(obj)
            event_record(
                action="admin.delete",
                actor=request.user,
                obj=obj,
                nomination_id=_nomination_id(obj),
                data={"before": _plain_row(before), "repr": str(obj)[:200]},
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        """Inline rows (e.g. a movement's content areas) are audited one by one as well."""
        with transaction.atomic():
            befores = {
                f.instance.pk: snapshot(f.instance) for f in formset.forms if f.instance.pk is not None
            }
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                event_record(
                    action="admin.delete",
                    actor=request.user,
                    obj=obj,
                    nomination_id=_nomination_id(obj),
                    data={
                        "before": _plain_row(snapshot(obj)),
                        "repr": str(obj)[:200],
                    },
                )
                obj.delete()
            for obj in instances:
                is_new = obj.pk is None
                obj.save()
                audit_admin_change(
                    request=request,
                    instance=obj,
                    before={} if is_new else befores.get(obj.pk, {}),
                    action="admin.add" if is_new else "admin.change",
                )
            formset.save_m2m()


def _plain_row(row):
    return {name: "***" if name in SECRET_FIELDS else _plain(value) for name, value in row.items()}


class ReadOnlyAdminMixin:
    """Shown, never written through the admin (append-only records, workflow-owned rows)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
