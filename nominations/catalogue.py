"""The award catalogue, legal bases, base salary and the seed movement (DOMAIN.md §1–3).

Loaded by the data migration `0002_fill_catalogue`; afterwards the rows are edited in the admin, and a change of law
is a new version with its own effective date, never an edit of the old one.
"""

from datetime import date
from decimal import Decimal

NĐ98_FROM, NĐ98_TO, NĐ152_FROM = date(2024, 1, 1), date(2025, 6, 30), date(2025, 7, 1)

LEGAL_BASES = [
    ("06/2022/QH15", "law", "Luật Thi đua, khen thưởng", date(2024, 1, 1), None),
    (
        "98/2023/NĐ-CP",
        "decree",
        "Nghị định quy định chi tiết thi hành Luật Thi đua, khen thưởng",
        NĐ98_FROM,
        NĐ98_TO,
    ),
    (
        "152/2025/NĐ-CP",
        "decree",
        "Nghị định quy định chi tiết thi hành Luật Thi đua, khen thưởng",
        NĐ152_FROM,
        None,
    ),
]

BASE_SALARIES = [
    (Decimal("1800000"), date(2023, 7, 1), "NĐ 24/2023/NĐ-CP"),
    (Decimal("2340000"), date(2024, 7, 1), "NĐ 73/2024/NĐ-CP"),
]

IND, COL, HH = "individual", "collective", "household"


def _award(
    code,
    name,
    kind,
    subjects,
    tier,
    vote=False,
    threshold="0",
    posting=False,
    posting_days=0,
    multiplier="0",
    fast_track=False,
    annual=False,
    basis="152/2025/NĐ-CP",
    start=NĐ152_FROM,
    end=None,
    fixed_amount=None,
    fallback="",
):
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "subject_types": subjects,
        "deciding_tier": tier,
        "fallback_tier": fallback,
        "requires_council_vote": vote,
        "vote_threshold": Decimal(threshold),
        "requires_public_posting": posting,
        "posting_working_days": posting_days,
        "cash_multiplier": Decimal(multiplier),
        "allowed_on_fast_track": fast_track,
        "is_annual_title": annual,
        "effective_from": start,
        "effective_to": end,
        "legal_basis": basis,
        "fixed_amount": Decimal(fixed_amount) if fixed_amount else None,
    }


AWARD_TYPES = [
    # Versions under NĐ 98/2023 (1/1/2024 – 30/6/2025): CSTĐCS of commune officials decided at district level.
    _award(
        "lao_dong_tien_tien",
        "Lao động tiên tiến",
        "title",
        [IND],
        "base",
        multiplier="0.3",
        annual=True,
        basis="98/2023/NĐ-CP",
        start=NĐ98_FROM,
        end=NĐ98_TO,
    ),
    _award(
        "chien_si_thi_dua_co_so",
        "Chiến sĩ thi đua cơ sở",
        "title",
        [IND],
        "district",
        vote=True,
        threshold="0.8",
        multiplier="1.0",
        annual=True,
        basis="98/2023/NĐ-CP",
        start=NĐ98_FROM,
        end=NĐ98_TO,
    ),
    _award(
        "chien_si_thi_dua_tinh",
        "Chiến sĩ thi đua cấp tỉnh",
        "title",
        [IND],
        "province",
        vote=True,
        threshold="0.9",
        posting=True,
        posting_days=10,
        multiplier="3.0",
        basis="98/2023/NĐ-CP",
        start=NĐ98_FROM,
        end=NĐ98_TO,
    ),
    # Versions under NĐ 152/2025 and NĐ 129/2025 (from 1/7/2025).
    _award("lao_dong_tien_tien", "Lao động tiên tiến", "title", [IND], "base", multiplier="0.3", annual=True),
    _award(
        "chien_si_thi_dua_co_so",
        "Chiến sĩ thi đua cơ sở",
        "title",
        [IND],
        "base",
        vote=True,
        threshold="0.8",
        multiplier="1.0",
        annual=True,
    ),
    _award(
        "chien_si_thi_dua_tinh",
        "Chiến sĩ thi đua cấp tỉnh",
        "title",
        [IND],
        "province",
        vote=True,
        threshold="0.9",
        posting=True,
        posting_days=10,
        multiplier="3.0",
    ),
    _award(
        "tap_the_lao_dong_tien_tien",
        "Tập thể lao động tiên tiến",
        "title",
        [COL],
        "base",
        multiplier="0.8",
        annual=True,
    ),
    _award(
        "tap_the_lao_dong_xuat_sac",
        "Tập thể lao động xuất sắc",
        "title",
        [COL],
        "province",
        vote=True,
        threshold="0.8",
        multiplier="1.5",
        annual=True,
    ),
    _award(
        "co_thi_dua_tinh",
        "Cờ thi đua của UBND tỉnh",
        "title",
        [COL],
        "province",
        vote=True,
        threshold="0.8",
        posting=True,
        posting_days=10,
        multiplier="8.0",
    ),
    _award(
        "bang_khen_tinh",
        "Bằng khen của Chủ tịch UBND tỉnh",
        "commendation",
        [IND, COL, HH],
        "province",
        multiplier="1.0",
        fast_track=True,
    ),
    # Giấy khen: the Chủ tịch UBND cấp huyện (Luật 06/2022/QH15 Điều 80.2) or, where there is no district above the
    # unit, the Chủ tịch UBND cấp xã (Điều 80.3) decides; from 1/7/2025 there are no districts, so a commune decides.
    _award(
        "giay_khen",
        "Giấy khen",
        "commendation",
        [IND, COL, HH],
        "district",
        multiplier="0.3",
        fast_track=True,
        fallback="base",
        basis="06/2022/QH15 Điều 80.2–80.3; 98/2023/NĐ-CP",
        start=NĐ98_FROM,
        end=NĐ98_TO,
    ),
    _award(
        "giay_khen",
        "Giấy khen",
        "commendation",
        [IND, COL, HH],
        "district",
        multiplier="0.3",
        fast_track=True,
        fallback="base",
        basis="06/2022/QH15 Điều 80.2–80.3; 152/2025/NĐ-CP",
    ),
    _award(
        "cong_dan_dong_khoi",
        "Công dân Đồng Khởi",
        "title",
        [IND],
        "province",
        vote=True,
        threshold="0.8",
        multiplier="0",
        basis="40/2020/QĐ-UBND",
        start=date(2020, 12, 1),
        fixed_amount="20000000",  # 20 million VND per QĐ 40/2020/QĐ-UBND
    ),
]


