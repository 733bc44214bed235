"""The demo province: Bến Tre in its 2020 shape (three tiers) and a merged two-tier province (2025)."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from approvals.services import statistics_figures_record
from nominations import movement as movement_rules
from nominations.history import history_add
from nominations.honours import round_open
from nominations.models import AwardType, DossierKind, HonourRound, Movement, MovementScope, Nomination, Route
from nominations.registry import subject_resolve
from nominations.services import dossier_file_add
from organisation.models import ClusterMember, Council, CouncilKind, Tier, Unit
from organisation.services import cluster_member_add, membership_grant
from organisation.text import fold
from workflows import services
from workflows.models import Reorganisation
from workflows.movement import flag_propose
from workflows.reorganisation import reorganisation_apply
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_file,
    nomination_submit,
    open_task_of,
    review_forward,
)

DEMO_PASSWORD = "Demo@2026"
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

THREE_TIER = {
    "code": "BT",
    "name": "Tỉnh Bến Tre",
    "symbol": "UBND",
    "districts": [
        ("BT.TPBT", "Thành phố Bến Tre", ["Phường 1", "Phường Phú Khương", "Xã Bình Phú"]),
        ("BT.BATRI", "Huyện Ba Tri", ["Thị trấn Ba Tri", "Xã An Ngãi Trung", "Xã Tân Xuân"]),
        ("BT.BINHDAI", "Huyện Bình Đại", ["Thị trấn Bình Đại", "Xã Thạnh Phước", "Xã Đại Hòa Lộc"]),
        ("BT.CHAUTHANH", "Huyện Châu Thành", ["Thị trấn Châu Thành", "Xã Tân Thạch", "Xã An Khánh"]),
        ("BT.CHOLACH", "Huyện Chợ Lách", ["Thị trấn Chợ Lách", "Xã Vĩnh Thành", "Xã Long Thới"]),
        ("BT.GIONGTROM", "Huyện Giồng Trôm", ["Thị trấn Giồng Trôm", "Xã Lương Hòa", "Xã Phong Nẫm"]),
        ("BT.MCB", "Huyện Mỏ Cày Bắc", ["Xã Phước Mỹ Trung", "Xã Tân Thành Bình", "Xã Thanh Tân"]),
        ("BT.MCN", "Huyện Mỏ Cày Nam", ["Xã Định Thủy", "Xã Phước Hiệp", "Xã Bình Khánh"]),
        ("BT.THANHPHU", "Huyện Thạnh Phú", ["Thị trấn Thạnh Phú", "Xã An Thạnh", "Xã Giao Thạnh"]),
    ],
    "departments": [
        ("BT.SNV", "Sở Nội vụ", "SNV"),
        ("BT.SGDDT", "Sở Giáo dục và Đào tạo", "SGDĐT"),
        ("BT.SYT", "Sở Y tế", "SYT"),
        ("BT.CAT", "Công an tỉnh", "CAT"),
    ],
    "department_units": [("BT.SGDDT.THPT-BT", "Trường THPT chuyên Bến Tre", "BT.SGDDT")],
    "clusters": [("BT.CUM1", "Cụm thi đua các huyện, thành phố")],
}

TWO_TIER = {
    "code": "VL",
    "name": "Tỉnh Vĩnh Long (sau sắp xếp 2025)",
    "symbol": "UBND",
    "communes": ["Xã Định Thủy", "Xã Mỏ Cày", "Phường An Hội", "Xã Ba Tri"],
    "departments": [("VL.SNV", "Sở Nội vụ tỉnh Vĩnh Long", "SNV")],
}

# username, role, unit code, full name
USERS = [
    ("clerk", "unit_clerk", "BT.MCN.DINHTHUY", "Trần Thị Thu"),
    ("head", "unit_head", "BT.MCN.DINHTHUY", "Nguyễn Văn Hùng"),
    ("district_reviewer", "reviewer", "BT.MCN", "Lê Minh Tâm"),
    ("district_chairman", "approver", "BT.MCN", "Phạm Văn Lợi"),
    ("province_reviewer", "reviewer", "BT", "Võ Thị Kim Ngân"),
    ("secretary", "council_secretary", "BT", "Huỳnh Quốc Bảo"),
    ("council_member", "council_member", "BT", "Đặng Thị Mai"),
    ("chairman", "approver", "BT", "Trần Ngọc Tam"),
    ("inspector", "inspector", "BT", "Ngô Thanh Sơn"),
    ("admin", "admin", "BT", "Quản trị hệ thống"),
    ("dept_clerk", "unit_clerk", "BT.SGDDT", "Bùi Thị Hạnh"),
    ("dept_head", "unit_head", "BT.SGDDT", "Lâm Văn Phúc"),
    ("dept_reviewer", "reviewer", "BT.SGDDT", "Đoàn Minh Trí"),
    ("other_clerk", "unit_clerk", "BT.BATRI.ANNGAITRUNG", "Châu Thị Lan"),
    ("other_reviewer", "reviewer", "BT.BATRI", "Tô Văn Nam"),
    ("vl_clerk", "unit_clerk", "VL.DINHTHUY", "Mai Thị Hoa"),
    ("vl_head", "unit_head", "VL.DINHTHUY", "Lý Văn Đông"),
    ("vl_reviewer", "reviewer", "VL", "Hồ Thị Xuân"),
    ("vl_secretary", "council_secretary", "VL", "Phan Văn Khải"),
    ("vl_chairman", "approver", "VL", "Trương Văn Sáu"),
]


def commune_code(parent_code, name):
    return f"{parent_code}.{fold(name).replace('xa ', '').replace('phuong ', 'P').replace('thi tran ', 'TT').replace(' ', '').upper()}"


def build(stdout=None):
    """Create or update the demo units, councils and users; safe to run again."""

    def unit(code, name, tier, parent=None, symbol=""):
        obj, _ = Unit.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "tier": tier,
                "parent": parent,
                "issuer_symbol": symbol,
                "valid_from": date(2020, 1, 1),
            },
        )
        return obj

    province = unit(THREE_TIER["code"], THREE_TIER["name"], Tier.PROVINCE, symbol="UBND")
    for code, name, communes in THREE_TIER["districts"]:
        district = unit(code, name, Tier.DISTRICT, province, symbol="UBND")
        for commune in communes:
            unit(commune_code(code, commune), commune, Tier.BASE, district, symbol="UBND")
    for code, name, symbol in THREE_TIER["departments"]:
        unit(code, name, Tier.DEPARTMENT, province, symbol=symbol)
    for code, name, parent_code in THREE_TIER["department_units"]:
        unit(code, name, Tier.BASE, Unit.objects.get(code=parent_code))
    for code, name in THREE_TIER["clusters"]:
        unit(code, name, Tier.CLUSTER, province)
    Council.objects.update_or_create(
        unit=province,
        kind=CouncilKind.FULL,
        defaults={"name": "Hội đồng Thi đua – Khen thưởng tỉnh Bến Tre", "members_total": 15},
    )
    Council.objects.update_or_create(
        unit=province,
        kind=CouncilKind.ADVISORY,
        defaults={"name": "Hội đồng tư vấn xét tặng danh hiệu Công dân Đồng Khởi", "members_total": 11},
    )
    Council.objects.update_or_create(
        unit=Unit.objects.get(code="BT.MCN"),
        kind=CouncilKind.FULL,
        defaults={"name": "Hội đồng Thi đua – Khen thưởng huyện Mỏ Cày Nam", "members_total": 9},
    )

    merged = unit(TWO_TIER["code"], TWO_TIER["name"], Tier.PROVINCE, symbol="UBND")
    merged.valid_from = date(2025, 7, 1)
    merged.save(update_fields=["valid_from"])
    for commune in TWO_TIER["communes"]:
        unit(commune_code(TWO_TIER["code"], commune), commune, Tier.BASE, merged, symbol="UBND")
    for code, name, symbol in TWO_TIER["departments"]:
        unit(code, name, Tier.DEPARTMENT, merged, symbol=symbol)
    Council.objects.update_or_create(
        unit=merged,
        kind=CouncilKind.FULL,
        defaults={"name": "Hội đồng Thi đua – Khen thưởng tỉnh Vĩnh Long", "members_total": 17},
    )

    User = get_user_model()
    for username, role, code, full_name in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@demo.local"}
        )
        first, _, last = full_name.rpartition(" ")
        user.first_name, user.last_name = first, last
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        if username == "admin":
            user.is_staff = user.is_superuser = True
        user.save()
        membership_grant(user=user, unit=Unit.objects.get(code=code), role=role)
    outsider, created = User.objects.get_or_create(
        username="outsider", defaults={"email": "outsider@demo.local"}
    )
    if created:
        outsider.set_password(DEMO_PASSWORD)
        outsider.save()
    if stdout:
        stdout.write(
            f"Demo province ready: {Unit.objects.count()} units, {len(USERS) + 1} demo users "
            f"(password {DEMO_PASSWORD})."
        )


def _open_demo_round():
    """Open this year's Công dân Đồng Khởi round (1 November – 31 December) unless it exists."""
    year = timezone.localdate().year
    if HonourRound.objects.filter(year=year).exists():
        return
    council = Council.objects.get(unit__code=THREE_TIER["code"], kind=CouncilKind.ADVISORY)
    reviewer = get_user_model().objects.get(username="province_reviewer")
    round_open(
        actor=reviewer, year=year, council=council, opens_on=date(year, 11, 1), closes_on=date(year, 12, 31)
    )


