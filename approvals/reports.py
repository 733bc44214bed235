"""Reads behind the office's reports: money paid (fund report) and the statistics of awards given.

Every figure is one aggregate query over the stored decisions and certificates (never a loop over rows), and money
is read as stored — `Certificate.amount` per awardee, `Decision.total_amount` as Điều 2 of the decision says —
never recomputed from the catalogue.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from approvals.models import Certificate, Decision, StatisticsFigure
from nominations.models import AwardHistory, AwardType, DecidingTier, Movement, Nominee, StateAwardClass
from organisation.models import Tier, Unit
from organisation.policy import UnitTree, scope_of

# Who pays: "Người ra quyết định khen thưởng có trách nhiệm chi thưởng từ quỹ thi đua, khen thưởng do cấp mình
# quản lý" (Luật Thi đua, khen thưởng 06/2022/QH15, Điều 11 khoản 4). The source of a payment is therefore the fund
# of the issuer's level.
FUND_BASIS = _(
    "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 11 khoản 4: cấp ra quyết định chi thưởng từ quỹ do cấp mình quản lý"
)
FUND_SOURCES = {
    Tier.PROVINCE: _("Quỹ thi đua, khen thưởng cấp tỉnh"),
    Tier.DEPARTMENT: _("Quỹ thi đua, khen thưởng của sở, ban, ngành"),
    Tier.DISTRICT: _("Quỹ thi đua, khen thưởng cấp huyện"),
    Tier.BASE: _("Quỹ thi đua, khen thưởng cấp xã, cơ sở"),
    Tier.CLUSTER: _("Quỹ thi đua, khen thưởng của cụm, khối"),
}
ZERO = Decimal(0)

# The rights that let a user report on a unit and everything below it.
REPORT_PERMISSIONS = ("inspect_unit", "review_nomination", "appraise_nomination", "sign_decision")
# The rights that let a user enter the figures of forms 0604/0605 (no workflow produces them): the reviewers and
# leaders among those who report — an inspector reads, never writes — and only at province tier, whose office
# (Sở Nội vụ, Phòng Thi đua – Khen thưởng) compiles the province's return.
ENTRY_PERMISSIONS = ("review_nomination", "appraise_nomination", "sign_decision")


def report_units(user, tree=None):
    """Return the ids of the units `user` may report on: the subtrees of the units they inspect, review or sign
    for."""
    scope = scope_of(user)
    roots = set()
    for codename in REPORT_PERMISSIONS:
        roots |= scope.units(codename)
    return (tree or UnitTree()).subtree(roots) if roots else set()


def entry_units(user, tree=None):
    """Return the ids of the units whose figures of forms 0604/0605 `user` may enter: the subtrees of the
    province-tier units they review, appraise or sign for (a subset of `report_units`)."""
    scope = scope_of(user)
    granted = set()
    for codename in ENTRY_PERMISSIONS:
        granted |= scope.units(codename)
    roots = set(Unit.objects.filter(pk__in=granted, tier=Tier.PROVINCE).values_list("pk", flat=True))
    return (tree or UnitTree()).subtree(roots) if roots else set()


def report_roots(user):
    """Return the units a report can be asked for (each one's subtree): the top of the user's scope first, then the
    units below it that have units of their own (a commune is reported through its district), by code:
    [(id, code, name)]."""
    tree = UnitTree()
    return _offered(tree, report_units(user, tree))


# The units that declare organisations and civil servants doing the work: the province's office, its departments
# and its districts (a commune's part-time officer is not a civil servant of a TĐKT body).
ENTRY_TIERS = (Tier.PROVINCE, Tier.DEPARTMENT, Tier.DISTRICT)


def entry_roots(user):
    """Return the units whose figures `user` may enter, the province first then by code: [(id, code, name)]."""
    units = Unit.objects.filter(pk__in=entry_units(user), tier__in=ENTRY_TIERS).order_by("code")
    rows = list(units.values_list("pk", "code", "name", "tier"))
    rows.sort(key=lambda unit: (unit[3] != Tier.PROVINCE, unit[1]))
    return [(pk, code, name) for pk, code, name, _tier in rows]


def _offered(tree, ids):
    offered = tree.branches(ids)
    units = list(
        Unit.objects.filter(pk__in=offered).order_by("code").values_list("pk", "code", "name", "parent_id")
    )
    units.sort(key=lambda unit: (unit[3] in ids, unit[1]))
    return [(pk, code, name) for pk, code, name, _parent in units]


def decisions_in(unit_ids, *, year=None):
    decisions = Decision.objects.filter(issuer_id__in=unit_ids)
    return decisions.filter(year=year) if year else decisions


@dataclass
class FundReport:
    rows: list = field(default_factory=list)
    by_year: list = field(default_factory=list)
    by_award: list = field(default_factory=list)
    by_source: list = field(default_factory=list)
    by_issuer: list = field(default_factory=list)
    total: Decimal = ZERO
    revoked: Decimal = ZERO
    awardees: int = 0
    decisions: int = 0
    decisions_total: Decimal = ZERO
    mismatches: list = field(default_factory=list)

    @property
    def reconciles(self):
        return self.total == self.decisions_total and not self.mismatches


def fund_report(unit_ids, *, year=None):
    """Return the money paid by the decisions issued within `unit_ids` (optionally in one year), by year, award
    type, issuer and source, with the sum of the decisions' Điều 2 totals to reconcile against."""
    decisions = decisions_in(unit_ids, year=year)
    certificates = Certificate.objects.filter(decision__in=decisions)
    money = {
        "awardees": Count("id"),
        "paid": Coalesce(Sum("amount"), ZERO),
        "revoked": Coalesce(Sum("amount", filter=Q(is_revoked=True)), ZERO),
    }
    grouped = (
        certificates.values(
            "decision__year",
            "decision__issuer_id",
            "decision__issuer__name",
            "decision__issuer__tier",
            "nomination__award_type__code",
        )
        .annotate(award_name=Max("nomination__award_type__name"), **money)
        .order_by("decision__year", "decision__issuer__tier", "decision__issuer__name", "award_name")
    )
    report = FundReport()
    for row in grouped:
        report.rows.append(
            {
                "year": row["decision__year"],
                "issuer": row["decision__issuer__name"],
                "source": FUND_SOURCES.get(row["decision__issuer__tier"], row["decision__issuer__tier"]),
                "award": row["award_name"],
                "awardees": row["awardees"],
                "amount": row["paid"],
                "revoked": row["revoked"],
            }
        )
    report.by_year = _group(certificates, "decision__year", money)
    report.by_award = _group(certificates, "nomination__award_type__name", money)
    report.by_issuer = _group(certificates, "decision__issuer__name", money)
    report.by_source = [
        {**row, "label": FUND_SOURCES.get(row["label"], row["label"])}
        for row in _group(certificates, "decision__issuer__tier", money)
    ]
    totals = certificates.aggregate(**money)
    report.total, report.revoked, report.awardees = totals["paid"], totals["revoked"], totals["awardees"]
    stated = decisions.aggregate(n=Count("id"), total=Coalesce(Sum("total_amount"), ZERO))
    report.decisions, report.decisions_total = stated["n"], stated["total"]
    # A decision whose Điều 2 total is not the sum of its awardees' amounts (none when the data is sound).
    report.mismatches = list(
        decisions.annotate(paid=Coalesce(Sum("certificates__amount"), ZERO))
        .exclude(paid=F("total_amount"))
        .values("pk", "number", "year", "total_amount", "paid")
    )
    return report


def _group(certificates, key, money):
    return [
        {"label": row[key], "awardees": row["awardees"], "amount": row["paid"], "revoked": row["revoked"]}
        for row in certificates.values(key).annotate(**money).order_by(key)
    ]


# ------------------------------------------------------------------------------------------ statistical forms
# The annual forms of the Ministry of Home Affairs' statistics on emulation and commendation: Thông tư
# 02/2023/TT-BNV of 23/3/2023 ("chế độ báo cáo thống kê ngành Nội vụ"), forms 0601.N–0605.N/BNV-TĐKT, received on
# 15 December of the report year. What was relied on: the text of the Thông tư's appendix could not be read here;
# the rows, codes and columns below follow the report templates of the open-source provincial TĐKT system
# (DOMAIN.md §6, templates headed "Biểu số: 0601.N/BNV-TĐKT … Ban hành theo Thông tư số 02/2023/TT-BNV ngày
# 23/3/2023"). Whether a successor regime replaced it in 2025 was not confirmed.
# A form is data: rows with their code, unit of measure and condition, columns with their condition; every cell
# is counted (or, for the entered forms 0604/0605, summed) in one aggregate query.
REGIME = _("Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ trưởng Bộ Nội vụ")
# A condition no row meets. Not `pk__in=[]`: Django compiles that to "always empty", and over a queryset with
# annotations (0602's) one such aggregate empties the whole aggregation.
NONE = Q(pk__isnull=True)


@dataclass
class FormRow:
    label: str
    code: str = ""  # "" for a heading row, which has no figures
    measure: str = ""
    condition: Q = field(default_factory=Q)
    bold: bool = False
    entered: bool = False  # a line the office types (forms 0604/0605); others are counted or derived


@dataclass
class FormColumn:
    label: str
    condition: Q = field(default_factory=Q)
    group: str = ""  # the header above this column, shared by the adjacent columns of the same group
    field: str = "pk"  # what a cell counts (Count of pk) or, in an entered form, sums


@dataclass
class Breakdown:
    """A check of an entered form: the lines `parts` add up to the line `total` (or at most to it)."""

    total: str
    parts: list
    exact: bool = True


@dataclass
class StatisticalForm:
    number: str
    title: str
    measure: str
    group_label: str  # the merged header above the figure columns ("Chia ra"); "" for none
    columns: list  # [FormColumn]
    rows: list
    has_measure_column: bool
    note: str = ""
    has_total_column: bool = True  # a "Tổng số" column before the columns, the count of their union
    sums: bool = False  # cells sum the entered lines instead of counting rows
    breakdowns: list = field(default_factory=list)

    @property
    def is_grouped(self):
        return any(column.group for column in self.columns)

    @property
    def lead_headers(self):
        return ["", _("Mã số")] + ([_("Đơn vị tính")] if self.has_measure_column else [])

    def column_groups(self):
        """Return the adjacent columns sharing a group header: [(group, [columns])]."""
        groups = []
        for column in self.columns:
            if groups and column.group and groups[-1][0] == column.group:
                groups[-1][1].append(column)
            else:
                groups.append((column.group, [column]))
        return groups

    @property
    def header_rows(self):
        """The header as the Ministry prints it, rows of (text, rowspan, colspan): the lead columns, the total, the
        group label over the figure columns, then (grouped forms) a row of groups above each column's label."""
        depth = 3 if self.is_grouped else 2 if self.group_label else 1
        top = [(text, depth, 1) for text in self.lead_headers]
        if self.has_total_column:
            top.append((_("Tổng số"), depth, 1))
        if self.is_grouped:
            top.append((self.group_label, 1, len(self.columns)))
            groups = [(group, 1, len(columns)) for group, columns in self.column_groups()]
            return [top, groups, [(column.label, 1, 1) for column in self.columns]]
        if self.group_label:
            top.append((self.group_label, 1, len(self.columns)))
            return [top, [(column.label, 1, 1) for column in self.columns]]
        return [top + [(column.label, 1, 1) for column in self.columns]]

    @property
    def numbering(self):
        """The numbering row under the headers, (text, colspan): A, B, (C,) then 1 = total, 2, 3, … — one number
        per group of a grouped form."""
        letters = ["A", "B", "C"] if self.has_measure_column else ["A", "B"]
        cells = [(letter, 1) for letter in letters]
        spans = [len(columns) for _group, columns in self.column_groups()] if self.is_grouped else None
        spans = spans or [1] * len(self.columns)
        first = 1
        if self.has_total_column:
            first = 2
            total = "1"
            if not (self.has_measure_column or self.is_grouped):
                total = "1=(" + "+".join(str(i + 2) for i in range(len(spans))) + ")"
            cells.append((total, 1))
        cells += [(str(first + index), span) for index, span in enumerate(spans)]
        return cells

    @property
    def figure_count(self):
        return len(self.columns) + (1 if self.has_total_column else 0)

    @property
    def entered_rows(self):
        return [row for row in self.rows if row.entered]


def _codes(*codes):
    return Q(nomination__award_type__code__in=codes) if codes else NONE


def _category(value):
    return Q(nomination__nominee__category=value)


FORM_0603 = StatisticalForm(
    number="0603.N/BNV-TĐKT",
    title=_(
        "Số lượng khen thưởng cấp bộ, ban, ngành, đoàn thể Trung ương và tỉnh, thành phố trực thuộc Trung ương"
    ),
    measure="",
    group_label=_("Chia ra"),
    columns=[
        FormColumn(_("Bằng khen"), _codes("bang_khen_tinh")),
        FormColumn(_("Chiến sĩ thi đua cấp bộ, cấp tỉnh"), _codes("chien_si_thi_dua_tinh")),
        FormColumn(
            _("Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương"),
            _codes("co_thi_dua_tinh"),
        ),
        FormColumn(
            _("Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố"), _codes()
        ),
    ],
    rows=[
        FormRow(_("Tổng số"), "01", "", Q(), bold=True),
        FormRow(_("1. Chia theo đối tượng khen thưởng"), bold=True),
        FormRow(_("- Tập thể"), "02", _("Tập thể"), Q(nomination__nominee__kind="collective")),
        FormRow(
            _("Trong đó: Doanh nghiệp"),
            "03",
            _("Doanh nghiệp"),
            Q(nomination__nominee__kind="collective") & _category("enterprise"),
        ),
        FormRow(_("- Hộ gia đình"), "04", _("Hộ"), Q(nomination__nominee__kind="household")),
        FormRow(_("- Cá nhân"), "05", _("Người"), Q(nomination__nominee__kind="individual")),
        FormRow(
            _("+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên"),
            "06",
            _("Người"),
            Q(nomination__nominee__kind="individual") & _category("province_leader"),
        ),
        FormRow(
            _("+ Lãnh đạo cấp vụ, sở, ngành và tương đương"),
            "07",
            _("Người"),
            Q(nomination__nominee__kind="individual") & _category("department_leader"),
        ),
        FormRow(
            _("+ Doanh nhân"),
            "08",
            _("Người"),
            Q(nomination__nominee__kind="individual") & _category("entrepreneur"),
        ),
        FormRow(
            _("+ Các cấp lãnh đạo khác từ phó phòng trở lên"),
            "09",
            _("Người"),
            Q(nomination__nominee__kind="individual") & _category("other_leader"),
        ),
        FormRow(
            _(
                "+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu (công nhân, nông dân,...)"
            ),
            "10",
            _("Người"),
            Q(nomination__nominee__kind="individual") & _category("direct_worker"),
        ),
        FormRow(_("2. Chia theo phương thức khen thưởng"), bold=True),
        FormRow(
            _("- Thường xuyên"),
            "11",
            "",
            Q(nomination__is_ad_hoc=False) & ~Q(nomination__movement__is_thematic=True),
        ),
        FormRow(
            _("- Chuyên đề"), "12", "", Q(nomination__is_ad_hoc=False, nomination__movement__is_thematic=True)
        ),
        FormRow(_("- Đột xuất"), "13", "", Q(nomination__is_ad_hoc=True)),
        FormRow(_("- Đối ngoại"), "14", "", NONE),
        FormRow(_("- Cống hiến"), "15", "", NONE),
        FormRow(_("- Niên hạn"), "16", "", NONE),
        FormRow(_("- Kháng chiến"), "17", "", NONE),
    ],
    has_measure_column=True,
    note=_(
        "Khen thưởng do Chủ tịch UBND cấp tỉnh quyết định (bằng, giấy đã thu hồi không tính), cho đơn vị đề nghị "
        "thuộc phạm vi báo cáo. Các dòng 14–17 (đối ngoại, cống hiến, niên hạn, kháng chiến) chưa có loại hình "
        "tương ứng trong danh mục nên bằng 0."
    ),
)

FORM_0601 = StatisticalForm(
    number="0601.N/BNV-TĐKT",
    title=_("Số phong trào thi đua"),
    measure=_("Phong trào"),
    group_label=_("Số phong trào thi đua chia theo cấp chủ trì phát động thi đua"),
    columns=[
        FormColumn(_("Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)"), Q(scope="national")),
        FormColumn(
            _("Cấp bộ, ban ngành đoàn thể trung ương, tỉnh, thành phố trực thuộc Trung ương"),
            Q(scope="province"),
        ),
        FormColumn(_("Cơ quan, tổ chức, đơn vị"), Q(scope__in=["cluster", "unit"])),
    ],
    rows=[
        FormRow(_("Tổng số"), "01", "", Q(), bold=True),
        FormRow(_("1. Chia theo phạm vi tổ chức thi đua"), bold=True),
        FormRow(_("- Toàn quốc"), "02", "", Q(scope="national")),
        FormRow(_("- Bộ, ban, ngành đoàn thể, địa phương"), "03", "", Q(scope="province")),
        FormRow(
            _("- Cụm, khối thi đua do Hội đồng Thi đua - Khen thưởng các cấp tổ chức"),
            "04",
            "",
            Q(scope="cluster"),
        ),
        FormRow(_("- Cơ quan, tổ chức, đơn vị"), "05", "", Q(scope="unit")),
        FormRow(_("2. Chia theo thời hạn thi đua"), bold=True),
        FormRow(_("- Dưới 1 năm"), "06", "", NONE),
        FormRow(_("- 1 năm"), "07", "", Q(span=1)),
        FormRow(_("- Từ 1 năm đến dưới 3 năm"), "08", "", Q(span=2)),
        FormRow(_("- Từ 3 năm đến dưới 5 năm"), "09", "", Q(span__in=[3, 4])),
        FormRow(_("- Từ 5 năm trở lên"), "10", "", Q(span__gte=5)),
        FormRow(_("3. Chia theo phương thức tổ chức phong trào thi đua"), bold=True),
        FormRow(_("- Thi đua theo chuyên đề"), "11", "", Q(is_thematic=True)),
        FormRow(_("- Thi đua thường xuyên hàng năm"), "12", "", Q(is_thematic=False)),
    ],
    has_measure_column=False,
    note=_(
        "Phong trào đang diễn ra trong năm báo cáo, do đơn vị thuộc phạm vi báo cáo phát động hoặc áp dụng chung. "
        "Thời hạn tính theo năm bắt đầu và năm kết thúc nên dòng 06 (dưới 1 năm) bằng 0."
    ),
)


def _state(state_class):
    return Q(state_class=state_class)


# 0602.N: the State-level awards (Chủ tịch nước, Thủ tướng Chính phủ) of the report's units in the year, read from
# the award history (back-filled or imported with their issuer): the catalogue says which award codes are of the
# State level (deciding tier "state") and which column each is counted in (`AwardType.state_class`). The reference
# template numbers the lines 01–03 then 06–21 (no 04–05); the numbering is kept as found.
GROUP = StateAwardClass
COLLECTIVE = Q(collective__isnull=False)  # a collective or a household
INDIVIDUAL = Q(person__isnull=False)
FORM_0602 = StatisticalForm(
    number="0602.N/BNV-TĐKT",
    title=_("Số lượng khen thưởng cấp Nhà nước"),
    measure="",
    group_label=_("Chia ra"),
    columns=[
        FormColumn(
            _("Tập thể"), _state(GROUP.ORDER_OR_MEDAL) & COLLECTIVE, _("Các loại huân chương, huy chương")
        ),
        FormColumn(
            _("Cá nhân"), _state(GROUP.ORDER_OR_MEDAL) & INDIVIDUAL, _("Các loại huân chương, huy chương")
        ),
        FormColumn(_("Cá nhân"), _state(GROUP.HO_CHI_MINH_PRIZE), _("Giải thưởng Hồ Chí Minh")),
        FormColumn(_("Cá nhân"), _state(GROUP.STATE_PRIZE), _("Giải thưởng Nhà nước")),
        FormColumn(_("Tập thể"), _state(GROUP.HONOUR_TITLE) & COLLECTIVE, _("Danh hiệu vinh dự nhà nước")),
        FormColumn(_("Cá nhân"), _state(GROUP.HONOUR_TITLE) & INDIVIDUAL, _("Danh hiệu vinh dự nhà nước")),
        FormColumn(_("Tập thể"), _state(GROUP.GOVERNMENT_FLAG), _("Cờ thi đua của Chính phủ")),
        FormColumn(
            _("Tập thể"),
            _state(GROUP.PRIME_MINISTER_MERIT) & COLLECTIVE,
            _("Bằng khen của Thủ tướng Chính phủ"),
        ),
        FormColumn(
            _("Cá nhân"),
            _state(GROUP.PRIME_MINISTER_MERIT) & INDIVIDUAL,
            _("Bằng khen của Thủ tướng Chính phủ"),
        ),
        FormColumn(_("Cá nhân"), _state(GROUP.NATIONAL_EMULATION_FIGHTER), _("Chiến sĩ thi đua toàn quốc")),
        FormColumn(_("Tập thể"), _state(GROUP.OTHER) & COLLECTIVE, _("Các hình thức khen thưởng khác")),
        FormColumn(_("Cá nhân"), _state(GROUP.OTHER) & INDIVIDUAL, _("Các hình thức khen thưởng khác")),
    ],
    rows=[
        FormRow(_("Tổng số"), "01", "", Q(), bold=True),
        FormRow(_("1. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen thưởng"), bold=True),
        FormRow(_("- Bộ, ban, ngành, đoàn thể Trung ương"), "02", _("Bộ, ngành"), NONE),
        FormRow(_("- Tỉnh, thành phố trực thuộc Trung ương"), "03", _("Tỉnh, TP"), Q()),
        FormRow(_("2. Chia theo đối tượng khen thưởng"), bold=True),
        FormRow(_("- Tập thể"), "06", _("Tập thể"), Q(collective__kind="collective")),
        FormRow(
            _("Trong đó: Doanh nghiệp"),
            "07",
            _("Doanh nghiệp"),
            Q(collective__kind="collective", category="enterprise"),
        ),
        FormRow(_("- Hộ gia đình"), "08", _("Hộ"), Q(collective__kind="household")),
        FormRow(_("- Cá nhân"), "09", _("Người"), INDIVIDUAL),
        FormRow(
            _("+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên"),
            "10",
            _("Người"),
            INDIVIDUAL & Q(category="province_leader"),
        ),
        FormRow(
            _("+ Lãnh đạo cấp vụ, sở, ngành và tương đương"),
            "11",
            _("Người"),
            INDIVIDUAL & Q(category="department_leader"),
        ),
        FormRow(_("+ Doanh nhân"), "12", _("Người"), INDIVIDUAL & Q(category="entrepreneur")),
        FormRow(
            _("+ Các cấp lãnh đạo khác từ phó phòng trở lên"),
            "13",
            _("Người"),
            INDIVIDUAL & Q(category="other_leader"),
        ),
        FormRow(
            _(
                "+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu (công nhân, nông dân,...)"
            ),
            "14",
            _("Người"),
            INDIVIDUAL & Q(category="direct_worker"),
        ),
        FormRow(_("3. Chia theo phương thức khen thưởng"), bold=True),
        FormRow(
            _("- Thường xuyên"), "15", "", Q(is_ad_hoc=False) & ~Q(nomination__movement__is_thematic=True)
        ),
        FormRow(_("- Chuyên đề"), "16", "", Q(is_ad_hoc=False, nomination__movement__is_thematic=True)),
        FormRow(_("- Đột xuất"), "17", "", Q(is_ad_hoc=True)),
        FormRow(_("- Đối ngoại"), "18", "", NONE),
        FormRow(_("- Cống hiến"), "19", "", NONE),
        FormRow(_("- Niên hạn"), "20", "", NONE),
        FormRow(_("- Kháng chiến"), "21", "", NONE),
    ],
    has_measure_column=True,
    note=_(
        "Khen thưởng cấp Nhà nước (loại hình có cấp quyết định “Chủ tịch nước, Thủ tướng Chính phủ” trong danh mục) "
        "trong lịch sử khen thưởng của cá nhân, tập thể thuộc đơn vị báo cáo, theo năm của quyết định (năm thành "
        "tích khi chưa có ngày quyết định), không tính khen thưởng đã thu hồi. Tỉnh trình nên dòng 02 bằng 0; "
        "đối tượng lãnh đạo, doanh nghiệp theo đề nghị khen thưởng gần nhất của người, tập thể trên hệ thống; các "
        "dòng 18–21 chưa có loại hình tương ứng nên bằng 0."
    ),
)


def _line(label, code, measure=""):
    return FormRow(label, code, measure, Q(code=code), entered=True)


# 0604.N and 0605.N: figures no workflow produces, entered once a year per reporting unit
# (`services.statistics_figures_record`) and summed over the report's subtree. 0604's total is the sum of its
# lines; 0605's total is entered and its breakdowns by age and by seniority must add up to it.
FORM_0604 = StatisticalForm(
    number="0604.N/BNV-TĐKT",
    title=_("Số lượng tổ chức làm công tác thi đua, khen thưởng"),
    measure="",
    group_label="",
    columns=[FormColumn(_("Số lượng"), field="value")],
    rows=[
        FormRow(_("Tổng số"), "01", _("Tổ chức"), Q(code__in=["02", "03", "04", "05"]), bold=True),
        FormRow(_("Chia theo cơ cấu tổ chức bộ máy"), bold=True),
        _line(_("- Cấp Vụ thuộc bộ, ban, ngành, đoàn thể Trung ương"), "02", _("Vụ")),
        _line(_("- Cấp phòng, ban hoặc bộ phận thuộc Vụ"), "03", _("Phòng")),
        _line(_("- Cấp ban thuộc Sở Nội vụ"), "04", _("Ban")),
        _line(_("- Cấp phòng thuộc Sở Nội vụ"), "05", _("Phòng")),
    ],
    has_measure_column=True,
    has_total_column=False,
    sums=True,
    note=_(
        "Số liệu do đơn vị báo cáo nhập hằng năm (màn hình “Nhập số liệu”), cộng cho các đơn vị thuộc phạm vi báo "
        "cáo. Dòng 01 là tổng các dòng 02–05."
    ),
)

# 0605.N: the reference template repeats code 14 on its last line ("Từ 10 năm trở lên"); it is numbered 15 here.
# Its seniority bands read "Từ 5 đến 10 năm" and "Từ 10 năm trở lên" as found (10 years falls in the last band).
AGES = ["02", "03", "04", "05", "06", "07"]
TRAINING = ["08", "09", "10", "11", "12"]
SENIORITY = ["13", "14", "15"]
FORM_0605 = StatisticalForm(
    number="0605.N/BNV-TĐKT",
    title=_("Số lượng công chức làm công tác thi đua, khen thưởng"),
    measure="",
    group_label=_("Số lượng (Người)"),
    columns=[FormColumn(_("Tổng số"), field="value"), FormColumn(_("Trong đó: Nữ"), field="women")],
    rows=[
        FormRow(_("Tổng số"), "01", "", Q(code="01"), bold=True, entered=True),
        FormRow(_("1. Chia theo độ tuổi"), bold=True),
        _line(_("- Từ 30 trở xuống"), "02"),
        _line(_("- Từ 31 đến 40"), "03"),
        _line(_("- Từ 41 đến 50"), "04"),
        _line(_("- Từ 51 đến 55"), "05"),
        _line(_("- Từ 56 đến 60"), "06"),
        _line(_("- Trên 60 tuổi"), "07"),
        FormRow(_("2. Chia theo trình độ đào tạo"), bold=True),
        _line(_("- Sơ cấp"), "08"),
        _line(_("- Trung cấp"), "09"),
        _line(_("- Cao đẳng"), "10"),
        _line(_("- Đại học"), "11"),
        _line(_("- Trên đại học"), "12"),
        FormRow(_("3. Chia theo thâm niên công tác trong lĩnh vực thi đua, khen thưởng"), bold=True),
        _line(_("- Dưới 5 năm"), "13"),
        _line(_("- Từ 5 đến 10 năm"), "14"),
        _line(_("- Từ 10 năm trở lên"), "15"),
    ],
    has_measure_column=False,
    has_total_column=False,
    sums=True,
    breakdowns=[Breakdown("01", AGES), Breakdown("01", SENIORITY), Breakdown("01", TRAINING, exact=False)],
    note=_(
        "Số liệu do đơn vị báo cáo nhập hằng năm (màn hình “Nhập số liệu”), cộng cho các đơn vị thuộc phạm vi báo "
        "cáo. Tổng theo độ tuổi và theo thâm niên bằng dòng 01; theo trình độ đào tạo không vượt dòng 01."
    ),
)

FORMS = {"0601": FORM_0601, "0602": FORM_0602, "0603": FORM_0603, "0604": FORM_0604, "0605": FORM_0605}
ENTERED_FORMS = {number: form for number, form in FORMS.items() if form.sums}


def _cells(queryset, form):
    """Figure every (row, column) cell of `form` over `queryset` in one aggregate query: {code: [total?, c1, ...]}
    (the total first when the form has a total column)."""
    union = NONE
    for column in form.columns:
        union |= column.condition

    def figure(column_field, condition):
        if form.sums:
            return Coalesce(Sum(column_field, filter=condition), 0)
        return Count(column_field, filter=condition)

    aggregates = {}
    for row in form.rows:
        if not row.code:
            continue
        if form.has_total_column:
            aggregates[f"r{row.code}_total"] = figure("pk", row.condition & union)
        for index, column in enumerate(form.columns):
            aggregates[f"r{row.code}_c{index}"] = figure(column.field, row.condition & column.condition)
    counted = queryset.aggregate(**aggregates)
    return {
        row.code: ([counted[f"r{row.code}_total"]] if form.has_total_column else [])
        + [counted[f"r{row.code}_c{index}"] for index in range(len(form.columns))]
        for row in form.rows
        if row.code
    }


def movements_in(unit_ids, year):
    """The movements running in `year`, launched within the units or province-wide (no launching unit)."""
    return (
        Movement.objects.filter(start_year__lte=year)
        .filter(Q(end_year__isnull=True) | Q(end_year__gte=year))
        .filter(Q(launched_by__isnull=True) | Q(launched_by_id__in=unit_ids))
        .annotate(span=Coalesce("end_year", "start_year") - F("start_year") + 1)
    )


def awards_in(unit_ids, year):
    """The provincial awards of `year` (decided at province tier, not revoked) to nominations of the units."""
    return Certificate.objects.filter(
        decision__year=year,
        decision__issuer__tier=Tier.PROVINCE,
        is_revoked=False,
        nomination__unit_id__in=unit_ids,
    )


def state_awards_in(unit_ids, year):
    """The State-level awards of `year` in the award history of the units' people and collectives (not revoked),
    each with the form 0602 column of its award type (`state_class`, from the catalogue).

    The catalogue is read first (one small query): the State-level codes then filter the history by its award code
    and name the column through a CASE, so no correlated subquery runs for the province's other awards."""
    classes = {}
    for code, state_class in (
        AwardType.objects.filter(deciding_tier=DecidingTier.STATE)
        .exclude(state_class="")
        # The newest version of a code wins: later rows overwrite earlier ones.
        .order_by("code", "effective_from")
        .values_list("code", "state_class")
    ):
        classes[code] = state_class
    by_class = {}
    for code, state_class in classes.items():
        by_class.setdefault(state_class, []).append(code)
    column = Case(
        *[When(award_code__in=codes, then=Value(state_class)) for state_class, codes in by_class.items()],
        default=Value(""),
        output_field=CharField(),
    )
    # Who the awardee is (leader, entrepreneur, enterprise…) as their latest nomination here recorded it: a
    # back-filled award has no nominee of its own. Evaluated only for the State-level rows.
    category = (
        Nominee.objects.filter(
            Q(person_id__isnull=False, person_id=OuterRef("person_id"))
            | Q(collective_id__isnull=False, collective_id=OuterRef("collective_id"))
        )
        .exclude(category="")
        .order_by("-pk")
        .values("category")[:1]
    )
    return (
        AwardHistory.objects.filter(is_revoked=False, award_code__in=list(classes))
        .filter(Q(decided_on__year=year) | Q(decided_on__isnull=True, year=year))
        .filter(Q(person__unit_id__in=unit_ids) | Q(collective__unit_id__in=unit_ids))
        .annotate(state_class=column, category=Subquery(category))
    )


def figures_in(number, unit_ids, year):
    """The lines of entered form `number` ("0604", "0605") that the units declared for `year`."""
    return StatisticsFigure.objects.filter(form=number, unit_id__in=unit_ids, year=year)


SOURCES = {
    "0601": movements_in,
    "0602": state_awards_in,
    "0603": awards_in,
    "0604": lambda unit_ids, year: figures_in("0604", unit_ids, year),
    "0605": lambda unit_ids, year: figures_in("0605", unit_ids, year),
}


def statistical_form(number, unit_ids, year):
    """Return (form, {row code: [figures...]}) of form `number` ("0601" … "0605")."""
    form = FORMS[number]
    return form, _cells(SOURCES[number](unit_ids, year), form)


def entered_figures(number, unit_id, year):
    """Return the lines one unit declared on entered form `number` for `year`: {code: (value, women)}."""
    return {
        code: (value, women)
        for code, value, women in StatisticsFigure.objects.filter(
            form=number, unit_id=unit_id, year=year
        ).values_list("code", "value", "women")
    }


def breakdown_errors(form, figures):
    """Return {field: message} for the lines of `figures` ({code: (value, women)}) that break the form's checks:
    women above the line's total ("women_<code>"), a breakdown not adding up to its total (its first line's
    code)."""
    errors = {}
    for code, (value, women) in figures.items():
        if women > value:
            errors[f"women_{code}"] = _("Số nữ không được lớn hơn tổng số.")
    for check in form.breakdowns:
        total = figures.get(check.total, (0, 0))
        for position in (0, 1):
            parts = sum(figures.get(code, (0, 0))[position] for code in check.parts)
            if parts == total[position] or (not check.exact and parts <= total[position]):
                continue
            what = _("tổng số") if position == 0 else _("số nữ")
            if check.exact:
                message = _(
                    "Cộng các dòng %(first)s–%(last)s (%(parts)s) phải bằng %(what)s dòng %(total)s (%(value)s)."
                )
            else:
                message = _(
                    "Cộng các dòng %(first)s–%(last)s (%(parts)s) không được vượt %(what)s dòng %(total)s (%(value)s)."
                )
            errors.setdefault(
                check.parts[0],
                message
                % {
                    "first": check.parts[0],
                    "last": check.parts[-1],
                    "parts": parts,
                    "what": what,
                    "total": check.total,
                    "value": total[position],
                },
            )
    return errors
