"""Council meetings: the secretary opens one, records attendance and the totals of the paper ballots, or lets the
members vote on their own devices, then closes the ballot; members read the agenda and its dossiers; the minutes
are downloaded, signed and uploaded. Every rule is in `approvals.meetings` / `workflows.meetings`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from approvals import meetings as meeting_rules
from approvals.minutes import can_read_minutes, minutes_download
from approvals.models import BallotChoice, BallotMode
from approvals.selectors import councils_run_by, get_meeting_for_user, meetings_for
from nominations.selectors import can_view_sensitive
from web import forms
from web.documents import _attachment
from web.params import id_or_none, posted_ids
from workflows import meetings as meeting_flow


@login_required
def meeting_list(request):
    councils = councils_run_by(request.user)
    form = forms.MeetingOpenForm(councils=councils) if councils.exists() else None
    return render(
        request, "council/meeting_list.html", {"meetings": list(meetings_for(request.user)), "form": form}
    )


@login_required
@require_POST
def meeting_open(request):
    councils = councils_run_by(request.user)
    if not councils.exists():
        raise PermissionDenied
    form = forms.MeetingOpenForm(request.POST, councils=councils)
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_flow.meeting_open(
                actor=request.user,
                council=data["council"],
                held_on=data["held_on"],
                place=data["place"],
                ballot_mode=data["ballot_mode"],
                award_codes=data["award_codes"],
            )
        except ValidationError as exc:
            forms.errors_from_service(form, exc)
        else:
            messages.success(
                request,
                _("Đã mở cuộc họp với %(n)s đề nghị trong chương trình.") % {"n": meeting.items.count()},
            )
            return redirect("council:meeting", pk=meeting.pk)
    context = {"meetings": list(meetings_for(request.user)), "form": form}
    return render(request, "council/meeting_list.html", context, status=400)


def _detail_context(request, meeting, row_errors=None, posted=None):
    user = request.user
    is_secretary = meeting_rules.can_run_meeting(user, meeting.council)
    seat = meeting_rules.seat_of(user, meeting)
    attendance = list(
        meeting.attendance.select_related("member__user").order_by("member__position", "member_id")
    )
    present, written = meeting_rules.attendance_counts(meeting)
    items = list(
        meeting.items.select_related(
            "nomination__nominee", "nomination__award_type", "nomination__unit", "vote"
        )
    )
    row_errors = row_errors or {}
    posted = posted or {}
    casts = meeting_rules.cast_counts(meeting) if meeting.ballot_mode == BallotMode.DEVICE else {}
    for item in items:
        item.cast_count = casts.get(item.pk, 0)
        item.error = row_errors.get(f"item-{item.pk}", "")
        item.posted = posted.get(item.pk, {})
    seat_present = seat is not None and any(row.member_id == seat.pk and row.is_present for row in attendance)
    can_vote = seat_present and meeting.is_open and meeting.ballot_mode == BallotMode.DEVICE
    voted = meeting_rules.voted_item_ids(meeting, seat) if can_vote else set()
    return {
        "meeting": meeting,
        "items": items,
        "attendance": attendance,
        "present_count": present,
        "written_count": written,
        "is_secretary": is_secretary,
        "seat": seat,
        "can_vote": can_vote,
        "to_vote": [item for item in items if item.pk not in voted],
        "voted_count": len(voted),
        "is_device": meeting.ballot_mode == BallotMode.DEVICE,
        "choices": BallotChoice.choices,
        "minutes_form": forms.SignedMinutesForm(),
        "can_read_minutes": can_read_minutes(user, meeting),
        "row_errors": [message for key, message in row_errors.items() if not key.startswith("item-")],
    }


@login_required
@require_GET
def meeting_detail(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    return render(request, "council/meeting_detail.html", _detail_context(request, meeting))


def _secretary_meeting(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    if not meeting_rules.can_run_meeting(request.user, meeting.council):
        raise PermissionDenied
    return meeting


@login_required
@require_POST
def meeting_attendance(request, pk):
    meeting = _secretary_meeting(request, pk)
    try:
        meeting_rules.attendance_record(
            actor=request.user,
            meeting=meeting,
            present_ids=posted_ids(request.POST.getlist("present")),
            written_ids=posted_ids(request.POST.getlist("written")),
        )
    except ValidationError as exc:
        forms.messages_from_service(request, exc)
    else:
        messages.success(request, _("Đã ghi điểm danh."))
    return redirect("council:meeting", pk=pk)


@login_required
@require_POST
def meeting_totals(request, pk):
    """All items' totals in one form; a row that is not a number or does not add up is marked on its row."""
    meeting = _secretary_meeting(request, pk)
    rows, row_errors, posted = {}, {}, {}
    for item in meeting.items.all():
        values = {key: request.POST.get(f"item-{item.pk}-{key}", "") for key in meeting_rules.TOTAL_FIELDS}
        posted[item.pk] = values
        try:
            rows[item.pk] = {key: forms.int_or_none(value) for key, value in values.items()}
        except ValueError:
            row_errors[f"item-{item.pk}"] = _("Dòng %(n)s: số phiếu phải là số nguyên không âm.") % {
                "n": item.order
            }
        else:
            if meeting.ballot_mode == BallotMode.DEVICE:
                rows[item.pk].update(votes_for=0, votes_against=0)
            for key in ("written_for", "written_against"):
                if rows[item.pk][key] is None:
                    rows[item.pk][key] = 0
    if not row_errors:
        try:
            meeting_rules.totals_record(actor=request.user, meeting=meeting, rows=rows)
        except ValidationError as exc:
            row_errors = {key: " ".join(value) for key, value in exc.message_dict.items()}
        else:
            messages.success(request, _("Đã lưu kết quả kiểm phiếu của %(n)s đề nghị.") % {"n": len(rows)})
            return redirect("council:meeting", pk=pk)
    context = _detail_context(request, meeting, row_errors=row_errors, posted=posted)
    return render(request, "council/meeting_detail.html", context, status=400)


