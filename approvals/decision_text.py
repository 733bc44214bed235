"""The words of a decision, once: every paragraph of the NĐ 30/2020 layout built from the stored decision.

The PDF (`documents/decision.html`) and the .docx (`documents.decision_docx_bytes`) both render this one object,
paragraph by paragraph, so the two files say the same thing; tests compare them.
"""

from dataclasses import dataclass, field

from approvals.models import AgendaItem, SignerPosition, signer_block
from nominations.models import LegalBasis, SubjectType
from organisation.models import Tier
from organisation.text import long_date


def money(amount):
    """2340000 -> '2.340.000' (Vietnamese thousands separator)."""
    return f"{int(amount or 0):,}".replace(",", ".")


def plain(name):
    return name.split(" (")[0]


def is_committee(issuer):
    return issuer.issuer_symbol in ("", "UBND")


def issuer_lines(issuer):
    """(parent line, issuer line) of the heading: a department sits under its people's committee."""
    if is_committee(issuer):
        return "", f"ỦY BAN NHÂN DÂN {plain(issuer.name).upper()}"
    parent = issuer.parent
    parent_line = (
        f"UBND {plain(parent.name).upper()}" if parent is not None and issuer.tier == Tier.DEPARTMENT else ""
    )
    return parent_line, plain(issuer.name).upper()


def authority(issuer):
    if is_committee(issuer):
        return f"CHỦ TỊCH ỦY BAN NHÂN DÂN {plain(issuer.name).upper()}"
    return f"GIÁM ĐỐC {plain(issuer.name).upper()}"


def authority_phrase(issuer):
    """'Chủ tịch Ủy ban nhân dân tỉnh Bến Tre' (in running text)."""
    name = plain(issuer.name)
    if is_committee(issuer):
        return f"Chủ tịch Ủy ban nhân dân {name[:1].lower()}{name[1:]}"
    return f"Giám đốc {name}"


