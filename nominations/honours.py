"""The annual "Công dân Đồng Khởi" title (QĐ 40/2020/QĐ-UBND): rounds, their nomination window, the rules a
nomination of a round must meet, and the public golden book.

A round is opened by the province's emulation office (province reviewers) with the advisory council that selects
the holders; units file during the window; the council votes; the chairman signs while the round is open; closing
the round ends it, and no decision can be signed for it afterwards.
"""

from datetime import date

import holidays
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import event_record
from nominations.models import (
    OPEN_STATUSES,
    AwardHistory,
    HonourRound,
    Nomination,
    RoundStatus,
    Route,
    Status,
)
from organisation.models import CouncilKind, Tier
from organisation.policy import scope_of
from organisation.text import fold

DONG_KHOI_CODE = "cong_dan_dong_khoi"
# Departments, localities and organisations nominate; the province itself and emulation clusters do not.
NOMINATING_TIERS = {Tier.DEPARTMENT, Tier.DISTRICT, Tier.BASE}
# The province reviewers (Ban Thi đua – Khen thưởng) run the round.
ROUND_PERMISSION = "appraise_nomination"
WEEKDAYS = [
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ nhật"),
]


class Variant(models.TextChoices):
    TIEU_BIEU = "tieu_bieu", gettext_lazy("Công dân Đồng Khởi tiêu biểu")
    DANH_DU = "danh_du", gettext_lazy("Công dân Đồng Khởi danh dự")


def conferral_default(year):
    """Return the conferral day of the round of `year`: the Đồng Khởi anniversary, 17 January of the next year."""
    return date(year + 1, 1, 17)


def conferral_note(day):
    """Return the weekday of a conferral day and, when it is a day off, say so: the ceremony keeps its date."""
    weekday = str(WEEKDAYS[day.weekday()])
    holiday = holidays.country_holidays("VN", years=day.year, language="vi").get(day)
    if holiday:
        return _("%(weekday)s, ngày nghỉ lễ %(holiday)s") % {"weekday": weekday, "holiday": holiday}
    if day.weekday() >= 5:
        return _("%(weekday)s, ngày nghỉ cuối tuần") % {"weekday": weekday}
    return weekday


def _check_runs_rounds(actor, council):
    if council is None or not scope_of(actor).can(ROUND_PERMISSION, council.unit_id):
        raise PermissionDenied


@transaction.atomic
def round_open(*, actor, year, council, opens_on, closes_on, conferral_on=None):
    """Open the round of `year` with its advisory council and nomination window."""
    _check_runs_rounds(actor, council)
    conferral_on = conferral_on or conferral_default(year)
    errors = {}
    if council.kind != CouncilKind.ADVISORY or not council.is_active:
        errors["council"] = _("Phải chọn Hội đồng tư vấn xét tặng danh hiệu đang hoạt động.")
    elif council.unit.tier != Tier.PROVINCE:
        errors["council"] = _("Hội đồng tư vấn phải là hội đồng cấp tỉnh.")
    if opens_on > closes_on:
        errors["closes_on"] = _("Ngày kết thúc nhận hồ sơ phải sau ngày bắt đầu.")
    elif closes_on >= conferral_on:
        errors["conferral_on"] = _("Ngày trao tặng phải sau thời hạn nhận hồ sơ (%(closes)s).") % {
            "closes": f"{closes_on:%d/%m/%Y}"
        }
    if opens_on.year not in (year, year + 1) and "closes_on" not in errors:
        errors["opens_on"] = _(
            "Đợt xét năm %(year)s phải nhận hồ sơ trong năm %(year)s hoặc đầu năm sau."
        ) % {"year": year}
    existing = HonourRound.objects.select_for_update().filter(year=year).first()
    if existing is not None and existing.status != RoundStatus.PLANNED:
        errors["year"] = _("Đợt xét Công dân Đồng Khởi năm %(year)s đã được mở.") % {"year": year}
    if errors:
        raise ValidationError(errors)
    honour_round = existing or HonourRound(year=year)
    honour_round.opens_on, honour_round.closes_on, honour_round.conferral_on = (
        opens_on,
        closes_on,
        conferral_on,
    )
    honour_round.council = council
    honour_round.status = RoundStatus.OPEN
    honour_round.save()
    event_record(
        action="honour_round.open",
        actor=actor,
        obj=honour_round,
        role="reviewer",
        unit_code=council.unit.code,
        data={
            "year": year,
            "council": council.pk,
            "opens_on": opens_on.isoformat(),
            "closes_on": closes_on.isoformat(),
            "conferral_on": conferral_on.isoformat(),
            "conferral_note": conferral_note(conferral_on),
        },
    )
    return honour_round


