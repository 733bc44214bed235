"""The award catalogue, legal bases, base salary and the seed movement (DOMAIN.md §1–3).

Loaded by the data migration `0002_fill_catalogue`; afterwards the rows are edited in the admin, and a change of law
is a new version with its own effective date, never an edit of the old one.
"""

from datetime import date
from decimal import Decimal

NĐ98_FROM, NĐ98_TO, NĐ152_FROM = date(2024, 1, 1), date(2025, 6, 30), date(2025, 7, 1)

# (number, kind, title, in force from, to, issued on, issued by, cited in decisions, order). Verified citations:
# Luật Tổ chức chính quyền địa phương ngày 19/6/2015 and ngày 16/6/2025 (in force 1/7/2025); Luật Thi đua, khen
# thưởng 06/2022/QH15 ngày 15/6/2022; NĐ 98/2023/NĐ-CP ngày 31/12/2023; NĐ 152/2025/NĐ-CP ngày 14/6/2025 (title as
# published). The province's own regulation is added in the admin with its number and date.
LEGAL_BASES = [
    (
        "77/2015/QH13",
        "law",
        "Luật Tổ chức chính quyền địa phương",
        date(2016, 1, 1),
        date(2025, 6, 30),
        date(2015, 6, 19),
        "Quốc hội",
        True,
        10,
    ),
    (
        "72/2025/QH15",
        "law",
        "Luật Tổ chức chính quyền địa phương",
        NĐ152_FROM,
        None,
        date(2025, 6, 16),
        "Quốc hội",
        True,
        10,
    ),
    (
        "06/2022/QH15",
        "law",
        "Luật Thi đua, khen thưởng",
        date(2024, 1, 1),
        None,
        date(2022, 6, 15),
        "Quốc hội",
        True,
        20,
    ),
    (
        "98/2023/NĐ-CP",
        "decree",
        "Nghị định quy định chi tiết thi hành Luật Thi đua, khen thưởng",
        NĐ98_FROM,
        NĐ98_TO,
        date(2023, 12, 31),
        "Chính phủ",
        True,
        30,
    ),
    (
        "152/2025/NĐ-CP",
        "decree",
        "Nghị định quy định về phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng"
        " dẫn thi hành một số điều của Luật Thi đua, khen thưởng",
        NĐ152_FROM,
        None,
        date(2025, 6, 14),
        "Chính phủ",
        True,
        30,
    ),
]

BASE_SALARIES = [
    (Decimal("1800000"), date(2023, 7, 1), "NĐ 24/2023/NĐ-CP"),
    (Decimal("2340000"), date(2024, 7, 1), "NĐ 73/2024/NĐ-CP"),
]

IND, COL, HH = "individual", "collective", "household"

# Rounding up of every amount (a dated rule). NĐ 91/2017 Điều 68.2 (verified: "được làm tròn số lên hàng chục ngàn
# đồng"), kept by NĐ 98/2023 and by NĐ 152/2025 Điều 49.2.
CASH_ROUNDINGS = [
    (10000, date(2017, 7, 31), "NĐ 91/2017/NĐ-CP Điều 68 khoản 2"),
    (10000, NĐ98_FROM, "NĐ 98/2023/NĐ-CP (làm tròn lên hàng chục nghìn đồng)"),
    (10000, NĐ152_FROM, "NĐ 152/2025/NĐ-CP Điều 49 khoản 2"),
]

NĐ98_TITLES = "NĐ 98/2023/NĐ-CP Điều 54"
NĐ98_COMMENDATIONS = "NĐ 98/2023/NĐ-CP Chương V (mức tiền thưởng hình thức khen thưởng)"
NĐ152_CASH = "NĐ 152/2025/NĐ-CP Điều 49–54"

# (award code, subject, multiple of the base salary) — the same multiples under NĐ 98/2023 (1/1/2024–30/6/2025) and
# NĐ 152/2025 (from 1/7/2025). Titles: NĐ 98 Điều 54 (LĐTT 0,3; CSTĐCS 1,0; CSTĐ tỉnh 3,0; TTLĐTT 0,8; TTLĐXS 1,5;
# Cờ thi đua tỉnh 8,0). Commendations: a collective is paid twice the individual (Bằng khen tỉnh 1,0 / 2,0; Giấy khen
# 0,3 / 0,6), a household 1,5 times the individual (DOMAIN.md §3).
CASH_MULTIPLES = [
    ("lao_dong_tien_tien", IND, "0.3"),
    ("chien_si_thi_dua_co_so", IND, "1.0"),
    ("chien_si_thi_dua_tinh", IND, "3.0"),
    ("tap_the_lao_dong_tien_tien", COL, "0.8"),
    ("tap_the_lao_dong_xuat_sac", COL, "1.5"),
    ("co_thi_dua_tinh", COL, "8.0"),
    ("bang_khen_tinh", IND, "1.0"),
    ("bang_khen_tinh", COL, "2.0"),
    ("bang_khen_tinh", HH, "1.5"),
    ("giay_khen", IND, "0.3"),
    ("giay_khen", COL, "0.6"),
    ("giay_khen", HH, "0.45"),
]
COMMENDATIONS = {"bang_khen_tinh", "giay_khen"}


