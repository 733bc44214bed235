"""scripts/api_journey.py against a live server: filing to signed decision over real HTTP."""

import importlib.util
from pathlib import Path

from audit.models import Event
from nominations.models import Status
from tests.factories import VOTED_COLLECTIVE, posting_window_pass

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "api_journey.py"


def _script():
    spec = importlib.util.spec_from_file_location("api_journey", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_script_takes_a_nomination_to_a_signed_decision(tpeople, live_server):
    from nominations.models import Nomination

    lines = []
    ok, pk, decision = _script().run(live_server.url, out=lines.append)
    assert ok, lines
    nomination = Nomination.objects.get(pk=pk)
    assert (
        nomination.status == Status.AWARDED and nomination.certificate.decision.number == decision["number"]
    )
    assert any("decision" in line and decision["number"] in line for line in lines)
    assert set(
        Event.objects.filter(nomination_id=pk, actor__isnull=False).values_list("channel", flat=True)
    ) == {"api"}


def test_script_through_a_council_vote(tpeople, live_server):
    from approvals.models import VoteRecord

    lines = []
    ok, pk, _ = _script().run(
        live_server.url,
        award=VOTED_COLLECTIVE,
        kind="collective",
        out=lines.append,
        wait_posting=lambda pk: posting_window_pass([pk]),
    )
    assert ok, lines
    assert VoteRecord.objects.get(nomination_id=pk).passed
    assert any("record_vote" in line for line in lines)


def test_script_reports_an_api_error(tpeople, live_server):
    assert _script().main([live_server.url, "--password", "wrong"]) == 1
