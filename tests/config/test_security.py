"""Security headers and limits: throttle identity, Content-Security-Policy, session timeouts, error pages."""

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings
from rest_framework.throttling import ScopedRateThrottle

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("sec_user", password="x")


def test_token_throttle_ignores_forged_x_forwarded_for(client, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "1/min"})
    first = client.post("/api/v1/auth/token/", {}, REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert first.status_code == 400
    second = client.post("/api/v1/auth/token/", {}, REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert second.status_code == 429
    other = client.post("/api/v1/auth/token/", {}, REMOTE_ADDR="10.0.0.8", HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert other.status_code == 400


def test_csp_header_forbids_inline_script(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "<script>" not in response.content.decode()


def test_session_expires_after_idle_timeout(client, user, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(user)
        assert client.get("/notifications/").status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/notifications/").status_code == 200  # activity pushes the expiry forward
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_session_expires_after_absolute_timeout_despite_activity(client, user, settings):
    assert settings.SESSION_ABSOLUTE_HOURS == 12
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(user)
        assert client.get("/notifications/").status_code == 200
        for _ in range(35):  # a request every 20 minutes: never idle, up to 11 h 40 min after login
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get("/notifications/").status_code == 200
        traveller.shift(dt.timedelta(minutes=20))
        response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@override_settings(DEBUG=False)
def test_404_page_is_vietnamese_without_url_list(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy" in html
    assert "URLconf" not in html and "api/v1/" not in html and "admin/" not in html


def test_debug_is_off_by_default_in_embedded_mode(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "RUN_MODE": "embedded",
        "VAR_DIR": str(tmp_path),
        "SECRET_KEY": "k" * 50,
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "False"


@override_settings(DEBUG=False)
def test_static_files_are_served_by_whitenoise_with_debug_off(client, settings):
    assert settings.WHITENOISE_USE_FINDERS  # embedded mode: no collectstatic needed
    response = client.get("/static/css/app.css")
    assert response.status_code == 200


def test_no_template_has_inline_script_or_event_handlers(settings):
    """The Content-Security-Policy refuses inline script, so an `onchange="…"` or a bare <script> block would
    silently stop working in the browser (the language switch once did)."""
    offenders = []
    for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"\son[a-z]+\s*=", text) or re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(str(path))
    assert offenders == []
