"""What was decided: reviews, votes, postings, decisions, certificates and revocations."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.fields import EncryptedTextField
from nominations.process import Action, Step
from organisation.models import Council, CouncilMember, Unit


class ReviewRecord(models.Model):
    """One decision taken on a task: viewflow records no reasons, this table does."""

    nomination = models.ForeignKey("nominations.Nomination", on_delete=models.PROTECT, related_name="reviews")
    task_id = models.BigIntegerField(null=True, blank=True)
    step = models.CharField(max_length=40, choices=Step.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
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
    written_for = models.PositiveIntegerField(_("ý kiến bằng văn bản đồng ý"), default=0)
    written_against = models.PositiveIntegerField(_("ý kiến bằng văn bản không đồng ý"), default=0)
    minutes = models.FileField(_("biên bản"), upload_to="minutes/%Y/", blank=True)
    quorum_met = models.BooleanField()
    threshold = models.DecimalField(max_digits=4, decimal_places=3)
    passed = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]


class MeetingStatus(models.TextChoices):
    OPEN = "open", _("Đang họp")
    CLOSED = "closed", _("Đã kết thúc bỏ phiếu")


class BallotMode(models.TextChoices):
    PAPER = "paper", _("Phiếu giấy: thư ký nhập kết quả kiểm phiếu")
    DEVICE = "device", _("Thành viên bỏ phiếu trên thiết bị")


class Meeting(models.Model):
    """A sitting of a council: its agenda (the nominations awaiting its vote), attendance, ballots and minutes."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("ngày họp"))
    place = models.CharField(_("địa điểm"), max_length=255)
    ballot_mode = models.CharField(
        _("hình thức bỏ phiếu"), max_length=10, choices=BallotMode.choices, default=BallotMode.PAPER
    )
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.OPEN)
    members_total = models.PositiveIntegerField(_("tổng số thành viên"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    minutes_pdf = models.FileField(upload_to="council_minutes/%Y/", blank=True)
    minutes_docx = models.FileField(upload_to="council_minutes/%Y/", blank=True)
    minutes_signed = models.FileField(
        _("biên bản đã ký (bản quét)"), upload_to="council_minutes/%Y/", blank=True
    )
    minutes_signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cuộc họp Hội đồng")
        verbose_name_plural = _("cuộc họp Hội đồng")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.council} – {self.held_on:%d/%m/%Y}"

    @property
    def is_open(self):
        return self.status == MeetingStatus.OPEN


class AgendaItem(models.Model):
    """One nomination put to the vote at a meeting; its totals are typed (paper) or counted (device)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    nomination = models.ForeignKey("nominations.Nomination", on_delete=models.PROTECT, related_name="+")
    task_id = models.BigIntegerField()
    order = models.PositiveIntegerField()
    votes_for = models.PositiveIntegerField(null=True, blank=True)
    votes_against = models.PositiveIntegerField(null=True, blank=True)
    written_for = models.PositiveIntegerField(default=0)
    written_against = models.PositiveIntegerField(default=0)
    vote = models.OneToOneField(
        VoteRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_item"
    )

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "nomination"], name="agenda_item_once_per_meeting"),
        ]


class Attendance(models.Model):
    """Whether a member sat in the meeting; an absent member may have sent written opinions."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    is_present = models.BooleanField(_("có mặt"), default=True)
    sent_written_opinion = models.BooleanField(_("gửi ý kiến bằng văn bản"), default=False)

    class Meta:
        ordering = ["meeting", "member__position", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member"),
        ]


class BallotChoice(models.TextChoices):
    FOR = "for", _("Đồng ý")
    AGAINST = "against", _("Không đồng ý")


class Ballot(models.Model):
    """A secret ballot paper: which item and which choice, and nothing that leads to who cast it (no voter, no
    time, a random key so the order of keys does not follow the order of `BallotCast` rows)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(max_length=10, choices=BallotChoice.choices)


class BallotCast(models.Model):
    """That a member has voted on an item (never how): written with the ballot in one transaction."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="casts")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="ballot_cast_once")]


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
    # The sender's address, for the per-address rate limit (the audit event records it too).
    sender_ip = models.GenericIPAddressField(_("địa chỉ IP người gửi"), null=True, blank=True)
    # Marked as spam by a reviewer (audited): it no longer waits for an answer before the vote and the signature.
    spam_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    spam_marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at"]
        indexes = [
            # The per-address rate limit: feedback from one address in the last window.
            models.Index(fields=["sender_ip", "received_at"], name="feedback_sender_recent"),
        ]

    @property
    def is_answered(self):
        return self.answered_at is not None

    @property
    def is_spam(self):
        return self.spam_marked_at is not None


class DecisionCounter(models.Model):
    """The last decision number used by an issuer in a calendar year; locked while signing."""

    issuer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year"], name="decision_counter_issuer_year")
        ]


class SignerPosition(models.TextChoices):
    HEAD = "head", _("Người đứng đầu (Chủ tịch, Giám đốc)")
    DEPUTY = "deputy", _("Cấp phó ký thay (Phó Chủ tịch, Phó Giám đốc)")


def signer_block(issuer, position):
    """The capacity lines above the signer's name (NĐ 30/2020 Điều 13 and Phụ lục I): for a people's committee
    'TM. ỦY BAN NHÂN DÂN' / 'CHỦ TỊCH', or 'KT. CHỦ TỊCH' / 'PHÓ CHỦ TỊCH' when a deputy signs; a department
    'GIÁM ĐỐC', or 'KT. GIÁM ĐỐC' / 'PHÓ GIÁM ĐỐC'."""
    committee = issuer.issuer_symbol in ("", "UBND")
    head = "CHỦ TỊCH" if committee else "GIÁM ĐỐC"
    if position == SignerPosition.DEPUTY:
        return [f"KT. {head}", f"PHÓ {head}"]
    return ["TM. ỦY BAN NHÂN DÂN", head] if committee else [head]


