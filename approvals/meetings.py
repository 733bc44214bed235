"""A council meeting as it is held: attendance, the secretary's totals (paper ballots) or the members' secret
ballots (their own devices), the tally, and the signed minutes. Opening and closing a meeting move nominations,
so they are `workflows.meetings` functions; the writes here move no task.

The secret ballot is two tables written in one transaction: `Ballot` (item, choice: no voter, no time) and
`BallotCast` (item, member: no choice). A unique constraint on `BallotCast` makes a second vote fail, and the
ballot of that attempt rolls back with it, so the two tables always count the same.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from fast_update.fast import fast_update

from approvals.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotCast,
    BallotChoice,
    BallotMode,
    Meeting,
    MeetingStatus,
)
from audit.services import event_record
from organisation.models import Role
from organisation.policy import scope_of

SECRETARY_PERMISSION = "record_vote"


def _needed(members_total, share):
    return int((Decimal(members_total) * share).to_integral_value(ROUND_CEILING))


@dataclass(frozen=True)
class Tally:
    """A vote counted over all members of the council (DOMAIN.md §4): who was present, what counted."""

    members_total: int
    members_present: int
    votes_for: int
    votes_against: int
    written_for: int
    written_against: int
    counts_written: bool
    quorum: Decimal
    threshold: Decimal

    @property
    def needed_present(self):
        return _needed(self.members_total, self.quorum)

    @property
    def needed_for(self):
        return _needed(self.members_total, self.threshold)

    @property
    def counted_for(self):
        return self.votes_for + (self.written_for if self.counts_written else 0)

    @property
    def quorum_met(self):
        return self.members_present >= self.needed_present

    @property
    def passed(self):
        return self.quorum_met and self.counted_for >= self.needed_for

    @property
    def share_for(self):
        """The votes for as a percentage of all members, one decimal (what the minutes print)."""
        if not self.members_total:
            return Decimal("0")
        return (Decimal(100) * self.counted_for / self.members_total).quantize(Decimal("0.1"))


def tally_errors(
    *, members_total, members_present, votes_for, votes_against, written_for=0, written_against=0
):
    """Return {field: message} for totals that do not add up (empty when they do)."""
    errors = {}
    if min(members_total, members_present, votes_for, votes_against, written_for, written_against) < 0:
        errors["votes_for"] = _("Các con số không được âm.")
        return errors
    if members_total <= 0:
        errors["members_total"] = _("Tổng số thành viên phải lớn hơn 0.")
    if members_present > members_total:
        errors["members_present"] = _("Số thành viên có mặt không được vượt quá tổng số thành viên.")
    if votes_for + votes_against > members_present:
        errors["votes_for"] = _(
            "Tổng số phiếu đồng ý và không đồng ý (%(sum)s) vượt quá số thành viên có mặt (%(present)s)."
        ) % {"sum": votes_for + votes_against, "present": members_present}
    if written_for + written_against > max(members_total - members_present, 0):
        errors["written_for"] = _(
            "Số ý kiến bằng văn bản (%(sum)s) vượt quá số thành viên vắng mặt (%(absent)s)."
        ) % {"sum": written_for + written_against, "absent": max(members_total - members_present, 0)}
    return errors


def tally_of(*, award_type, **totals):
    """Check the totals and return the `Tally` under `award_type`'s quorum and threshold, or raise."""
    totals = {"written_for": 0, "written_against": 0, **totals}
    errors = tally_errors(**totals)
    if errors:
        raise ValidationError(errors)
    return Tally(
        **totals,
        counts_written=award_type.counts_written_opinions,
        quorum=award_type.quorum,
        threshold=award_type.vote_threshold,
    )


# --------------------------------------------------------------------------------------------- who may do what
def can_run_meeting(user, council):
    """The council's secretary (the record_vote role at the council's unit) opens, records and closes."""
    return scope_of(user).can(SECRETARY_PERMISSION, council.unit_id)


def seat_of(user, meeting):
    """Return the user's seat in the meeting's council on the meeting day, or None."""
    if not user.is_authenticated:
        return None
    return meeting.council.members_on(meeting.held_on).filter(user=user).first()


@dataclass(frozen=True)
class Viewer:
    """What one user may do in one meeting (`viewer_of`)."""

    is_secretary: bool
    seat: object  # their CouncilMember on the meeting day, or None
    is_present: bool
    can_vote: bool
    voted_item_ids: frozenset  # the items they have voted on, never how


def viewer_of(user, meeting):
    """Run the meeting (the secretary); vote from their own device (a seat marked present, an open meeting with
    device ballots); and the items already voted on by them."""
    seat = seat_of(user, meeting)
    present = seat is not None and meeting.attendance.filter(member=seat, is_present=True).exists()
    return Viewer(
        is_secretary=can_run_meeting(user, meeting.council),
        seat=seat,
        is_present=present,
        can_vote=present and meeting.is_open and meeting.ballot_mode == BallotMode.DEVICE,
        voted_item_ids=frozenset(voted_item_ids(meeting, seat) if seat is not None else ()),
    )


