"""The cash of a decision's awards (NĐ 152/2025 Điều 49–54; NĐ 98/2023 before 1/7/2025).

The amount of each award is computed once, when the decision is signed, and stored on its certificate together with
the calculation it came from; the decision, its documents and the fund report read the stored amounts.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from nominations.models import AwardHistory, AwardKind, AwardType, BaseSalary, CashRate


@dataclass(frozen=True)
class Cash:
    amount: Decimal
    basis: str


def cash_for(*, award_type, subject_type, day, base_salary=None):
    """Return the cash for one award on `day` with the base salary in force that day (unless given)."""
    if base_salary is None:
        base_salary = BaseSalary.in_force_on(day)
    amount, basis = CashRate.cash(award_type, subject_type, base_salary, day)
    return Cash(amount, basis)


def _outranked_keys(nominations, day):
    """Return the ids of nominations whose title is not the highest of its nominee's titles for that period.

    One achievement in one period earning several titles is paid only for the highest (Điều 49.5): titles of
    the same nominee and year in this batch are compared by rank, and so are titles already awarded
    (award history, not revoked) in that year.
    """
    titles = [n for n in nominations if n.award_type.kind == AwardKind.TITLE and not n.is_ad_hoc]
    if not titles:
        return {}
    ranks = {}
    history = AwardHistory.objects.filter(
        nominee_id__in={n.nominee_id for n in titles},
        year__in={n.period_year for n in titles},
        is_revoked=False,
        is_ad_hoc=False,
    ).exclude(nomination_id__in=[n.pk for n in titles])
    earlier = {}
    codes = set()
    for row in history:
        earlier.setdefault((row.nominee_id, row.year), []).append(row.award_code)
        codes.add(row.award_code)
    for code in codes:
        version = AwardType.version_on(code, day) or AwardType.objects.filter(code=code).first()
        ranks[code] = version.rank if version else 0
    outranked = {}
    groups = {}
    for n in titles:
        groups.setdefault((n.nominee_id, n.period_year), []).append(n)
    for key, group in groups.items():
        best_earlier = max((ranks[c] for c in earlier.get(key, [])), default=-1)
        group.sort(key=lambda n: (-n.award_type.rank, n.pk))
        top = group[0]
        for n in group[1:]:
            outranked[n.pk] = top.award_type.name
        if top.award_type.rank and best_earlier >= top.award_type.rank:
            outranked[top.pk] = _("danh hiệu cao hơn đã được thưởng trong năm")
    return outranked


def cash_for_nominations(nominations, day, base_salary=None):
    """Return {nomination id: Cash} for the nominations of one decision signed on `day` (with the base salary in
    force that day, unless given)."""
    if base_salary is None:
        base_salary = BaseSalary.in_force_on(day)
    outranked = _outranked_keys(nominations, day)
    result, rates = {}, {}  # the same award to the same kind of subject on one day: one rate read
    for n in nominations:
        if n.pk in outranked:
            result[n.pk] = Cash(
                Decimal("0"),
                _("Không kèm tiền thưởng: chỉ nhận tiền thưởng của danh hiệu cao nhất (%(top)s) — %(basis)s")
                % {"top": outranked[n.pk], "basis": "NĐ 152/2025/NĐ-CP Điều 49 khoản 5"},
            )
            continue
        key = (n.award_type.pk, n.nominee.kind)
        if key not in rates:
            rates[key] = cash_for(
                award_type=n.award_type, subject_type=n.nominee.kind, day=day, base_salary=base_salary
            )
        result[n.pk] = rates[key]
    return result