# The awards of the demo report year, for the statistical forms and the fund report (and their golden files).
DEMO_REPORT_YEAR = 2025
DEMO_AWARDS = [
    # (full name, kind, gender, category, route)
    ("Nguyễn Văn An", "individual", "male", "direct_worker", "standard"),
    ("Trần Thị Bích", "individual", "female", "other_leader", "standard"),
    ("Công ty TNHH Dừa Xanh Bến Tre", "collective", "", "enterprise", "standard"),
    ("Hộ ông Lê Văn Ba", "household", "", "", "standard"),
    ("Lê Văn Cứu", "individual", "male", "direct_worker", "fast_track"),
]
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def seed_awards(year=DEMO_REPORT_YEAR):
    """Award the demo set of `year` through the real services (file, submit, review, appraise, sign): four merit
    awards on one decision and an ad-hoc one on another, all Bằng khen of the province chair; and a thematic
    movement launched by a district. Return the decisions."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[row[0] for row in USERS])}
    commune = Unit.objects.get(code="BT.MCN.DINHTHUY")
    movement = Movement.objects.order_by("start_year").first()
    Movement.objects.update_or_create(
        code=f"chung_tay_vi_nguoi_ngheo_{year}",
        defaults={
            "name": f"Phong trào “Chung tay vì người nghèo” năm {year}",
            "start_year": year,
            "end_year": year,
            "scope": MovementScope.UNIT,
            "is_thematic": True,
            "launched_by": Unit.objects.get(code="BT.MCN"),
        },
    )
    award_type = AwardType.objects.filter(code="bang_khen_tinh").order_by("-effective_from").first()
    merit, ad_hoc = [], []
    for full_name, kind, gender, category, route in DEMO_AWARDS:
        nomination = services.nomination_file(
            actor=users["clerk"],
            unit=commune,
            award_type=award_type,
            movement=movement,
            nominee_data={
                "kind": kind,
                "full_name": full_name,
                "gender": gender,
                "birth_year": 1980 if kind == "individual" else None,
                "category": category,
            },
            period_year=year,
            achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
            route=route,
            event_on=date(year, 10, 1) if route == "fast_track" else None,  # the day of the feat (fast track)
        )
        for dossier_kind in (DossierKind.ACHIEVEMENT_REPORT, DossierKind.SUBMISSION):
            upload = SimpleUploadedFile(f"{dossier_kind}.pdf", DEMO_PDF, content_type="application/pdf")
            dossier_file_add(actor=users["clerk"], nomination=nomination, kind=dossier_kind, uploaded=upload)
        services.nomination_submit(actor=users["head"], nomination=nomination)
        if route == "standard":
            task = services.open_task_of(nomination).task_id
            services.review_forward(actor=users["district_reviewer"], task_id=task)
        services.appraisal_approve(
            actor=users["province_reviewer"], task_id=services.open_task_of(nomination).task_id
        )
        (merit if route == "standard" else ad_hoc).append(nomination)
    signed_on = date(year, 12, 15)
    return [
        services.decision_sign(actor=users["chairman"], nominations=group, signed_on=signed_on)
        for group in (merit, ad_hoc)
    ]


# State-level awards back-filled into the history of the demo awardees (the province proposed them; the Chủ tịch
# nước or the Thủ tướng decided): (name, kind, award code, decision number, decided on or None, issuer, ad hoc).
# The first of 2024 is outside the 2025 report; the CSTĐ toàn quốc has no decision date, its year counts.
DEMO_STATE_AWARDS = [
    (
        "Nguyễn Văn An",
        "individual",
        "bang_khen_thu_tuong",
        "301/QĐ-TTg",
        (-1, 5, 2),
        "Thủ tướng Chính phủ",
        False,
    ),
    (
        "Nguyễn Văn An",
        "individual",
        "bang_khen_thu_tuong",
        "712/QĐ-TTg",
        (0, 6, 10),
        "Thủ tướng Chính phủ",
        False,
    ),
    (
        "Công ty TNHH Dừa Xanh Bến Tre",
        "collective",
        "huan_chuong_lao_dong_hang_ba",
        "955/QĐ-CTN",
        (0, 8, 20),
        "Chủ tịch nước",
        False,
    ),
    (
        "Hộ ông Lê Văn Ba",
        "household",
        "bang_khen_thu_tuong",
        "1020/QĐ-TTg",
        (0, 9, 5),
        "Thủ tướng Chính phủ",
        False,
    ),
    (
        "Trần Thị Bích",
        "individual",
        "chien_si_thi_dua_toan_quoc",
        "1188/QĐ-TTg",
        None,
        "Thủ tướng Chính phủ",
        False,
    ),
    ("Lê Văn Cứu", "individual", "huan_chuong_dung_cam", "1201/QĐ-CTN", (0, 10, 20), "Chủ tịch nước", True),
]
# What Sở Nội vụ declares on forms 0604 and 0605 for the report year: {code: (value, women)}.
DEMO_ORGANISATIONS = {"02": (0, 0), "03": (0, 0), "04": (1, 0), "05": (2, 0)}
DEMO_CIVIL_SERVANTS = {
    "01": (9, 5),
    "02": (1, 1),
    "03": (3, 2),
    "04": (3, 1),
    "05": (1, 1),
    "06": (1, 0),
    "07": (0, 0),
    "08": (0, 0),
    "09": (0, 0),
    "10": (0, 0),
    "11": (6, 4),
    "12": (3, 1),
    "13": (4, 3),
    "14": (3, 1),
    "15": (2, 1),
}


@transaction.atomic
def seed_statistics(year=DEMO_REPORT_YEAR):
    """Fill what the statistical forms 0602, 0604 and 0605 read for `year` through the real services: State-level
    awards back-filled into the history of the commune's demo awardees (by the commune clerk), and Sở Nội vụ's
    organisations and civil servants doing the work (entered by the province reviewer)."""
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["clerk", "province_reviewer"])
    }
    commune = Unit.objects.get(code="BT.MCN.DINHTHUY")
    for name, kind, code, number, decided, issuer, is_ad_hoc in DEMO_STATE_AWARDS:
        person, collective = subject_resolve(
            unit=commune,
            nominee_data={
                "kind": kind,
                "full_name": name,
                "birth_year": 1980 if kind == "individual" else None,
            },
        )
        history_add(
            actor=users["clerk"],
            person=person,
            collective=collective,
            award_code=code,
            year=year + (decided[0] if decided else 0),
            decision_number=number,
            decided_on=date(year + decided[0], decided[1], decided[2]) if decided else None,
            issuer=issuer,
            is_ad_hoc=is_ad_hoc,
        )
    office = Unit.objects.get(code="BT.SNV")
    for number, figures in (("0604", DEMO_ORGANISATIONS), ("0605", DEMO_CIVIL_SERVANTS)):
        statistics_figures_record(
            actor=users["province_reviewer"], number=number, unit=office, year=year, figures=figures
        )


# The 1/7/2025 reorganisation of the demo (NQ 202/2025/QH15: Bến Tre merged into Vĩnh Long, districts abolished).
REORGANISATION_2025 = {
    "code": "DEMO-2025-VL",
    "effective_on": "2025-07-01",
    "reason": "Nghị quyết 202/2025/QH15: sắp xếp tỉnh Bến Tre vào tỉnh Vĩnh Long; không tổ chức cấp huyện",
    "operations": [
        {"kind": "merge", "from": ["BT"], "to": {"code": "VL"}, "memberships": "move"},
        {
            "kind": "merge",
            "from": ["BT.MCN.DINHTHUY", "BT.MCN.PHUOCHIEP", "BT.MCN.BINHKHANH"],
            "to": {"code": "VL.DINHTHUY"},
            "memberships": "move",
        },
        {"kind": "merge", "from": ["BT.SNV"], "to": {"code": "VL.SNV"}, "memberships": "move"},
        *[
            {"kind": "dissolve", "unit": code, "children_to": "VL"}
            for code, _name, _communes in THREE_TIER["districts"]
        ],
    ],
}

# (unit, nominee, award) signed in December 2024 by the Bến Tre chairman; then two left in flight.
HISTORY_AWARDS = [
    ("BT.MCN.DINHTHUY", "Nguyễn Thị Sáu", "bang_khen_tinh"),
    ("BT.MCN.DINHTHUY", "Lê Văn Bảy", "bang_khen_tinh"),
]
IN_FLIGHT = [("BT.MCN.DINHTHUY", "Phạm Thị Tám", "review"), ("BT.MCN.DINHTHUY", "Võ Văn Chín", "appraise")]


def history(stdout=None):
    """Give the demo both eras: Bến Tre decisions signed in 2024, nominations in flight on 30/6/2025, then the
    1/7/2025 reorganisation into Vĩnh Long (re-routing them). Run once, after `build`; running again does nothing."""
    if Reorganisation.objects.filter(code=REORGANISATION_2025["code"]).exists():
        return
    User = get_user_model()
    people = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in USERS])}

    def file(unit_code, full_name, award_code):
        nomination = nomination_file(
            actor=people["clerk"],
            unit=Unit.objects.get(code=unit_code),
            award_type=AwardType.version_on(award_code),
            nominee_data={
                "kind": "individual",
                "full_name": full_name,
                "gender": "female",
                "birth_year": 1978,
            },
            period_year=2024,
            achievements="Hoàn thành xuất sắc nhiệm vụ năm 2024 (dữ liệu minh họa).",
            route=Route.STANDARD,
        )
        for kind in (DossierKind.ACHIEVEMENT_REPORT, DossierKind.SUBMISSION):
            upload = SimpleUploadedFile(f"{kind}.pdf", DEMO_PDF, content_type="application/pdf")
            dossier_file_add(actor=people["clerk"], nomination=nomination, kind=kind, uploaded=upload)
        nomination_submit(actor=people["head"], nomination=nomination)
        return nomination

    signed = []
    for unit_code, full_name, award_code in HISTORY_AWARDS:
        nomination = file(unit_code, full_name, award_code)
        review_forward(actor=people["district_reviewer"], task_id=open_task_of(nomination).task_id)
        appraisal_approve(actor=people["province_reviewer"], task_id=open_task_of(nomination).task_id)
        signed.append(nomination)
    decision_sign(actor=people["chairman"], nominations=signed, signed_on=date(2024, 12, 20))
    for unit_code, full_name, step in IN_FLIGHT:
        nomination = file(unit_code, full_name, "bang_khen_tinh")
        if step == "appraise":
            review_forward(actor=people["district_reviewer"], task_id=open_task_of(nomination).task_id)
    report = reorganisation_apply(plan=REORGANISATION_2025, actor=people["admin"])
    if stdout:
        stdout.write(
            f"Bến Tre 2024: {len(signed)} khen thưởng đã ký; sắp xếp 1/7/2025: {len(report['units_closed'])} đơn vị "
            f"chấm dứt, {len(report['tasks_moved'])} công việc chuyển, {len(report['tasks_returned'])} hồ sơ trả về "
            f"(đề nghị đang xử lý: {Nomination.objects.filter(task_scopes__is_open=True).count()})."
        )


# -- The movement's year (issue 24) --------------------------------------------------------------------------------
# Heads who sign their units' registrations and score in the cluster of districts, and the cluster's own head (the
# cụm trưởng's officer who files the cluster's proposal): username, role, unit, full name.
MOVEMENT_USERS = [
    ("mcn_head", "unit_head", "BT.MCN", "Võ Văn Mười"),
    ("batri_head", "unit_head", "BT.BATRI", "Nguyễn Thị Mỹ"),
    ("binhdai_head", "unit_head", "BT.BINHDAI", "Trần Văn Đức"),
    ("cluster_head", "unit_head", "BT.CUM1", "Lê Thị Thanh"),
]
# The districts seated in the demo cluster (the first is the cụm trưởng).
CLUSTER_MEMBERS = ["BT.MCN", "BT.BATRI", "BT.BINHDAI"]
SUCCESSOR = {
    "code": "dong_khoi_moi_2026_2030",
    "name": "Đồng khởi mới 2026–2030",
    "start_year": 2026,
    "end_year": 2030,
    "vision_year": 2035,
    "launch_document": "Chỉ thị 05-CT/TU ngày 17/01/2026 của Ban Thường vụ Tỉnh ủy (minh họa)",
    "launched_on": date(2026, 1, 17),
}
# (content area, target, kind, value, unit label) of the whole period.
SUCCESSOR_TARGETS = [
    ("chan_2.1", "Xã đạt chuẩn nông thôn mới nâng cao", "number", 20, "xã"),
    ("chan_2.5", "Tỷ lệ hộ nghèo giảm bình quân mỗi năm", "percent", 1, ""),
    ("mui_1.1", "Hồ sơ thủ tục hành chính giải quyết đúng hạn", "percent", 98, ""),
    ("mui_1.6", "Vào nhóm 20 tỉnh dẫn đầu chỉ số cải cách hành chính", "yes_no", None, ""),
]


def movement_people():
    """Create the movement's demo heads (idempotent) and seat the districts in the cluster; return {username: user}."""
    User = get_user_model()
    users = {}
    for username, role, code, full_name in MOVEMENT_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@demo.local"}
        )
        if created:
            first, _, last = full_name.rpartition(" ")
            user.first_name, user.last_name = first, last
            user.set_password(DEMO_PASSWORD)
            user.save()
        membership_grant(user=user, unit=Unit.objects.get(code=code), role=role)
        users[username] = User.objects.get(pk=user.pk)
    cluster = Unit.objects.get(code="BT.CUM1")
    if not ClusterMember.objects.filter(cluster=cluster).exists():
        admin = User.objects.get(username="admin")
        for index, code in enumerate(CLUSTER_MEMBERS):
            cluster_member_add(
                actor=admin,
                cluster=cluster,
                unit=Unit.objects.get(code=code),
                valid_from=date(2026, 1, 1),
                is_head=index == 0,
            )
    return users


