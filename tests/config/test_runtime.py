"""Long-lived processes freeze what start-up loaded out of the cyclic collector's walks (config.runtime)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _freeze_count(code):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "-c", f"import gc; {code}; print(gc.get_freeze_count())"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


def test_a_web_worker_freezes_once_the_application_is_loaded():
    assert _freeze_count("pass") == 0
    assert _freeze_count("import config.wsgi") > 50_000


def test_a_celery_worker_process_freezes_when_it_starts():
    import_only = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); import config.celery"
    assert _freeze_count(import_only) == 0
    started = f"{import_only}; from celery.signals import worker_process_init; worker_process_init.send(sender=None)"
    assert _freeze_count(started) > 50_000
