"""The yearly review's hand-over to the standard route: a cluster's leading unit, found by its members' scoring,
is proposed for the province's Cờ thi đua as a nomination filed by the cluster (`nomination_file`, standard route),
which its head then submits and the province appraises, posts, votes and signs like any other.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nominations import movement as movement_rules
from nominations.models import AwardType, MovementReview, ReviewStatus, Route
from organisation.models import Tier
from organisation.policy import scope_of
from workflows.services import nomination_file


@transaction.atomic
def flag_propose(*, actor, review, cluster):
    """File the Cờ thi đua nomination of `cluster`'s leader for the review year (the cluster's head or clerk, who
    files for the cluster) and record the proposal with the review; return the nomination (a draft: the head
    submits it next)."""
    review = MovementReview.objects.select_for_update().select_related("movement").get(pk=review.pk)
    if cluster.tier != Tier.CLUSTER or not scope_of(actor).can("file_nomination", cluster.pk):
        raise PermissionDenied
    if review.status != ReviewStatus.OPEN:
        raise ValidationError({"review": _("Đợt sơ kết đã kết thúc.")})
    leader = movement_rules.flag_leader(review=review, cluster=cluster)
    criteria, _ranked = movement_rules.cluster_ranking(
        cluster=cluster, movement=review.movement, year=review.year
    )
    achievements = _(
        "Dẫn đầu %(cluster)s trong phong trào thi đua “%(movement)s” năm %(year)s: %(points)s điểm bình quân "
        "theo %(criteria)s tiêu chí, do %(scorers)s đơn vị thành viên chấm."
    ) % {
        "cluster": cluster.name,
        "movement": review.movement.name,
        "year": review.year,
        "points": leader.points,
        "criteria": len(criteria),
        "scorers": leader.scorers,
    }
    nomination = nomination_file(
        actor=actor,
        unit=cluster,
        award_type=AwardType.version_on(movement_rules.FLAG_AWARD_CODE),
        nominee_data={"kind": "collective", "full_name": leader.unit.name, "unit": leader.unit},
        period_year=review.year,
        achievements=achievements,
        movement=review.movement,
        route=Route.STANDARD,
    )
    movement_rules.flag_proposal_record(actor=actor, review=review, cluster=cluster, nomination=nomination)
    return nomination
