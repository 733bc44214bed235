import pytest


@pytest.fixture
def empty_log(db):
    """Start from an empty event log inside the test's transaction (the demo province leaves events)."""
    from audit import triggers
    from audit.models import ChainHead, Event

    with triggers.disabled():
        Event.objects.all().delete()
        ChainHead.objects.all().delete()