def place(issuer):
    """The place name on the date line: the province's name without 'Tỉnh'."""
    name = plain(issuer.province.name)
    for prefix in ("Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name


def addressee(nominee):
    if nominee.kind == SubjectType.INDIVIDUAL:
        honorific = {"female": "Bà", "male": "Ông"}.get(nominee.gender, "Ông/Bà")
        return f"{honorific} {nominee.full_name}"
    if nominee.kind == SubjectType.HOUSEHOLD:
        return f"Gia đình {nominee.full_name}"
    return nominee.full_name


def sentence(text):
    text = " ".join((text or "").split()).rstrip(".;, ")
    return f"{text}." if text else ""


def _phrase(award_type):
    if award_type.conferral_phrase:
        return award_type.conferral_phrase
    name = award_type.full_name or award_type.name
    return f"Tặng {name}" if award_type.kind == "commendation" else f"Công nhận danh hiệu “{name}”"


def award_heading(award_type):
    """The big line of a certificate face: the award without its issuer ('BẰNG KHEN', 'GIẤY KHEN', or the title)."""
    name = award_type.full_name or award_type.name
    if award_type.kind == "commendation":
        return name.split(" của ")[0].upper()
    return name.upper()


def _counted(certificates):
    collectives = sum(1 for c in certificates if c.nomination.nominee.kind == SubjectType.COLLECTIVE)
    households = sum(1 for c in certificates if c.nomination.nominee.kind == SubjectType.HOUSEHOLD)
    individuals = len(certificates) - collectives - households
    parts = []
    if collectives:
        parts.append(f"{collectives:02d} tập thể")
    if households:
        parts.append(f"{households:02d} hộ gia đình")
    if individuals:
        parts.append(f"{individuals:02d} cá nhân")
    return ", ".join(parts)


@dataclass
class DecisionText:
    parent_line: str
    issuer_line: str
    number_line: str
    nation: str
    motto: str
    place_date: str
    kind: str
    title: str
    authority: str
    bases: list
    proposal: str
    decides: str
    articles: list
    recipients: list
    signer_lines: list
    signer_name: str
    annex_title: str = ""
    annex_note: str = ""
    annex_header: list = field(default_factory=list)
    annex_rows: list = field(default_factory=list)
    annex_total: str = ""
    is_draft: bool = False

    def paragraphs(self):
        """Every paragraph in reading order (annex table cells excluded): what both outputs must contain."""
        head = [
            self.parent_line,
            self.issuer_line,
            self.number_line,
            self.nation,
            self.motto,
            self.place_date,
        ]
        body = [
            self.kind,
            self.title,
            self.authority,
            *self.bases,
            self.proposal,
            self.decides,
            *self.articles,
        ]
        tail = ["Nơi nhận:", *self.recipients, *self.signer_lines, self.signer_name]
        annex = [self.annex_title, self.annex_note] if self.annex_rows else []
        return [p for p in [*head, *body, *tail, *annex] if p]


def _proposal(certificates):
    seen, parts = set(), []
    for cert in certificates:
        submission = cert.nomination.submission
        if submission is None or not submission.number or submission.pk in seen:
            continue
        seen.add(submission.pk)
        on = submission.submitted_at.date()
        parts.append(f"{plain(submission.unit.name)} tại Tờ trình số {submission.number} ngày {on:%d/%m/%Y}")
    if not parts:
        return "Xét đề nghị của Trưởng ban Thi đua – Khen thưởng."
    return "Xét đề nghị của " + "; ".join(parts) + "."


def decision_text(decision, certificates, *, draft=False):
    """Build the decision's paragraphs from the decision and its certificates (with nomination, nominee, unit,
    award type and submission loaded)."""
    issuer = decision.issuer
    parent_line, issuer_line = issuer_lines(issuer)
    day = decision.signed_on
    bases = [basis.citation() for basis in LegalBasis.citations_on(day)]
    bases += [f"Căn cứ {line};" for line in minutes_citations([cert.nomination_id for cert in certificates])]
    groups = {}
    for cert in certificates:
        groups.setdefault(cert.nomination.award_type.pk, []).append(cert)
    several = len(certificates) > 1
    if several:
        conferred = "; ".join(
            f"{_phrase(group[0].nomination.award_type)} cho {_counted(group)}" for group in groups.values()
        )
        article1 = (
            f"Điều 1. {conferred} (có danh sách kèm theo), đã có thành tích nêu tại danh sách kèm theo."
        )
    elif certificates:
        cert = certificates[0]
        nomination = cert.nomination
        who = addressee(nomination.nominee)
        where = ", ".join(part for part in [nomination.nominee.position, plain(nomination.unit.name)] if part)
        article1 = (
            f"Điều 1. {_phrase(nomination.award_type)} cho {who}"
            f"{', ' + where if where else ''}, vì: {sentence(nomination.achievements)}"
        )
    else:
        article1 = "Điều 1."
    source = f"Quỹ thi đua, khen thưởng của {plain(issuer.name)}"
    salary = f"mức lương cơ sở {money(decision.base_salary)} đồng" if decision.base_salary else ""
    if not decision.total_amount:
        article2 = "Điều 2. Hình thức khen thưởng tại Điều 1 không kèm theo tiền thưởng."
    elif several:
        article2 = (
            f"Điều 2. Tổng số tiền thưởng là {money(decision.total_amount)} đồng (mức thưởng của từng trường hợp "
            f"tại danh sách kèm theo{', tính trên ' + salary if salary else ''}), chi từ {source}."
        )
    else:
        cert = certificates[0]
        article2 = (
            f"Điều 2. Kèm theo tiền thưởng {money(cert.amount)} đồng"
            f"{' (' + cert.amount_basis + ')' if cert.amount_basis else ''}, chi từ {source}."
        )
    if is_committee(issuer):
        executors = (
            "Chánh Văn phòng Ủy ban nhân dân, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị có liên quan"
        )
    else:
        executors = "Chánh Văn phòng, Thủ trưởng các phòng, đơn vị có liên quan"
    article3 = (
        f"Điều 3. Quyết định này có hiệu lực kể từ ngày ký. {executors} và các cá nhân, tập thể có tên tại "
        f"Điều 1 chịu trách nhiệm thi hành Quyết định này./."
    )
    recipients = ["- Như Điều 3;"]
    for unit_name in sorted({plain(c.nomination.unit.name) for c in certificates})[:5]:
        recipients.append(f"- {unit_name};")
    recipients.append("- Lưu: VT, TĐKT.")
    signer = decision.signer
    text = DecisionText(
        parent_line=parent_line,
        issuer_line=issuer_line,
        number_line=f"Số: {decision.number}",
        nation="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        motto="Độc lập - Tự do - Hạnh phúc",
        place_date=f"{place(issuer)}, {long_date(day)}",
        kind="QUYẾT ĐỊNH",
        title=decision.title,
        authority=authority(issuer),
        bases=bases,
        proposal=_proposal(certificates),
        decides="QUYẾT ĐỊNH:",
        articles=[article1, article2, article3],
        recipients=recipients,
        signer_lines=signer_block(issuer, decision.signer_position or SignerPosition.HEAD),
        signer_name=signer.get_full_name() or signer.username,
        is_draft=draft,
    )
    if several:
        text.annex_title = "DANH SÁCH KHEN THƯỞNG"
        text.annex_note = (
            f"(Kèm theo Quyết định số {decision.number} {long_date(day)} của {authority_phrase(issuer)})"
        )
        text.annex_header = [
            "STT",
            "Họ tên / Tên tập thể",
            "Chức vụ, đơn vị",
            "Hình thức",
            "Thành tích",
            "Số tiền (đồng)",
        ]
        for index, cert in enumerate(certificates, start=1):
            nomination = cert.nomination
            where = ", ".join(p for p in [nomination.nominee.position, plain(nomination.unit.name)] if p)
            text.annex_rows.append(
                [
                    str(index),
                    nomination.nominee.full_name,
                    where,
                    nomination.award_type.full_name or nomination.award_type.name,
                    sentence(nomination.achievements),
                    money(cert.amount),
                ]
            )
        text.annex_total = money(decision.total_amount)
    return text


def minutes_citations(nomination_ids):
    """Return the council minutes behind `nomination_ids`, one per meeting ("Biên bản họp Hội đồng … ngày …"), in
    meeting order: the decision cites them among its căn cứ (issue 17)."""
    from_meetings = (
        AgendaItem.objects.filter(nomination_id__in=list(nomination_ids), vote__passed=True)
        .select_related("meeting__council")
        .order_by("meeting__held_on", "meeting_id")
    )
    lines, seen = [], set()
    for item in from_meetings:
        if item.meeting_id in seen:
            continue
        seen.add(item.meeting_id)
        lines.append(f"Biên bản họp {item.meeting.council.name} {long_date(item.meeting.held_on)}")
    return lines
