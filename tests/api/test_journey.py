"""A nomination from filing to signed decision through the API alone, with the demo users."""

from audit.models import Event
from nominations.models import Status
from tests.api.conftest import nomination_payload, pdf


def _token(client, username):
    response = client.post(
        "/api/v1/auth/token/", {"username": username, "password": "Demo@2026"}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _login(username):
    from rest_framework.test import APIClient

    client = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    client.credentials(HTTP_AUTHORIZATION=f"Token {_token(APIClient(), username)}")
    return client


def _only_task(client, nomination_id, step):
    tasks = [t for t in client.get("/api/v1/tasks/").json()["results"] if t["nomination"] == nomination_id]
    assert [t["step"] for t in tasks] == [step]
    return tasks[0]


def test_clerk_to_signed_decision_through_the_api_only(people):
    clerk = _login("clerk")
    response = clerk.post("/api/v1/nominations/", nomination_payload(), format="json")
    assert response.status_code == 201, response.json()
    nomination = response.json()
    assert nomination["status"] == Status.DRAFT and nomination["route"] == "standard"
    assert nomination["route_units"] == ["BT.MCN"] and nomination["deciding_unit"] == "BT"
    pk = nomination["id"]
    for kind in ("achievement_report", "submission"):
        response = clerk.post(
            f"/api/v1/nominations/{pk}/attachments/",
            {"kind": kind, "file": pdf(f"{kind}.pdf")},
            format="multipart",
        )
        assert response.status_code == 201, response.json()
        assert response.json()["kind"] == kind and len(response.json()["sha256"]) == 64

    head = _login("head")
    assert _only_task(head, pk, "submit")["actions"] == ["submit"]
    response = head.post(f"/api/v1/nominations/{pk}/submit/", format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.IN_REVIEW and response.json()["current_unit"] == "BT.MCN"

    district = _login("district_reviewer")
    task = _only_task(district, pk, "review")
    assert task["unit"] == "BT.MCN" and task["actions"] == ["forward", "return", "reject"] and task["due_at"]
    response = district.post(f"/api/v1/tasks/{task['id']}/complete/", {"action": "forward"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["nomination"]["status"] == Status.APPRAISAL

    province = _login("province_reviewer")
    task = _only_task(province, pk, "appraise")
    response = province.post(f"/api/v1/tasks/{task['id']}/complete/", {"action": "approve"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["nomination"]["status"] == Status.AWAITING_SIGNATURE

    chairman = _login("chairman")
    assert _only_task(chairman, pk, "sign")["actions"] == ["sign"]
    response = chairman.post("/api/v1/decisions/", {"nominations": [pk]}, format="json")
    assert response.status_code == 201, response.json()
    decision = response.json()
    assert decision["number"].endswith("/QĐ-UBND") and decision["issuer"] == "BT"
    assert [item["nomination"] for item in decision["items"]] == [pk]
    assert decision["items"][0]["serial"].startswith("BT-")

    response = chairman.get(f"/api/v1/decisions/{decision['id']}/")
    assert response.status_code == 200 and response.json()["items"] == decision["items"]
    detail = clerk.get(f"/api/v1/nominations/{pk}/").json()
    assert detail["status"] == Status.AWARDED
    assert detail["decision"] == {
        "id": decision["id"],
        "number": decision["number"],
        "date": decision["date"],
        "serial": decision["items"][0]["serial"],
    }

    events = clerk.get(f"/api/v1/nominations/{pk}/audit/").json()["results"]
    actions = [e["action"] for e in events]
    for expected in (
        "nomination.create",
        "dossier.add",
        "task.submit",
        "task.forward",
        "task.approve",
        "task.sign",
        "nomination.awarded",
    ):
        assert expected in actions
    # Every change made by a person through the API is recorded with the API as its origin.
    by_people = Event.objects.filter(nomination_id=pk, actor__isnull=False)
    assert by_people.count() >= 6
    assert set(by_people.values_list("channel", flat=True)) == {"api"}
    assert Event.objects.filter(action="decision.sign", channel="api").count() == 1