# (unit, preparer, head, acknowledging reviewer, [(area, commitment, kind, value, result value or met, met?)])
MOVEMENT_REGISTRATIONS = [
    (
        "BT.MCN.DINHTHUY",
        "clerk",
        "head",
        "district_reviewer",
        [
            ("chan_2.1", "Hai ấp đạt chuẩn nông thôn mới kiểu mẫu", "number", 2, 2),
            ("chan_2.5", "Giảm tỷ lệ hộ nghèo", "percent", 1.5, 1.2),
        ],
    ),
    (
        "BT.SGDDT",
        "dept_clerk",
        "dept_head",
        "province_reviewer",
        [
            ("chan_2.8", "Trường đạt chuẩn quốc gia mới", "number", 10, 12),
            ("mui_1.1", "Hồ sơ giải quyết đúng hạn", "percent", 99, 99.5),
        ],
    ),
    (
        "BT.MCN",
        "mcn_head",
        "mcn_head",
        "province_reviewer",
        [("chan_2.1", "Xã nông thôn mới nâng cao", "number", 4, 4)],
    ),
    (
        "BT.BATRI",
        "batri_head",
        "batri_head",
        "province_reviewer",
        [("chan_2.1", "Xã nông thôn mới nâng cao", "number", 3, 2)],
    ),
    (
        "BT.BINHDAI",
        "binhdai_head",
        "binhdai_head",
        "province_reviewer",
        [("mui_2.2", "Công trình trữ nước ngọt", "number", 5, 5)],
    ),
    (
        "BT.CUM1",
        "cluster_head",
        "cluster_head",
        "province_reviewer",
        [("mui_1.1", "100% thủ tục hành chính trực tuyến toàn trình", "percent", 100, 100)],
    ),
]
# (unit, area, reviewer, title, description)
MOVEMENT_EXEMPLARY = [
    (
        "BT.MCN.DINHTHUY",
        "chan_2.1",
        "district_reviewer",
        "Ấp nông thôn mới kiểu mẫu Phú Hữu",
        "Người dân hiến đất, góp công làm đường; vườn mẫu và hàng rào xanh ở mọi hộ.",
    ),
    (
        "BT.SGDDT",
        "chan_2.8",
        "province_reviewer",
        "Trường học số vùng nông thôn",
        "Học bạ số, sổ điểm điện tử và lớp học kết nối ở 12 trường chuẩn quốc gia mới.",
    ),
]
# The cluster's criteria and each member's score sheet {scorer: {scored: [points per criterion]}}.
CLUSTER_CRITERIA = [
    ("Kết quả thực hiện chỉ tiêu đăng ký", 60),
    ("Đổi mới, sáng tạo", 20),
    ("Điển hình, nhân rộng", 20),
]
CLUSTER_SHEETS = {
    "BT.MCN": {"BT.BATRI": [50, 15, 14], "BT.BINHDAI": [52, 16, 15]},
    "BT.BATRI": {"BT.MCN": [58, 19, 18], "BT.BINHDAI": [51, 15, 15]},
    "BT.BINHDAI": {"BT.MCN": [57, 18, 19], "BT.BATRI": [49, 16, 14]},
}


