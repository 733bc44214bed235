"""Who is where: the unit tree with its validity dates, the roles people hold at units, and the councils a unit
runs. The ground floor of the house: it imports nothing of ours except `audit`.

The tables keep the names they had when these models lived in `approvals` (migration
`organisation.0001_initial` takes them over without touching a row)."""

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
        db_table = "approvals_unit"
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


class UnitSuccession(models.Model):
    """A unit that closed in a reorganisation and the unit that took over its work from `effective_on`.

    History (nominations, decisions, audit) stays on the predecessor; it is found from the successor through these
    links (`predecessor_ids`)."""

    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessions")
    effective_on = models.DateField(_("ngày hiệu lực"))
    reorganisation = models.CharField(_("đợt sắp xếp"), max_length=50)
    is_main = models.BooleanField(
        _("kế thừa chính"),
        default=True,
        help_text=_("Đơn vị nhận công việc đang xử lý khi đơn vị cũ bị chia tách."),
    )

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unit_succession_pair"),
        ]

    def __str__(self):
        return f"{self.predecessor.code} → {self.successor.code} ({self.effective_on:%d/%m/%Y})"


def predecessor_ids(unit_ids):
    """Return the ids of `unit_ids` and of every unit they succeeded, however many reorganisations back."""
    return set().union(*predecessors_of(unit_ids).values())


def predecessors_of(unit_ids):
    """Return {unit id: predecessor_ids([unit id])} for many units, in one query per reorganisation level whatever
    their number."""
    unit_ids = set(unit_ids)
    succeeded, seen, frontier = {}, set(unit_ids), set(unit_ids)
    while frontier:
        rows = UnitSuccession.objects.filter(successor_id__in=frontier).values_list(
            "successor_id", "predecessor_id"
        )
        frontier = set()
        for successor_id, predecessor_id in rows:
            succeeded.setdefault(successor_id, set()).add(predecessor_id)
            if predecessor_id not in seen:
                seen.add(predecessor_id)
                frontier.add(predecessor_id)
    found = {}
    for unit_id in unit_ids:
        ids, stack = {unit_id}, [unit_id]
        while stack:
            for predecessor_id in succeeded.get(stack.pop(), ()):
                if predecessor_id not in ids:
                    ids.add(predecessor_id)
                    stack.append(predecessor_id)
        found[unit_id] = ids
    return found


class ClusterMemberQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class ClusterMember(models.Model):
    """A unit's place in an emulation cluster (cụm, khối thi đua) for a date range; the province sets the clusters
    each year. The cluster is a unit of tier `cluster`; `is_head` marks the cụm trưởng unit of the range."""

    cluster = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cluster_members")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cluster_seats")
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    is_head = models.BooleanField(_("cụm trưởng"), default=False)

    objects = ClusterMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên cụm, khối thi đua")
        verbose_name_plural = _("thành viên cụm, khối thi đua")
        ordering = ["cluster", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "unit", "valid_from"], name="cluster_member_once"),
            models.CheckConstraint(condition=~Q(cluster=models.F("unit")), name="cluster_member_not_self"),
        ]

    def __str__(self):
        return f"{self.unit.code} ∈ {self.cluster.code}"


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
        db_table = "approvals_membership"
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


class DelegationQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """The delegations a substitute may act under on `day` (the end date is the last day included)."""
        return self.filter(revoked_at__isnull=True, valid_from__lte=day, valid_to__gte=day)


