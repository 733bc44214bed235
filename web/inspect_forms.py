"""The inspector's search filters. Dates are dd/mm/yyyy; every bad value gets a Vietnamese field error."""

from django import forms
from django.utils.translation import gettext_lazy as _

from web.labels import EVENT_GROUPS, EVENT_LABELS
from web.params import MAX_ID, date_range_validators

DATE_ERRORS = {"invalid": _("Ngày không hợp lệ, vui lòng nhập theo dạng dd/mm/yyyy (ví dụ 05/01/2026).")}


def action_choices():
    """The "Thao tác" list: every family first (a family selects all its events), then each event by name."""
    return [
        ("", _("Tất cả thao tác")),
        (_("Nhóm thao tác"), list(EVENT_GROUPS.items())),
        (
            _("Từng thao tác"),
            sorted(EVENT_LABELS.items(), key=lambda item: str(item[1])),
        ),
    ]


class DecisionSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Số quyết định hoặc tên người, tập thể được khen"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ 7, 07/QĐ-UBND, 07/QD-UBND, Nguyễn Văn An")}),
    )
    year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Năm phải là số, ví dụ 2026."),
            "min_value": _("Năm phải từ 2000 đến 2100."),
            "max_value": _("Năm phải từ 2000 đến 2100."),
        },
    )

    def clean_q(self):
        return self.cleaned_data["q"].strip()


class EventFilterForm(forms.Form):
    actor = forms.CharField(label=_("Người thực hiện (tên đăng nhập)"), max_length=150, required=False)
    # Offered: the branches of the inspector's scope; accepted: any unit code of the scope (a commune by address).
    unit = forms.CharField(label=_("Đơn vị (gồm cả đơn vị cấp dưới)"), required=False, widget=forms.Select)
    action = forms.ChoiceField(label=_("Thao tác"), required=False, choices=())
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

    def __init__(self, *args, award_types=(), units=(), unit_codes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_codes = unit_codes
        self.fields["award_type"].choices = [("", _("Tất cả"))] + [(code, name) for code, name in award_types]
        self.fields["unit"].widget.choices = [("", _("Tất cả đơn vị được thanh tra"))] + [
            (code, name) for code, name in units
        ]
        self.fields["action"].choices = action_choices()

    def clean_unit(self):
        code = self.cleaned_data["unit"].strip()
        if code and self.unit_codes is not None and code not in self.unit_codes:
            raise forms.ValidationError(_("Đơn vị này không thuộc phạm vi thanh tra của bạn."))
        return code

    def clean_actor(self):
        return self.cleaned_data["actor"].strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("“Đến ngày” phải bằng hoặc sau “Từ ngày”."))
        return cleaned
