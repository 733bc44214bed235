import os

import pytest
from django.conf import settings

from tests import factories


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _vietnamese():
    """Start every test in Vietnamese: a request in English leaves its language active on the thread."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")


DB_FIXTURES = {"db", "transactional_db", "live_server", "people", "tpeople", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _reference_data(request, django_db_blocker):
    """Commit the catalogue and demo province once per test database, outside the test's transaction.

    Building them inside every test's rolled-back transaction would redo the work for each test; a transactional
    test flushes them, and the next test puts them back.
    """
    if not (request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames)):
        return
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        factories.ensure_reference_data()


@pytest.fixture(autouse=True)
def _audit_events_flushable(request):
    """Let transactional tests flush on SQLite, where the append-only triggers refuse Django's DELETE flush.

    Runs only for transactional tests; its teardown comes before the flush because it requests the db helper.
    PostgreSQL flushes with TRUNCATE, which the row trigger does not see, so nothing is needed there.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    transactional = transactional or {"transactional_db", "live_server"} & set(request.fixturenames)
    if not transactional or settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    yield
    from django.db import connection

    from audit import triggers

    with triggers.disabled(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event")


@pytest.fixture
def people(db):
    """The cast: clerk and head of xã Định Thủy, reviewers at district and province, council, chairman, ..."""
    return factories.personas()


@pytest.fixture
def tpeople(transactional_db):
    return factories.personas()


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on SQLite (CI fails if any were skipped under CI=true)."""
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "redis" in item.keywords and not broker.startswith("redis://"):
            item.add_marker(pytest.mark.skip(reason="needs Redis (set CELERY_BROKER_URL=redis://...)"))


@pytest.fixture(autouse=True)
def _deadline_cache():
    """Deadline rules and calendar exceptions are cached per process; a rolled-back test must not leave its rows."""
    from workflows import deadlines

    deadlines.cache_clear()
    yield
    deadlines.cache_clear()
