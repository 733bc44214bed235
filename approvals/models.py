"""Who decides and what they decided: the unit tree, roles, councils, reviews, votes, postings, decisions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện, thành phố")
    DEPARTMENT = "department", _("Sở, ban, ngành, đoàn thể tỉnh")
    BASE = "base", _("Cơ sở (xã, trường, cơ quan, doanh nghiệp)")
    CLUSTER = "cluster", _("Cụm, khối thi đua")


class Role(models.TextChoices):
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    UNIT_CLERK = "unit_clerk", _("Cán bộ TĐKT đơn vị")
    REVIEWER = "reviewer", _("Cán bộ xét duyệt")
    COUNCIL_SECRETARY = "council_secretary", _("Thư ký Hội đồng")
    COUNCIL_MEMBER = "council_member", _("Thành viên Hội đồng")
    APPROVER = "approver", _("Người ký quyết định")
    INSPECTOR = "inspector", _("Thanh tra")
    ADMIN = "admin", _("Quản trị")


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Unit(models.Model):
    code = models.CharField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=100, blank=True)
    tier = models.CharField(_("cấp"), max_length=20, choices=Tier.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    issuer_symbol = models.CharField(
        _("ký hiệu cơ quan ban hành"),
        max_length=30,
        blank=True,
        help_text=_("Ví dụ: UBND, SNV. Số quyết định: 15/QĐ-UBND."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), default=timezone.localdate)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["code"]
        permissions = [
            ("file_nomination", _("Lập đề nghị khen thưởng của đơn vị")),
            ("submit_nomination", _("Trình đề nghị khen thưởng của đơn vị")),
            ("review_nomination", _("Xét duyệt đề nghị chuyển đến đơn vị")),
            ("appraise_nomination", _("Thẩm định đề nghị tại cấp quyết định")),
            ("record_vote", _("Ghi kết quả bỏ phiếu của Hội đồng")),
            ("view_council", _("Xem đề nghị trình Hội đồng")),
            ("sign_decision", _("Ký quyết định khen thưởng")),
            ("inspect_unit", _("Thanh tra đơn vị và cấp dưới")),
            ("view_sensitive", _("Xem dữ liệu nhạy cảm (kỷ luật, CCCD)")),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        today = timezone.localdate()
        return self.valid_from <= today and (self.valid_to is None or self.valid_to >= today)

    def ancestors(self):
        """Return the parent chain, nearest first."""
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def lineage(self):
        """Return this unit followed by its ancestors."""
        return [self, *self.ancestors()]

    def is_within(self, other):
        return any(unit.pk == other.pk for unit in self.lineage())

    @property
    def province(self):
        return self.lineage()[-1]


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=Q(revoked_at__isnull=True),
                name="membership_active_unique",
            )
        ]
        indexes = [models.Index(fields=["unit", "role"], name="membership_unit_role")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit.code}"


class CouncilKind(models.TextChoices):
    FULL = "full", _("Hội đồng Thi đua – Khen thưởng")
    STANDING = "standing", _("Thường trực Hội đồng")
    ADVISORY = "advisory", _("Hội đồng tư vấn")


class Council(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="councils")
    kind = models.CharField(max_length=20, choices=CouncilKind.choices, default=CouncilKind.FULL)
    name = models.CharField(max_length=255)
    members_total = models.PositiveIntegerField(_("tổng số thành viên"))
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("hội đồng")
        verbose_name_plural = _("hội đồng")

    def __str__(self):
        return self.name


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Trình")
    FORWARD = "forward", _("Chuyển cấp trên")
    RETURN = "return", _("Trả lại để bổ sung")
    REJECT = "reject", _("Từ chối")
    APPROVE = "approve", _("Thẩm định đạt")
    RESUBMIT = "resubmit", _("Trình lại")


class ReviewRecord(models.Model):
    """One decision taken on a task: viewflow records no reasons, this table does."""

    nomination = models.ForeignKey("nominations.Nomination", on_delete=models.PROTECT, related_name="reviews")
    task_id = models.BigIntegerField(null=True, blank=True)
    step = models.CharField(max_length=40)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=ReviewAction.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["nomination", "at"], name="review_nomination_at")]


class VoteRecord(models.Model):
    """The tally of a secret ballot: totals only, never a member's choice."""

    nomination = models.ForeignKey("nominations.Nomination", on_delete=models.PROTECT, related_name="votes")
    council = models.ForeignKey(
        Council, null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    members_total = models.PositiveIntegerField(_("tổng số thành viên"))
    members_present = models.PositiveIntegerField(_("số thành viên có mặt"))
    votes_for = models.PositiveIntegerField(_("số phiếu đồng ý"))
    votes_against = models.PositiveIntegerField(_("số phiếu không đồng ý"))
    minutes = models.FileField(_("biên bản"), upload_to="minutes/%Y/", blank=True)
    quorum_met = models.BooleanField()
    threshold = models.DecimalField(max_digits=4, decimal_places=3)
    passed = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]


