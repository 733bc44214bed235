"""The decision in NĐ 30/2020 form: one content source, the same paragraphs in the PDF and the .docx."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from approvals import documents
from approvals.decision_text import decision_text
from approvals.models import Certificate, Decision, IssuerNumbering, SignerPosition
from approvals.services import decision_number_take
from nominations.models import AwardType, Nomination, Nominee, Submission
from organisation.text import long_date
from tests.factories import personas, unit

pytestmark = pytest.mark.django_db

SIGNED_ON = date(2026, 1, 5)


def _award(code):
    return AwardType.version_on(code, SIGNED_ON)


def _certificate(
    people, index, name, code="bang_khen_tinh", kind="individual", amount=2340000, submission=None
):
    nominee = Nominee(
        kind=kind, full_name=name, gender="female", position="Phó Chủ tịch UBND xã", unit=unit("BT.MCN")
    )
    nomination = Nomination(
        pk=index,
        nominee=nominee,
        unit=unit("BT.MCN.DINHTHUY"),
        award_type=_award(code),
        period_year=2025,
        achievements="Dũng cảm cứu người bị nạn trên sông Hàm Luông",
        submission=submission,
    )
    return Certificate(
        nomination=nomination, amount=Decimal(amount), serial=f"S-{index:04d}", amount_basis=""
    )


def _decision(people, issuer_code="BT", position=SignerPosition.HEAD, total=0):
    return Decision(
        issuer=unit(issuer_code),
        year=SIGNED_ON.year,
        sequence=7,
        number="07/QĐ-UBND",
        title="Về việc khen thưởng",
        signed_on=SIGNED_ON,
        signer=people.chairman,
        signer_position=position,
        total_amount=Decimal(total),
        base_salary=Decimal("2340000"),
    )


@pytest.fixture
def people():
    return personas()


@pytest.fixture
def several(people):
    submission = Submission(
        pk=41,
        unit=unit("BT.MCN"),
        number="15/TTr-UBND",
        submitted_by=people.clerk,
        submitted_at=timezone.make_aware(datetime(2025, 12, 20, 9, 0)),
    )
    certificates = [
        _certificate(people, 1, "Nguyễn Thị Lan", submission=submission),
        _certificate(
            people, 2, "Trường THCS Định Thủy", kind="collective", amount=4680000, submission=submission
        ),
    ]
    return _decision(people, total=7020000), certificates


def _pdf_text(pdf):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return reader, " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _docx_paragraphs(data):
    from docx import Document

    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(p.text for p in cell.paragraphs)
    return doc, paragraphs


def test_nd30_dates_pad_days_below_ten_and_months_one_and_two_only():
    assert long_date(date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert long_date(date(2025, 6, 14)) == "ngày 14 tháng 6 năm 2025"
    assert long_date(date(2023, 12, 31)) == "ngày 31 tháng 12 năm 2023"


def test_decision_text_has_heading_citations_submission_articles_recipients_and_signer(several):
    decision, certificates = several
    text = decision_text(decision, certificates)
    paragraphs = text.paragraphs()
    assert text.issuer_line == "ỦY BAN NHÂN DÂN TỈNH BẾN TRE" and not text.parent_line
    assert "Số: 07/QĐ-UBND" in paragraphs
    assert "Bến Tre, ngày 05 tháng 01 năm 2026" in paragraphs
    assert text.bases == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, phân "
        "quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn thi hành một số điều của Luật Thi "
        "đua, khen thưởng;",
    ]
    assert text.proposal == "Xét đề nghị của Huyện Mỏ Cày Nam tại Tờ trình số 15/TTr-UBND ngày 20/12/2025."
    assert text.articles[0].startswith(
        "Điều 1. Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 01 tập thể, 01 cá nhân (có danh sách kèm theo)"
    )
    assert (
        "Tổng số tiền thưởng là 7.020.000 đồng" in text.articles[1]
        and "Quỹ thi đua, khen thưởng" in text.articles[1]
    )
    assert text.articles[2].startswith("Điều 3. Quyết định này có hiệu lực kể từ ngày ký.")
    assert "Nơi nhận:" in paragraphs and "- Như Điều 3;" in text.recipients
    assert text.signer_lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert [row[1] for row in text.annex_rows] == ["Nguyễn Thị Lan", "Trường THCS Định Thủy"]
    assert text.annex_rows[0][4] == "Dũng cảm cứu người bị nạn trên sông Hàm Luông."


def test_citations_follow_the_law_in_force_on_the_decision_date(people):
    decision = _decision(people)
    decision.signed_on = date(2025, 3, 1)
    bases = decision_text(decision, [_certificate(people, 1, "Lê Thị Mai")]).bases
    assert bases[0] == "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"
    assert any("Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ" in line for line in bases)
    assert not any("152/2025" in line for line in bases)


def test_pdf_and_docx_hold_the_same_paragraphs_on_a4(several):
    decision, certificates = several
    paragraphs = decision_text(decision, certificates).paragraphs()
    reader, pdf_text = _pdf_text(documents.decision_pdf_bytes(decision, certificates))
    doc, docx_paragraphs = _docx_paragraphs(documents.decision_docx_bytes(decision, certificates))
    for paragraph in paragraphs:
        assert " ".join(paragraph.split()) in pdf_text, paragraph
        assert paragraph in docx_paragraphs, paragraph
    first = reader.pages[0].mediabox
    assert (round(float(first.width)), round(float(first.height))) == (595, 842)  # A4 in points
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert section.different_first_page_header_footer  # page numbers from page 2


def test_single_nominee_gets_the_achievement_in_article_one_and_no_annex(people):
    decision = _decision(people, total=2340000)
    certificate = _certificate(people, 1, "Nguyễn Thị Lan")
    certificate.amount_basis = "1 × 2.340.000 (NĐ 152/2025/NĐ-CP Điều 49–54)"
    text = decision_text(decision, [certificate])
    assert text.articles[0] == (
        "Điều 1. Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho Bà Nguyễn Thị Lan, Phó Chủ tịch UBND xã, "
        "Xã Định Thủy, vì: Dũng cảm cứu người bị nạn trên sông Hàm Luông."
    )
    assert text.articles[1].startswith("Điều 2. Kèm theo tiền thưởng 2.340.000 đồng (1 × 2.340.000")
    assert not text.annex_rows
    assert text.proposal == "Xét đề nghị của Trưởng ban Thi đua – Khen thưởng."


@pytest.mark.parametrize(
    "code, wording",
    [
        ("lao_dong_tien_tien", "Điều 1. Công nhận danh hiệu “Lao động tiên tiến” cho"),
        ("chien_si_thi_dua_co_so", "Điều 1. Công nhận danh hiệu “Chiến sĩ thi đua cơ sở” cho"),
        ("cong_dan_dong_khoi", "Điều 1. Tặng danh hiệu “Công dân Đồng Khởi” cho"),
        ("bang_khen_tinh", "Điều 1. Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho"),
    ],
)
def test_article_one_wording_follows_the_award_kind(people, code, wording):
    text = decision_text(_decision(people), [_certificate(people, 1, "Nguyễn Thị Lan", code=code)])
    assert text.articles[0].startswith(wording)


def test_a_vice_chairman_signs_kt_chu_tich(people):
    text = decision_text(
        _decision(people, position=SignerPosition.DEPUTY), [_certificate(people, 1, "Lê Thị Mai")]
    )
    assert text.signer_lines == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_a_department_heading_has_the_parent_line(people):
    decision = _decision(people, issuer_code="BT.SNV", position=SignerPosition.DEPUTY)
    text = decision_text(decision, [_certificate(people, 1, "Lê Thị Mai", code="giay_khen")])
    assert (text.parent_line, text.issuer_line) == ("UBND TỈNH BẾN TRE", "SỞ NỘI VỤ")
    assert text.authority == "GIÁM ĐỐC SỞ NỘI VỤ"
    assert text.signer_lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]


def test_register_numbering_takes_the_typed_number_once(people):
    issuer = unit("BT")
    IssuerNumbering.objects.create(issuer=issuer, uses_register=True)
    with pytest.raises(ValidationError) as missing:
        decision_number_take(issuer=issuer, year=2026, register_number="")
    assert "register_number" in missing.value.message_dict
    with pytest.raises(ValidationError):
        decision_number_take(issuer=issuer, year=2026, register_number="abc")
    assert decision_number_take(issuer=issuer, year=2026, register_number="125/QĐ-UBND") == (
        125,
        "125/QĐ-UBND",
    )
    Decision.objects.create(
        issuer=issuer,
        year=2026,
        sequence=125,
        number="125/QĐ-UBND",
        title="x",
        signed_on=SIGNED_ON,
        signer=people.chairman,
    )
    with pytest.raises(ValidationError) as taken:
        decision_number_take(issuer=issuer, year=2026, register_number="125")
    assert "đã được dùng" in taken.value.message_dict["register_number"][0]


def test_counter_numbering_refuses_a_typed_number_and_skips_numbers_taken(people):
    issuer = unit("BT")
    with pytest.raises(ValidationError):
        decision_number_take(issuer=issuer, year=2026, register_number="12")
    Decision.objects.create(
        issuer=issuer,
        year=2026,
        sequence=1,
        number="01/QĐ-UBND",
        title="x",
        signed_on=SIGNED_ON,
        signer=people.chairman,
    )
    assert decision_number_take(issuer=issuer, year=2026) == (2, "02/QĐ-UBND")


def test_only_award_types_carrying_a_certificate_get_one(people):
    issuer = unit("BT")
    decision = Decision.objects.create(
        issuer=issuer,
        year=2026,
        sequence=3,
        number="03/QĐ-UBND",
        title="Về việc khen thưởng",
        signed_on=SIGNED_ON,
        signer=people.chairman,
        total_amount=Decimal("3050000"),
    )
    rows = []
    for index, code in enumerate(["lao_dong_tien_tien", "bang_khen_tinh"], start=1):
        nominee = Nominee.objects.create(kind="individual", full_name=f"Người {index}", unit=unit("BT.MCN"))
        nomination = Nomination.objects.create(
            nominee=nominee,
            unit=unit("BT.MCN"),
            award_type=_award(code),
            period_year=2025,
            achievements="Hoàn thành xuất sắc nhiệm vụ",
            deciding_unit=issuer,
            created_by=people.clerk,
        )
        rows.append(
            Certificate.objects.create(
                decision=decision,
                nomination=nomination,
                serial=f"T-{index}",
                verification_code=f"v{index}",
                amount=Decimal("710000" if index == 1 else "2340000"),
            )
        )
    assert not _award("lao_dong_tien_tien").carries_certificate
    documents.decision_documents_render(decision.pk)
    rows[0].refresh_from_db(), rows[1].refresh_from_db()
    assert not rows[0].pdf and rows[1].pdf
    assert decision.pk not in documents.decisions_missing_documents(timezone.now())


def test_print_on_blank_places_only_the_variable_fields_and_a_test_page_shows_positions(client, people):
    from django.urls import reverse

    from approvals.models import PrintLayout

    issuer = unit("BT")
    decision = Decision.objects.create(
        issuer=issuer,
        year=2026,
        sequence=4,
        number="04/QĐ-UBND",
        title="Về việc khen thưởng",
        signed_on=SIGNED_ON,
        signer=people.chairman,
        total_amount=Decimal("2340000"),
    )
    nominee = Nominee.objects.create(
        kind="individual", full_name="Phan Thị Thu", gender="female", unit=unit("BT.MCN")
    )
    nomination = Nomination.objects.create(
        nominee=nominee,
        unit=unit("BT.MCN"),
        award_type=_award("bang_khen_tinh"),
        period_year=2025,
        achievements="Hoàn thành xuất sắc nhiệm vụ",
        deciding_unit=issuer,
        created_by=people.clerk,
    )
    certificate = Certificate.objects.create(
        decision=decision,
        nomination=nomination,
        serial="P-1",
        verification_code="p1",
        amount=Decimal("2340000"),
    )
    PrintLayout.objects.create(award_code="bang_khen_tinh", page_width_mm=280, page_height_mm=200)
    reader, text = _pdf_text(documents.certificate_print_pdf(certificate))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (280, 200)
    assert "Bà Phan Thị Thu" in text and "Quyết định số 04/QĐ-UBND ngày 05/01/2026" in text and "P-1" in text
    assert (
        "BẰNG KHEN" not in text and "CỘNG HÒA" not in text and "2.340.000" not in text
    )  # the blank has those
    _reader, test_page = _pdf_text(documents.print_test_pdf("bang_khen_tinh"))
    assert "addressee (40, 95 mm)" in test_page and "Ông Nguyễn Văn Mẫu" in test_page
    url = reverse("documents:certificate_print", args=[certificate.pk])
    client.force_login(people.outsider)
    assert client.get(url).status_code == 404
    client.force_login(people.chairman)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_long_annex_laid_out_in_parts_reads_as_one_list(people, monkeypatch):
    """A long annex is laid out a few rows at a time (bounded memory) and joined: the same pages as one layout, every
    row once and in order, rows never split, the title once, the total on the last page, pages numbered on."""
    import re

    certificates = [_certificate(people, i, f"Nguyễn Văn Số {i}") for i in range(1, 41)]
    decision = _decision(people, total=2340000 * 40)
    whole, _ = _pdf_text(documents.decision_pdf_bytes(decision, certificates))
    monkeypatch.setattr(documents, "ANNEX_ROWS_PER_PART", 15)  # more than a page holds (~12)
    reader, text = _pdf_text(documents.decision_pdf_bytes(decision, certificates))
    assert len(reader.pages) == len(whole.pages) > 3
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    names = [int(n) for n in re.findall(r"Nguyễn Văn Số (\d+)", text)]
    assert names == list(range(1, 41))
    for page in pages[1:]:  # each page's rows are whole: a row's name and its achievement on the same page
        assert page.count("Nguyễn Văn Số") == page.count("Dũng cảm cứu người")
    assert text.count("DANH SÁCH KHEN THƯỞNG") == 1
    assert [i for i, page in enumerate(pages) if "Tổng cộng" in page] == [len(pages) - 1]
    assert "93.600.000" in pages[-1]
    for number, page in enumerate(pages[1:], start=2):
        assert re.search(rf"(^|\s){number}(\s|$)", page), (number, page[:80])
