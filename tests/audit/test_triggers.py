"""The database itself refuses to change or delete an audit event; the chain head stays writable."""

import json

import pytest
from django.db import DatabaseError, connection, transaction

from audit import triggers
from audit.models import ChainHead, Event
from audit.services import event_record


def _event():
    return event_record(action="test.thing", chain="test:triggers", data={"n": 1})


def test_update_of_an_event_is_refused(db):
    event = _event()
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(reason="sửa lén")
    assert Event.objects.get(pk=event.pk).reason == ""


def test_delete_of_an_event_is_refused(db):
    event = _event()
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=event.pk).delete()
    assert Event.objects.filter(pk=event.pk).exists()


def test_raw_sql_update_is_refused(db):
    event = _event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET action = 'x' WHERE id = %s", [event.pk])
    assert Event.objects.get(pk=event.pk).action == "test.thing"


def test_chain_head_is_still_updated_by_appends(db):
    _event()
    _event()
    assert ChainHead.objects.get(chain="test:triggers").seq == 2


def test_disabled_lets_a_tamper_test_edit_then_reinstalls(db):
    event = _event()
    with triggers.disabled():
        assert not triggers.is_installed()
        Event.objects.filter(pk=event.pk).update(reason="sửa lén")
    assert triggers.is_installed()
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(reason="lần nữa")


@pytest.mark.postgres
def test_postgres_trigger_refuses_update_and_delete(db):
    assert connection.vendor == "postgresql" and triggers.is_installed()
    event = _event()
    for sql in ("UPDATE audit_event SET reason = 'x' WHERE id = %s", "DELETE FROM audit_event WHERE id = %s"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert Event.objects.get(pk=event.pk).reason == ""


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_still_flush_events():
    # The conftest fixture clears events before Django's DELETE flush on SQLite; this test leaves events behind.
    _event()
    assert Event.objects.filter(chain="test:triggers").count() == 1


@pytest.mark.django_db(transaction=True)
def test_flush_after_previous_transactional_test_left_no_events():
    assert Event.objects.filter(chain="test:triggers").count() == 0
    assert triggers.is_installed()


def test_an_upsert_cannot_rewrite_an_event(db):
    """SQLite's INSERT OR REPLACE (a delete and an insert that fire no DELETE trigger) and PostgreSQL's
    INSERT ... ON CONFLICT DO UPDATE both try to rewrite a stored event through an insert: both are refused."""
    event = _event()
    count = Event.objects.count()
    columns = [f.column for f in Event._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM audit_event WHERE id = %s", [event.pk])
        row = dict(zip(columns, cursor.fetchone(), strict=True))
    row["reason"] = "sửa lén"
    placeholders = ", ".join(["%s"] * len(columns))
    if connection.vendor == "sqlite":
        sql = f"INSERT OR REPLACE INTO audit_event ({', '.join(columns)}) VALUES ({placeholders})"
        conflicts = ["", ""]
    else:
        row["data"] = json.dumps(row["data"])
        placeholders = ", ".join(
            "%s::jsonb" if c == "data" else "%s::inet" if c == "ip" else "%s" for c in columns
        )
        sql = f"INSERT INTO audit_event ({', '.join(columns)}) VALUES ({placeholders})"
        conflicts = [
            " ON CONFLICT (id) DO UPDATE SET reason = EXCLUDED.reason",
            " ON CONFLICT (chain, seq) DO UPDATE SET reason = EXCLUDED.reason",
        ]
    with (
        pytest.raises(DatabaseError, match=triggers.MESSAGE),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql + conflicts[0], [row[c] for c in columns])
    row["id"] = event.pk + 1000  # a new id over the same (chain, seq)
    with (
        pytest.raises(DatabaseError, match=triggers.MESSAGE),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql + conflicts[1], [row[c] for c in columns])
    assert Event.objects.get(pk=event.pk).reason == ""
    assert Event.objects.count() == count
