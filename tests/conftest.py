import os

import pytest
from django.conf import settings

from tests import factories


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
