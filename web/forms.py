"""Forms of the web pages: they parse input; the services decide. Service errors come back as field errors."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from nominations.models import (
    AwardType,
    ContentArea,
    DisciplineLevel,
    DisciplineState,
    DossierKind,
    Gender,
    Movement,
    SubjectType,
)
from nominations.process import Action
from nominations.uploads import inspect_upload

# Service error keys -> form field names; keys not listed and not on the form become non-field errors.
SERVICE_FIELD_ALIASES = {
    "nominee.kind": "kind",
    "nominee.full_name": "full_name",
    "nominee.birth_year": "birth_year",
    "nominee.citizen_id": "citizen_id",
    "members": "members",
    "nominee": "full_name",
    "file": "file",
    "files": "file",
    "minutes": "minutes",
}


def messages_from_service(request, exc):
    """Show a service's ValidationError as error messages (Django's `exc.messages` flattens a field dict)."""
    for message in exc.messages:
        messages.error(request, message)


def errors_from_service(form, exc):
    """Put a service's ValidationError on the form: known keys on their fields, the rest above the form."""
    if hasattr(exc, "error_dict"):
        for key, field_messages in exc.message_dict.items():
            field = SERVICE_FIELD_ALIASES.get(key, key)
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class VietnameseErrorsMixin:
    """Field-level messages in Vietnamese whatever the active language of Django's own catalogue."""

    default_messages = {
        "required": _("Vui lòng nhập trường này."),
        "invalid": _("Giá trị không hợp lệ."),
        "invalid_choice": _("Lựa chọn không hợp lệ."),
        "max_length": _("Quá dài."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            for key, message in self.default_messages.items():
                field.error_messages.setdefault(key, message)
                if key in ("required", "invalid", "invalid_choice"):
                    field.error_messages[key] = message


def checked_upload(uploaded):
    """Run the dossier upload checks early so the form shows the message next to the file field."""
    if uploaded:
        try:
            inspect_upload(uploaded)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get("file", exc.messages))
    return uploaded


class ContentAreaTreeField(forms.ModelMultipleChoiceField):
    """Content areas as a two-level tree (Hai chân – Ba mũi): groups are the parents, leaves are choosable."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class NominationForm(VietnameseErrorsMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị đề nghị"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Đối tượng"), choices=SubjectType.choices)
    full_name = forms.CharField(label=_("Họ tên / tên tập thể"), max_length=255)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *Gender.choices], required=False)
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False)
    position = forms.CharField(label=_("Chức vụ"), max_length=255, required=False)
    citizen_id = forms.CharField(label=_("Số CCCD"), max_length=20, required=False)
    award_type = forms.ModelChoiceField(
        label=_("Loại hình khen thưởng"), queryset=AwardType.objects.none(), empty_label="—"
    )
    movement = forms.ModelChoiceField(
        label=_("Phong trào thi đua"), queryset=Movement.objects.all(), required=False, empty_label="—"
    )
    content_areas = ContentAreaTreeField(
        label=_("Nội dung thi đua"), queryset=ContentArea.objects.none(), required=False
    )
    period_year = forms.IntegerField(label=_("Năm đề nghị"))
    achievements = forms.CharField(label=_("Tóm tắt thành tích"), widget=forms.Textarea(attrs={"rows": 6}))
    members = forms.CharField(
        label=_("Danh sách thành viên (đề nghị danh hiệu tập thể)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Mỗi dòng một người: Họ tên; hoàn thành nhiệm vụ (có/không); Lao động tiên tiến (có/không); "
            "CSTĐCS (có/không); kỷ luật trong năm (để trống hoặc khiển trách, cảnh cáo…)."
        ),
    )
    file = forms.FileField(required=False)

    def __init__(self, *args, units, award_types, dossier_kind, **kwargs):
        super().__init__(*args, **kwargs)
        # The file is filed as `dossier_kind` (nominations.services.filing_dossier_kind): say which.
        self.fields["file"].label = format_lazy("{} (PDF, DOCX…)", DossierKind(dossier_kind).label)
        self.fields["unit"].queryset = units
        # The award types depend on the unit: reload the form for the unit chosen.
        self.fields["unit"].widget.attrs["onchange"] = "window.location.search = '?unit=' + this.value"
        self.fields["award_type"].queryset = AwardType.objects.filter(pk__in=[a.pk for a in award_types])
        self.fields["content_areas"].queryset = ContentArea.objects.filter(
            parent__isnull=False
        ).select_related("parent", "movement")
        self.fields["period_year"].initial = timezone.localdate().year
        self.fields["movement"].initial = (
            Movement.objects.order_by("-start_year").values_list("pk", flat=True).first()
        )

    def clean_file(self):
        return checked_upload(self.cleaned_data.get("file"))

    def clean_members(self):
        """Parse the member lines into NominationMember fields; a bad line is named by its number."""
        yes = {"có": True, "co": True, "x": True, "": False, "không": False, "khong": False}
        levels = {str(label).lower(): value for value, label in DisciplineLevel.choices}
        members = []
        for number, line in enumerate((self.cleaned_data.get("members") or "").splitlines(), start=1):
            if not line.strip():
                continue
            cells = [cell.strip() for cell in line.split(";")] + [""] * 5
            name, complete, advanced, fighter, discipline = cells[:5]
            flags = [complete.lower() or "có", advanced.lower(), fighter.lower()]
            if (
                not name
                or any(flag not in yes for flag in flags)
                or (discipline and discipline.lower() not in levels)
            ):
                raise ValidationError(
                    _("Dòng %(n)s của danh sách thành viên không đúng mẫu: “%(line)s”.")
                    % {"n": number, "line": line}
                )
            members.append(
                {
                    "full_name": name,
                    "completed_tasks": yes[flags[0]],
                    "is_advanced_worker": yes[flags[1]],
                    "is_grassroots_emulation_fighter": yes[flags[2]],
                    "discipline_level": levels.get(discipline.lower()) if discipline else None,
                }
            )
        return members

    def content_area_groups(self):
        """Return [(parent area, [bound checkbox, ...]), ...] for the tree widget."""
        areas = {area.pk: area for area in self.fields["content_areas"].queryset}
        groups = {}
        for checkbox in self["content_areas"]:
            area = areas.get(int(str(checkbox.data["value"])))
            if area is not None:
                groups.setdefault(area.parent, []).append(checkbox)
        return sorted(groups.items(), key=lambda item: (item[0].order, item[0].code))

    def nominee_data(self):
        data = self.cleaned_data
        return {
            key: data.get(key)
            for key in ("kind", "full_name", "gender", "birth_year", "position", "citizen_id")
        }


class NominationEditForm(VietnameseErrorsMixin, forms.Form):
    full_name = forms.CharField(label=_("Họ tên / tên tập thể"), max_length=255)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *Gender.choices], required=False)
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False)
    position = forms.CharField(label=_("Chức vụ"), max_length=255, required=False)
    period_year = forms.IntegerField(label=_("Năm đề nghị"))
    achievements = forms.CharField(label=_("Tóm tắt thành tích"), widget=forms.Textarea(attrs={"rows": 6}))


class DossierUploadForm(VietnameseErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=DossierKind.choices)
    file = forms.FileField(label=_("Tệp"))

    def clean_file(self):
        return checked_upload(self.cleaned_data.get("file"))


class ReasonForm(VietnameseErrorsMixin, forms.Form):
    """Forward / return / reject / approve / resubmit / submit: an action and a reason."""

    action = forms.ChoiceField(label=_("Thao tác"), choices=[])
    reason = forms.CharField(
        label=_("Lý do / ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(action, Action(action).label) for action in actions]


class VoteForm(VietnameseErrorsMixin, forms.Form):
    members_total = forms.IntegerField(label=_("Tổng số thành viên Hội đồng"), min_value=0)
    members_present = forms.IntegerField(label=_("Số thành viên có mặt"), min_value=0)
    votes_for = forms.IntegerField(label=_("Số phiếu đồng ý"), min_value=0)
    votes_against = forms.IntegerField(label=_("Số phiếu không đồng ý"), min_value=0)
    minutes = forms.FileField(label=_("Biên bản họp Hội đồng"), required=False)

    def clean_minutes(self):
        return checked_upload(self.cleaned_data.get("minutes"))


class SubmitSelectedForm(VietnameseErrorsMixin, forms.Form):
    number = forms.CharField(label=_("Số tờ trình"), max_length=50, required=False)


class BulkReviewForm(VietnameseErrorsMixin, forms.Form):
    action = forms.ChoiceField(label=_("Thao tác"), choices=[])
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            (action.value, action.label) for action in (Action.FORWARD, Action.RETURN, Action.REJECT)
        ]


class SignForm(VietnameseErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Trích yếu quyết định"), max_length=500, required=False)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=150, required=False)


class FeedbackForm(VietnameseErrorsMixin, forms.Form):
    sender_name = forms.CharField(label=_("Họ tên người góp ý"), max_length=150, required=False)
    sender_contact = forms.CharField(
        label=_("Địa chỉ liên hệ (không bắt buộc)"), max_length=200, required=False
    )
    content = forms.CharField(
        label=_("Nội dung góp ý"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class FeedbackAnswerForm(VietnameseErrorsMixin, forms.Form):
    answer = forms.CharField(label=_("Trả lời"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HistoryImportForm(VietnameseErrorsMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("Tệp Excel (.xlsx) theo mẫu"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class HistoryEntryForm(VietnameseErrorsMixin, forms.Form):
    award_code = forms.ChoiceField(label=_("Danh hiệu / hình thức khen thưởng"), choices=[])
    year = forms.IntegerField(label=_("Năm"), min_value=1945, max_value=2100)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=50)
    decided_on = forms.DateField(
        label=_("Ngày quyết định"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255)
    is_ad_hoc = forms.BooleanField(label=_("Khen thưởng đột xuất"), required=False)

    def __init__(self, *args, award_codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_code"].choices = list(award_codes.items())


class DisciplineForm(VietnameseErrorsMixin, forms.Form):
    state = forms.ChoiceField(label=_("Tình trạng"), choices=DisciplineState.choices)
    level = forms.TypedChoiceField(
        label=_("Hình thức"),
        choices=[("", "—"), *DisciplineLevel.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=50, required=False)
    decided_on = forms.DateField(
        label=_("Ngày quyết định / phát sinh"), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    effective_until = forms.DateField(
        label=_("Hết hiệu lực ngày"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )


class DuplicateResolveForm(VietnameseErrorsMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("Xử lý"), choices=[("merge", _("Hợp nhất vào hồ sơ đã có")), ("dismiss", _("Không trùng"))]
    )
