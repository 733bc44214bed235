"""Settings parse the environment strictly: bad values stop the start with a clear message."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def environ(monkeypatch):
    def set_(**values):
        for key, value in values.items():
            monkeypatch.setenv(key, value)

    return set_


def test_bool_accepts_usual_spellings(environ):
    environ(FLAG_A="Yes", FLAG_B="0", FLAG_C="on")
    assert env_bool("FLAG_A") is True
    assert env_bool("FLAG_B") is False
    assert env_bool("FLAG_C") is True


def test_bool_rejects_anything_else(environ):
    environ(FLAG_A="maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG_A='maybe' is not a boolean"):
        env_bool("FLAG_A", False)


def test_int_rejects_text_and_values_below_minimum(environ):
    environ(NUM_A="ten", NUM_B="0")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("NUM_A", 1)
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("NUM_B", 1, minimum=1)


def test_required_value_missing(monkeypatch):
    monkeypatch.delenv("SURELY_MISSING", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SURELY_MISSING is required"):
        env_str("SURELY_MISSING")


def test_list_and_choice(environ):
    environ(HOSTS="a.vn, b.vn,,", MODE="cloud")
    assert env_list("HOSTS") == ["a.vn", "b.vn"]
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        env_choice("MODE", ["embedded", "production"])


def _check(env):
    """Load the settings in a fresh interpreter with `env`; return (exit code, output)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "SECRET_KEY",
            "RUN_MODE",
            "DEBUG",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); print('ok')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stdout + result.stderr


def test_production_requires_secret_key_database_and_broker():
    rc, out = _check({"RUN_MODE": "production", "ALLOWED_HOSTS": "x.vn"})
    assert rc != 0 and "SECRET_KEY is required" in out
    rc, out = _check({"RUN_MODE": "production", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "x.vn"})
    assert rc != 0 and "DATABASE_URL is required" in out
    rc, out = _check(
        {
            "RUN_MODE": "production",
            "SECRET_KEY": "k" * 60,
            "ALLOWED_HOSTS": "x.vn",
            "DATABASE_URL": "postgres://u@127.0.0.1/db",
        }
    )
    assert rc != 0 and "CELERY_BROKER_URL is required" in out


def test_production_refuses_debug_and_bad_database_url():
    rc, out = _check({"RUN_MODE": "production", "DEBUG": "true"})
    assert rc != 0 and "DEBUG must be off" in out
    rc, out = _check({"DATABASE_URL": "nonsense://"})
    assert rc != 0 and "DATABASE_URL" in out


def test_embedded_default_runs_on_sqlite_and_a_serverless_broker():
    rc, out = _check({})
    assert rc == 0, out
    from django.conf import settings

    if not os.environ.get("DATABASE_URL"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh" and settings.LANGUAGE_CODE == "vi"


def test_production_settings_pass_deploy_check():
    env = {
        "RUN_MODE": "production",
        "SECRET_KEY": "s" * 30 + "Z9x!" * 8,
        "ALLOWED_HOSTS": "thidua.example.vn",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "AUDIT_ANCHOR_KEYS": "2026a:" + "k" * 40,
        "SIGNER_SECRET_KEYS": "Y2lfa2V5X2Zvcl90aGVfc2lnbmVyX3Bhc3NwaHJhc2U=",
    }
    base = {k: v for k, v in os.environ.items() if k not in env and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_trusted_proxy_count_drives_the_api_client_address():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "from django.conf import settings as s; print(s.TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'],"
        " s.AXES_CLIENT_IP_CALLABLE)"
    )
    env = {k: v for k, v in os.environ.items() if k != "RUN_MODE"} | {"TRUSTED_PROXY_COUNT": "2"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["2", "2", "audit.context.client_address"]


def _database_options(env):
    """The PostgreSQL connection OPTIONS the settings build from `env` (loaded in a fresh interpreter)."""
    code = (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); "
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS']; "
        "print(json.dumps([o['server_side_binding'], o['prepare_threshold']]))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("DB_") and k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DATABASE_URL": "postgres://u@127.0.0.1/db", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements():
    assert _database_options({}) == [True, 5]
    assert _database_options({"DB_PREPARE_THRESHOLD": "0"}) == [True, None]  # behind an old pgbouncer
    assert _database_options({"DB_SERVER_SIDE_BINDING": "false", "DB_PREPARE_THRESHOLD": "3"}) == [False, 3]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_repeated_statement_is_prepared_on_the_server():
    """The fifth run of the same statement on a connection is prepared: PostgreSQL plans it once."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    for _ in range(6):
        list(get_user_model().objects.filter(username="nobody").values_list("pk"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("auth_user" in statement and "$1" in statement for statement in prepared), prepared


def test_a_grown_worker_process_is_replaced():
    from django.conf import settings

    assert settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD == 200 * 1024  # KB, as Celery counts
