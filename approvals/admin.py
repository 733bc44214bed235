from django import forms
from django.contrib import admin
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from approvals.documents import print_test_pdf
from approvals.models import IssuerNumbering, PrintLayout, SignerProfile
from audit.admin_mixins import AuditedAdminMixin


class SignerProfileForm(forms.ModelForm):
    class Meta:
        model = SignerProfile
        fields = ["user", "issuer", "position", "pkcs12", "pkcs12_passphrase", "is_active"]
        # The stored passphrase is never sent back to the browser: left empty, the field keeps it.
        widgets = {"pkcs12_passphrase": forms.PasswordInput(render_value=False)}
        help_texts = {"pkcs12_passphrase": _("Để trống để giữ mật khẩu đã lưu (được lưu mã hóa).")}

    def clean_pkcs12_passphrase(self):
        value = self.cleaned_data.get("pkcs12_passphrase", "")
        if not value and self.instance.pk:
            return self.instance.pkcs12_passphrase
        return value


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


@admin.register(PrintLayout)
class PrintLayoutAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["award_code", "page_width_mm", "page_height_mm"]
    actions = ["test_print"]

    @admin.action(description="In trang thử (PDF)")
    def test_print(self, request, queryset):
        layout = queryset.first()
        response = HttpResponse(print_test_pdf(layout.award_code), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="in-thu-{layout.award_code}.pdf"'
        return response
