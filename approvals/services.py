"""Writes about votes, postings and decisions. Each records its audit event in its transaction."""

import re
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import reports
from approvals.meetings import tally_of
from approvals.models import (
    Certificate,
    Decision,
    DecisionCounter,
    IssuerNumbering,
    PostingFeedback,
    SignerPosition,
    SignerProfile,
    StatisticsFigure,
    signer_block,
)
from audit.services import event_record
from nominations.models import BaseSalary
from nominations.money import cash_for_nominations
from organisation.models import Role
from organisation.policy import scope_of


class FeedbackRateLimited(ValidationError):
    """Too much feedback from one address or on one posting in the last FEEDBACK_WINDOW_MINUTES (an HTTP 429)."""


def vote_evaluate(
    *, award_type, members_total, members_present, votes_for, votes_against, written_for=0, written_against=0
):
    """Check the tally and apply quorum and threshold (over all members). Return (quorum_met, passed)."""
    tally = tally_of(
        award_type=award_type,
        members_total=members_total,
        members_present=members_present,
        votes_for=votes_for,
        votes_against=votes_against,
        written_for=written_for,
        written_against=written_against,
    )
    return tally.quorum_met, tally.passed


def _feedback_rate_limited(*, posting, sender_ip, now):
    """Return the message if this address or this posting has sent too much feedback lately, else ''."""
    window = now - timedelta(minutes=settings.FEEDBACK_WINDOW_MINUTES)
    recent = PostingFeedback.objects.filter(received_at__gte=window)
    if sender_ip and recent.filter(sender_ip=sender_ip).count() >= settings.FEEDBACK_LIMIT_PER_ADDRESS:
        return _("Bạn đã gửi quá nhiều góp ý trong thời gian ngắn. Vui lòng thử lại sau.")
    if recent.filter(posting=posting).count() >= settings.FEEDBACK_LIMIT_PER_POSTING:
        return _("Trường hợp này đang nhận quá nhiều góp ý. Vui lòng thử lại sau.")
    return ""


@transaction.atomic
def feedback_receive(*, posting, sender_name, content, sender_contact="", sender_ip=None):
    """Record one piece of public feedback, within the per-address and per-posting limits."""
    today = timezone.localdate()
    limited = _feedback_rate_limited(posting=posting, sender_ip=sender_ip, now=timezone.now())
    if limited:
        raise FeedbackRateLimited(limited)
    errors = {}
    if not posting.is_open_on(today):
        errors["content"] = _("Thời hạn góp ý đã kết thúc hoặc chưa bắt đầu.")
    if not (sender_name or "").strip():
        errors["sender_name"] = _("Vui lòng nhập họ tên.")
    if not (content or "").strip():
        errors["content"] = _("Vui lòng nhập nội dung góp ý.")
    if errors:
        raise ValidationError(errors)
    feedback = PostingFeedback.objects.create(
        posting=posting,
        sender_name=sender_name.strip(),
        sender_contact=sender_contact.strip(),
        content=content.strip(),
        sender_ip=sender_ip or None,
    )
    event_record(
        action="posting.feedback_received",
        obj=feedback,
        nomination_id=posting.nomination_id,
        data={"posting": posting.pk, "feedback": feedback.pk},
    )
    return feedback


@transaction.atomic
def feedback_answer(*, feedback, actor, answer):
    feedback = (
        PostingFeedback.objects.select_for_update().select_related("posting__nomination").get(pk=feedback.pk)
    )
    nomination = feedback.posting.nomination
    if not scope_of(actor).can("review_nomination", nomination.deciding_unit_id):
        raise PermissionDenied
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Vui lòng nhập nội dung trả lời.")})
    if feedback.is_answered:
        raise ValidationError({"answer": _("Góp ý này đã được trả lời.")})
    feedback.answer = answer.strip()
    feedback.answered_by = actor
    feedback.answered_at = timezone.now()
    feedback.save(update_fields=["answer", "answered_by", "answered_at"])
    event_record(
        action="posting.feedback_answered",
        actor=actor,
        obj=feedback,
        nomination_id=nomination.pk,
        role=Role.REVIEWER,
        unit_code=nomination.deciding_unit.code,
        data={"feedback": feedback.pk},
    )
    return feedback