class SignerProfile(models.Model):
    """Who signs for an issuer and in what capacity, with the certificate of the digital signature.

    The signer block of a decision comes from this record (never typed at signing): the head signs
    'TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH', a deputy 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH' (NĐ 30/2020 Điều 13)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signer_profiles"
    )
    issuer = models.ForeignKey(
        Unit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField(_("cương vị ký"), max_length=10, choices=SignerPosition.choices)
    pkcs12 = models.FileField(_("tệp chứng thư số (PKCS#12)"), upload_to="signers/", blank=True)
    # Encrypted at rest under SIGNER_SECRET_KEYS (approvals/fields.py); clear only in memory.
    pkcs12_passphrase = EncryptedTextField(_("mật khẩu tệp chứng thư số"), blank=True)
    is_active = models.BooleanField(_("đang hiệu lực"), default=True)

    class Meta:
        verbose_name = _("người ký quyết định")
        verbose_name_plural = _("người ký quyết định")
        constraints = [models.UniqueConstraint(fields=["user", "issuer"], name="signer_profile_user_issuer")]

    def __str__(self):
        return f"{self.user} – {self.get_position_display()} – {self.issuer}"


class IssuerNumbering(models.Model):
    """How an issuer numbers its decisions: its own yearly counter, or the number its document register
    (sổ đăng ký văn bản) assigns, typed at signing and checked for uniqueness."""

    issuer = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="+")
    uses_register = models.BooleanField(_("lấy số theo sổ đăng ký văn bản"), default=False)

    class Meta:
        verbose_name = _("cách đánh số quyết định")
        verbose_name_plural = _("cách đánh số quyết định")


def default_print_fields():
    """Where each variable field goes on a pre-printed blank (phôi), in mm from the top-left corner."""
    return {
        "addressee": {"x": 40, "y": 95, "width": 217, "size": 22},
        "where": {"x": 40, "y": 108, "width": 217, "size": 13},
        "achievement": {"x": 40, "y": 118, "width": 217, "size": 13},
        "place_date": {"x": 150, "y": 150, "width": 110, "size": 12},
        "decision_line": {"x": 25, "y": 175, "width": 110, "size": 11},
        "serial": {"x": 25, "y": 182, "width": 110, "size": 11},
    }


class PrintLayout(models.Model):
    """The positions of the variable fields of one award type's certificate on the official pre-printed blank;
    the office measures its blanks and prints a test page to check them."""

    award_code = models.CharField(_("mã loại hình"), max_length=50, unique=True)
    page_width_mm = models.PositiveSmallIntegerField(_("khổ giấy rộng (mm)"), default=297)
    page_height_mm = models.PositiveSmallIntegerField(_("khổ giấy cao (mm)"), default=210)
    fields = models.JSONField(_("vị trí các trường (mm)"), default=default_print_fields)

    class Meta:
        verbose_name = _("mẫu in trên phôi")
        verbose_name_plural = _("mẫu in trên phôi")

    def __str__(self):
        return self.award_code


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
    signer_position = models.CharField(
        max_length=10, choices=SignerPosition.choices, default=SignerPosition.HEAD
    )
    is_digitally_signed = models.BooleanField(_("có chữ ký số"), default=False)
    is_ad_hoc = models.BooleanField(default=False)
    legal_basis = models.ForeignKey("nominations.LegalBasis", null=True, blank=True, on_delete=models.PROTECT)
    total_amount = models.DecimalField(max_digits=16, decimal_places=0, default=0)
    base_salary = models.DecimalField(
        _("mức lương cơ sở áp dụng"), max_digits=12, decimal_places=0, null=True, blank=True
    )
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
    amount_basis = models.CharField(_("cách tính tiền thưởng"), max_length=300, blank=True)
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


class EnteredForm(models.TextChoices):
    """The statistical forms whose figures no workflow produces: the office enters them once a year."""

    ORGANISATIONS = "0604", _("Biểu 0604.N: Số lượng tổ chức làm công tác thi đua, khen thưởng")
    CIVIL_SERVANTS = "0605", _("Biểu 0605.N: Số lượng công chức làm công tác thi đua, khen thưởng")


class StatisticsFigure(models.Model):
    """One line of statistical form 0604.N or 0605.N/BNV-TĐKT as a reporting unit declared it for a year: the
    organisations (0604) or civil servants (0605) doing emulation and commendation work. Recorded through
    `services.statistics_figures_record`; the form of a subtree sums its units' lines."""

    form = models.CharField(_("biểu"), max_length=4, choices=EnteredForm.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị báo cáo"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("năm"))
    code = models.CharField(_("mã số dòng"), max_length=2)
    value = models.PositiveIntegerField(_("số lượng"), default=0)
    women = models.PositiveIntegerField(_("trong đó nữ"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("số liệu biểu thống kê")
        verbose_name_plural = _("số liệu biểu thống kê")
        constraints = [
            # Also the index of the form's query: WHERE form = ? AND unit_id IN (...) AND year = ?
            models.UniqueConstraint(fields=["form", "unit", "year", "code"], name="statistics_figure_line"),
        ]

    def __str__(self):
        return f"{self.form} {self.unit_id} {self.year} {self.code}: {self.value}/{self.women}"
