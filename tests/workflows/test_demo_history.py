"""The demo's two eras: Bến Tre decisions signed in 2024, then the 1/7/2025 reorganisation into Vĩnh Long."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from approvals.models import Decision
from organisation.models import Membership, UnitSuccession
from tests.factories import unit
from workflows.models import TaskScope


def test_seed_demo_with_the_2025_reorganisation(people):
    call_command("seed_demo", "--with-2025-reorganisation", stdout=StringIO())
    province = unit("BT")
    assert province.valid_to == date(2025, 6, 30) and unit("BT.MCN").valid_to == date(2025, 6, 30)
    assert UnitSuccession.objects.filter(predecessor=province, successor__code="VL").exists()
    decision = Decision.objects.get(signed_on=date(2024, 12, 20))
    assert decision.issuer == province  # history stays on the old unit
    open_tasks = {row.step: row.unit.code for row in TaskScope.objects.filter(is_open=True)}
    assert open_tasks == {"revise": "VL.DINHTHUY", "appraise": "VL"}  # the district tier is gone
    assert Membership.objects.active().filter(user=people.clerk, unit__code="VL.DINHTHUY").exists()
    call_command("seed_demo", "--with-2025-reorganisation", stdout=StringIO())  # idempotent
    assert Decision.objects.filter(signed_on=date(2024, 12, 20)).count() == 1