def _cash_rates():
    for code, subject, multiple in CASH_MULTIPLES:
        basis98 = NĐ98_COMMENDATIONS if code in COMMENDATIONS else NĐ98_TITLES
        yield (code, subject, Decimal(multiple), None, NĐ98_FROM, NĐ98_TO, basis98)
        yield (code, subject, Decimal(multiple), None, NĐ152_FROM, None, NĐ152_CASH)
    # The provincial title: a fixed 20 million đồng (QĐ 40/2020/QĐ-UBND of Bến Tre).
    yield (
        "cong_dan_dong_khoi",
        IND,
        None,
        Decimal("20000000"),
        date(2020, 12, 1),
        None,
        "QĐ 40/2020/QĐ-UBND",
    )


CASH_RATES = list(_cash_rates())
# Where the council's quorum, its thresholds (over all members, secret ballot) and the written opinions of absent
# members are set. NĐ 98/2023 Điều 30 khoản 7 is the article DOMAIN.md §10 names; the text could not be retrieved
# with the search tool when this was encoded (see the council issue's report): check it before relying on it.
VOTE_BASIS = {
    "98/2023/NĐ-CP": "Khoản 7 Điều 30 Nghị định 98/2023/NĐ-CP",
    "152/2025/NĐ-CP": "Nghị định 152/2025/NĐ-CP (kế thừa khoản 7 Điều 30 Nghị định 98/2023/NĐ-CP)",
    "40/2020/QĐ-UBND": "Quyết định 40/2020/QĐ-UBND của UBND tỉnh Bến Tre (Hội đồng tư vấn)",
}

VOTE_FIELDS = ("counts_written_opinions", "vote_basis")

# Awards the standing council (thường trực Hội đồng Thi đua – Khen thưởng) vets without a vote of the full council:
# Tập thể lao động xuất sắc and the Bằng khen of the province chair (DOMAIN.md §3, "standing council vets"). The
# split between the full council's secret ballot and the standing council's review is set by the province's rules
# for its council (quy chế hoạt động của Hội đồng); the article was not verified when this was encoded.
STANDING_COUNCIL_VETS = "Thường trực Hội đồng Thi đua – Khen thưởng xét, không bỏ phiếu toàn Hội đồng (quy chế hoạt động của Hội đồng)"
# The council-vote fields of the catalogue: a data migration that corrects who votes sets exactly these.
COUNCIL_FIELDS = ("requires_council_vote", "vote_threshold", *VOTE_FIELDS)


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
    rank=0,
    certificate=True,
    full_name="",
    phrase="",
    written=None,
    vote_basis=None,
    fallback="",
):
    full_name = full_name or name
    if not phrase:
        phrase = f"Tặng {full_name}" if kind == "commendation" else f"Công nhận danh hiệu “{full_name}”"
    if vote and vote_basis is None:
        vote_basis = VOTE_BASIS.get(basis, "")
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
        "rank": rank,
        "carries_certificate": certificate,
        "full_name": full_name,
        "conferral_phrase": phrase,
        # Written opinions of absent members count wherever the decree on council votes applies.
        "counts_written_opinions": bool(vote) if written is None else written,
        "vote_basis": vote_basis or "",
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
        rank=10,
        certificate=False,
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
        rank=20,
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
        rank=30,
        basis="98/2023/NĐ-CP",
        start=NĐ98_FROM,
        end=NĐ98_TO,
    ),
    # Versions under NĐ 152/2025 and NĐ 129/2025 (from 1/7/2025).
    _award(
        "lao_dong_tien_tien",
        "Lao động tiên tiến",
        "title",
        [IND],
        "base",
        multiplier="0.3",
        annual=True,
        rank=10,
        certificate=False,
    ),
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
        rank=20,
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
        rank=30,
    ),
    _award(
        "tap_the_lao_dong_tien_tien",
        "Tập thể lao động tiên tiến",
        "title",
        [COL],
        "base",
        multiplier="0.8",
        annual=True,
        rank=10,
        certificate=False,
    ),
    # Vetted by the standing council (thường trực Hội đồng), not voted by the full council (DOMAIN.md §3, as the
    # provincial Bằng khen): no full-council ballot, no threshold. The basis stays with the row (`vote_basis`).
    _award(
        "tap_the_lao_dong_xuat_sac",
        "Tập thể lao động xuất sắc",
        "title",
        [COL],
        "province",
        multiplier="1.5",
        annual=True,
        rank=20,
        vote_basis=STANDING_COUNCIL_VETS,
    ),
    _award(
        "co_thi_dua_tinh",
        "Cờ thi đua của UBND tỉnh",
        "title",
        [COL],
        "province",
        full_name="Cờ thi đua của Ủy ban nhân dân tỉnh",
        phrase="Tặng Cờ thi đua của Ủy ban nhân dân tỉnh",
        vote=True,
        threshold="0.8",
        posting=True,
        posting_days=10,
        multiplier="8.0",
        rank=30,
    ),
    _award(
        "bang_khen_tinh",
        "Bằng khen của Chủ tịch UBND tỉnh",
        "commendation",
        [IND, COL, HH],
        "province",
        full_name="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        multiplier="1.0",
        fast_track=True,
        vote_basis=STANDING_COUNCIL_VETS,
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
        phrase="Tặng danh hiệu “Công dân Đồng Khởi”",
        vote=True,
        threshold="0.8",
        multiplier="0",
        basis="40/2020/QĐ-UBND",
        start=date(2020, 12, 1),
        written=False,
        fixed_amount="20000000",  # 20 million VND per QĐ 40/2020/QĐ-UBND
    ),
]