@transaction.atomic
def round_close(*, actor, honour_round):
    """End the round: no nomination and no decision for it afterwards. In-flight nominations stay where they are."""
    honour_round = (
        HonourRound.objects.select_for_update(of=("self",))
        .select_related("council__unit")
        .get(pk=honour_round.pk)
    )
    _check_runs_rounds(actor, honour_round.council)
    if honour_round.status == RoundStatus.CLOSED:
        raise ValidationError(
            {"status": _("Đợt xét năm %(year)s đã kết thúc.") % {"year": honour_round.year}}
        )
    pending = honour_round.nominations.filter(status__in=OPEN_STATUSES).count()
    honour_round.status = RoundStatus.CLOSED
    honour_round.save(update_fields=["status"])
    event_record(
        action="honour_round.close",
        actor=actor,
        obj=honour_round,
        role="reviewer",
        unit_code=honour_round.council.unit.code,
        data={"year": honour_round.year, "pending_nominations": pending},
    )
    return honour_round


def round_window_error(honour_round, day=None):
    """Return why the round does not take nominations on `day`, or None when it does."""
    day = day or timezone.localdate()
    if honour_round.status != RoundStatus.OPEN:
        return _("Đợt xét Công dân Đồng Khởi năm %(year)s chưa mở hoặc đã kết thúc.") % {
            "year": honour_round.year
        }
    if not (honour_round.opens_on <= day <= honour_round.closes_on):
        return _("Đợt xét Công dân Đồng Khởi năm %(year)s chỉ nhận hồ sơ từ %(opens)s đến %(closes)s.") % {
            "year": honour_round.year,
            "opens": f"{honour_round.opens_on:%d/%m/%Y}",
            "closes": f"{honour_round.closes_on:%d/%m/%Y}",
        }
    return None


def nomination_round_errors(*, unit, award_type, route, honour_round, variant, period_year, nominee_data):
    """Return {field: message} for a nomination that breaks the rules of the title or of its round."""
    is_title = award_type.code == DONG_KHOI_CODE
    if route != Route.DONG_KHOI and not is_title:
        if honour_round is not None:
            return {"round": _("Chỉ đề nghị danh hiệu Công dân Đồng Khởi mới thuộc một đợt xét.")}
        return {}
    if route != Route.DONG_KHOI:
        return {"award_type": _("Danh hiệu Công dân Đồng Khởi chỉ được đề nghị trong đợt xét hằng năm.")}
    if not is_title:
        return {"award_type": _("Đợt xét Công dân Đồng Khởi chỉ nhận đề nghị danh hiệu Công dân Đồng Khởi.")}
    if honour_round is None:
        return {"round": _("Vui lòng chọn đợt xét Công dân Đồng Khởi.")}
    # Read the round afresh: the caller's copy may predate its closing.
    honour_round = HonourRound.objects.select_related("council__unit").get(pk=honour_round.pk)
    errors = {}
    window = round_window_error(honour_round)
    if window:
        errors["round"] = window
    if unit.tier not in NOMINATING_TIERS:
        errors["unit"] = _(
            "Chỉ sở, ban, ngành, địa phương và cơ quan, tổ chức được đề nghị danh hiệu Công dân Đồng Khởi."
        )
    elif honour_round.council and not unit.is_within(honour_round.council.unit):
        errors["unit"] = _("Đơn vị không thuộc tỉnh tổ chức đợt xét.")
    if variant not in Variant.values:
        errors["variant"] = _(
            "Vui lòng chọn danh hiệu tiêu biểu (người của tỉnh) hoặc danh dự (người ngoài tỉnh)."
        )
    if int(period_year or 0) != honour_round.year:
        errors["period_year"] = _("Năm đề nghị phải là năm của đợt xét (%(year)s).") % {
            "year": honour_round.year
        }
    if "round" not in errors and person_already_nominated(
        honour_round=honour_round, nominee_data=nominee_data
    ):
        errors["nominee"] = _("Người này đã được đề nghị trong đợt xét Công dân Đồng Khởi năm %(year)s.") % {
            "year": honour_round.year
        }
    held = "nominee" not in errors and person_holds_title(nominee_data=nominee_data)
    if held:
        # The golden book is public: saying the title is already held reveals nothing that is not published.
        errors["nominee"] = _(
            "Người này đã được tặng danh hiệu Công dân Đồng Khởi năm %(year)s; danh hiệu chỉ tặng một lần cho mỗi "
            "người (Quyết định 40/2020/QĐ-UBND)."
        ) % {"year": held}
    return errors


