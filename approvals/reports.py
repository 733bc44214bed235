"""Reads behind the office's reports: money paid (fund report) and the statistics of awards given.

Every figure is one aggregate query over the stored decisions and certificates (never a loop over rows), and money
is read as stored — `Certificate.amount` per awardee, `Decision.total_amount` as Điều 2 of the decision says —
never recomputed from the catalogue.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from approvals.models import Certificate, Decision
from nominations.models import Movement
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


def report_units(user, tree=None):
    """Return the ids of the units `user` may report on: the subtrees of the units they inspect, review or sign
    for."""
    scope = scope_of(user)
    roots = set()
    for codename in REPORT_PERMISSIONS:
        roots |= scope.units(codename)
    return (tree or UnitTree()).subtree(roots) if roots else set()


def report_roots(user):
    """Return the units a report can be asked for (each one's subtree): the top of the user's scope first, then the
    units below it that have units of their own (a commune is reported through its district), by code:
    [(id, code, name)]."""
    tree = UnitTree()
    ids = report_units(user, tree)
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
# 23/3/2023"). Whether a successor regime replaced it in 2025 was not confirmed. 0602.N (State-level awards) and
# 0604.N/0605.N (organisations and civil servants doing TĐKT work) hold data this system does not keep.
# A form is data: rows with their code, unit of measure and condition, columns with their condition; every cell
# is counted in one aggregate query.
REGIME = _("Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ trưởng Bộ Nội vụ")
NONE = Q(pk__in=[])


@dataclass
class FormRow:
    label: str
    code: str = ""  # "" for a heading row, which has no figures
    measure: str = ""
    condition: Q = field(default_factory=Q)
    bold: bool = False


@dataclass
class StatisticalForm:
    number: str
    title: str
    measure: str
    group_label: str  # the merged header above the columns after the total
    columns: list  # [(label, condition)]
    rows: list
    has_measure_column: bool
    note: str = ""

    @property
    def column_numbers(self):
        """The numbering row under the headers: A, B, (C,) 1 = total, 2, 3, ..."""
        letters = ["A", "B", "C"] if self.has_measure_column else ["A", "B"]
        total = (
            "1"
            if self.has_measure_column
            else "1=(" + "+".join(str(i + 2) for i in range(len(self.columns))) + ")"
        )
        return letters + [total] + [str(i + 2) for i in range(len(self.columns))]


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
        (_("Bằng khen"), _codes("bang_khen_tinh")),
        (_("Chiến sĩ thi đua cấp bộ, cấp tỉnh"), _codes("chien_si_thi_dua_tinh")),
        (
            _("Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương"),
            _codes("co_thi_dua_tinh"),
        ),
        (_("Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố"), _codes()),
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
        (_("Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)"), Q(scope="national")),
        (
            _("Cấp bộ, ban ngành đoàn thể trung ương, tỉnh, thành phố trực thuộc Trung ương"),
            Q(scope="province"),
        ),
        (_("Cơ quan, tổ chức, đơn vị"), Q(scope__in=["cluster", "unit"])),
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

FORMS = {"0601": FORM_0601, "0603": FORM_0603}


def _cells(queryset, form):
    """Count every (row, column) cell of `form` over `queryset` in one aggregate query: {code: [total, c2, ...]}."""
    union = NONE
    for _label, condition in form.columns:
        union |= condition
    aggregates = {}
    for row in form.rows:
        if not row.code:
            continue
        aggregates[f"r{row.code}_total"] = Count("pk", filter=row.condition & union)
        for index, (_label, condition) in enumerate(form.columns):
            aggregates[f"r{row.code}_c{index}"] = Count("pk", filter=row.condition & condition)
    counted = queryset.aggregate(**aggregates)
    return {
        row.code: [counted[f"r{row.code}_total"]]
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


def statistical_form(number, unit_ids, year):
    """Return (form, {row code: [total, column figures...]}) of form `number` ("0601", "0603")."""
    form = FORMS[number]
    queryset = movements_in(unit_ids, year) if number == "0601" else awards_in(unit_ids, year)
    return form, _cells(queryset, form)