class Posting(models.Model):
    """Public posting (công khai) of a nomination for a window of working days."""

    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.PROTECT, related_name="postings"
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on"]
        indexes = [models.Index(fields=["closes_on", "opens_on"], name="posting_window")]

    def is_open_on(self, day):
        return self.opens_on <= day <= self.closes_on


class PostingFeedback(models.Model):
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="feedback")
    sender_name = models.CharField(_("họ tên người góp ý"), max_length=150)
    sender_contact = models.CharField(_("địa chỉ liên hệ"), max_length=200, blank=True)
    content = models.TextField(_("nội dung góp ý"))
    received_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at"]

    @property
    def is_answered(self):
        return self.answered_at is not None


class DecisionCounter(models.Model):
    """The last decision number used by an issuer in a calendar year; locked while signing."""

    issuer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year"], name="decision_counter_issuer_year")
        ]


class Decision(models.Model):
    issuer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="decisions")
    year = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("số quyết định"), max_length=50)
    title = models.CharField(_("trích yếu"), max_length=500)
    signed_on = models.DateField(_("ngày ký"))
    signed_at = models.DateTimeField(default=timezone.now)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_title = models.CharField(max_length=150, blank=True)
    is_ad_hoc = models.BooleanField(default=False)
    legal_basis = models.ForeignKey("nominations.LegalBasis", null=True, blank=True, on_delete=models.PROTECT)
    total_amount = models.DecimalField(max_digits=16, decimal_places=0, default=0)
    pdf = models.FileField(upload_to="decisions/%Y/", blank=True)
    docx = models.FileField(upload_to="decisions/%Y/", blank=True)

    class Meta:
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "sequence"], name="decision_issuer_year_sequence"
            ),
        ]
        indexes = [models.Index(fields=["number"], name="decision_number")]

    def __str__(self):
        return self.number


class Certificate(models.Model):
    """One awardee of a decision, with the certificate serial and the cash amount."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="certificates")
    nomination = models.OneToOneField(
        "nominations.Nomination", on_delete=models.PROTECT, related_name="certificate"
    )
    serial = models.CharField(_("số hiệu bằng"), max_length=40, unique=True)
    verification_code = models.CharField(max_length=32, unique=True)
    amount = models.DecimalField(_("tiền thưởng"), max_digits=14, decimal_places=0)
    pdf = models.FileField(upload_to="certificates/%Y/", blank=True)
    is_revoked = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bằng, giấy khen")
        verbose_name_plural = _("bằng, giấy khen")
        ordering = ["serial"]

    def __str__(self):
        return self.serial


class RevocationGround(models.TextChoices):
    FRAUDULENT = "fraudulent", _("Kê khai gian dối thành tích")
    FALSE_DOCUMENTS = "false_documents", _("Làm giả hồ sơ, giấy tờ")
    UNLAWFUL_PROCEDURE = "unlawful_procedure", _("Thẩm định, xét duyệt, đề nghị trái pháp luật")
    STANDARDS_NOT_MET = "standards_not_met", _("Không đủ tiêu chuẩn theo kết luận sau này")


class RevocationStatus(models.TextChoices):
    OPEN = "open", _("Chờ quyết định")
    APPROVED = "approved", _("Đã hủy bỏ, thu hồi")
    DISMISSED = "dismissed", _("Không chấp nhận")


class Revocation(models.Model):
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="revocations")
    ground = models.CharField(_("căn cứ"), max_length=30, choices=RevocationGround.choices)
    statement = models.TextField(_("nội dung"))
    evidence = models.FileField(_("tài liệu chứng minh"), upload_to="revocations/%Y/", blank=True)
    status = models.CharField(max_length=20, choices=RevocationStatus.choices, default=RevocationStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]
