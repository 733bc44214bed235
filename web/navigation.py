"""What the header and the home page show a user: their roles and which areas they may enter (computed once)."""

from dataclasses import dataclass, field

from organisation.models import Membership, Tier
from organisation.policy import scope_of
from workflows.selectors import inbox_count


@dataclass
class Navigation:
    memberships: list = field(default_factory=list)
    inbox: int = 0
    can_file: bool = False
    can_submit: bool = False
    can_review: bool = False
    can_vote: bool = False
    can_sign: bool = False
    can_view_council: bool = False
    can_inspect: bool = False
    can_report: bool = False
    is_admin: bool = False
    is_province_officer: bool = False


def navigation_for(request):
    """Return the user's Navigation, cached on the request so the header and the page share it."""
    cached = getattr(request, "_navigation", None)
    if cached is not None:
        return cached
    user = request.user
    nav = Navigation()
    if user.is_authenticated:
        scope = scope_of(user)
        nav.memberships = list(
            Membership.objects.active().filter(user=user).select_related("unit").order_by("unit__code")
        )
        nav.can_file = bool(scope.units("file_nomination"))
        nav.can_submit = bool(scope.units("submit_nomination"))
        nav.can_review = bool(scope.units("review_nomination") or scope.units("appraise_nomination"))
        nav.can_vote = bool(scope.units("record_vote"))
        nav.can_sign = bool(scope.units("sign_decision"))
        nav.can_view_council = bool(scope.units("view_council"))
        nav.can_inspect = bool(scope.grants.get("inspect_unit"))
        nav.can_report = nav.can_inspect or nav.can_review or nav.can_sign
        nav.is_admin = user.is_staff
        nav.is_province_officer = any(
            m.unit.tier == Tier.PROVINCE
            and m.role in ("reviewer", "approver", "inspector", "council_secretary")
            for m in nav.memberships
        )
        nav.inbox = (
            inbox_count(user)
            if (nav.can_file or nav.can_submit or nav.can_review or nav.can_vote or nav.can_sign)
            else 0
        )
    request._navigation = nav
    return nav
