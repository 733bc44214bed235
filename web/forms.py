"""Forms of the web pages: they parse input; the services decide. Service errors come back as field errors."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from approvals.models import BallotMode
from nominations.honours import Variant
from nominations.models import (
    AwardType,
    ContentArea,
    DisciplineLevel,
    DisciplineState,
    DossierKind,
    Gender,
    Movement,
    NomineeCategory,
    SubjectType,
    citizen_id_error,
)
from nominations.process import Action
from nominations.selectors import movement_in_force
from nominations.services import BIRTH_YEAR_MIN
from nominations.uploads import inspect_upload
from web import labels
from web.challenge import ChallengeForm
from web.labels import BULK_STEPS

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

    choice_required = _("Vui lòng chọn một mục trong danh sách.")
    multiple_required = _("Vui lòng chọn ít nhất một mục.")
    file_required = _("Vui lòng chọn tệp.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            for key, message in self.default_messages.items():
                field.error_messages.setdefault(key, message)
                if key in ("required", "invalid", "invalid_choice"):
                    field.error_messages[key] = message
            # A list is chosen from, a file is picked: "nhập" (type in) is the wrong verb for them.
            if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                field.error_messages["required"] = self.multiple_required
            elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                field.error_messages["required"] = self.choice_required
            elif isinstance(field, forms.FileField):
                field.error_messages["required"] = self.file_required


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
    citizen_id = forms.CharField(
        label=_("Số CCCD"),
        max_length=20,
        required=False,
        help_text=_("Đúng 12 chữ số."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{12}", "maxlength": "12"}),
    )
    category = forms.ChoiceField(
        label=_("Thành phần (để thống kê)"), choices=[("", "—"), *NomineeCategory.choices], required=False
    )
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
    # Fast track only (the template shows it there); the service requires it on that route.
    event_on = forms.DateField(
        label=_("Ngày lập thành tích"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Ngày xảy ra thành tích đột xuất."),
    )
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
        today = timezone.localdate()
        self.fields["period_year"].initial = today.year
        # The movement in force this year, or none: a finished movement is never offered as the default.
        self.fields["movement"].initial = movement_in_force(today.year)
        self.fields["birth_year"].widget.attrs.update({"min": BIRTH_YEAR_MIN, "max": today.year})
        self.fields["birth_year"].help_text = format_lazy(
            _("Từ {first} đến {last}."), first=BIRTH_YEAR_MIN, last=today.year
        )

    def clean_file(self):
        return checked_upload(self.cleaned_data.get("file"))

    def clean_birth_year(self):
        """Say the valid range next to the field (the service checks the same range)."""
        value = self.cleaned_data.get("birth_year")
        last = timezone.localdate().year
        if value is not None and not (BIRTH_YEAR_MIN <= value <= last):
            raise ValidationError(
                _("Năm sinh phải từ %(first)s đến %(last)s.") % {"first": BIRTH_YEAR_MIN, "last": last}
            )
        return value

    def clean_citizen_id(self):
        value = (self.cleaned_data.get("citizen_id") or "").strip()
        if problem := citizen_id_error(value):
            raise ValidationError(problem)
        return value

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
            for key in ("kind", "full_name", "gender", "birth_year", "position", "citizen_id", "category")
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


class SubmissionScanForm(VietnameseErrorsMixin, forms.Form):
    file = forms.FileField(label=_("Bản ký của tờ trình (PDF, ảnh…)"))

    def clean_file(self):
        return checked_upload(self.cleaned_data.get("file"))


class SubmitSelectedForm(VietnameseErrorsMixin, forms.Form):
    number = forms.CharField(label=_("Số tờ trình"), max_length=50, required=False)


class BulkReviewForm(VietnameseErrorsMixin, forms.Form):
    action = forms.ChoiceField(label=_("Thao tác"), choices=[])
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, steps=BULK_STEPS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = labels.bulk_action_choices(steps)


class SignForm(VietnameseErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Trích yếu quyết định"), max_length=500, required=False)
    register_number = forms.CharField(
        label=_("Số quyết định theo sổ đăng ký văn bản"),
        max_length=40,
        required=False,
        help_text=_("Chỉ nhập khi cơ quan lấy số theo sổ đăng ký văn bản."),
    )


class CertificateLookupForm(VietnameseErrorsMixin, forms.Form):
    serial = forms.CharField(
        label=_("Số hiệu bằng khen, giấy khen"),
        max_length=40,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["serial"].error_messages["required"] = _("Nhập số hiệu in trên bằng khen, giấy khen.")


class FeedbackForm(VietnameseErrorsMixin, ChallengeForm):
    sender_name = forms.CharField(label=_("Họ tên người góp ý"), max_length=150, required=False)
    sender_contact = forms.CharField(
        label=_("Địa chỉ liên hệ (không bắt buộc)"), max_length=200, required=False
    )
    content = forms.CharField(
        label=_("Nội dung góp ý"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def full_clean(self):
        super().full_clean()
        # A failed challenge keeps the service from running: show its blank-field messages here too, so the sender
        # fixes everything in one go (the service still checks them: it is the rule).
        if self.errors.get("challenge_answer") or self.non_field_errors():
            for name, message in (
                ("sender_name", _("Vui lòng nhập họ tên.")),
                ("content", _("Vui lòng nhập nội dung góp ý.")),
            ):
                if not (self.data.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, message)


class FeedbackAnswerForm(VietnameseErrorsMixin, forms.Form):
    answer = forms.CharField(label=_("Trả lời"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackSpamForm(VietnameseErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do đánh dấu rác"), max_length=500, required=False)


class MeetingOpenForm(VietnameseErrorsMixin, forms.Form):
    """The secretary opens a meeting: council, day, place, ballot mode, and which award types go on the agenda."""

    council = forms.ModelChoiceField(label=_("Hội đồng"), queryset=None)
    held_on = forms.DateField(
        label=_("Ngày họp"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=255)
    ballot_mode = forms.ChoiceField(label=_("Hình thức bỏ phiếu"), choices=BallotMode.choices)
    award_codes = forms.MultipleChoiceField(
        label=_("Loại hình khen thưởng (để trống: tất cả)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )

    def __init__(self, *args, councils=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["award_codes"].choices = sorted(
            {(a.code, a.name) for a in AwardType.objects.in_force().filter(requires_council_vote=True)},
            key=lambda pair: pair[1],
        )


class SignedMinutesForm(VietnameseErrorsMixin, forms.Form):
    file = forms.FileField(label=_("Biên bản đã ký (bản quét PDF)"))

    def clean_file(self):
        return checked_upload(self.cleaned_data.get("file"))


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HonourRoundOpenForm(VietnameseErrorsMixin, forms.Form):
    """Open the annual Công dân Đồng Khởi round (nominations.honours.round_open decides)."""

    year = forms.IntegerField(label=_("Năm xét tặng"), min_value=2021)
    council = forms.ModelChoiceField(label=_("Hội đồng tư vấn"), queryset=None, empty_label=None)
    opens_on = forms.DateField(label=_("Nhận hồ sơ từ ngày"), widget=_date_input())
    closes_on = forms.DateField(label=_("Đến ngày"), widget=_date_input())
    conferral_on = forms.DateField(
        label=_("Ngày trao tặng"),
        required=False,
        widget=_date_input(),
        help_text=_("Để trống: ngày 17/01 năm sau (kỷ niệm Ngày Đồng Khởi)."),
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.fields["year"].initial = timezone.localdate().year


class HonourNominationForm(VietnameseErrorsMixin, forms.Form):
    """A Công dân Đồng Khởi nomination in a round: the person, the variant, the summary and the achievement report."""

    unit = forms.ModelChoiceField(label=_("Đơn vị đề nghị"), queryset=None, empty_label=None)
    variant = forms.ChoiceField(label=_("Danh hiệu"), choices=Variant.choices)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=255)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *Gender.choices], required=False)
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False)
    position = forms.CharField(label=_("Chức vụ, quê quán"), max_length=255, required=False)
    citizen_id = forms.CharField(label=_("Số CCCD"), max_length=20, required=False)
    achievements = forms.CharField(label=_("Tóm tắt thành tích"), widget=forms.Textarea(attrs={"rows": 6}))
    file = forms.FileField(label=format_lazy("{} (PDF, DOCX…)", DossierKind.ACHIEVEMENT_REPORT.label))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_file(self):
        return checked_upload(self.cleaned_data.get("file"))

    def nominee_data(self):
        data = self.cleaned_data
        return {
            "kind": "individual",
            **{key: data.get(key) for key in ("full_name", "gender", "birth_year", "position", "citizen_id")},
        }


def int_or_none(value):
    """Parse one number cell of the totals screen: blank → None, not a whole number ≥ 0 → ValueError."""
    value = (value or "").strip()
    if value == "":
        return None
    # int() takes "²"? No, but isdigit() does, and int() takes 10,000 digits: a vote count has at most 6.
    if not (value.isascii() and value.isdigit() and len(value) <= 6):
        raise ValueError(value)
    return int(value)


class HistoryImportForm(VietnameseErrorsMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("Tệp Excel (.xlsx) theo mẫu"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class NominationListForm(VietnameseErrorsMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị đề nghị"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("Danh sách theo mẫu (.xlsx hoặc .csv)"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ListTemplateForm(VietnameseErrorsMixin, forms.Form):
    award = forms.ChoiceField(label=_("Loại hình khen thưởng"), choices=[])

    def __init__(self, *args, award_codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = list(award_codes.items())


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


class HistoryRevokeForm(VietnameseErrorsMixin, forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Căn cứ thu hồi"), max_length=1000)


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