# State-level awards (decided by the Chủ tịch nước or the Thủ tướng Chính phủ, DecidingTier "state"): never filed
# or decided here, they are entered as award history (back-fill or import, with their issuer) and counted by
# statistical form 0602.N/BNV-TĐKT in the column their `state_class` names. Citations: the kinds of huân chương and
# huy chương are those of Luật Thi đua, khen thưởng 06/2022/QH15 khoản 2 Điều 33 and khoản 2 Điều 54 (as a
# secondary source quotes them); the emulation titles Điều 19 (individuals) and Điều 20 (collectives). The articles
# of the prizes, the State honour titles and the Prime Minister's Bằng khen were not retrieved: the citation names
# the law only — check the article before relying on it.
LAW_2022 = "Luật Thi đua, khen thưởng 06/2022/QH15"
STATE_FROM = date(2024, 1, 1)
ORDERS = [
    ("huan_chuong_sao_vang", "Huân chương Sao vàng", ""),
    ("huan_chuong_ho_chi_minh", "Huân chương Hồ Chí Minh", ""),
    ("huan_chuong_doc_lap", "Huân chương Độc lập", "classes"),
    ("huan_chuong_quan_cong", "Huân chương Quân công", "classes"),
    ("huan_chuong_lao_dong", "Huân chương Lao động", "classes"),
    ("huan_chuong_bao_ve_to_quoc", "Huân chương Bảo vệ Tổ quốc", "classes"),
    ("huan_chuong_chien_cong", "Huân chương Chiến công", "classes"),
    ("huan_chuong_dai_doan_ket_dan_toc", "Huân chương Đại đoàn kết dân tộc", ""),
    ("huan_chuong_dung_cam", "Huân chương Dũng cảm", ""),
    ("huan_chuong_huu_nghi", "Huân chương Hữu nghị", ""),
]
MEDALS = [
    ("huy_chuong_quan_ky_quyet_thang", "Huy chương Quân kỳ quyết thắng", ""),
    ("huy_chuong_vi_an_ninh_to_quoc", "Huy chương Vì an ninh Tổ quốc", ""),
    ("huy_chuong_chien_si_ve_vang", "Huy chương Chiến sĩ vẻ vang", "classes"),
    ("huy_chuong_huu_nghi", "Huy chương Hữu nghị", ""),
]
CLASSES = [("hang_nhat", "hạng Nhất"), ("hang_nhi", "hạng Nhì"), ("hang_ba", "hạng Ba")]
# (code, name, kind, subjects, state class, citation)
STATE_AWARDS = [
    (
        "giai_thuong_ho_chi_minh",
        "Giải thưởng Hồ Chí Minh",
        "commendation",
        [IND],
        "ho_chi_minh_prize",
        LAW_2022,
    ),
    ("giai_thuong_nha_nuoc", "Giải thưởng Nhà nước", "commendation", [IND], "state_prize", LAW_2022),
    ("ba_me_viet_nam_anh_hung", "Bà mẹ Việt Nam anh hùng", "commendation", [IND], "honour_title", LAW_2022),
    (
        "anh_hung_luc_luong_vu_trang_nhan_dan",
        "Anh hùng Lực lượng vũ trang nhân dân",
        "commendation",
        [IND, COL],
        "honour_title",
        LAW_2022,
    ),
    ("anh_hung_lao_dong", "Anh hùng Lao động", "commendation", [IND, COL], "honour_title", LAW_2022),
    *[
        (f"{code}_{grade}", f"{name} {label}", "commendation", [IND], "honour_title", LAW_2022)
        for code, name in (
            ("nha_giao", "Nhà giáo"),
            ("thay_thuoc", "Thầy thuốc"),
            ("nghe_si", "Nghệ sĩ"),
            ("nghe_nhan", "Nghệ nhân"),
        )
        for grade, label in (("nhan_dan", "nhân dân"), ("uu_tu", "ưu tú"))
    ],
    (
        "co_thi_dua_chinh_phu",
        "Cờ thi đua của Chính phủ",
        "title",
        [COL],
        "government_flag",
        f"{LAW_2022}, Điều 20",
    ),
    (
        "bang_khen_thu_tuong",
        "Bằng khen của Thủ tướng Chính phủ",
        "commendation",
        [IND, COL, HH],
        "prime_minister_merit",
        LAW_2022,
    ),
    (
        "chien_si_thi_dua_toan_quoc",
        "Chiến sĩ thi đua toàn quốc",
        "title",
        [IND],
        "national_emulation_fighter",
        f"{LAW_2022}, Điều 19",
    ),
]


