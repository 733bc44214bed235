"""The filters of the reports: a unit (with everything below it) and a year."""

from django import forms
from django.utils.translation import gettext_lazy as _

YEAR_ERRORS = {
    "invalid": _("Năm phải là số, ví dụ 2026."),
    "min_value": _("Năm phải từ 2000 đến 2100."),
    "max_value": _("Năm phải từ 2000 đến 2100."),
}


class ReportForm(forms.Form):
    unit = forms.TypedChoiceField(
        label=_("Đơn vị (gồm cả đơn vị cấp dưới)"), coerce=int, choices=(), required=False, empty_value=None
    )
    year = forms.IntegerField(
        label=_("Năm"), required=False, min_value=2000, max_value=2100, error_messages=YEAR_ERRORS
    )

    def __init__(self, *args, roots=(), year_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(pk, name) for pk, _code, name in roots]
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Đơn vị này không thuộc phạm vi báo cáo của bạn."
        )
        if year_required:
            self.fields["year"].required = True
            self.fields["year"].error_messages["required"] = _("Vui lòng nhập năm báo cáo.")
