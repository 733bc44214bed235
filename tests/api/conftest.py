import pytest
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PDF_BYTES


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Throttle counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def client_for(user, language="vi"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        _, token = AuthToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def as_user():
    """`as_user(people.clerk)` → an APIClient sending that user's token (None: anonymous)."""
    return client_for


def nomination_payload(**overrides):
    from django.utils import timezone

    payload = {
        "movement": "dong_khoi_moi_2020_2025",
        "award_type": "bang_khen_tinh",
        "content_areas": [],
        "unit": "BT.MCN.DINHTHUY",
        "period_year": timezone.localdate().year,
        "achievements": "Hoàn thành xuất sắc nhiệm vụ năm.",
        "nominee": {
            "kind": "individual",
            "full_name": "Nguyễn Văn An",
            "gender": "male",
            "birth_year": 1980,
            "position": "Chủ tịch UBND xã",
        },
    }
    payload.update(overrides)
    return payload


def pdf(name="bao-cao.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