def _orders_and_medals():
    """Every kind and class of huân chương and huy chương, as (code, name, kind, subjects, state class, citation)."""
    for table, subjects, article in (
        (ORDERS, [IND, COL], "khoản 2 Điều 33"),
        (MEDALS, [IND], "khoản 2 Điều 54"),
    ):
        for code, name, graded in table:
            for grade, label in CLASSES if graded else [("", "")]:
                yield (
                    f"{code}_{grade}" if grade else code,
                    f"{name} {label}".strip(),
                    "commendation",
                    subjects,
                    "order_or_medal",
                    f"{LAW_2022}, {article}",
                )


STATE_AWARD_TYPES = [
    {
        **_award(code, name, kind, subjects, "state", basis=basis, start=STATE_FROM, certificate=True),
        "state_class": state_class,
    }
    for code, name, kind, subjects, state_class, basis in [*_orders_and_medals(), *STATE_AWARDS]
]
AWARD_TYPES += STATE_AWARD_TYPES


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
# The launch of the movement (fields added in nominations 0018; a migration before it loads without them).
MOVEMENT_LAUNCH = {
    "launch_document": "Chỉ thị 01-CT/TU ngày 17/10/2020 của Ban Thường vụ Tỉnh ủy Bến Tre",
    "launched_on": date(2020, 10, 17),
    "vision_year": 2030,
}


# What a dossier must hold (Luật 06/2022/QH15 Điều 84; the simplified procedure of Điều 85), one row per document:
# (kind, award code or "" for every award, route or "", subject types, form, from, to, basis). The province
# adds its own rows (e.g. the minutes of the base-level review, the local opinion) in the admin.
DOSSIER_REQUIREMENTS = [
    (
        "achievement_report",
        "",
        "standard",
        [],
        "",
        date(2024, 1, 1),
        None,
        "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 84",
    ),
    (
        "achievement_report",
        "",
        "dong_khoi",
        [],
        "",
        date(2024, 1, 1),
        None,
        "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 84; Quyết định 40/2020/QĐ-UBND tỉnh Bến Tre",
    ),
    (
        "submission",
        "",
        "fast_track",
        [],
        "",
        date(2024, 1, 1),
        None,
        "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 85 (thủ tục đơn giản)",
    ),
    # CSTĐCS may rest on an alternative to the initiative (Điều 23): the eligibility rule asks the reviewer to
    # confirm it instead; CSTĐ tỉnh always rests on an initiative or a research work (Điều 22).
    (
        "initiative_certificate",
        "chien_si_thi_dua_tinh",
        "standard",
        [],
        "",
        date(2024, 1, 1),
        None,
        "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 22 và Điều 84",
    ),
]


