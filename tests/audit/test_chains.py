"""Appends lock only their own chain: unrelated nominations never wait on each other (PostgreSQL, real locks)."""

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from audit.models import Event
from audit.services import chain_for, event_record
from audit.verify import chain_verify


def _append_in_thread(chain, outcome):
    """Append one event from another connection, giving up after 300 ms of waiting for a lock."""

    def run():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '300ms'")
                event_record(action="test.append", chain=chain)
            outcome.append("appended")
        except OperationalError as exc:
            outcome.append(f"blocked: {exc.__class__.__name__}")
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=10)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_open_append_blocks_only_its_own_chain():
    first, second = chain_for(nomination_id=1), chain_for(nomination_id=2)
    event_record(action="test.append", chain=first)
    event_record(action="test.append", chain=second)
    with transaction.atomic():
        event_record(action="test.append", chain=first)  # holds nomination:1's head until commit
        other_chain, same_chain = [], []
        _append_in_thread(second, other_chain)
        _append_in_thread(first, same_chain)
    assert other_chain == ["appended"]
    assert same_chain and same_chain[0].startswith("blocked")
    assert chain_verify().ok
    assert Event.objects.filter(chain__in=[first, second]).count() == 4