def _content_areas():
    return [
        (
            "chan_1",
            "Chân 1 – Xây dựng Đảng, hệ thống chính trị trong sạch, vững mạnh",
            None,
            [
                "Thực hiện Nghị quyết Trung ương 4 và Chỉ thị 05",
                "Chi bộ, tổ chức cơ sở đảng vững mạnh",
                "Đảng viên, cán bộ, công chức gương mẫu",
                "Chính quyền hiệu lực, hiệu quả",
                "Chính quyền điện tử",
            ],
        ),
        (
            "chan_2",
            "Chân 2 – Phát triển kinh tế – xã hội nhanh, bền vững",
            None,
            [
                "Nông thôn mới, đô thị văn minh",
                "Khởi nghiệp, phát triển doanh nghiệp",
                "Khoa học, công nghệ và chuyển đổi số",
                "Chuỗi giá trị nông nghiệp chủ lực",
                "Giảm nghèo bền vững",
                "Gia đình hạnh phúc, tiến bộ",
                "Gia đình, dòng họ học tập",
                "Phong trào giáo dục, y tế",
                "Địa phương, cơ quan xanh – sạch – an toàn",
                "An ninh, trật tự",
            ],
        ),
        (
            "mui_1",
            "Mũi 1 – Cải thiện môi trường đầu tư, kinh doanh",
            None,
            [
                "Cải cách thủ tục hành chính, nâng chất lượng phục vụ",
                "Sáng kiến phục vụ nhanh dịch vụ công",
                "Hỗ trợ doanh nghiệp",
                "Đề xuất chính sách",
                "Chính quyền điện tử",
                "Phấn đấu vào top 20 chỉ số cải cách hành chính",
            ],
        ),
        (
            "mui_2",
            "Mũi 2 – Huy động nguồn lực, xây dựng kết cấu hạ tầng",
            None,
            [
                "Giải phóng mặt bằng",
                "Trữ nước mưa, nước ngọt, thủy lợi nhỏ",
                "Đường giao thông nông thôn",
                "Đường kết nối nội bộ",
                "Khu, cụm công nghiệp",
                "Đường ven biển giai đoạn 1",
            ],
        ),
        (
            "mui_3",
            "Mũi 3 – Phát triển nguồn nhân lực",
            None,
            [
                "Cán bộ, công chức học tập, nâng chuẩn",
                "Tính chuyên nghiệp, năng suất lao động",
                "Đổi mới công nghệ, thiết bị sản xuất",
                "Mô hình quản lý tiên tiến",
            ],
        ),
    ]


MOVEMENT = {
    "code": "dong_khoi_moi_2020_2025",
    "name": "Đồng khởi mới 2020–2025",
    "start_year": 2020,
    "end_year": 2025,
    "description": "Phong trào thi đua “Đồng khởi mới” giai đoạn 2020–2025, tầm nhìn đến 2030 (Chỉ thị 01-CT/TU "
    "ngày 17/10/2020), phương châm “Hai chân – Ba mũi”.",
}


def load(apps):
    """Create or update the catalogue rows; safe to run more than once."""
    LegalBasis = apps.get_model("nominations", "LegalBasis")
    BaseSalary = apps.get_model("nominations", "BaseSalary")
    AwardType = apps.get_model("nominations", "AwardType")
    Movement = apps.get_model("nominations", "Movement")
    ContentArea = apps.get_model("nominations", "ContentArea")
    for code, kind, title, start, end in LEGAL_BASES:
        LegalBasis.objects.update_or_create(
            code=code, defaults={"kind": kind, "title": title, "effective_from": start, "effective_to": end}
        )
    for amount, start, basis in BASE_SALARIES:
        BaseSalary.objects.update_or_create(
            effective_from=start, defaults={"amount": amount, "legal_basis": basis}
        )
    known = {field.name for field in AwardType._meta.get_fields()}
    for row in AWARD_TYPES:
        # A migration loads the catalogue with the model as it stood then: skip fields added later.
        row = {key: value for key, value in row.items() if key in known}
        AwardType.objects.update_or_create(
            code=row.pop("code"), effective_from=row.pop("effective_from"), defaults=row
        )
    movement, _ = Movement.objects.update_or_create(
        code=MOVEMENT["code"], defaults={k: v for k, v in MOVEMENT.items() if k != "code"}
    )
    for order, (code, name, _parent, children) in enumerate(_content_areas(), start=1):
        parent, _ = ContentArea.objects.update_or_create(
            movement=movement, code=code, defaults={"name": name, "order": order}
        )
        for child_order, child_name in enumerate(children, start=1):
            ContentArea.objects.update_or_create(
                movement=movement,
                code=f"{code}.{child_order}",
                defaults={"name": child_name, "parent": parent, "order": child_order},
            )