def load_dossier_requirements(apps):
    """Create the dossier requirements unless present (the admin may have edited them since)."""
    try:
        DossierRequirement = apps.get_model("nominations", "DossierRequirement")
    except LookupError:  # an early migration: the table comes later (0012)
        return
    for kind, code, route, subjects, form, start, end, basis in DOSSIER_REQUIREMENTS:
        DossierRequirement.objects.get_or_create(
            kind=kind,
            award_code=code,
            route=route,
            effective_from=start,
            defaults={
                "subject_types": subjects,
                "form_name": form,
                "effective_to": end,
                "legal_basis": basis,
            },
        )


def load(apps):
    """Create or update the catalogue rows; safe to run more than once."""
    LegalBasis = apps.get_model("nominations", "LegalBasis")
    BaseSalary = apps.get_model("nominations", "BaseSalary")
    AwardType = apps.get_model("nominations", "AwardType")
    Movement = apps.get_model("nominations", "Movement")
    ContentArea = apps.get_model("nominations", "ContentArea")
    basis_fields = {field.name for field in LegalBasis._meta.get_fields()}
    for code, kind, title, start, end, issued_on, issued_by, cited, order in LEGAL_BASES:
        defaults = {
            "kind": kind,
            "title": title,
            "effective_from": start,
            "effective_to": end,
            "issued_on": issued_on,
            "issued_by": issued_by,
            "cite_in_decisions": cited,
            "cite_order": order,
        }
        defaults = {key: value for key, value in defaults.items() if key in basis_fields}
        LegalBasis.objects.update_or_create(code=code, defaults=defaults)
    for amount, start, basis in BASE_SALARIES:
        BaseSalary.objects.update_or_create(
            effective_from=start, defaults={"amount": amount, "legal_basis": basis}
        )
    _load_cash(apps)
    load_dossier_requirements(apps)
    known = {field.name for field in AwardType._meta.get_fields()}
    for row in AWARD_TYPES:
        # A migration loads the catalogue with the model as it stood then: skip fields added later.
        row = {key: value for key, value in row.items() if key in known}
        AwardType.objects.update_or_create(
            code=row.pop("code"), effective_from=row.pop("effective_from"), defaults=row
        )
    movement_fields = {field.name for field in Movement._meta.get_fields()}
    launch = {k: v for k, v in MOVEMENT_LAUNCH.items() if k in movement_fields}
    movement, _ = Movement.objects.update_or_create(
        code=MOVEMENT["code"], defaults={**{k: v for k, v in MOVEMENT.items() if k != "code"}, **launch}
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


def _load_cash(apps):
    try:
        CashRate = apps.get_model("nominations", "CashRate")
        CashRounding = apps.get_model("nominations", "CashRounding")
    except LookupError:  # an early migration: the cash tables come later (0007)
        return
    for step, start, basis in CASH_ROUNDINGS:
        CashRounding.objects.update_or_create(
            effective_from=start, defaults={"step": step, "legal_basis": basis}
        )
    for code, subject, multiple, fixed, start, end, basis in CASH_RATES:
        CashRate.objects.update_or_create(
            award_code=code,
            subject_type=subject,
            effective_from=start,
            defaults={
                "multiplier": multiple,
                "fixed_amount": fixed,
                "effective_to": end,
                "legal_basis": basis,
            },
        )


def load_state_awards(apps):
    """Create or update only the State-level rows (data migration 0013): the provincial rows may have been edited
    in the admin since they were loaded."""
    AwardType = apps.get_model("nominations", "AwardType")
    for row in STATE_AWARD_TYPES:
        row = dict(row)
        AwardType.objects.update_or_create(
            code=row.pop("code"), effective_from=row.pop("effective_from"), defaults=row
        )


def fill_vote_rules(apps):
    """Set only the council-vote fields of the catalogue rows (data migration 0007): other fields may have been
    edited in the admin since they were loaded."""
    AwardType = apps.get_model("nominations", "AwardType")
    for row in AWARD_TYPES:
        AwardType.objects.filter(code=row["code"], effective_from=row["effective_from"]).update(
            **{key: row[key] for key in VOTE_FIELDS}
        )


def fill_council_votes(apps, codes, today):
    """Set the council-vote fields of `codes` from this catalogue on their versions in force on `today` (data
    migration 0012: Tập thể lao động xuất sắc is vetted by the standing council, not voted). Older versions keep
    what they said: a nomination received under one was decided by the rule of its day."""
    AwardType = apps.get_model("nominations", "AwardType")
    for row in AWARD_TYPES:
        if row["code"] not in codes or (row["effective_to"] and row["effective_to"] < today):
            continue
        AwardType.objects.filter(code=row["code"], effective_from=row["effective_from"]).update(
            **{key: row[key] for key in COUNCIL_FIELDS}
        )
