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


FIGURE_ERRORS = {
    "required": _("Vui lòng nhập số liệu (0 nếu không có)."),
    "invalid": _("Số liệu phải là số nguyên."),
    "min_value": _("Số liệu không được âm."),
}


class FiguresForm(forms.Form):
    """The lines of an entered statistical form (0604.N, 0605.N) for one unit and year: a count per line, and the
    women among them where the form has that column."""

    unit = forms.TypedChoiceField(coerce=int, choices=(), widget=forms.HiddenInput)
    year = forms.IntegerField(
        min_value=2000, max_value=2100, widget=forms.HiddenInput, error_messages=YEAR_ERRORS
    )

    def __init__(self, *args, statistical_form, roots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.statistical_form = statistical_form
        self.fields["unit"].choices = [(pk, name) for pk, _code, name in roots]
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Đơn vị này không thuộc phạm vi nhập số liệu của bạn."
        )
        self.has_women = any(column.field == "women" for column in statistical_form.columns)
        self.lines = []
        for row in statistical_form.entered_rows:
            value = self._figure(f"value_{row.code}", f"{row.code} {row.label}")
            women = self._figure(f"women_{row.code}", _("Trong đó nữ")) if self.has_women else None
            self.lines.append((row, self[value], self[women] if women else None))

    def _figure(self, name, label):
        self.fields[name] = forms.IntegerField(
            label=label, min_value=0, initial=0, error_messages=FIGURE_ERRORS
        )
        self.fields[name].widget.attrs.update({"inputmode": "numeric", "class": "figure"})
        return name

    def figures(self):
        """Return {code: (value, women)} of the cleaned lines."""
        data = self.cleaned_data
        return {
            row.code: (data[f"value_{row.code}"], data.get(f"women_{row.code}") or 0)
            for row in self.statistical_form.entered_rows
        }

    def add_line_errors(self, error):
        """Put the service's errors ({code or field: message}) on the fields of their lines."""
        for key, messages in error.message_dict.items():
            name = key if key in self.fields else f"value_{key}" if f"value_{key}" in self.fields else None
            for message in messages:
                self.add_error(name, message)
