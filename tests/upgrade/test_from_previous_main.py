"""A database made by the previous main migrates forward with every row, and keeps working (issue "Rearrange the
house", item 7: Unit, Membership and Council moved to `organisation` with their tables).

The previous main's tree is extracted from git and run in subprocesses on a fresh database (SQLite file; a new
PostgreSQL database when the run is on PostgreSQL): migrate, seed the demo province, sign decisions, leave a
nomination in review. This tree then migrates the same database, and the test checks that rows, content type and
permission ids, the audit chains, the guardian grants and the in-flight task all came through.
"""

import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings

from organisation.models import Unit

# The main before the move (a01dc55, "Audit column lists ... derive from HASHED_FIELDS"): the last commit whose
# migrations keep Unit, Membership and Council in `approvals`. CI runs on a full clone of main, which has it.
PREVIOUS_MAIN = "a01dc55b19240a790e6db70e4ce349a2c2b34c22"

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
MOVED_MODELS = ("unit", "membership", "council")
SUBPROCESS_TIMEOUT = 300

pytestmark = pytest.mark.upgrade


@pytest.fixture(scope="module")
def previous_main(tmp_path_factory):
    """Extract the previous main's tree (`git archive`), with this test's scripts copied in."""
    tree = tmp_path_factory.mktemp("previous-main")
    try:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", PREVIOUS_MAIN],
            capture_output=True,
            timeout=SUBPROCESS_TIMEOUT,
        )
    except FileNotFoundError:
        pytest.fail("git is needed to extract the previous main's tree; install git and run again.")
    if archive.returncode != 0:
        pytest.fail(
            f"Cannot extract the previous main {PREVIOUS_MAIN} from {REPO}: "
            f"{archive.stderr.decode(errors='replace').strip()}. The upgrade test needs the full history of main "
            "(a shallow clone lacks it: `git fetch --unshallow`)."
        )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(tree, filter="data")
    for script in ("fill_previous_main.py", "snapshot.py"):
        shutil.copy(HERE / script, tree / script)
    return tree


def _postgres_server():
    """Return (connect kwargs, URL prefix) of the PostgreSQL server this test run uses."""
    db = settings.DATABASES["default"]
    host, port, user, password = db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["USER"], db["PASSWORD"]
    prefix = f"postgres://{user}{f':{password}' if password else ''}@{host}:{port}"
    return {"host": host, "port": port, "user": user, "password": password, "dbname": "postgres"}, prefix


