"""events_append_bulk continues each chain after its head, as event_record would, and the log still verifies."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from audit.models import ChainHead, Event
from audit.services import event_record, events_append_bulk
from audit.verify import chain_verify

pytestmark = pytest.mark.usefixtures("empty_log")


def _event(chain, index, **fields):
    at = datetime(2026, 3, 2, 8, 0, tzinfo=timezone(timedelta(hours=7))) + timedelta(minutes=index)
    return Event(
        chain=chain,
        at=at,
        action="test.bulk",
        object_id=index,
        data={"i": index, "tên": "Định Thủy"},
        **fields,
    )


def test_bulk_append_follows_each_chain_head(db):
    event_record(action="test.step", chain="nomination:1")
    events = events_append_bulk(
        [
            _event("nomination:1", 1),
            _event("nomination:2", 2),
            _event("nomination:1", 3),
            _event("nomination:2", 4),
        ]
    )
    assert [(e.chain, e.seq) for e in events] == [
        ("nomination:1", 2),
        ("nomination:2", 1),
        ("nomination:1", 3),
        ("nomination:2", 2),
    ]
    assert all(e.pk for e in events)
    assert dict(ChainHead.objects.values_list("chain", "seq")) == {"nomination:1": 3, "nomination:2": 2}
    assert ChainHead.objects.get(chain="nomination:1").hash == events[2].hash
    result = chain_verify()
    assert result.ok, result.first_break
    assert result.events_checked == 5


def test_an_event_after_a_bulk_append_links_to_it(db):
    events = events_append_bulk([_event("decision:7", 1), _event("decision:7", 2)])
    later = event_record(action="test.step", chain="decision:7")
    assert (later.seq, later.prev_hash) == (3, events[-1].hash)
    assert chain_verify().ok


def test_bulk_append_refuses_secret_ballots(db):
    ballot = Event(chain="decision:7", at=datetime.now(UTC), action="test.vote", data={"ballots": [1]})
    with pytest.raises(ValueError, match="secret"):
        events_append_bulk([_event("decision:7", 1), ballot])
    assert not Event.objects.exists()
