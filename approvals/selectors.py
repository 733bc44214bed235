"""Reads of decisions and their certificates, scoped by the viewer: every page and API endpoint goes through these.

A decision is read through its awardees: whoever reads one of its nominations reads the decision, and sees only the
certificates of the nominations they read. Downloading its documents is a narrower right (the issuing unit's signers
and reviewers, inspectors above it; a certificate also to its proposing unit).
"""

from django.http import Http404

from approvals.models import Certificate, Decision, ReviewRecord
from nominations.process import Action
from nominations.selectors import nominations_visible_to
from organisation.policy import scope_of


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
