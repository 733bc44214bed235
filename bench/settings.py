"""Settings for the benchmark scripts: the project's settings plus the `bench` app (bare-viewflow baseline flow).

DEBUG is forced off: with DEBUG on Django keeps every SQL statement in memory, which distorts time and RSS.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("AXES_ENABLED", "false")

from config.settings import *  # noqa: E402,F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
MEDIA_ROOT = VAR_DIR / "bench-media"  # noqa: F405