def _require_secretary(actor, meeting):
    if not can_run_meeting(actor, meeting.council):
        raise PermissionDenied


def meeting_locked_open(meeting):
    meeting = Meeting.objects.select_for_update().select_related("council__unit").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.OPEN:
        raise ValidationError(_("Cuộc họp đã kết thúc bỏ phiếu."))
    return meeting


def meeting_audit(meeting, actor, action, data, role=Role.COUNCIL_SECRETARY):
    event_record(
        action=action,
        actor=actor,
        obj=meeting,
        chain=f"meeting:{meeting.pk}",
        role=role,
        unit_code=meeting.council.unit.code,
        data=data,
    )


# --------------------------------------------------------------------------------------------- attendance
@transaction.atomic
def attendance_record(*, actor, meeting, present_ids, written_ids=()):
    """Mark who is present (member ids) and which absent members sent written opinions."""
    _require_secretary(actor, meeting)
    meeting = meeting_locked_open(meeting)
    present_ids, written_ids = set(map(int, present_ids)), set(map(int, written_ids))
    if BallotCast.objects.filter(item__meeting=meeting).exists():
        raise ValidationError({"attendance": _("Đã có thành viên bỏ phiếu: không sửa điểm danh được nữa.")})
    rows = list(meeting.attendance.select_related("member"))
    known = {row.member_id for row in rows}
    if not present_ids <= known or not written_ids <= known:
        raise ValidationError({"attendance": _("Có người không thuộc Hội đồng trong danh sách điểm danh.")})
    both = present_ids & written_ids
    if both:
        raise ValidationError(
            {
                "attendance": _("Thành viên có mặt không gửi ý kiến bằng văn bản (%(n)s người).")
                % {"n": len(both)}
            }
        )
    for row in rows:
        row.is_present = row.member_id in present_ids
        row.sent_written_opinion = row.member_id in written_ids
    Attendance.objects.bulk_update(rows, ["is_present", "sent_written_opinion"])
    meeting_audit(
        meeting,
        actor,
        "meeting.attendance",
        {
            "present": sorted(present_ids),
            "written": sorted(written_ids),
            "members_total": meeting.members_total,
        },
    )
    return meeting


def attendance_counts(meeting):
    """Return (present, absent with a written opinion)."""
    counts = Counter(meeting.attendance.values_list("is_present", "sent_written_opinion"))
    return counts[(True, False)] + counts[(True, True)], counts[(False, True)]


# --------------------------------------------------------------------------------------------- paper totals
TOTAL_FIELDS = ("votes_for", "votes_against", "written_for", "written_against")


class RowErrors(ValidationError):
    """Refused totals: one sentence per row keyed `item-<id>` (what the page shows on the row), and `rows`, the same
    refusal field by field, {item id: {field: [message]}} (what the API answers per row)."""

    def __init__(self, messages, rows):
        super().__init__(messages)
        self.rows = rows


@transaction.atomic
def totals_record(*, actor, meeting, rows):
    """Enter every item's totals in one go: `rows` maps item id → {votes_for, votes_against, written_for,
    written_against}. Each row is checked; any bad row refuses all, with one message per row (key `item-<id>`).

    With device ballots only the written opinions are entered here: the votes are counted from the ballots.
    """
    _require_secretary(actor, meeting)
    meeting = meeting_locked_open(meeting)
    present, written_senders = attendance_counts(meeting)
    items = {item.pk: item for item in meeting.items.select_related("nomination__nominee")}
    errors, fields = {}, {}
    device = meeting.ballot_mode == BallotMode.DEVICE
    for item_id, values in rows.items():
        item = items.get(int(item_id))
        if item is None:
            errors[f"item-{item_id}"] = _("Đề nghị không thuộc chương trình họp.")
            fields[int(item_id)] = {"item": [errors[f"item-{item_id}"]]}
            continue
        values = {key: values.get(key) for key in TOTAL_FIELDS}
        if device:
            values["votes_for"] = values["votes_against"] = 0
        missing = [key for key, value in values.items() if value is None]
        if missing:
            errors[f"item-{item.pk}"] = _("Dòng %(n)s: chưa nhập đủ số phiếu.") % {"n": item.order}
            fields[item.pk] = {key: [_("Nhập số phiếu.")] for key in missing}
            continue
        problems = tally_errors(members_total=meeting.members_total, members_present=present, **values)
        if values["written_for"] + values["written_against"] > written_senders:
            problems["written_for"] = _(
                "Số ý kiến bằng văn bản vượt quá số thành viên vắng mặt đã gửi ý kiến (%(n)s)."
            ) % {"n": written_senders}
        if problems:
            errors[f"item-{item.pk}"] = _("Dòng %(n)s (%(name)s): %(problems)s") % {
                "n": item.order,
                "name": item.nomination.nominee.full_name,
                "problems": " ".join(str(message) for message in problems.values()),
            }
            fields[item.pk] = {key: [str(message)] for key, message in problems.items()}
            continue
        for key, value in values.items():
            if device and key in ("votes_for", "votes_against"):
                continue
            setattr(item, key, value)
    if errors:
        raise RowErrors(errors, fields)
    changed = list(dict.fromkeys(items[int(item_id)] for item_id in rows))  # "5" and 5 name one row
    fields = ["written_for", "written_against"] if device else list(TOTAL_FIELDS)
    # One UPDATE … FROM (VALUES …) per 1,000 rows, as workflows.bulk.rows_update writes (a layer above): Django's
    # bulk_update builds a CASE per column and row, ~0.5 s of Python for a 500-item agenda.
    fast_update(AgendaItem._base_manager.all(), changed, fields, 1000, unfiltered=True)
    meeting_audit(
        meeting,
        actor,
        "meeting.totals",
        {"items": {str(item.pk): {key: getattr(item, key) for key in fields} for item in changed}},
    )
    return meeting


