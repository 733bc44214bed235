"""Reads of decisions and their certificates, scoped by the viewer: every page and API endpoint goes through these.

A decision is read through its awardees: whoever reads one of its nominations reads the decision, and sees only the
certificates of the nominations they read. Downloading its documents is a narrower right (the issuing unit's signers
and reviewers, inspectors above it; a certificate also to its proposing unit).
"""

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Lower, Replace
from django.http import Http404

from approvals.models import Certificate, Decision, Meeting, ReviewRecord
from nominations.process import Action
from nominations.selectors import nominations_visible_to
from organisation.models import Council
from organisation.policy import scope_of
from organisation.text import fold


def decisions_visible_to(user):
    """Return the decisions awarding at least one nomination `user` may read."""
    awarded = Certificate.objects.filter(nomination__in=nominations_visible_to(user)).values("decision_id")
    return Decision.objects.filter(pk__in=awarded)


def get_decision_for_user(user, pk):
    """Return the decision if `user` reads one of its nominations, else 404 (existence never leaks)."""
    decision = (
        decisions_visible_to(user).select_related("issuer", "signer", "legal_basis").filter(pk=pk).first()
    )
    if decision is None:
        raise Http404
    return decision


def certificates_visible_to(user, decision):
    """Return the certificates of `decision` whose nomination `user` may read, by serial: the awardees listed to
    them on the decision page and in the API (another unit's names, serials and amounts stay hidden)."""
    return (
        Certificate.objects.filter(decision=decision, nomination__in=nominations_visible_to(user))
        .select_related("nomination__nominee", "nomination__award_type", "nomination__unit")
        .order_by("serial")
    )


def can_download_decision(user, decision):
    """The issuing unit's approvers and reviewers, and inspectors whose scope covers the issuer."""
    scope = scope_of(user)
    issuer_id = decision.issuer_id
    return (
        scope.can("sign_decision", issuer_id)
        or scope.can("review_nomination", issuer_id)
        or scope.can("inspect_unit", issuer_id)
    )


def can_download_certificate(user, certificate):
    """As for the decision, plus the proposing unit of the certificate's own nomination (and its inspectors)."""
    if can_download_decision(user, certificate.decision):
        return True
    scope = scope_of(user)
    unit_id = certificate.nomination.unit_id
    return (
        scope.can("file_nomination", unit_id)
        or scope.can("submit_nomination", unit_id)
        or scope.can("inspect_unit", unit_id)
    )


def decisions_matching(decisions, text, *, nominations, year=None):
    """Filter `decisions` by a piece of their number or by the name of an awardee among `nominations`.

    Accent-insensitive like `organisation.text.fold`: "7", "07/QĐ-UBND" and "07/QD-UBND" all find 07/QĐ-UBND (a
    number holds no Vietnamese letter but Đ, so folding it in the database is two replacements). A bare number also
    matches the sequence exactly, and those decisions come first. Each decision carries `awardees`, its count of
    certificates.
    """
    if year:
        decisions = decisions.filter(year=year)
    folded = fold(text)
    decisions = decisions.annotate(awardees=Count("certificates", distinct=True))
    if not folded:
        return decisions.order_by("-signed_on", "-pk")
    number = Lower(Replace(Replace("number", Value("Đ"), Value("D")), Value("đ"), Value("d")))
    named = Certificate.objects.filter(
        nomination__in=nominations, nomination__nominee__name_folded__contains=folded
    ).values("decision_id")
    condition = Q(number_folded__contains=folded) | Q(pk__in=named)
    exact = Value(1)
    if folded.isascii() and folded.isdigit() and len(folded) <= 9:  # "²" passes isdigit(); int() refuses it
        condition |= Q(sequence=int(folded))
        exact = Case(When(sequence=int(folded), then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        decisions.annotate(number_folded=number, exact=exact)
        .filter(condition)
        .order_by("exact", "-signed_on", "-pk")
    )


def meetings_for(user):
    """Return the council meetings `user` runs (record_vote at the council's unit) or sits in, newest first."""
    from_scope = Q(council__unit_id__in=scope_of(user).units("record_vote"))
    seated = Q(council__members__user=user) if user.is_authenticated else Q(pk__in=[])
    return (
        Meeting.objects.filter(from_scope | seated)
        .select_related("council__unit")
        .distinct()
        .order_by("-held_on", "-id")
    )


def get_meeting_for_user(user, pk):
    """Return the meeting if `user` runs it or holds a seat in its council on the meeting day, else 404."""
    meeting = Meeting.objects.select_related("council__unit").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    if scope_of(user).can("record_vote", meeting.council.unit_id):
        return meeting
    if user.is_authenticated and meeting.council.members_on(meeting.held_on).filter(user=user).exists():
        return meeting
    raise Http404


def councils_run_by(user):
    """Return the active councils whose meetings `user` may open."""
    return Council.objects.filter(
        unit_id__in=scope_of(user).units("record_vote"), is_active=True
    ).select_related("unit")


def return_reasons(nomination_ids):
    """Return {nomination id: its latest return ReviewRecord (with unit)} for the nominations given (already read by
    the caller), so a returned dossier shows why at the top of the page that lists it."""
    latest = {}
    rows = (
        ReviewRecord.objects.filter(nomination_id__in=list(nomination_ids), action=Action.RETURN)
        .select_related("unit")
        .order_by("nomination_id", "at", "id")
    )
    for row in rows:
        latest[row.nomination_id] = row
    return latest


def certificate_by_serial(serial):
    """Return the certificate printed with `serial` (public: what its verification page shows), or None."""
    return Certificate.objects.filter(serial__iexact=serial.strip()).only("verification_code").first()
