"""Personas and builders shared by the suites (alice/bob/charlie style, from the demo province)."""

import io
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from nominations import catalogue
from nominations.models import AwardType, DossierKind, Movement
from organisation.models import Unit
from workflows import demo

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ensure_reference_data():
    """Load the catalogue and the demo province unless present (transactional tests flush them)."""
    if not AwardType.objects.exists():
        catalogue.load(django_apps)
    if not Unit.objects.filter(code="VL").exists():
        demo.build()


@dataclass
class Personas:
    clerk: object
    head: object
    district_reviewer: object
    district_chairman: object
    province_reviewer: object
    secretary: object
    council_member: object
    chairman: object
    inspector: object
    admin: object
    dept_clerk: object
    dept_head: object
    dept_reviewer: object
    other_clerk: object
    other_reviewer: object
    vl_clerk: object
    vl_head: object
    vl_reviewer: object
    vl_secretary: object
    vl_chairman: object
    outsider: object


def personas():
    ensure_reference_data()
    users = {u.username: u for u in get_user_model().objects.all()}
    return Personas(**{name: users[name] for name in Personas.__dataclass_fields__})


def unit(code):
    return Unit.objects.get(code=code)


def award(code):
    return AwardType.version_on(code)


def movement():
    return Movement.objects.get(code="dong_khoi_moi_2020_2025")


def pdf_upload(name="bao-cao-thanh-tich.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def file_nomination(
    actor,
    unit_code="BT.MCN.DINHTHUY",
    award_code="bang_khen_tinh",
    full_name="Nguyễn Văn An",
    kind="individual",
    route="standard",
    with_dossier=True,
    year=None,
    event_on=None,
    **nominee,
):
    """File a nomination through the service, with the dossier the route requires (a fast-track feat today)."""
    from django.utils import timezone

    from nominations.services import dossier_file_add
    from workflows.services import nomination_file

    nomination = nomination_file(
        actor=actor,
        unit=unit(unit_code),
        award_type=award(award_code),
        movement=movement(),
        nominee_data={
            "kind": kind,
            "full_name": full_name,
            "gender": "male",
            "birth_year": 1980,
            "position": "Chủ tịch UBND xã",
            **nominee,
        },
        period_year=year or timezone.localdate().year,
        achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
        route=route,
        event_on=event_on or (timezone.localdate() if route == "fast_track" else None),
    )
    if with_dossier:
        kinds = [DossierKind.ACHIEVEMENT_REPORT, DossierKind.SUBMISSION]
        if award_code in ("chien_si_thi_dua_co_so", "chien_si_thi_dua_tinh"):
            kinds.append(DossierKind.INITIATIVE_CERTIFICATE)
        for kind_ in kinds:
            dossier_file_add(
                actor=actor, nomination=nomination, kind=kind_, uploaded=pdf_upload(f"{kind_}.pdf")
            )
    return nomination


# A collective title the province's full council votes on (≥ 80% of all members, DOMAIN.md §3), after its public
# posting; Tập thể lao động xuất sắc is vetted by the standing council and never reaches a vote.
VOTED_COLLECTIVE = "co_thi_dua_tinh"


def posting_window_pass(nominations):
    """Let the public posting of `nominations` run out: travel to the morning after the last of their windows closes
    and fire the due timers, as the beat schedule does (every window closed by then ends too). They then wait for
    the council vote. Filed today, their vote task is dated in the future: `to_council_vote` files them earlier."""
    from datetime import datetime, time, timedelta

    import time_machine
    from django.utils import timezone

    from approvals.models import Posting
    from workflows.steps import timers_fire_due

    closes_on = max(Posting.objects.filter(nomination__in=nominations).values_list("closes_on", flat=True))
    morning = timezone.make_aware(datetime.combine(closes_on + timedelta(days=1), time(8)))
    with time_machine.travel(morning, tick=False):
        timers_fire_due()


def to_council_vote(people, *names, award_code=VOTED_COLLECTIVE, unit_code="BT.MCN.DINHTHUY"):
    """File collectives named `names` for `award_code`, take them through review, appraisal and the public posting
    to the province council's vote; return them in order. The filing happens a month ago, so the posting window
    has closed by today and every task and event of theirs is in the past, in order."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from workflows.services import appraisal_approve, nomination_submit, open_task_of, review_forward

    nominations, year = [], timezone.localdate().year
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        for name in names:
            nomination = file_nomination(
                people.clerk,
                unit_code=unit_code,
                award_code=award_code,
                kind="collective",
                full_name=name,
                year=year,
            )
            nomination_submit(actor=people.head, nomination=nomination)
            review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
            appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
            nominations.append(nomination)
    if AwardType.version_on(award_code).requires_public_posting:
        posting_window_pass(nominations)
    for nomination in nominations:
        assert open_task_of(nomination).step == "tally_vote", nomination
        nomination.refresh_from_db()
    return nominations


def xlsx_bytes():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def open_dong_khoi_round(actor, year=2026, opens_on=None, closes_on=None, conferral_on=None):
    """Open the Công dân Đồng Khởi round of `year` (window 01/10 – 30/11) with the province's advisory council."""
    from datetime import date

    from nominations.honours import round_open
    from organisation.models import Council, CouncilKind

    council = Council.objects.get(unit__code="BT", kind=CouncilKind.ADVISORY)
    return round_open(
        actor=actor,
        year=year,
        council=council,
        opens_on=opens_on or date(year, 10, 1),
        closes_on=closes_on or date(year, 11, 30),
        conferral_on=conferral_on,
    )


def file_dong_khoi(
    actor,
    honour_round,
    unit_code="BT.MCN.DINHTHUY",
    variant="tieu_bieu",
    full_name="Nguyễn Thị Định",
    with_dossier=True,
    **nominee,
):
    """File a Công dân Đồng Khởi nomination in `honour_round` through the service, with its achievement report."""
    from nominations.models import Route
    from nominations.services import dossier_file_add
    from workflows.services import nomination_file

    nomination = nomination_file(
        actor=actor,
        unit=unit(unit_code),
        award_type=award("cong_dan_dong_khoi"),
        movement=movement(),
        nominee_data={
            "kind": "individual",
            "full_name": full_name,
            "gender": "female",
            "birth_year": 1960,
            "position": "Nguyên Bí thư Đảng ủy xã",
            **nominee,
        },
        period_year=honour_round.year,
        achievements="Đóng góp đặc biệt xuất sắc cho sự phát triển của tỉnh.",
        route=Route.DONG_KHOI,
        honour_round=honour_round,
        variant=variant,
    )
    if with_dossier:
        dossier_file_add(
            actor=actor,
            nomination=nomination,
            kind=DossierKind.ACHIEVEMENT_REPORT,
            uploaded=pdf_upload("bao-cao-thanh-tich.pdf"),
        )
    return nomination