@pytest.fixture
def database(request, tmp_path):
    """Yield the environment that points both trees at one fresh database of the engine asked for."""
    if request.param == "sqlite":
        yield {"SQLITE_PATH": str(tmp_path / "upgrade.sqlite3")}
        return
    import psycopg

    server, prefix = _postgres_server()
    name = f"upgrade_check_{secrets.token_hex(6)}"
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"DATABASE_URL": f"{prefix}/{name}"}
    finally:
        with psycopg.connect(**server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _environment(tmp_path, database):
    """The settings both trees run with: embedded defaults in tmp_path, eager Celery, the given database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "SQLITE_PATH", "CELERY_BROKER_URL", "CACHE_URL", "RUN_MODE", "PYTHONPATH"}
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
        **database,
    }


def _run(env, cwd, *args):
    """Run `python *args` in `cwd`; return its stdout, or fail with everything it said."""
    command = [sys.executable, *args]
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT
    )
    where = "previous main" if Path(cwd) != REPO else "this main"
    assert done.returncode == 0, (
        f"{' '.join(args)} ({where}) exited {done.returncode}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    )
    return done.stdout


def _report(stdout, tag):
    """Return the JSON a script printed after `tag`."""
    lines = [line for line in stdout.splitlines() if line.startswith(f"{tag} ")]
    assert lines, f"no {tag} line in:\n{stdout}"
    return json.loads(lines[-1].removeprefix(f"{tag} "))


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_database_of_previous_main_migrates_with_every_row_and_keeps_working(
    request, previous_main, database, tmp_path
):
    env = _environment(tmp_path, database)

    # The previous main builds and fills its database, and its own audit check passes on it.
    _run(env, previous_main, "manage.py", "migrate", "--no-input", "-v", "0")
    _run(env, previous_main, "manage.py", "seed_demo")
    story = _report(_run(env, previous_main, "-m", "fill_previous_main"), "UPGRADE-STORY")
    _run(env, previous_main, "manage.py", "audit_verify")
    before = _report(_run(env, previous_main, "-m", "snapshot"), "UPGRADE-SNAPSHOT")
    moved_ids = {
        pk: label
        for pk, label in before["content_types"].items()
        if label in {f"approvals.{m}" for m in MOVED_MODELS}
    }
    assert sorted(moved_ids.values()) == sorted(f"approvals.{m}" for m in MOVED_MODELS)
    assert before["vendor"] == request.node.callspec.params["database"]
    assert before["rows"]["approvals_decision"] == before["rows"]["approvals_certificate"] == 2
    assert before["task_permissions"]["approvals.review_nomination"] == 3  # two done, one open

    # This main migrates the same database.
    migrated = _run(env, REPO, "manage.py", "migrate", "--no-input")
    assert "organisation.0001_initial... OK" in migrated
    after = _report(_run(env, REPO, "-m", "tests.upgrade.snapshot"), "UPGRADE-SNAPSHOT")

    assert after["rows"] == before["rows"]
    # The moved models keep their content type ids, relabelled; every other content type and permission is as it was.
    relabelled = {pk: label.replace("approvals.", "organisation.", 1) for pk, label in moved_ids.items()}
    # Models added since then bring new content types and permissions; every earlier one keeps its id.
    kept = {pk: label for pk, label in after["content_types"].items() if pk in before["content_types"]}
    assert kept == before["content_types"] | relabelled
    assert not {f"approvals.{m}" for m in MOVED_MODELS} & set(after["content_types"].values())
    assert {pk: row for pk, row in after["permissions"].items() if pk in before["permissions"]} == before[
        "permissions"
    ]
    # Every task, open or done, names its owner permission in the app that now holds it.
    unit_permissions = {f"approvals.{codename}" for codename, _ in Unit._meta.permissions}
    assert after["task_permissions"] == {
        name.replace("approvals.", "organisation.", 1) if name in unit_permissions else name: count
        for name, count in before["task_permissions"].items()
    }

    verified = _run(env, REPO, "manage.py", "audit_verify")
    assert "Nhật ký toàn vẹn" in verified
    checked = _run(env, REPO, "manage.py", "check", "--database", "default")
    assert "organisation.E00" not in checked

    # The upgraded database works: the reviewer's grants resolve, the in-flight review moves on, a new reviewer
    # joins the existing unit-role group.
    seen = _report(
        _run(
            env,
            REPO,
            "-m",
            "tests.upgrade.advance_upgraded",
            str(story["in_flight"]),
            str(story["in_flight_task"]),
        ),
        "UPGRADE-ADVANCE",
    )
    assert seen["review_units"] == [seen["district_id"]]
    assert seen["nominations"] == seen["snapshots"] > 0
    assert seen["unlinked_snapshots"] == seen["unlinked_history"] == 0
    assert seen["reviewer_has_perm"] and seen["reviewer_can_assign"]
    assert seen["owner_permission_before"] == "organisation.review_nomination"
    assert story["in_flight_task"] in seen["in_reviewer_inbox"]
    assert (seen["status_after"], seen["current_unit_after"], seen["next_step"]) == (
        "appraisal",
        "BT",
        "appraise",
    )
    assert seen["next_owner_permission"] == "organisation.appraise_nomination"
    assert seen["next_task"] in seen["in_province_inbox"]
    assert seen["newcomer_review_units"] == [seen["district_id"]] and seen["groups_added"] == 0
    # The transition and the grant chained their events onto the migrated log; the policy checks still hold.
    _run(env, REPO, "manage.py", "audit_verify")
    assert "organisation.E00" not in _run(env, REPO, "manage.py", "check", "--database", "default")