@login_required
@require_POST
def meeting_vote(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    choices = {}
    for key, value in request.POST.items():
        item_id = id_or_none(key.removeprefix("choice-")) if key.startswith("choice-") else None
        if item_id is not None:  # "choice-²" or an overlong id is no item, as if not ticked
            choices[item_id] = value
    try:
        count = meeting_rules.ballot_cast(actor=request.user, meeting=meeting, choices=choices)
    except ValidationError as exc:
        forms.messages_from_service(request, exc)
    else:
        messages.success(request, _("Đã ghi %(n)s phiếu kín của bạn.") % {"n": count})
    return redirect("council:meeting", pk=pk)


@login_required
@require_POST
def meeting_close(request, pk):
    meeting = _secretary_meeting(request, pk)
    try:
        meeting_flow.meeting_close(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        row_errors = (
            {key: " ".join(value) for key, value in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"__all__": " ".join(exc.messages)}
        )
        context = _detail_context(request, meeting, row_errors=row_errors)
        return render(request, "council/meeting_detail.html", context, status=400)
    messages.success(request, _("Đã kết thúc bỏ phiếu; kết quả đã chuyển cho từng đề nghị."))
    return redirect("council:meeting", pk=pk)


@login_required
@require_POST
def minutes_signed(request, pk):
    meeting = _secretary_meeting(request, pk)
    form = forms.SignedMinutesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            meeting_rules.minutes_signed_upload(
                actor=request.user, meeting=meeting, uploaded=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            forms.messages_from_service(request, exc)
        else:
            messages.success(request, _("Đã lưu biên bản đã ký."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("council:meeting", pk=pk)


@login_required
@require_GET
def minutes_file(request, pk, kind):
    meeting = get_meeting_for_user(request.user, pk)
    return _attachment(minutes_download(actor=request.user, meeting=meeting, kind=kind))


@login_required
@require_GET
def meeting_item(request, pk, item_pk):
    """One agenda item's dossier, read-only, for the members before and during the meeting; the nominee's citizen ID
    and discipline only to whom the policy shows them (`can_view_sensitive`, as on the nomination page)."""
    meeting = get_meeting_for_user(request.user, pk)
    item = (
        meeting.items.select_related("nomination__nominee", "nomination__award_type", "nomination__unit")
        .filter(pk=item_pk)
        .first()
    )
    if item is None:
        raise Http404
    nomination = item.nomination
    context = {
        "meeting": meeting,
        "item": item,
        "nomination": nomination,
        "nominee": nomination.nominee,
        "show_sensitive": can_view_sensitive(request.user, nomination),
        "files": list(nomination.files.all()),
        "reviews": list(nomination.reviews.select_related("unit").order_by("at")),
    }
    return render(request, "council/meeting_item.html", context)
