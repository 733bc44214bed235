"""Writes about votes, postings and decisions. Each records its audit event in its transaction."""

import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.meetings import tally_of
from approvals.models import Certificate, Decision, DecisionCounter, PostingFeedback
from audit.services import event_record
from organisation.models import Role
from organisation.policy import scope_of


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


@transaction.atomic
def feedback_receive(*, posting, sender_name, content, sender_contact=""):
    today = timezone.localdate()
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


def decision_number_next(*, issuer, year):
    """Take the next number of `issuer` in `year`; the counter row is locked until the transaction ends."""
    DecisionCounter.objects.get_or_create(issuer=issuer, year=year)
    counter = DecisionCounter.objects.select_for_update().get(issuer=issuer, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def decision_format_number(sequence, issuer):
    symbol = issuer.issuer_symbol or "UBND"
    return f"{sequence:02d}/QĐ-{symbol}"


def decision_create(
    *,
    issuer,
    signer,
    nominations,
    title,
    signed_on,
    base_salary,
    is_ad_hoc=False,
    legal_basis=None,
    signer_title="",
):
    """Create the decision and one certificate per nomination. Caller holds the transaction."""
    sequence = decision_number_next(issuer=issuer, year=signed_on.year)
    decision = Decision.objects.create(
        issuer=issuer,
        year=signed_on.year,
        sequence=sequence,
        number=decision_format_number(sequence, issuer),
        title=title,
        signed_on=signed_on,
        signer=signer,
        signer_title=signer_title,
        is_ad_hoc=is_ad_hoc,
        legal_basis=legal_basis,
    )
    certificates = []
    total = Decimal("0")
    for index, nomination in enumerate(nominations, start=1):
        amount = nomination.award_type.cash_for(nomination.nominee.kind, base_salary)
        total += amount
        certificates.append(
            Certificate(
                decision=decision,
                nomination=nomination,
                amount=amount,
                serial=f"{issuer.code}-{signed_on.year}-{sequence:04d}-{index:04d}",
                verification_code=secrets.token_hex(10),
            )
        )
    Certificate.objects.bulk_create(certificates)
    decision.total_amount = total
    decision.save(update_fields=["total_amount"])
    return decision