@transaction.atomic
def feedback_mark_spam(*, feedback, actor, reason=""):
    """A reviewer of the deciding unit marks feedback as spam: it stops blocking the vote and the signature."""
    feedback = (
        PostingFeedback.objects.select_for_update().select_related("posting__nomination").get(pk=feedback.pk)
    )
    nomination = feedback.posting.nomination
    if not scope_of(actor).can("review_nomination", nomination.deciding_unit_id):
        raise PermissionDenied
    if feedback.is_answered:
        raise ValidationError({"answer": _("Góp ý này đã được trả lời.")})
    if feedback.is_spam:
        raise ValidationError({"answer": _("Góp ý này đã được đánh dấu là rác.")})
    feedback.spam_marked_by = actor
    feedback.spam_marked_at = timezone.now()
    feedback.save(update_fields=["spam_marked_by", "spam_marked_at"])
    event_record(
        action="posting.feedback_spam",
        actor=actor,
        obj=feedback,
        nomination_id=nomination.pk,
        role=Role.REVIEWER,
        unit_code=nomination.deciding_unit.code,
        reason=(reason or "").strip(),
        data={"feedback": feedback.pk},
    )
    return feedback


def decision_number_next(*, issuer, year):
    """Take the next number of `issuer` in `year`; the counter row is locked until the transaction ends.
    A number already taken from the document register is skipped."""
    locked = DecisionCounter.objects.select_for_update()
    try:
        counter = locked.get(issuer=issuer, year=year)
    except DecisionCounter.DoesNotExist:  # the issuer's first decision of the year
        DecisionCounter.objects.get_or_create(issuer=issuer, year=year)
        counter = locked.get(issuer=issuer, year=year)
    counter.last_number += 1
    while Decision.objects.filter(issuer=issuer, year=year, sequence=counter.last_number).exists():
        counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def decision_format_number(sequence, issuer):
    symbol = issuer.issuer_symbol or "UBND"
    return f"{sequence:02d}/QĐ-{symbol}"


REGISTER_NUMBER = re.compile(r"^\s*0*(\d{1,6})\s*(?:/\s*QĐ-[\w.-]+)?\s*$", re.IGNORECASE)


def issuer_uses_register(issuer):
    return IssuerNumbering.objects.filter(issuer=issuer, uses_register=True).exists()


def decision_number_take(*, issuer, year, register_number=""):
    """Return (sequence, number): from the issuer's counter, or — for an issuer numbering by its document register —
    the number typed at signing, refused when malformed or already used that year."""
    register_number = (register_number or "").strip()
    if not issuer_uses_register(issuer):
        if register_number:
            raise ValidationError(
                {"register_number": _("Cơ quan này đánh số quyết định tự động; không nhập số theo sổ.")}
            )
        sequence = decision_number_next(issuer=issuer, year=year)
        return sequence, decision_format_number(sequence, issuer)
    if not register_number:
        raise ValidationError({"register_number": _("Nhập số quyết định theo sổ đăng ký văn bản.")})
    match = REGISTER_NUMBER.match(register_number)
    if not match or int(match.group(1)) == 0:
        raise ValidationError(
            {
                "register_number": _("Số quyết định không hợp lệ; ví dụ 125 hoặc 125/QĐ-%(symbol)s.")
                % {"symbol": issuer.issuer_symbol or "UBND"}
            }
        )
    sequence = int(match.group(1))
    # Lock the counter row: two signers typing the same number wait for each other, then one is refused.
    DecisionCounter.objects.get_or_create(issuer=issuer, year=year)
    DecisionCounter.objects.select_for_update().get(issuer=issuer, year=year)
    if Decision.objects.filter(issuer=issuer, year=year, sequence=sequence).exists():
        raise ValidationError(
            {
                "register_number": _("Số %(number)s đã được dùng trong năm %(year)s.")
                % {"number": decision_format_number(sequence, issuer), "year": year}
            }
        )
    return sequence, decision_format_number(sequence, issuer)


def decision_number_peek(*, issuer, year, register_number=""):
    """The number signing would give now (shown before signing; the counter may move before it is taken).
    Raises the same field errors as `decision_number_take` for a register number."""
    register_number = (register_number or "").strip()
    if issuer_uses_register(issuer) or register_number:
        with transaction.atomic():
            sequence, number = decision_number_take(issuer=issuer, year=year, register_number=register_number)
            transaction.set_rollback(True)  # a look, not a take
        return number
    counter = DecisionCounter.objects.filter(issuer=issuer, year=year).first()
    sequence = (counter.last_number if counter else 0) + 1
    while Decision.objects.filter(issuer=issuer, year=year, sequence=sequence).exists():
        sequence += 1
    return decision_format_number(sequence, issuer)