def seed_movement(stdout=None):
    """A full year of the movement through the real services: the province launches "Đồng khởi mới 2026–2030" with
    targets; a commune, a department, three districts and the cluster register, are acknowledged by their tiers and
    report results with evidence; two exemplary models; the cluster scores its members; the review of the year
    opens before 17/1 with the Công dân Đồng Khởi round, the leader's Cờ thi đua nomination is filed and submitted,
    and next year's targets are set. Run once, after `build`; running again does nothing."""
    if Movement.objects.filter(code=SUCCESSOR["code"]).exists():
        return
    User = get_user_model()
    people = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in USERS])}
    people |= movement_people()
    province = Unit.objects.get(code=THREE_TIER["code"])
    year = timezone.localdate().year
    movement = movement_rules.movement_launch(
        actor=people["province_reviewer"],
        unit=province,
        predecessor=Movement.objects.get(code="dong_khoi_moi_2020_2025"),
        description="Giai đoạn tiếp nối phong trào “Đồng khởi mới” 2020–2025 (dữ liệu minh họa).",
        **SUCCESSOR,
    )
    areas = {area.code: area for area in movement.content_areas.all()}

    def number(value):
        return None if value is None else Decimal(str(value))

    for code, description, kind, value, label in SUCCESSOR_TARGETS:
        movement_rules.target_set(
            actor=people["province_reviewer"],
            movement=movement,
            content_area=areas[code],
            description=description,
            kind=kind,
            value=number(value),
            unit_label=label,
        )
    registrations = {}
    for code, preparer, head, reviewer, items in MOVEMENT_REGISTRATIONS:
        unit = Unit.objects.get(code=code)
        registration = movement_rules.registration_create(
            actor=people[preparer], movement=movement, unit=unit, year=year
        )
        commitments = [
            movement_rules.commitment_add(
                actor=people[preparer],
                registration=registration,
                content_area=areas[area],
                description=description,
                kind=kind,
                value=number(value),
                actions="Phân công từng bộ phận; huy động nguồn lực xã hội hóa (minh họa).",
            )
            for area, description, kind, value, _result in items
        ]
        pledge = (
            "Các đơn vị trong cụm cùng giao ước thi đua hoàn thành chỉ tiêu năm."
            if unit.tier == Tier.CLUSTER
            else None
        )
        movement_rules.registration_submit(actor=people[head], registration=registration, pledge=pledge)
        movement_rules.registration_acknowledge(actor=people[reviewer], registration=registration)
        for commitment, (_area, _description, _kind, _value, result) in zip(commitments, items, strict=True):
            movement_rules.result_report(
                actor=people[preparer],
                commitment=commitment,
                description="Kết quả thực hiện đến tháng 11 (minh họa).",
                value=number(result),
                uploaded=SimpleUploadedFile("minh-chung.pdf", DEMO_PDF, content_type="application/pdf"),
            )
        registrations[code] = registration
    for code, area, reviewer, title, description in MOVEMENT_EXEMPLARY:
        movement_rules.exemplary_mark(
            actor=people[reviewer],
            registration=registrations[code],
            content_area=areas[area],
            title=title,
            description=description,
        )
    cluster = Unit.objects.get(code="BT.CUM1")
    criteria = [
        movement_rules.criterion_add(
            actor=people["cluster_head"],
            cluster=cluster,
            movement=movement,
            year=year,
            name=name,
            max_points=Decimal(points),
        )
        for name, points in CLUSTER_CRITERIA
    ]
    heads = {"BT.MCN": "mcn_head", "BT.BATRI": "batri_head", "BT.BINHDAI": "binhdai_head"}
    for scorer_code, sheet in CLUSTER_SHEETS.items():
        scorer = Unit.objects.get(code=scorer_code)
        points = {
            (criterion.pk, Unit.objects.get(code=scored).pk): Decimal(value)
            for scored, values in sheet.items()
            for criterion, value in zip(criteria, values, strict=True)
        }
        movement_rules.scores_record(
            actor=people[heads[scorer_code]],
            cluster=cluster,
            movement=movement,
            year=year,
            scorer=scorer,
            points=points,
        )
    _open_demo_round()
    review = movement_rules.review_open(actor=people["province_reviewer"], movement=movement, year=year)
    nomination = flag_propose(actor=people["cluster_head"], review=review, cluster=cluster)
    upload = SimpleUploadedFile("bao-cao-thanh-tich.pdf", DEMO_PDF, content_type="application/pdf")
    dossier_file_add(
        actor=people["cluster_head"],
        nomination=nomination,
        kind=DossierKind.ACHIEVEMENT_REPORT,
        uploaded=upload,
    )
    nomination_submit(actor=people["cluster_head"], nomination=nomination)
    if year < movement.end_year:
        for code, description, kind, value, label in SUCCESSOR_TARGETS[:2]:
            movement_rules.target_set(
                actor=people["province_reviewer"],
                movement=movement,
                content_area=areas[code],
                description=f"{description} (năm {year + 1})",
                kind=kind,
                value=number(value),
                unit_label=label,
                year=year + 1,
            )
    if stdout:
        stdout.write(
            f"Phong trào {movement.name}: {len(registrations)} đăng ký năm {year} đã ghi nhận, "
            f"{len(MOVEMENT_EXEMPLARY)} điển hình, cụm thi đua đề nghị Cờ thi đua (#{nomination.pk}); "
            f"đợt sơ kết năm {year} đang mở."
        )
