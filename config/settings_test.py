"""Test settings: the same settings, faster hashing, eager Celery unless a test starts a real worker.

A test run never touches the checkout's var/, where `make run` keeps its database, broker folders, media, secret key
and beat schedule: its worker would answer the tests' pings and could run their tasks against the wrong database.
The first process of a run makes a temporary directory (removed when that process exits); xdist workers and the
worker processes a test starts inherit it through the environment, and each pytest process uses a folder of its own
inside it as VAR_DIR.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

_RUN_DIR_VARIABLE = "THIDUA_TEST_RUN_DIR"


def _test_var_dir():
    """Return this process's VAR_DIR inside the run's temporary directory, making that directory on first use."""
    run_dir = os.environ.get(_RUN_DIR_VARIABLE)
    if not run_dir:
        run_dir = tempfile.mkdtemp(prefix="thidua-test-")
        os.environ[_RUN_DIR_VARIABLE] = run_dir
        atexit.register(shutil.rmtree, run_dir, ignore_errors=True)
    return Path(run_dir) / os.environ.get("PYTEST_XDIST_WORKER", "main")


# Set before config.settings reads it, and kept in the environment for subprocesses (settings checks, real workers).
os.environ["VAR_DIR"] = str(_test_var_dir())
os.environ.setdefault("AXES_ENABLED", "true")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "media"  # noqa: F405
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # The test database is in memory; the file name must still never be a developer's SQLITE_PATH.
    DATABASES["default"]["NAME"] = str(VAR_DIR / "db.sqlite3")  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Tests post the feedback form at once; tests/web/test_feedback_abuse.py sets the minimum back to check it.
FEEDBACK_CHALLENGE_MIN_SECONDS = 0