# --------------------------------------------------------------------------------------------- device ballots
def ballot_cast(*, actor, meeting, choices):
    """Cast the member's secret ballots: `choices` maps item id → "for" / "against". All or nothing; a second
    ballot on an item is refused (unique `BallotCast`), whatever the timing."""
    try:
        with transaction.atomic():
            return _ballot_cast(actor, meeting, choices)
    except IntegrityError:
        raise ValidationError(
            {"choices": _("Bạn đã bỏ phiếu cho đề nghị này; mỗi thành viên chỉ bỏ một phiếu.")}
        )


def _ballot_cast(actor, meeting, choices):
    meeting = meeting_locked_open(meeting)
    seat = seat_of(actor, meeting)
    if seat is None:
        raise PermissionDenied
    if meeting.ballot_mode != BallotMode.DEVICE:
        raise ValidationError({"choices": _("Cuộc họp này bỏ phiếu giấy: thư ký nhập kết quả kiểm phiếu.")})
    if not meeting.attendance.filter(member=seat, is_present=True).exists():
        raise ValidationError({"choices": _("Chỉ thành viên có mặt tại cuộc họp được bỏ phiếu.")})
    if not choices:
        raise ValidationError({"choices": _("Chưa chọn phiếu nào.")})
    item_ids = set(meeting.items.values_list("pk", flat=True))
    ballots, casts = [], []
    for item_id, choice in choices.items():
        if int(item_id) not in item_ids:
            raise ValidationError({"choices": _("Đề nghị không thuộc chương trình họp.")})
        if choice not in BallotChoice.values:
            raise ValidationError({"choices": _("Phiếu không hợp lệ.")})
        casts.append(BallotCast(item_id=int(item_id), member=seat))
        ballots.append(Ballot(item_id=int(item_id), choice=choice))
    # The casts first: a duplicate fails here, before any ballot is written.
    BallotCast.objects.bulk_create(casts)
    # Shuffle-free: the ballots carry random keys, so their order reveals nothing stored.
    Ballot.objects.bulk_create(ballots)
    meeting_audit(
        meeting, actor, "ballot.cast", {"items": sorted(int(i) for i in choices)}, role=Role.COUNCIL_MEMBER
    )
    return len(ballots)


def ballots_counted(meeting):
    """Return {item id: (for, against)} counted from the secret ballots, in one query."""
    counts = {}
    rows = Ballot.objects.filter(item__meeting=meeting).values("item_id", "choice").annotate(n=Count("id"))
    for row in rows:
        for_, against = counts.get(row["item_id"], (0, 0))
        if row["choice"] == BallotChoice.FOR:
            for_ += row["n"]
        else:
            against += row["n"]
        counts[row["item_id"]] = (for_, against)
    return counts


def voted_item_ids(meeting, seat):
    return set(
        BallotCast.objects.filter(item__meeting=meeting, member=seat).values_list("item_id", flat=True)
    )


# --------------------------------------------------------------------------------------------- signed minutes
@transaction.atomic
def minutes_signed_upload(*, actor, meeting, uploaded):
    """Store the scan of the minutes signed by the chairman and the secretary (after the ballot is closed)."""
    _require_secretary(actor, meeting)
    meeting = Meeting.objects.select_for_update().select_related("council__unit").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.CLOSED:
        raise ValidationError({"file": _("Chỉ tải biên bản đã ký sau khi kết thúc bỏ phiếu.")})
    if uploaded is None:
        raise ValidationError({"file": _("Chọn tệp biên bản đã ký.")})
    meeting.minutes_signed.save(f"bien-ban-hop-{meeting.pk}-da-ky.pdf", uploaded, save=False)
    meeting.minutes_signed_at = timezone.now()
    meeting.save(update_fields=["minutes_signed", "minutes_signed_at"])
    meeting_audit(meeting, actor, "meeting.minutes_signed", {"file": meeting.minutes_signed.name})
    return meeting


def cast_counts(meeting):
    """Return {item id: how many members have voted on it} (the secretary's progress view; never who or how)."""
    rows = BallotCast.objects.filter(item__meeting=meeting).values("item_id").annotate(n=Count("id"))
    return {row["item_id"]: row["n"] for row in rows}
