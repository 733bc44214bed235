"""Anchors: a database-level forger who rewrites a chain and moves its head is caught against the signed anchor."""

import json

import pytest
from django.core.management import CommandError, call_command

from audit import triggers
from audit.anchor import anchor_check, anchor_latest, anchor_write
from audit.hashing import event_hash
from audit.models import ChainHead, Event
from audit.services import _values, event_record
from audit.verify import chain_verify

pytestmark = pytest.mark.usefixtures("empty_log")

KEY_A, KEY_B = "a" * 40, "b" * 40


@pytest.fixture(autouse=True)
def _anchor_settings(settings, tmp_path):
    settings.AUDIT_ANCHOR_DIR = str(tmp_path / "anchors")
    settings.AUDIT_ANCHOR_KEYS = {"2026a": KEY_A}
    settings.AUDIT_ANCHOR_KEY_ID = "2026a"


def _log(chains=("nomination:1", "nomination:2"), per_chain=4):
    for index in range(per_chain):
        for chain in chains:
            event_record(action="test.step", chain=chain, reason=f"bước {index}", data={"i": index})


def _forge(chain, seq, reason="viết lại"):
    """What a forger with owner rights does: edit an event, recompute its hash and every later one, move the head."""
    prev = Event.objects.get(chain=chain, seq=seq).prev_hash
    with triggers.disabled():
        for event in Event.objects.filter(chain=chain, seq__gte=seq).order_by("seq"):
            if event.seq == seq:
                event.reason = reason
            new_hash = event_hash(prev, _values(event))
            Event.objects.filter(pk=event.pk).update(reason=event.reason, prev_hash=prev, hash=new_hash)
            prev = new_hash
    ChainHead.objects.filter(chain=chain).update(hash=prev)


def test_an_anchor_records_every_head_signed_with_its_key_id_and_is_itself_audited(db, settings):
    _log()
    digest = chain_verify(digest=True).heads_digest
    path = anchor_write()
    body = json.loads(path.read_text())
    assert body["key_id"] == "2026a" and body["chains"] == 2
    assert body["heads"] == [
        ["nomination:1", 4, body["heads"][0][2]],
        ["nomination:2", 4, body["heads"][1][2]],
    ]
    assert body["digest"] == digest
    assert anchor_latest() == path
    event = Event.objects.get(action="audit.anchor")
    assert event.data["file"] == path.name and event.data["key_id"] == "2026a"
    assert anchor_check(path).ok


def test_a_forger_who_recomputes_hashes_and_moves_the_head_is_caught_by_the_anchor(db, capsys):
    _log()
    call_command("audit_anchor")
    _forge("nomination:2", 2)
    # The chains alone still verify: this is the rewrite the unkeyed hashes cannot reveal.
    assert chain_verify().ok
    with pytest.raises(CommandError, match="nomination:2"):
        call_command("audit_verify")
    err = capsys.readouterr().err
    assert "chuỗi nomination:2, số thứ tự 4: Sự kiện đã neo bị ghi lại" in err
    assert "nomination:1" not in err
    assert Event.objects.filter(action="audit.verify").latest("id").data["anchor_ok"] is False


def test_events_appended_after_the_anchor_keep_the_log_verified(db, capsys):
    _log()
    anchor_write()
    _log(per_chain=2)
    call_command("audit_verify")
    assert "Khớp mốc neo" in capsys.readouterr().out


def test_a_deleted_chain_is_caught_by_the_anchor(db):
    _log()
    path = anchor_write()
    with triggers.disabled():
        Event.objects.filter(chain="nomination:1").delete()
    ChainHead.objects.filter(chain="nomination:1").delete()
    assert chain_verify().ok
    problems = anchor_check(path).problems
    assert [(p.chain, p.seq) for p in problems] == [("nomination:1", 4)]


def test_an_edited_anchor_file_fails_its_signature(db):
    _log()
    path = anchor_write()
    _forge("nomination:1", 1)
    body = json.loads(path.read_text())
    # The forger also rewrites the anchor's heads to match, but cannot sign without the key.
    body["heads"] = [[c, s, ChainHead.objects.get(chain=c).hash] for c, s, _ in body["heads"]]
    path.write_text(json.dumps(body))
    result = anchor_check(path)
    assert not result.ok and result.problems[0].problem == "Chữ ký mốc neo sai: tệp đã bị sửa"


def test_keys_rotate_and_older_anchors_stay_checkable(db, settings):
    _log()
    old = anchor_write()
    settings.AUDIT_ANCHOR_KEYS = {"2026a": KEY_A, "2026b": KEY_B}
    settings.AUDIT_ANCHOR_KEY_ID = "2026b"
    new = anchor_write()
    assert json.loads(new.read_text())["key_id"] == "2026b"
    assert anchor_check(old).ok and anchor_check(new).ok
    # Once the old key is retired, its anchors can no longer vouch for anything.
    settings.AUDIT_ANCHOR_KEYS = {"2026b": KEY_B}
    assert anchor_check(old).problems[0].problem == "Khóa ký mốc neo không có trong cấu hình"


def test_without_a_key_no_anchor_is_written(db, settings):
    settings.AUDIT_ANCHOR_KEYS = {}
    settings.AUDIT_ANCHOR_KEY_ID = ""
    with pytest.raises(CommandError, match="AUDIT_ANCHOR_KEYS"):
        call_command("audit_anchor")


def test_the_beat_schedule_anchors_periodically(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["audit-anchor"]
    assert (
        entry["task"] == "workflows.audit_anchor" and entry["schedule"] == settings.AUDIT_ANCHOR_MINUTES * 60
    )


def test_the_celery_task_writes_an_anchor(db):
    from workflows.tasks import audit_anchor

    _log()
    path = audit_anchor.delay().get()
    assert anchor_check(path).ok
    assert Event.objects.get(action="audit.anchor").channel == "worker"
