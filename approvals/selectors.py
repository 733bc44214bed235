"""Reads of decisions, scoped by the viewer, with the same policy as nominations."""

from django.db.models import Q
from django.http import Http404

from approvals.models import Decision
from nominations.selectors import nominations_visible_to
from organisation.policy import scope_of

# Who reads the decisions issued at a unit, besides anyone who reads one of the awarded nominations.
ISSUER_READERS = ["sign_decision", "review_nomination", "appraise_nomination", "record_vote", "inspect_unit"]


def decisions_visible_to(user):
    """Return the decisions `user` may read: those awarding a nomination they may read, and those issued at a
    unit where they sign, review, appraise or record votes (inspectors: their whole subtree)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Decision.objects.none()
    if user.is_superuser:
        return Decision.objects.all()
    scope = scope_of(user)
    issuers = set()
    for codename in ISSUER_READERS:
        issuers |= scope.units(codename)
    awarded = nominations_visible_to(user).values("pk")
    condition = Q(pk__in=Decision.objects.filter(certificates__nomination__in=awarded).values("pk"))
    if issuers:
        condition |= Q(issuer_id__in=issuers)
    return Decision.objects.filter(condition)


def get_decision_for_user(user, pk):
    decision = decisions_visible_to(user).select_related("issuer").filter(pk=pk).first()
    if decision is None:
        raise Http404
    return decision