class Delegation(models.Model):
    """Ủy quyền: a holder of a role at a unit lets a named person act in that role for a date range.

    Nothing is granted in guardian: the policy (`organisation.policy.UserScope`) reads the delegations in force on
    the day it checks, so the substitute's access ends with the range (or a revocation) and leaves nothing behind.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="delegations")
    role = models.CharField(_("vai trò được ủy quyền"), max_length=32, choices=Role.choices)
    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ủy quyền"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người được ủy quyền"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    delegator_title = models.CharField(
        _("chức vụ người ủy quyền"), max_length=100, blank=True, help_text=_("Ví dụ: Chủ tịch.")
    )
    delegate_title = models.CharField(
        _("chức vụ người được ủy quyền"), max_length=100, blank=True, help_text=_("Ví dụ: Phó Chủ tịch.")
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến hết ngày"))
    reason = models.CharField(_("lý do, căn cứ"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("ủy quyền")
        verbose_name_plural = _("ủy quyền")
        ordering = ["-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="delegation_range"
            ),
            models.CheckConstraint(
                condition=~Q(delegator=models.F("delegate")), name="delegation_two_people"
            ),
        ]
        # A user's scope: WHERE delegate_id = ? AND revoked_at IS NULL AND valid_from <= today <= valid_to
        indexes = [models.Index(fields=["delegate", "valid_to"], name="delegation_delegate")]

    def __str__(self):
        return f"{self.delegator} → {self.delegate} · {self.get_role_display()} · {self.unit.code}"


class CouncilKind(models.TextChoices):
    FULL = "full", _("Hội đồng Thi đua – Khen thưởng")
    STANDING = "standing", _("Thường trực Hội đồng")
    ADVISORY = "advisory", _("Hội đồng tư vấn")


class Council(models.Model):
    """A council of a unit for a term. Its size on a day is the number of configured members valid that day;
    `members_total` is the size declared before members were configured and is used only while none are."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="councils")
    kind = models.CharField(max_length=20, choices=CouncilKind.choices, default=CouncilKind.FULL)
    name = models.CharField(max_length=255)
    members_total = models.PositiveIntegerField(
        _("tổng số thành viên (khi chưa khai báo thành viên)"),
        help_text=_("Khi đã khai báo thành viên, tổng số thành viên là số thành viên còn hiệu lực."),
    )
    is_active = models.BooleanField(default=True)
    term = models.CharField(_("nhiệm kỳ"), max_length=50, blank=True, help_text=_("Ví dụ: 2026–2031."))
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        db_table = "approvals_council"
        verbose_name = _("hội đồng")
        verbose_name_plural = _("hội đồng")

    def __str__(self):
        return f"{self.name} ({self.term})" if self.term else self.name

    def is_valid_on(self, day):
        return (
            self.is_active
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or self.valid_to >= day)
        )

    def members_on(self, day=None):
        """Return the members valid on `day` (today by default)."""
        return self.members.valid_on(day or timezone.localdate())

    def size_on(self, day=None):
        """Return the member count every threshold counts over: the configured members valid on `day`."""
        if self.pk is None or not self.members.exists():
            return self.members_total
        return self.members_on(day).count()


class CouncilPosition(models.TextChoices):
    CHAIRMAN = "chairman", _("Chủ tịch Hội đồng")
    VICE_CHAIRMAN = "vice_chairman", _("Phó Chủ tịch Hội đồng")
    STANDING = "standing", _("Ủy viên thường trực")
    MEMBER = "member", _("Ủy viên")
    SECRETARY = "secretary", _("Thư ký Hội đồng")


class CouncilMemberQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class CouncilMember(models.Model):
    """A person's seat in a council, with their position and the dates the seat is held."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats")
    position = models.CharField(_("chức danh trong Hội đồng"), max_length=20, choices=CouncilPosition.choices)
    title = models.CharField(_("chức vụ, đơn vị công tác"), max_length=255, blank=True)
    valid_from = models.DateField(_("từ ngày"), default=timezone.localdate)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = CouncilMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")
        ordering = ["council", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user", "valid_from"], name="council_member_seat_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="council_member_dates",
            ),
        ]

    def __str__(self):
        name = self.user.get_full_name() or self.user.username
        return f"{name} · {self.get_position_display()}"

    @property
    def display_name(self):
        return self.user.get_full_name() or self.user.username
