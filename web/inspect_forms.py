"""The inspector's search filters. Dates are dd/mm/yyyy; every bad value gets a Vietnamese field error."""

from django import forms
from django.utils.translation import gettext_lazy as _

from web.params import MAX_ID, date_range_validators

DATE_ERRORS = {"invalid": _("Ngày không hợp lệ, vui lòng nhập theo dạng dd/mm/yyyy (ví dụ 05/01/2026).")}


class EventFilterForm(forms.Form):
    actor = forms.CharField(label=_("Người thực hiện (tên đăng nhập)"), max_length=150, required=False)
    unit = forms.CharField(label=_("Mã đơn vị (gồm cả đơn vị cấp dưới)"), max_length=50, required=False)
    action = forms.CharField(
        label=_("Thao tác"),
        max_length=64,
        required=False,
        help_text=_("Ví dụ task.return hoặc task để lấy mọi thao tác xử lý."),
    )
    date_from = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        input_formats=["%d/%m/%Y"],
        error_messages=DATE_ERRORS,
        validators=date_range_validators(),
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=["%d/%m/%Y"],
        error_messages=DATE_ERRORS,
        validators=date_range_validators(),
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    award_type = forms.ChoiceField(label=_("Loại hình khen thưởng"), required=False, choices=())
    nomination = forms.IntegerField(
        label=_("Mã đề nghị"),
        required=False,
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "invalid": _("Mã đề nghị phải là số nguyên dương."),
            "min_value": _("Mã đề nghị phải là số nguyên dương."),
            "max_value": _("Mã đề nghị phải là số nguyên dương."),
        },
    )

    def __init__(self, *args, award_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_type"].choices = [("", _("Tất cả"))] + [(code, name) for code, name in award_types]

    def clean_action(self):
        return self.cleaned_data["action"].strip()

    def clean_unit(self):
        return self.cleaned_data["unit"].strip()

    def clean_actor(self):
        return self.cleaned_data["actor"].strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("“Đến ngày” phải bằng hoặc sau “Từ ngày”."))
        return cleaned
