"""audit_verify recomputes every chain and names the first broken link: edits, deletions, insertions, gaps."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit import triggers
from audit.hashing import GENESIS, event_hash
from audit.models import ChainHead, Event
from audit.services import _values, event_record
from audit.verify import chain_verify

pytestmark = pytest.mark.usefixtures("empty_log")


def _log(chains=("nomination:1", "nomination:2"), per_chain=4):
    for index in range(per_chain):
        for chain in chains:
            event_record(
                action="test.step", chain=chain, reason=f"bước {index}", data={"i": index, "tên": "Định Thủy"}
            )


def test_empty_log_verifies(db):
    result = chain_verify()
    assert result.ok and result.events_checked == 0 and result.first_break is None
    call_command("audit_verify")


def test_intact_log_verifies_every_event(db):
    _log()
    result = chain_verify()
    assert result.ok, result.first_break
    assert result.events_checked == 8 and result.chains_checked == 2


def test_real_events_with_origin_and_actor_verify(people):
    from audit.context import origin
    from tests.factories import file_nomination

    with origin("web", "10.0.0.7", "Mozilla/5.0 (tiếng Việt)"):
        file_nomination(people.clerk)
    assert Event.objects.filter(ip="10.0.0.7").exists()
    assert chain_verify().ok


def test_edited_event_is_caught(db):
    _log()
    victim = Event.objects.get(chain="nomination:2", seq=3)
    with triggers.disabled():
        Event.objects.filter(pk=victim.pk).update(reason="đã sửa")
    result = chain_verify()
    assert not result.ok
    assert (result.first_break.chain, result.first_break.seq) == ("nomination:2", 3)
    assert result.first_break.found == victim.hash
    assert result.first_break.expected != victim.hash


def test_edit_with_rehash_breaks_the_next_link(db):
    _log()
    victim = Event.objects.get(chain="nomination:1", seq=2)
    victim.reason = "đã sửa"
    new_hash = event_hash(victim.prev_hash, _values(victim))
    with triggers.disabled():
        Event.objects.filter(pk=victim.pk).update(reason="đã sửa", hash=new_hash)
    result = chain_verify()
    assert not result.ok
    assert (result.first_break.chain, result.first_break.seq) == ("nomination:1", 3)
    assert result.first_break.expected == new_hash


def test_deleted_event_in_the_middle_is_caught_as_a_gap(db):
    _log()
    with triggers.disabled():
        Event.objects.filter(chain="nomination:1", seq=2).delete()
    result = chain_verify()
    assert not result.ok
    assert (result.first_break.chain, result.first_break.seq) == ("nomination:1", 3)
    assert result.first_break.expected == "seq 2"


def test_deleted_last_event_is_caught_by_the_chain_head(db):
    _log()
    with triggers.disabled():
        Event.objects.filter(chain="nomination:2", seq=4).delete()
    result = chain_verify()
    assert not result.ok
    assert result.first_break.chain == "nomination:2"
    assert result.first_break.expected == "seq 4" and result.first_break.found == "seq 3"


def test_chain_with_all_events_deleted_is_caught(db):
    _log()
    with triggers.disabled():
        Event.objects.filter(chain="nomination:2").delete()
    result = chain_verify()
    assert not result.ok and result.first_break.chain == "nomination:2"


def test_forged_event_appended_without_moving_the_head_is_caught(db):
    _log()
    last = Event.objects.get(chain="nomination:1", seq=4)
    forged = Event(
        chain="nomination:1",
        seq=5,
        at=last.at,
        action="decision.sign",
        reason="giả mạo",
        prev_hash=last.hash,
        data={},
    )
    forged.hash = event_hash(forged.prev_hash, _values(forged))
    forged.save(force_insert=True)  # inserts are allowed: the chain head gives it away
    result = chain_verify()
    assert not result.ok
    assert result.first_break.chain == "nomination:1" and result.first_break.found == "seq 5"


def test_forged_event_with_a_made_up_hash_is_caught(db):
    _log()
    last = Event.objects.get(chain="nomination:2", seq=4)
    Event.objects.create(
        chain="nomination:2", seq=5, at=last.at, action="x", prev_hash=last.hash, hash="f" * 64
    )
    ChainHead.objects.filter(chain="nomination:2").update(seq=5, hash="f" * 64)
    result = chain_verify()
    assert not result.ok
    assert (result.first_break.chain, result.first_break.seq) == ("nomination:2", 5)


def test_forged_chain_without_head_is_caught(db):
    _log()
    values = {"chain": "nomination:99", "seq": 1, "at": Event.objects.first().at, "action": "x"}
    forged = Event(**values, prev_hash=GENESIS, data={})
    forged.hash = event_hash(GENESIS, _values(forged))
    forged.save(force_insert=True)
    result = chain_verify()
    assert not result.ok and result.first_break.chain == "nomination:99"


def test_log_starting_with_a_gap_is_caught(db):
    _log(chains=("nomination:7",), per_chain=3)
    with triggers.disabled():
        Event.objects.filter(chain="nomination:7", seq=1).delete()
    result = chain_verify()
    assert not result.ok and result.first_break.seq == 2 and result.first_break.expected == "seq 1"


def test_chain_option_checks_only_that_chain(db):
    _log()
    with triggers.disabled():
        Event.objects.filter(chain="nomination:2", seq=1).update(reason="x")
    assert chain_verify(chain="nomination:1").ok
    assert chain_verify(chain="nomination:1").events_checked == 4
    assert not chain_verify(chain="nomination:2").ok


def test_command_prints_first_broken_link_and_fails(db, capsys):
    _log()
    victim = Event.objects.get(chain="nomination:1", seq=2)
    with triggers.disabled():
        Event.objects.filter(pk=victim.pk).update(data={"i": 99})
    with pytest.raises(CommandError):
        call_command("audit_verify")
    err = capsys.readouterr().err
    assert "nomination:1" in err and "số thứ tự 2" in err and victim.hash in err
    call_command("audit_verify", "--chain", "nomination:2")
    assert "toàn vẹn" in capsys.readouterr().out


def test_command_exits_non_zero(db):
    _log()
    with triggers.disabled():
        Event.objects.filter(chain="nomination:1", seq=3).delete()
    with pytest.raises(SystemExit) as excinfo:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "audit_verify"]).execute()
    assert excinfo.value.code != 0


def test_verification_streams_with_small_chunks(db):
    _log(chains=[f"nomination:{i}" for i in range(5)], per_chain=7)
    result = chain_verify(chunk_size=3)
    assert result.ok and result.events_checked == 35 and result.chains_checked == 5


@pytest.mark.postgres
def test_postgres_verification_uses_a_server_side_cursor(db):
    _log()
    assert connection.vendor == "postgresql"
    assert chain_verify(chunk_size=2).ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_parallel_verification_agrees_and_names_the_first_break():
    _log(chains=[f"nomination:{i}" for i in range(1, 13)], per_chain=5)
    result = chain_verify(workers=3)
    assert result.ok and result.events_checked == 60 and result.chains_checked == 12
    with triggers.disabled():
        Event.objects.filter(chain="nomination:9", seq=4).update(reason="sửa")
        Event.objects.filter(chain="nomination:3", seq=2).update(reason="sửa")
    result = chain_verify(workers=3)
    assert not result.ok
    assert (result.first_break.chain, result.first_break.seq) == ("nomination:3", 2)  # first in chain order
    assert chain_verify(workers=1).first_break == result.first_break


def _bulk_chains(first, count, per_chain=10):
    """Write `count` valid chains straight to the tables (fast), like bench/audit.py does."""
    from datetime import UTC, datetime, timedelta

    events, heads = [], []
    at = datetime(2026, 1, 5, 1, 30, tzinfo=UTC)
    for number in range(first, first + count):
        prev = GENESIS
        for seq in range(1, per_chain + 1):
            event = Event(
                chain=f"bulk:{number:06d}",
                seq=seq,
                at=at + timedelta(seconds=seq),
                action="task.open",
                nomination_id=number,
                reason="Đủ tiêu chuẩn " * 5,
                data={"step": "review", "n": seq},
                prev_hash=prev,
            )
            event.hash = event_hash(prev, _values(event))
            prev = event.hash
            events.append(event)
        heads.append(ChainHead(chain=f"bulk:{number:06d}", seq=per_chain, hash=prev))
    Event.objects.bulk_create(events, batch_size=2000)
    ChainHead.objects.bulk_create(heads, batch_size=2000)


def test_verification_memory_stays_flat_as_the_log_grows(db):
    import tracemalloc

    def peak():
        tracemalloc.start()
        result = chain_verify(chunk_size=100)
        _current, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert result.ok
        return result.events_checked, top

    _bulk_chains(0, 100)
    small_events, small_peak = peak()
    _bulk_chains(100, 900)
    large_events, large_peak = peak()
    assert (small_events, large_events) == (1000, 10000)
    # Holding 10,000 events would take well over 10 MB; a streamed walk stays at a few batches of 100 rows.
    assert large_peak < 3_000_000 and large_peak < small_peak * 2, (small_peak, large_peak)


def test_heads_digest_changes_when_a_chain_is_rewritten_with_its_head(db, capsys):
    _log()
    before = chain_verify(digest=True).heads_digest
    assert len(before) == 64 and chain_verify(digest=True).heads_digest == before
    # A rewrite that the unkeyed chain cannot reveal: edit the last event, re-hash it, move the head along.
    last = Event.objects.get(chain="nomination:2", seq=4)
    last.reason = "viết lại"
    new_hash = event_hash(last.prev_hash, _values(last))
    with triggers.disabled():
        Event.objects.filter(pk=last.pk).update(reason="viết lại", hash=new_hash)
    ChainHead.objects.filter(chain="nomination:2").update(hash=new_hash)
    after = chain_verify(digest=True)
    assert after.ok and after.heads_digest != before
    call_command("audit_verify")
    assert after.heads_digest in capsys.readouterr().out


def test_forged_chain_without_head_sorting_before_a_real_one_is_blamed(db):
    _log(chains=("nomination:5",))
    values = {"chain": "nomination:1", "seq": 1, "at": Event.objects.first().at, "action": "x"}
    forged = Event(**values, prev_hash=GENESIS, data={})
    forged.hash = event_hash(GENESIS, _values(forged))
    forged.save(force_insert=True)
    result = chain_verify()
    assert not result.ok
    assert (result.first_break.chain, result.first_break.seq) == ("nomination:1", 1)
    assert result.first_break.expected == "có đầu chuỗi"