def signer_profile_for(*, user, issuer):
    """The active record saying in what capacity `user` signs for `issuer`, or None."""
    return SignerProfile.objects.filter(user=user, issuer=issuer, is_active=True).first()


def decision_create(
    *,
    issuer,
    signer,
    nominations,
    title,
    signed_on,
    is_ad_hoc=False,
    legal_basis=None,
    register_number="",
    position=None,
):
    """Create the decision and one certificate per nomination, each with its cash as the law in force on
    `signed_on` sets it (stored: readers never recompute it). Caller holds the transaction."""
    sequence, number = decision_number_take(
        issuer=issuer, year=signed_on.year, register_number=register_number
    )
    profile = signer_profile_for(user=signer, issuer=issuer)
    position = position or (profile.position if profile else SignerPosition.HEAD)
    base_salary = BaseSalary.in_force_on(signed_on)
    nominations = list(nominations)
    # The cash first (the base salary read once), so the decision row is written with its total.
    cash = cash_for_nominations(nominations, signed_on, base_salary=base_salary)
    total = sum((cash[nomination.pk].amount for nomination in nominations), Decimal("0"))
    decision = Decision.objects.create(
        issuer=issuer,
        year=signed_on.year,
        sequence=sequence,
        number=number,
        title=title,
        signed_on=signed_on,
        signer=signer,
        signer_title=signer_block(issuer, position)[-1].capitalize(),
        signer_position=position,
        is_ad_hoc=is_ad_hoc,
        legal_basis=legal_basis,
        base_salary=base_salary,
        total_amount=total,
    )
    certificates = []
    for index, nomination in enumerate(nominations, start=1):
        amount = cash[nomination.pk].amount
        certificates.append(
            Certificate(
                decision=decision,
                nomination=nomination,
                amount=amount,
                amount_basis=cash[nomination.pk].basis[:300],
                serial=f"{issuer.code}-{signed_on.year}-{sequence:04d}-{index:04d}",
                verification_code=secrets.token_hex(10),
            )
        )
    Certificate.objects.bulk_create(certificates)
    return decision


@transaction.atomic
def statistics_figures_record(*, actor, number, unit, year, figures):
    """Record the lines `unit` declares on entered form `number` ("0604", "0605") for `year`: `figures` maps each
    entered line's code to (value, women). Replaces the unit's lines of that year; the event keeps both versions.

    Only the reviewers and leaders of the province whose subtree holds `unit` may (`reports.entry_units`)."""
    if number not in reports.ENTERED_FORMS:
        raise ValidationError({"number": _("Biểu này không nhập số liệu.")})
    if unit.pk not in reports.entry_units(actor):
        raise PermissionDenied
    form = reports.ENTERED_FORMS[number]
    codes = [row.code for row in form.entered_rows]
    unknown = set(figures) - set(codes)
    if unknown:
        raise ValidationError(
            {
                "figures": _("Mã số dòng không có trong biểu: %(codes)s.")
                % {"codes": ", ".join(sorted(unknown))}
            }
        )
    lines = {code: tuple(int(v) for v in figures.get(code, (0, 0))) for code in codes}
    errors = {code: _("Số liệu không được âm.") for code, pair in lines.items() if min(pair) < 0}
    errors = errors or reports.breakdown_errors(form, lines)
    if errors:
        raise ValidationError(errors)
    stored = StatisticsFigure.objects.select_for_update().filter(form=number, unit=unit, year=year)
    previous = {f.code: [f.value, f.women] for f in stored}
    stored.delete()
    now = timezone.now()
    StatisticsFigure.objects.bulk_create(
        StatisticsFigure(
            form=number,
            unit=unit,
            year=year,
            code=code,
            value=value,
            women=women,
            recorded_by=actor,
            recorded_at=now,
        )
        for code, (value, women) in lines.items()
    )
    event_record(
        action="statistics.record",
        actor=actor,
        object_type="approvals.statisticsfigure",
        object_id=f"{number}/{unit.code}/{year}",
        unit_code=unit.code,
        data={
            "form": number,
            "year": year,
            "figures": {code: list(pair) for code, pair in lines.items()},
            "previous": previous,
        },
    )
    return lines
