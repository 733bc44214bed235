from django import forms
from django.contrib import admin

from approvals.models import IssuerNumbering, SignerProfile
from audit.admin_mixins import AuditedAdminMixin


class SignerProfileForm(forms.ModelForm):
    class Meta:
        model = SignerProfile
        fields = ["user", "issuer", "position", "pkcs12", "pkcs12_passphrase", "is_active"]
        widgets = {"pkcs12_passphrase": forms.PasswordInput(render_value=True)}


@admin.register(SignerProfile)
class SignerProfileAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = SignerProfileForm
    list_display = ["user", "issuer", "position", "is_active"]
    list_filter = ["position", "is_active"]
    autocomplete_fields = ["user", "issuer"]


@admin.register(IssuerNumbering)
class IssuerNumberingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["issuer", "uses_register"]
    autocomplete_fields = ["issuer"]
