"""What is proposed: movements, the award catalogue, nominees, nominations, dossiers and award history."""

import uuid
from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from nominations.process import Step
from organisation.text import fold, long_date


class MovementScope(models.TextChoices):
    """Who organises a movement: the rows and columns of statistical form 0601.N/BNV-TĐKT (TT 02/2023/TT-BNV)."""

    NATIONAL = "national", _("Toàn quốc (Hội đồng Thi đua – Khen thưởng Trung ương)")
    PROVINCE = "province", _("Bộ, ban, ngành, đoàn thể, địa phương")
    CLUSTER = "cluster", _("Cụm, khối thi đua")
    UNIT = "unit", _("Cơ quan, tổ chức, đơn vị")


class Movement(models.Model):
    code = models.CharField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên phong trào"), max_length=255)
    start_year = models.PositiveIntegerField(_("từ năm"))
    end_year = models.PositiveIntegerField(_("đến năm"), null=True, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    scope = models.CharField(
        _("phạm vi tổ chức"), max_length=20, choices=MovementScope.choices, default=MovementScope.PROVINCE
    )
    is_thematic = models.BooleanField(_("thi đua theo chuyên đề"), default=False)
    launched_by = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("đơn vị phát động"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The launch (phát động): the document that launched it, the day, the units it addresses; a later period is a
    # new movement that names the one it continues (the 2020–2025 movement and its successor coexist).
    launch_document = models.CharField(
        _("văn bản phát động"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Chỉ thị 01-CT/TU ngày 17/10/2020 của Tỉnh ủy Bến Tre."),
    )
    launched_on = models.DateField(_("ngày phát động"), null=True, blank=True)
    vision_year = models.PositiveIntegerField(_("tầm nhìn đến năm"), null=True, blank=True)
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("tiếp nối phong trào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )
    addressed_units = models.ManyToManyField(
        "organisation.Unit", verbose_name=_("đơn vị được phát động"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-start_year", "code"]

    def __str__(self):
        return self.name


class ContentArea(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="content_areas")
    code = models.CharField(_("mã"), max_length=50)
    name = models.CharField(_("nội dung"), max_length=500)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("nội dung thi đua")
        verbose_name_plural = _("nội dung thi đua")
        ordering = ["movement", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "code"], name="content_area_movement_code")
        ]

    def __str__(self):
        return self.name


class EffectiveQuerySet(models.QuerySet):
    def in_force(self, day=None):
        day = day or timezone.localdate()
        return self.filter(
            Q(effective_from__lte=day), Q(effective_to__isnull=True) | Q(effective_to__gte=day)
        )


class LegalKind(models.TextChoices):
    LAW = "law", _("Luật")
    DECREE = "decree", _("Nghị định")
    CIRCULAR = "circular", _("Thông tư")
    PROVINCIAL = "provincial", _("Văn bản của tỉnh")


class LegalBasis(models.Model):
    code = models.CharField(_("số hiệu văn bản"), max_length=50)
    kind = models.CharField(
        _("loại văn bản"), max_length=20, choices=LegalKind.choices, default=LegalKind.DECREE
    )
    title = models.CharField(_("tên văn bản"), max_length=500)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_by = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    cite_in_decisions = models.BooleanField(
        _("dẫn tại phần Căn cứ của quyết định khen thưởng"), default=False
    )
    cite_order = models.PositiveSmallIntegerField(_("thứ tự dẫn"), default=0)

    objects = EffectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.code} – {self.title}"

    def citation(self):
        """The 'Căn cứ …' line of a decision (NĐ 30/2020): a law by its name and date; another document by its
        type, number, date, issuing body and title."""
        day = f" {long_date(self.issued_on)}" if self.issued_on else ""
        if self.kind == LegalKind.LAW:
            return f"Căn cứ {self.title}{day};"
        by = f" của {self.issued_by}" if self.issued_by else ""
        kind = str(self.get_kind_display())
        title = self.title[len(kind) :].strip() if self.title.lower().startswith(kind.lower()) else self.title
        return f"Căn cứ {kind} số {self.code}{day}{by} {title[:1].lower()}{title[1:]};"

    @classmethod
    def citations_on(cls, day):
        """The legal bases a decision signed on `day` cites, in their order."""
        return list(
            cls.objects.in_force(day).filter(cite_in_decisions=True).order_by("cite_order", "effective_from")
        )

    @classmethod
    def in_force_on(cls, day):
        """Return the detailed decree in force on `day` (the law itself is always the frame)."""
        in_force = cls.objects.in_force(day).order_by("-effective_from", "-id")
        return in_force.filter(kind=LegalKind.DECREE).first() or in_force.first()


class BaseSalary(models.Model):
    amount = models.DecimalField(_("mức lương cơ sở"), max_digits=12, decimal_places=0)
    effective_from = models.DateField(_("áp dụng từ"), unique=True)
    legal_basis = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("mức lương cơ sở")
        verbose_name_plural = _("mức lương cơ sở")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.amount:,.0f} ({self.effective_from:%d/%m/%Y})"

    @classmethod
    def in_force_on(cls, day):
        row = cls.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
        return row.amount if row else None


class AwardKind(models.TextChoices):
    TITLE = "title", _("Danh hiệu thi đua")
    COMMENDATION = "commendation", _("Hình thức khen thưởng")


class SubjectType(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")
    HOUSEHOLD = "household", _("Hộ gia đình")


class DecidingTier(models.TextChoices):
    # State-level awards are decided above the province (Chủ tịch nước, Thủ tướng Chính phủ): the province only
    # proposes them, so no unit of the tree decides them; they reach the system as award history.
    STATE = "state", _("Chủ tịch nước, Thủ tướng Chính phủ")
    PROVINCE = "province", _("Chủ tịch UBND tỉnh")
    DISTRICT = "district", _("Chủ tịch UBND huyện, Giám đốc sở")
    BASE = "base", _("Thủ trưởng đơn vị, Chủ tịch UBND xã")


class StateAwardClass(models.TextChoices):
    """The column a State-level award is counted in on statistical form 0602.N/BNV-TĐKT (TT 02/2023/TT-BNV)."""

    ORDER_OR_MEDAL = "order_or_medal", _("Huân chương, huy chương")
    HO_CHI_MINH_PRIZE = "ho_chi_minh_prize", _("Giải thưởng Hồ Chí Minh")
    STATE_PRIZE = "state_prize", _("Giải thưởng Nhà nước")
    HONOUR_TITLE = "honour_title", _("Danh hiệu vinh dự nhà nước")
    GOVERNMENT_FLAG = "government_flag", _("Cờ thi đua của Chính phủ")
    PRIME_MINISTER_MERIT = "prime_minister_merit", _("Bằng khen của Thủ tướng Chính phủ")
    NATIONAL_EMULATION_FIGHTER = "national_emulation_fighter", _("Chiến sĩ thi đua toàn quốc")
    OTHER = "other", _("Hình thức khen thưởng khác")


class AwardType(models.Model):
    """One version of an award type; a new version starts on its effective date."""

    code = models.CharField(_("mã"), max_length=50)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=AwardKind.choices)
    subject_types = models.JSONField(_("đối tượng"), default=list)
    deciding_tier = models.CharField(_("cấp quyết định"), max_length=20, choices=DecidingTier.choices)
    fallback_tier = models.CharField(
        _("cấp quyết định khi không có cấp trên"),
        max_length=20,
        choices=DecidingTier.choices,
        blank=True,
        help_text=_(
            "Cấp quyết định khi đơn vị đề nghị không trực thuộc cấp quyết định, ví dụ Giấy khen của Chủ tịch UBND "
            "cấp xã ở tỉnh không còn cấp huyện."
        ),
    )
    requires_council_vote = models.BooleanField(_("cần Hội đồng bỏ phiếu"), default=False)
    vote_threshold = models.DecimalField(
        _("tỷ lệ phiếu đồng ý (trên tổng số thành viên)"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0"),
    )
    quorum = models.DecimalField(
        _("tỷ lệ có mặt tối thiểu"), max_digits=4, decimal_places=3, default=Decimal("0.667")
    )
    counts_written_opinions = models.BooleanField(
        _("tính ý kiến bằng văn bản của thành viên vắng mặt"),
        default=False,
        help_text=_(
            "Phiếu bằng văn bản của thành viên vắng mặt được cộng vào số phiếu đồng ý, không đồng ý."
        ),
    )
    vote_basis = models.CharField(
        _("căn cứ tỷ lệ bỏ phiếu"),
        max_length=300,
        blank=True,
        help_text=_("Điều, khoản, văn bản quy định tỷ lệ có mặt, tỷ lệ phiếu và ý kiến bằng văn bản."),
    )
    requires_public_posting = models.BooleanField(_("phải công khai"), default=False)
    posting_working_days = models.PositiveIntegerField(_("số ngày làm việc công khai"), default=0)
    cash_multiplier = models.DecimalField(
        _("hệ số tiền thưởng"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    household_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.5"))
    fixed_amount = models.DecimalField(
        _("mức thưởng cố định (đồng)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_("Dùng thay cho hệ số khi văn bản quy định số tiền cụ thể, ví dụ Công dân Đồng Khởi."),
    )
    full_name = models.CharField(
        _("tên đầy đủ"),
        max_length=255,
        blank=True,
        help_text=_(
            "Tên không viết tắt, in trên bằng và quyết định, ví dụ Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh."
        ),
    )
    conferral_phrase = models.CharField(
        _("lời văn Điều 1"),
        max_length=255,
        blank=True,
        help_text=_(
            "Ví dụ: Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh; Công nhận danh hiệu “Lao động tiên tiến”."
        ),
    )
    rank = models.PositiveSmallIntegerField(
        _("thứ bậc"),
        default=0,
        help_text=_(
            "Cùng một thành tích, cùng thời gian được nhiều danh hiệu thì chỉ nhận tiền thưởng của danh hiệu có "
            "thứ bậc cao nhất (Điều 49 khoản 5 NĐ 152/2025/NĐ-CP)."
        ),
    )
    carries_certificate = models.BooleanField(
        _("có bằng, giấy chứng nhận"),
        default=True,
        help_text=_("Bỏ chọn với danh hiệu chỉ kèm tiền thưởng, không cấp bằng (ví dụ Lao động tiên tiến)."),
    )
    allowed_on_fast_track = models.BooleanField(_("được khen đột xuất"), default=False)
    is_annual_title = models.BooleanField(_("danh hiệu xét hằng năm"), default=False)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=200, blank=True)
    state_class = models.CharField(
        _("nhóm khen thưởng cấp Nhà nước"),
        max_length=30,
        choices=StateAwardClass.choices,
        blank=True,
        help_text=_(
            "Cột của biểu thống kê 0602.N/BNV-TĐKT; để trống với khen thưởng không thuộc cấp Nhà nước."
        ),
    )

    objects = EffectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("loại hình khen thưởng")
        verbose_name_plural = _("loại hình khen thưởng")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="award_type_code_version")
        ]

    def __str__(self):
        return self.name

    @classmethod
    def version_on(cls, code, day=None):
        """Return the version of award type `code` in force on `day`, or None."""
        return cls.objects.in_force(day).filter(code=code).order_by("-effective_from").first()

    def cash_for(self, subject_type, base_salary, day=None):
        """Return the cash for one `subject_type` awarded on `day` (see `CashRate.cash`)."""
        return CashRate.cash(self, subject_type, base_salary, day or self.effective_from)[0]


def _vnd(amount):
    """2340000 -> '2.340.000'."""
    return f"{int(amount):,}".replace(",", ".")


class CashRate(models.Model):
    """The cash that goes with an award for one kind of subject, as the decree in force on the decision date sets
    it: a multiple of the base salary, or a fixed amount (a provincial title). A change of law is a new row."""

    award_code = models.CharField(_("mã loại hình"), max_length=50)
    subject_type = models.CharField(_("đối tượng"), max_length=20, choices=SubjectType.choices)
    multiplier = models.DecimalField(
        _("hệ số (lần mức lương cơ sở)"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    fixed_amount = models.DecimalField(
        _("mức cố định (đồng)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=200)

    objects = EffectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("mức tiền thưởng")
        verbose_name_plural = _("mức tiền thưởng")
        ordering = ["award_code", "subject_type", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_code", "subject_type", "effective_from"],
                name="cash_rate_award_subject_version",
            )
        ]

    def __str__(self):
        value = f"{self.fixed_amount:,.0f} đ" if self.fixed_amount is not None else f"× {self.multiplier}"
        return f"{self.award_code} / {self.get_subject_type_display()}: {value}"

    @classmethod
    def cash(cls, award_type, subject_type, base_salary, day):
        """Return (amount, basis) for `award_type` given to a `subject_type` on `day`, rounded up per the
        rounding rule in force (`CashRounding`). Without a rate row the award carries no money."""
        rate = (
            cls.objects.in_force(day)
            .filter(award_code=award_type.code, subject_type=subject_type)
            .order_by("-effective_from")
            .first()
        )
        if rate is None:
            return Decimal("0"), ""
        if rate.fixed_amount is not None:
            return rate.fixed_amount, f"{_vnd(rate.fixed_amount)} đồng ({rate.legal_basis})"
        if not base_salary or not rate.multiplier:
            return Decimal("0"), rate.legal_basis
        raw = rate.multiplier * Decimal(base_salary)
        rounding = CashRounding.in_force_on(day)
        amount = rounding.apply(raw) if rounding else raw.quantize(Decimal("1"))
        multiple = f"{rate.multiplier.normalize():f}".replace(".", ",")
        basis = f"{multiple} × {_vnd(base_salary)}"
        if amount != raw:
            basis += f" = {_vnd(raw)}, làm tròn {_vnd(amount)}"
        basis += f" ({rate.legal_basis}; {rounding.legal_basis})" if rounding else f" ({rate.legal_basis})"
        return amount, basis


class CashRounding(models.Model):
    """Amounts are rounded up to a step (10,000 đồng, NĐ 152/2025 Điều 49.2) — a dated rule, not a constant."""

    step = models.PositiveIntegerField(_("làm tròn lên bội số của (đồng)"))
    effective_from = models.DateField(_("áp dụng từ"), unique=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=200)

    class Meta:
        verbose_name = _("quy tắc làm tròn tiền thưởng")
        verbose_name_plural = _("quy tắc làm tròn tiền thưởng")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.step:,} ({self.effective_from:%d/%m/%Y})"

    @classmethod
    def in_force_on(cls, day):
        return cls.objects.filter(effective_from__lte=day).order_by("-effective_from").first()

    def apply(self, amount):
        step = Decimal(self.step)
        return (Decimal(amount) / step).to_integral_value(rounding=ROUND_CEILING) * step


class Gender(models.TextChoices):
    FEMALE = "female", _("Nữ")
    MALE = "male", _("Nam")
    OTHER = "other", _("Khác")


class NomineeCategory(models.TextChoices):
    """Who the awardee is, as statistical form 0603.N/BNV-TĐKT (TT 02/2023/TT-BNV) counts them."""

    ENTERPRISE = "enterprise", _("Doanh nghiệp (tập thể)")
    PROVINCE_LEADER = "province_leader", _("Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên")
    DEPARTMENT_LEADER = "department_leader", _("Lãnh đạo cấp vụ, sở, ngành và tương đương")
    ENTREPRENEUR = "entrepreneur", _("Doanh nhân")
    OTHER_LEADER = "other_leader", _("Lãnh đạo khác từ phó phòng trở lên")
    DIRECT_WORKER = "direct_worker", _("Người trực tiếp công tác, lao động, học tập (công nhân, nông dân…)")


CITIZEN_ID_DIGITS = 12


def citizen_id_error(value):
    """Return why `value` is not a citizen ID (CCCD: exactly 12 digits), or None; blank means unknown."""
    value = (value or "").strip()
    if value and not (len(value) == CITIZEN_ID_DIGITS and value.isdigit()):
        return _("Số CCCD phải gồm đúng 12 chữ số.")
    return None


class Person(models.Model):
    """One person of the registry: their nominations and award history link here, whatever unit files them.

    `unit` is where the person works; its subtree is who may find and link the record (organisation.policy).
    Other apps may add descriptive columns (gender, ethnicity…) without touching the matching rules.
    """

    full_name = models.CharField(_("họ tên"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    citizen_id = models.CharField(_("số CCCD"), max_length=12, blank=True, db_index=True)
    birth_year = models.PositiveIntegerField(_("năm sinh"), null=True, blank=True)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("đơn vị công tác"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("cá nhân")
        verbose_name_plural = _("cá nhân")
        ordering = ["name_folded", "pk"]
        indexes = [
            # Reuse without a citizen ID: WHERE unit_id = ? AND name_folded = ? AND birth_year = ?
            models.Index(fields=["unit", "name_folded", "birth_year"], name="person_unit_name"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        super().save(*args, **kwargs)


class PersonName(models.Model):
    """A name a person has borne (name history): the registry keeps every earlier name when it changes."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    full_name = models.CharField(_("họ tên"), max_length=255)
    recorded_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(_("nguồn"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("tên trước đây")
        verbose_name_plural = _("tên trước đây")
        ordering = ["recorded_at", "pk"]


class Collective(models.Model):
    """One collective of the registry: a unit of the tree itself (`is_unit`: one per unit, found by the unit, so a
    renamed unit keeps its history) or a named collective under `unit` (a team, a cooperative, a household: found
    by its name among the unit's collectives)."""

    name = models.CharField(_("tên tập thể"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    kind = models.CharField(
        _("loại"), max_length=20, choices=SubjectType.choices, default=SubjectType.COLLECTIVE
    )
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="collectives"
    )
    is_unit = models.BooleanField(_("là đơn vị trong cây tổ chức"), default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tập thể")
        verbose_name_plural = _("tập thể")
        ordering = ["name_folded", "pk"]
        constraints = [
            # A unit is one collective: registry.unit_collective finds it WHERE unit_id = ? AND is_unit.
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(is_unit=True), name="collective_one_per_unit"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Chờ xem xét")
    MERGED = "merged", _("Đã hợp nhất")
    DISMISSED = "dismissed", _("Không trùng")


class DuplicateFlag(models.Model):
    """A possible duplicate for the province's reviewer: a record created because the match lay outside the
    filing unit's subtree (the filer is never told)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="duplicate_flags")
    candidate = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=50, default="citizen_id")
    status = models.CharField(max_length=20, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    flagged_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nghi trùng hồ sơ cá nhân")
        verbose_name_plural = _("nghi trùng hồ sơ cá nhân")
        ordering = ["-flagged_at", "-pk"]
        # The reviewer's list: WHERE province_id IN (...) AND status = 'open'
        indexes = [models.Index(fields=["province", "status"], name="duplicate_flag_open")]


class Nominee(models.Model):
    """The printed fields of one nomination's subject (a snapshot at filing), linked to the registry record."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="snapshots"
    )
    collective = models.ForeignKey(
        Collective, null=True, blank=True, on_delete=models.PROTECT, related_name="snapshots"
    )
    kind = models.CharField(_("đối tượng"), max_length=20, choices=SubjectType.choices)
    full_name = models.CharField(_("họ tên / tên tập thể"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveIntegerField(_("năm sinh"), null=True, blank=True)
    position = models.CharField(_("chức vụ"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("đơn vị công tác"),
        on_delete=models.PROTECT,
        related_name="nominees",
    )
    citizen_id = models.CharField(_("số CCCD"), max_length=20, blank=True)
    discipline_status = models.CharField(_("tình trạng kỷ luật"), max_length=255, blank=True)
    women_share = models.PositiveIntegerField(_("tỷ lệ nữ (%) của tập thể"), null=True, blank=True)
    category = models.CharField(
        _("thành phần (thống kê)"), max_length=30, choices=NomineeCategory.choices, blank=True
    )

    class Meta:
        verbose_name = _("đối tượng đề nghị")
        verbose_name_plural = _("đối tượng đề nghị")

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        super().save(*args, **kwargs)


class Route(models.TextChoices):
    STANDARD = "standard", _("Thường xuyên")
    FAST_TRACK = "fast_track", _("Đột xuất")
    DONG_KHOI = "dong_khoi", _("Công dân Đồng Khởi")


class Status(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    IN_REVIEW = "in_review", _("Đang xét duyệt")
    RETURNED = "returned", _("Trả lại bổ sung")
    APPRAISAL = "appraisal", _("Đang thẩm định")
    POSTING = "posting", _("Đang công khai")
    COUNCIL = "council", _("Chờ Hội đồng bỏ phiếu")
    AWAITING_SIGNATURE = "awaiting_signature", _("Chờ ký quyết định")
    AWARDED = "awarded", _("Đã khen thưởng")
    NOT_APPROVED = "not_approved", _("Không được Hội đồng thông qua")
    REJECTED = "rejected", _("Bị từ chối")
    REVOKED = "revoked", _("Đã thu hồi")


OPEN_STATUSES = [
    Status.DRAFT,
    Status.IN_REVIEW,
    Status.RETURNED,
    Status.APPRAISAL,
    Status.POSTING,
    Status.COUNCIL,
    Status.AWAITING_SIGNATURE,
]


class Submission(models.Model):
    """A cover submission (tờ trình) grouping nominations sent together."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="submissions")
    number = models.CharField(_("số tờ trình"), max_length=50, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    # The tờ trình as signed by the head, scanned (checked like a dossier file); printed drafts come from
    # approvals.submission_text.
    scan = models.FileField(_("bản ký"), upload_to="submissions/%Y/%m/", blank=True)
    scan_name = models.CharField(max_length=255, blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True)
    scan_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scan_uploaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tờ trình")
        verbose_name_plural = _("tờ trình")
        ordering = ["-submitted_at"]


class Nomination(models.Model):
    route = models.CharField(_("tuyến"), max_length=20, choices=Route.choices, default=Route.STANDARD)
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="nominations")
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("đơn vị đề nghị"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    movement = models.ForeignKey(
        Movement,
        verbose_name=_("phong trào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    award_type = models.ForeignKey(
        AwardType,
        verbose_name=_("loại hình khen thưởng"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    content_areas = models.ManyToManyField(ContentArea, verbose_name=_("nội dung thi đua"), blank=True)
    period_year = models.PositiveIntegerField(_("năm"))
    achievements = models.TextField(_("tóm tắt thành tích"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_ad_hoc = models.BooleanField(_("khen thưởng đột xuất"), default=False)
    # The day of the feat an ad-hoc award recognises (the simplified procedure proposes it right after the feat).
    event_on = models.DateField(_("ngày lập thành tích"), null=True, blank=True)
    deciding_unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    route_units = models.JSONField(_("các cấp xét duyệt"), default=list)
    current_unit = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current_step = models.CharField(max_length=40, choices=Step.choices, blank=True)
    due_on = models.DateField(null=True, blank=True)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="nominations"
    )
    received_on = models.DateField(null=True, blank=True)
    legal_basis = models.ForeignKey(
        LegalBasis, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revision_count = models.PositiveIntegerField(default=0)
    round = models.ForeignKey(
        "nominations.HonourRound", null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    variant = models.CharField(max_length=20, blank=True)
    rule_set = models.CharField(_("bộ tiêu chuẩn áp dụng"), max_length=40, blank=True)
    eligibility = models.JSONField(_("kết quả xét điều kiện"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["-created_at", "-id"]
        indexes = [
            # A unit's own list: WHERE unit_id = ? ORDER BY created_at DESC
            models.Index(fields=["unit", "-created_at"], name="nomination_unit_created"),
            # Where a nomination is now: WHERE current_unit_id IN (...) AND status = ?
            models.Index(fields=["current_unit", "status"], name="nomination_current_unit"),
            models.Index(fields=["deciding_unit", "status"], name="nomination_deciding_unit"),
            models.Index(fields=["status", "award_type"], name="nomination_status_award"),
        ]
        permissions = [("view_sensitive_nominee", _("Xem dữ liệu nhạy cảm của người được đề nghị"))]

    def __str__(self):
        return f"#{self.pk} {self.nominee} – {self.award_type}"

    @property
    def audit_nomination_id(self):
        """Admin changes of a nomination go on its own timeline (audit.admin_mixins)."""
        return self.pk

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


class DossierKind(models.TextChoices):
    SUBMISSION = "submission", _("Tờ trình")
    ACHIEVEMENT_REPORT = "achievement_report", _("Báo cáo thành tích")
    MINUTES = "minutes", _("Biên bản họp xét")
    INITIATIVE_CERTIFICATE = "initiative_certificate", _("Giấy chứng nhận sáng kiến")
    EVIDENCE = "evidence", _("Tài liệu chứng minh")
    LOCAL_OPINION = "local_opinion", _("Ý kiến của cấp ủy, chính quyền địa phương")
    OTHER = "other", _("Khác")


class DossierRequirement(models.Model):
    """One document a dossier must hold, as the law in force sets it: for an award (or every award), a route (or
    every route) and the kinds of subject it names. A change of law is a new row with its effective dates; the
    admin edits them (`nominations.services.dossier_missing` reads the rows in force on the day)."""

    kind = models.CharField(_("loại tài liệu"), max_length=30, choices=DossierKind.choices)
    award_code = models.CharField(
        _("mã loại hình"), max_length=50, blank=True, help_text=_("Để trống: áp dụng cho mọi loại hình.")
    )
    route = models.CharField(
        _("tuyến"), max_length=20, choices=Route.choices, blank=True, help_text=_("Để trống: mọi tuyến.")
    )
    subject_types = models.JSONField(
        _("đối tượng"),
        default=list,
        blank=True,
        help_text=_("Danh sách mã đối tượng (individual, collective, household); để trống: mọi đối tượng."),
    )
    form_name = models.CharField(
        _("mẫu"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Mẫu số 01, Phụ lục Nghị định 152/2025/NĐ-CP."),
    )
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=300)

    objects = EffectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành phần hồ sơ bắt buộc")
        verbose_name_plural = _("thành phần hồ sơ bắt buộc")
        ordering = ["award_code", "route", "kind", "-effective_from"]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.award_code or _('mọi loại hình')}"

    def applies_to(self, nomination):
        """Whether this row binds `nomination` (its award, route and kind of subject)."""
        return (
            (not self.award_code or self.award_code == nomination.award_type.code)
            and (not self.route or self.route == nomination.route)
            and (not self.subject_types or nomination.nominee.kind in self.subject_types)
        )

    def label(self):
        kind = str(self.get_kind_display())
        return f"{kind} ({self.form_name})" if self.form_name else kind


class PendingUpload(models.Model):
    """A checked file held while its form is corrected: a filing form with an error re-attaches it on the valid
    post instead of asking for it again. Only its owner may take it; taking it deletes it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="pending/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tệp chờ đính kèm")
        verbose_name_plural = _("tệp chờ đính kèm")


class DossierFile(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("loại tài liệu"), max_length=30, choices=DossierKind.choices)
    file = models.FileField(upload_to="dossiers/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tài liệu hồ sơ")
        verbose_name_plural = _("tài liệu hồ sơ")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class HistorySource(models.TextChoices):
    DECISION = "decision", _("Quyết định ký trên hệ thống")
    BACKFILL = "backfill", _("Nhập bổ sung")
    IMPORT = "import", _("Nhập từ tệp Excel")


class HistoryImport(models.Model):
    """One Excel file of back-filled award history, as loaded (its hash is in the audit log too)."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows_total = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lần nhập lịch sử khen thưởng")
        verbose_name_plural = _("lần nhập lịch sử khen thưởng")
        ordering = ["-created_at", "-pk"]


class NominationImport(models.Model):
    """One nomination list (Excel or CSV) filed by a unit: its drafts are grouped under `submission`. The file's hash
    makes a second upload of the same file by the same unit create nothing (it is in the audit log too)."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows_total = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="list_import")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lần nhập danh sách đề nghị")
        verbose_name_plural = _("lần nhập danh sách đề nghị")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Re-uploading a file: WHERE unit_id = ? AND sha256 = ? (and no second import of it, even concurrently)
            models.UniqueConstraint(fields=["unit", "sha256"], name="nomination_import_unit_file")
        ]


class AwardHistory(models.Model):
    """An award a person or collective holds; prerequisite checks of later years read it.

    From a decision signed here (`nomination` set) or back-filled (paper-era decisions: `source`, the decision
    number, date and issuer as printed). History is keyed on the registry record, never on a unit code.
    """

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="awards")
    collective = models.ForeignKey(
        Collective, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    nominee = models.ForeignKey(
        Nominee, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    award_code = models.CharField(max_length=50)
    year = models.PositiveIntegerField()
    nomination = models.OneToOneField(
        Nomination, null=True, blank=True, on_delete=models.PROTECT, related_name="history"
    )
    decision_number = models.CharField(max_length=50, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    source = models.CharField(max_length=20, choices=HistorySource.choices, default=HistorySource.DECISION)
    batch = models.ForeignKey(
        HistoryImport, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    is_ad_hoc = models.BooleanField(default=False)
    is_revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("lịch sử khen thưởng")
        verbose_name_plural = _("lịch sử khen thưởng")
        ordering = ["-year"]
        indexes = [
            models.Index(fields=["nominee", "award_code", "year"], name="history_nominee_award"),
            # Streaks: WHERE person_id = ? AND award_code = ? AND year <= ?
            models.Index(fields=["person", "award_code", "year"], name="history_person_award"),
            models.Index(fields=["collective", "award_code", "year"], name="history_collective_award"),
        ]

    @property
    def subject(self):
        return self.person or self.collective

    @property
    def is_backfilled(self):
        """True for an award entered from paper (by hand or a file): revoked by hand, not by a revocation decision."""
        return self.source != HistorySource.DECISION


class DisciplineLevel(models.IntegerChoices):
    """Disciplinary measures, mildest first (the rank compares them: 'cảnh cáo or above')."""

    REPRIMAND = 1, _("Khiển trách")
    WARNING = 2, _("Cảnh cáo")
    SALARY_DOWNGRADE = 3, _("Hạ bậc lương")
    DEMOTION = 4, _("Giáng chức")
    DISMISSAL_FROM_POST = 5, _("Cách chức")
    DISMISSAL = 6, _("Buộc thôi việc")


class DisciplineState(models.TextChoices):
    DECIDED = "decided", _("Đã có quyết định kỷ luật")
    PENDING = "pending", _("Đang bị điều tra, thanh tra, kiểm tra hoặc có khiếu nại, tố cáo chưa giải quyết")
    CLEARED = "cleared", _("Đã kết luận không vi phạm")


class DisciplineRecord(models.Model):
    """A disciplinary measure or a pending case about a person; it blocks an award only while in effect."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="discipline")
    state = models.CharField(_("tình trạng"), max_length=20, choices=DisciplineState.choices)
    level = models.PositiveSmallIntegerField(
        _("hình thức"), choices=DisciplineLevel.choices, null=True, blank=True
    )
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decided_on = models.DateField(_("ngày quyết định / ngày phát sinh"))
    effective_until = models.DateField(_("hết hiệu lực ngày"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")
        ordering = ["-decided_on", "-pk"]

    def is_in_effect(self, day):
        if self.state == DisciplineState.PENDING:
            return True
        if self.state == DisciplineState.CLEARED:
            return False
        return self.decided_on <= day and (self.effective_until is None or day <= self.effective_until)


class NominationMember(models.Model):
    """A member of a nominated collective, as listed with the nomination (the collective titles count them)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("họ tên"), max_length=255)
    completed_tasks = models.BooleanField(_("hoàn thành nhiệm vụ"), default=True)
    is_advanced_worker = models.BooleanField(_("đạt Lao động tiên tiến"), default=False)
    is_grassroots_emulation_fighter = models.BooleanField(_("đạt Chiến sĩ thi đua cơ sở"), default=False)
    discipline_level = models.PositiveSmallIntegerField(
        _("kỷ luật trong năm"), choices=DisciplineLevel.choices, null=True, blank=True
    )

    class Meta:
        verbose_name = _("thành viên tập thể")
        verbose_name_plural = _("thành viên tập thể")
        ordering = ["pk"]


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("Chưa mở")
    OPEN = "open", _("Đang nhận hồ sơ")
    CLOSED = "closed", _("Đã đóng")


class HonourRound(models.Model):
    """An annual round of the 'Công dân Đồng Khởi' title."""

    year = models.PositiveIntegerField(unique=True)
    opens_on = models.DateField()
    closes_on = models.DateField()
    conferral_on = models.DateField()
    status = models.CharField(max_length=20, choices=RoundStatus.choices, default=RoundStatus.PLANNED)
    council = models.ForeignKey("organisation.Council", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("đợt xét Công dân Đồng Khởi")
        verbose_name_plural = _("đợt xét Công dân Đồng Khởi")
        ordering = ["-year"]

    def __str__(self):
        return f"Công dân Đồng Khởi {self.year}"


class NominationUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK guardian grants on nominations (integer joins instead of generic varchar lookups)."""

    content_object = models.ForeignKey(Nomination, on_delete=models.CASCADE)


class NominationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Nomination, on_delete=models.CASCADE)


# -- The movement's own life (issue 24): targets, registrations, results, exemplary models, cluster scoring and the
# yearly review at the Đồng Khởi anniversary (17/1). The rules are in `nominations.movement`.


class TargetKind(models.TextChoices):
    NUMBER = "number", _("Số lượng")
    PERCENT = "percent", _("Tỷ lệ (%)")
    YES_NO = "yes_no", _("Đạt / không đạt")
    TEXT = "text", _("Mô tả")


class MovementTarget(models.Model):
    """A target the province sets for a content area: for the whole period (no year) or for one year (the review
    at 17/1 sets the next year's)."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="targets")
    content_area = models.ForeignKey(ContentArea, on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveIntegerField(
        _("năm"), null=True, blank=True, help_text=_("Để trống: cả giai đoạn.")
    )
    description = models.CharField(_("chỉ tiêu"), max_length=500)
    kind = models.CharField(_("loại chỉ tiêu"), max_length=10, choices=TargetKind.choices)
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit_label = models.CharField(_("đơn vị tính"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu phong trào")
        verbose_name_plural = _("chỉ tiêu phong trào")
        ordering = ["movement", "content_area__order", "year", "id"]

    def __str__(self):
        return self.description


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Chờ cấp trên ghi nhận")
    RETURNED = "returned", _("Trả lại để bổ sung")
    ACKNOWLEDGED = "acknowledged", _("Đã được cấp trên ghi nhận")


class Registration(models.Model):
    """A unit's emulation registration (đăng ký thi đua) for a year: its commitments, signed by its head and
    acknowledged by the tier above (the unit that reviews its nominations). A cluster's is joint: its members are
    listed in `signatories` and the pledge is signed by the cluster head."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="registrations")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="registrations")
    year = models.PositiveIntegerField(_("năm"))
    reviewer_unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("cấp ghi nhận"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.DRAFT
    )
    pledge = models.TextField(_("giao ước thi đua"), blank=True)
    signatories = models.JSONField(_("đơn vị cùng ký giao ước"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(_("lý do trả lại"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "unit", "year"], name="registration_unit_year")
        ]
        # The reviewer's list: WHERE reviewer_unit_id IN (...) AND status = ?
        indexes = [models.Index(fields=["reviewer_unit", "status"], name="registration_reviewer")]

    def __str__(self):
        return f"{self.unit} · {self.year}"


class Commitment(models.Model):
    """One commitment of a registration: the content area it takes up, the unit's own target and its actions."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="commitments")
    content_area = models.ForeignKey(ContentArea, on_delete=models.PROTECT, related_name="commitments")
    target = models.ForeignKey(
        MovementTarget, null=True, blank=True, on_delete=models.PROTECT, related_name="commitments"
    )
    description = models.CharField(_("chỉ tiêu đăng ký"), max_length=500)
    kind = models.CharField(_("loại chỉ tiêu"), max_length=10, choices=TargetKind.choices)
    value = models.DecimalField(_("giá trị đăng ký"), max_digits=14, decimal_places=2, null=True, blank=True)
    actions = models.TextField(_("giải pháp, hành động"), blank=True)

    class Meta:
        verbose_name = _("nội dung đăng ký")
        verbose_name_plural = _("nội dung đăng ký")
        ordering = ["content_area__order", "id"]

    def __str__(self):
        return self.description


class ProgressReport(models.Model):
    """A result a unit reports against a commitment during the year, with its evidence file (checked like a
    dossier file)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="results")
    reported_on = models.DateField(_("ngày báo cáo"), default=timezone.localdate)
    value = models.DecimalField(_("kết quả đạt"), max_digits=14, decimal_places=2, null=True, blank=True)
    is_met = models.BooleanField(_("đạt chỉ tiêu"), null=True, blank=True)
    description = models.TextField(_("kết quả thực hiện"))
    evidence = models.FileField(_("tài liệu minh chứng"), upload_to="movement/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveBigIntegerField(null=True, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kết quả thực hiện")
        verbose_name_plural = _("kết quả thực hiện")
        ordering = ["commitment", "reported_on", "id"]


class ExemplaryModel(models.Model):
    """An exemplary model (điển hình) a reviewer marks in a content area, for others to learn from, catch up with
    and surpass; withdrawn ones stay for the record."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="exemplary_models")
    content_area = models.ForeignKey(ContentArea, on_delete=models.PROTECT, related_name="exemplary_models")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="exemplary_models")
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="exemplary_models"
    )
    year = models.PositiveIntegerField(_("năm"))
    title = models.CharField(_("tên mô hình, điển hình"), max_length=300)
    description = models.TextField(_("mô tả ngắn"))
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("điển hình tiên tiến")
        verbose_name_plural = _("điển hình tiên tiến")
        ordering = ["content_area__order", "-year", "id"]

    def __str__(self):
        return self.title


class ClusterCriterion(models.Model):
    """A scoring criterion of an emulation cluster (cụm, khối thi đua) for a year, with its maximum points."""

    cluster = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="cluster_criteria"
    )
    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="cluster_criteria")
    year = models.PositiveIntegerField(_("năm"))
    name = models.CharField(_("tiêu chí"), max_length=300)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tiêu chí chấm điểm cụm, khối")
        verbose_name_plural = _("tiêu chí chấm điểm cụm, khối")
        ordering = ["cluster", "year", "order", "id"]

    def __str__(self):
        return self.name


class ClusterScore(models.Model):
    """The points one member unit of a cluster gives another on a criterion (cross-scoring: never itself)."""

    criterion = models.ForeignKey(ClusterCriterion, on_delete=models.CASCADE, related_name="scores")
    scorer = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    scored = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("điểm chấm cụm, khối")
        verbose_name_plural = _("điểm chấm cụm, khối")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "scorer", "scored"], name="cluster_score_once"),
            models.CheckConstraint(condition=~Q(scorer=models.F("scored")), name="cluster_score_not_self"),
        ]


class ReviewKind(models.TextChoices):
    INTERIM = "interim", _("Sơ kết năm")
    FINAL = "final", _("Tổng kết giai đoạn")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Đang tổng hợp")
    CLOSED = "closed", _("Đã kết thúc")


class MovementReview(models.Model):
    """The yearly review (sơ kết; tổng kết at the period's end) held at the Đồng Khởi anniversary (17/1 of the next
    year): it gathers commitments and results, exemplary models, cluster scoring and the year's nominations, and
    the Công dân Đồng Khởi round of the year belongs to it."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="reviews")
    year = models.PositiveIntegerField(_("năm được đánh giá"))
    kind = models.CharField(
        _("hình thức"), max_length=10, choices=ReviewKind.choices, default=ReviewKind.INTERIM
    )
    opened_on = models.DateField(_("ngày mở đợt"))
    held_on = models.DateField(_("ngày tổ chức"))
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    honour_round = models.ForeignKey(
        HonourRound, null=True, blank=True, on_delete=models.PROTECT, related_name="movement_reviews"
    )
    summary = models.TextField(_("đánh giá chung"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đợt sơ kết, tổng kết phong trào")
        verbose_name_plural = _("đợt sơ kết, tổng kết phong trào")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["movement", "year"], name="movement_review_year")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.movement} · {self.year}"


class FlagProposal(models.Model):
    """A cluster's leading unit of a review year, proposed for the province's emulation flag (Cờ thi đua): the
    proposal becomes a nomination on the standard route (filed by the cluster, decided by the province)."""

    review = models.ForeignKey(MovementReview, on_delete=models.PROTECT, related_name="flag_proposals")
    cluster = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("điểm bình quân"), max_digits=8, decimal_places=2)
    nomination = models.OneToOneField(
        Nomination, null=True, blank=True, on_delete=models.PROTECT, related_name="flag_proposal"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("đề nghị Cờ thi đua của cụm, khối")
        verbose_name_plural = _("đề nghị Cờ thi đua của cụm, khối")
        constraints = [models.UniqueConstraint(fields=["review", "cluster"], name="flag_proposal_cluster")]
