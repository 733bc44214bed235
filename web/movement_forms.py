"""Forms of the movement's pages (issue 24): they parse input; `nominations.movement` decides."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nominations.models import Movement, ReviewKind, TargetKind
from nominations.movement import areas_in_order
from organisation.models import Tier, Unit
from web.forms import VietnameseErrorsMixin, _date_input, checked_upload


class MovementLaunchForm(VietnameseErrorsMixin, forms.Form):
    """Phát động: the period, the launching document and the content-area tree (or the predecessor's)."""

    code = forms.SlugField(label=_("Mã phong trào"), max_length=50)
    name = forms.CharField(label=_("Tên phong trào"), max_length=255)
    start_year = forms.IntegerField(label=_("Từ năm"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Đến năm"), min_value=2000, max_value=2100)
    vision_year = forms.IntegerField(
        label=_("Tầm nhìn đến năm"), min_value=2000, max_value=2100, required=False
    )
    launch_document = forms.CharField(
        label=_("Văn bản phát động"),
        max_length=300,
        help_text=_("Số, ngày, cơ quan ban hành; ví dụ: Chỉ thị 05-CT/TU ngày 17/01/2026 của Tỉnh ủy."),
    )
    launched_on = forms.DateField(label=_("Ngày phát động"), widget=_date_input())
    predecessor = forms.ModelChoiceField(
        label=_("Tiếp nối phong trào"),
        queryset=Movement.objects.all(),
        required=False,
        help_text=_("Để trống các nội dung bên dưới: dùng lại cây nội dung của giai đoạn trước."),
    )
    areas = forms.CharField(
        label=_("Nội dung thi đua"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Mỗi dòng: mã | tên | mã nội dung cha (để trống nếu là nội dung cấp 1)."),
    )
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    addressed_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được phát động"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Để trống: mọi cơ quan, đơn vị, địa phương trong tỉnh (cùng các đơn vị trực thuộc)."),
    )

    def __init__(self, *args, launching_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if launching_unit is not None:
            self.fields["addressed_units"].queryset = Unit.objects.filter(
                parent=launching_unit, tier__in=[Tier.DISTRICT, Tier.DEPARTMENT, Tier.CLUSTER]
            ).order_by("tier", "code")

    def clean_areas(self):
        rows = []
        for number, line in enumerate((self.cleaned_data.get("areas") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise forms.ValidationError(_("Dòng %(n)s: cần ít nhất mã và tên nội dung.") % {"n": number})
            rows.append((parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
        return rows


class TargetForm(VietnameseErrorsMixin, forms.Form):
    content_area = forms.ModelChoiceField(label=_("Nội dung thi đua"), queryset=None)
    description = forms.CharField(label=_("Chỉ tiêu"), max_length=500)
    kind = forms.ChoiceField(label=_("Loại chỉ tiêu"), choices=TargetKind.choices)
    value = forms.DecimalField(label=_("Giá trị"), required=False, max_digits=14, decimal_places=2)
    unit_label = forms.CharField(label=_("Đơn vị tính"), max_length=50, required=False)
    year = forms.IntegerField(
        label=_("Năm"), required=False, help_text=_("Để trống: chỉ tiêu cả giai đoạn."), min_value=2000
    )

    def __init__(self, *args, movement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_area"].queryset = areas_in_order(movement)


class RegisterForm(VietnameseErrorsMixin, forms.Form):
    """Start a unit's registration for a year."""

    movement = forms.ModelChoiceField(label=_("Phong trào"), queryset=None, empty_label=None)
    unit = forms.ModelChoiceField(label=_("Đơn vị đăng ký"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)

    def __init__(self, *args, movements, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["movement"].queryset = movements
        self.fields["unit"].queryset = units
        self.fields["year"].initial = timezone.localdate().year


class CommitmentForm(VietnameseErrorsMixin, forms.Form):
    content_area = forms.ModelChoiceField(label=_("Nội dung thi đua"), queryset=None)
    target = forms.ModelChoiceField(label=_("Chỉ tiêu của tỉnh (nếu có)"), queryset=None, required=False)
    description = forms.CharField(label=_("Chỉ tiêu đăng ký"), max_length=500)
    kind = forms.ChoiceField(label=_("Loại chỉ tiêu"), choices=TargetKind.choices)
    value = forms.DecimalField(label=_("Giá trị đăng ký"), required=False, max_digits=14, decimal_places=2)
    actions = forms.CharField(
        label=_("Giải pháp, hành động"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, movement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_area"].queryset = areas_in_order(movement)
        self.fields["target"].queryset = movement.targets.all()


class SubmitRegistrationForm(VietnameseErrorsMixin, forms.Form):
    pledge = forms.CharField(
        label=_("Giao ước thi đua (cụm, khối)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(VietnameseErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), max_length=500)


class ResultForm(VietnameseErrorsMixin, forms.Form):
    commitment = forms.ModelChoiceField(label=_("Chỉ tiêu đăng ký"), queryset=None, empty_label=None)
    description = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 2}))
    value = forms.DecimalField(
        label=_("Kết quả đạt (số, %)"), required=False, max_digits=14, decimal_places=2
    )
    is_met = forms.NullBooleanField(
        label=_("Đạt chỉ tiêu"),
        required=False,
        widget=forms.Select(choices=[("unknown", "—"), ("true", _("Đạt")), ("false", _("Chưa đạt"))]),
    )
    file = forms.FileField(label=_("Tài liệu minh chứng"), required=False)

    def __init__(self, *args, registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = registration.commitments.all()

    def clean_file(self):
        return checked_upload(self.cleaned_data.get("file"))


class ExemplaryForm(VietnameseErrorsMixin, forms.Form):
    content_area = forms.ModelChoiceField(label=_("Nội dung thi đua"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Tên mô hình, điển hình"), max_length=300)
    description = forms.CharField(label=_("Mô tả ngắn"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_area"].queryset = registration.movement.content_areas.filter(
            commitments__registration=registration
        ).distinct()


class ExemplaryWithdrawForm(VietnameseErrorsMixin, forms.Form):
    model = forms.ModelChoiceField(label=_("Điển hình"), queryset=None, empty_label=None)
    reason = forms.CharField(label=_("Lý do"), max_length=500)

    def __init__(self, *args, registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = registration.exemplary_models.filter(withdrawn_at__isnull=True)


class CriterionForm(VietnameseErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Tiêu chí"), max_length=300)
    max_points = forms.DecimalField(label=_("Điểm tối đa"), max_digits=6, decimal_places=2, min_value=0)


class ReviewOpenForm(VietnameseErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("Năm được đánh giá"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Hình thức"), choices=ReviewKind.choices)
    held_on = forms.DateField(
        label=_("Ngày tổ chức"),
        required=False,
        widget=_date_input(),
        help_text=_("Để trống: ngày 17/01 năm sau (kỷ niệm Ngày Đồng Khởi)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ReviewCloseForm(VietnameseErrorsMixin, forms.Form):
    summary = forms.CharField(
        label=_("Đánh giá chung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