def person_holds_title(*, nominee_data):
    """Return the year a person (citizen ID, or name and birth year) was awarded the title in any round, or None."""
    same = Q(pk__in=[])
    citizen_id = (nominee_data.get("citizen_id") or "").strip()
    if citizen_id:
        same |= Q(person__citizen_id=citizen_id) | Q(nominee__citizen_id=citizen_id)
    name = fold(nominee_data.get("full_name") or "")
    if name:
        birth_year = nominee_data.get("birth_year") or None
        same |= Q(person__name_folded=name, person__birth_year=birth_year)
    return (
        AwardHistory.objects.filter(same, award_code=DONG_KHOI_CODE, is_revoked=False)
        .order_by("year")
        .values_list("year", flat=True)
        .first()
    )


def person_already_nominated(*, honour_round, nominee_data):
    """Tell whether the same person (citizen id, or name and birth year) is already in the round, from any unit."""
    same = Q(pk__in=[])
    citizen_id = (nominee_data.get("citizen_id") or "").strip()
    if citizen_id:
        same |= Q(nominee__citizen_id=citizen_id)
    name = fold(nominee_data.get("full_name") or "")
    if name:
        same |= Q(nominee__name_folded=name, nominee__birth_year=nominee_data.get("birth_year") or None)
    return Nomination.objects.filter(same, round=honour_round).exists()


def sign_errors(nominations):
    """Return why these nominations cannot be signed together now, or None (rounds closed, rounds mixed)."""
    rounds = {n.round_id for n in nominations}
    if rounds == {None}:
        return None
    if len(rounds) != 1:
        return _("Một quyết định tặng danh hiệu Công dân Đồng Khởi chỉ gồm các đề nghị của cùng một đợt xét.")
    # Lock the round row: a close committing meanwhile waits for this signature, or this one sees it closed.
    honour_round = HonourRound.objects.select_for_update().get(pk=rounds.pop())
    if honour_round.status == RoundStatus.CLOSED:
        return _("Đợt xét Công dân Đồng Khởi năm %(year)s đã kết thúc: không thể ký quyết định.") % {
            "year": honour_round.year
        }
    return None


def decision_title(nominations):
    """Return the decision title for a round's nominations, or None for other awards."""
    first = nominations[0]
    if first.round_id is None:
        return None
    return _("Về việc tặng danh hiệu “Công dân Đồng Khởi” năm %(year)s") % {"year": first.round.year}


def vote_council_errors(*, nomination, members_total):
    """Return (council, error): a round's vote counts all members of its advisory council."""
    honour_round = nomination.round
    if honour_round is None or honour_round.council is None:
        return None, None
    council = honour_round.council
    size = council.size_on()
    if members_total != size:
        return council, _("%(council)s có %(total)s thành viên; tỷ lệ tính trên tổng số thành viên.") % {
            "council": council.name,
            "total": size,
        }
    return council, None


def golden_book():
    """Return [{year, conferral_on, conferral_note, holders}] newest first: every holder, public fields only."""
    rows = (
        AwardHistory.objects.filter(
            award_code=DONG_KHOI_CODE, is_revoked=False, nomination__round__isnull=False
        )
        .exclude(nomination__status=Status.REVOKED)
        .select_related("nominee__unit", "nomination__round")
        .order_by("-year", "nominee__name_folded", "pk")
    )
    years = {}
    for row in rows:
        honour_round = row.nomination.round
        entry = years.setdefault(
            honour_round.year,
            {
                "year": honour_round.year,
                "conferral_on": honour_round.conferral_on,
                "conferral_note": conferral_note(honour_round.conferral_on),
                "holders": [],
            },
        )
        entry["holders"].append(
            {
                "name": row.nominee.full_name,
                "variant": Variant(row.nomination.variant).label
                if row.nomination.variant in Variant.values
                else "",
                "position": row.nominee.position,
                "unit": row.nominee.unit.name,
                "decision_number": row.decision_number,
                "decided_on": row.decided_on,
            }
        )
    return list(years.values())
