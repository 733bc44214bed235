"""Status of every object endpoint for each persona, on an object of the cast's own unit and of another unit.

"Own" is a nomination of xã Định Thủy (BT.MCN.DINHTHUY, district BT.MCN); "other" is one of xã An Ngãi Trung
(BT.BATRI.ANNGAITRUNG, district BT.BATRI). Both lie in province BT, so province-wide roles see both once a
nomination reaches the province. Each cell builds fresh objects, so writes never see each other's effects.
"""

import itertools

import pytest
from django.contrib.auth import get_user_model

from organisation.models import Role
from organisation.services import membership_grant
from tests.api.conftest import client_for, nomination_payload, pdf
from tests.factories import VOTED_COLLECTIVE, file_nomination, posting_window_pass, unit
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
)

ROLES = [
    "clerk",
    "head",
    "district_reviewer",
    "province_reviewer",
    "secretary",
    "chairman",
    "inspector",
    "outsider",
    "anonymous",
]
OTHER = "BT.BATRI.ANNGAITRUNG"
_names = itertools.count()

# Status codes as "own/other" per role, in the order of ROLES:
#                           clerk    head     d_rev    p_rev    secret.  chairman inspect. outsider anonym.
MATRIX = """
nomination-create          201/403  201/403  403/403  403/403  403/403  403/403  403/403  403/403  401/401
nomination-detail          200/404  200/404  200/404  404/404  404/404  404/404  200/200  404/404  401/401
nomination-attachments     201/404  201/404  404/404  404/404  404/404  404/404  403/403  404/404  401/401
nomination-submit          403/404  200/404  404/404  404/404  404/404  404/404  403/403  404/404  401/401
nomination-audit           200/404  200/404  200/404  404/404  404/404  404/404  200/200  404/404  401/401
task-complete:review       403/404  403/404  200/404  404/404  404/404  404/404  403/403  404/404  401/401
task-complete:appraise     403/404  403/404  403/404  200/200  404/404  404/404  403/403  404/404  401/401
task-complete:tally_vote   403/404  403/404  403/404  403/403  200/200  404/404  403/403  404/404  401/401
decision-create            403/400  403/400  403/400  403/403  400/400  201/201  403/403  400/400  401/401
decision-detail            200/404  200/404  200/404  200/200  404/404  200/200  200/200  404/404  401/401
"""
EXPECTED = {
    line.split()[0]: {
        role: tuple(int(code) for code in cell.split("/"))
        for role, cell in zip(ROLES, line.split()[1:], strict=True)
    }
    for line in MATRIX.strip().splitlines()
}


def _other_head():
    user, _ = get_user_model().objects.get_or_create(username="other_head")
    membership_grant(user=user, unit=unit(OTHER), role=Role.UNIT_HEAD)
    return user


def _nomination(people, where, step, award="bang_khen_tinh"):
    """A fresh nomination of `where` ("own"/"other") waiting at `step` (or "signed")."""
    clerk, head = (people.clerk, people.head) if where == "own" else (people.other_clerk, _other_head())
    reviewer = people.district_reviewer if where == "own" else people.other_reviewer
    collective = award == VOTED_COLLECTIVE
    nomination = file_nomination(
        clerk,
        unit_code="BT.MCN.DINHTHUY" if where == "own" else OTHER,
        award_code=award,
        kind="collective" if collective else "individual",
        full_name=f"Người Thứ {next(_names)}",
    )
    if step == "submit":
        return nomination
    nomination_submit(actor=head, nomination=nomination)
    if step == "review":
        return nomination
    review_forward(actor=reviewer, task_id=open_task_of(nomination).task_id)
    if step == "appraise":
        return nomination
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    if step == "tally_vote":
        posting_window_pass([nomination])
    if step in ("sign", "tally_vote"):
        return nomination
    return decision_sign(actor=people.chairman, nominations=[nomination])


def _call(endpoint, people, where, client):
    if endpoint == "nomination-create":
        payload = nomination_payload(unit="BT.MCN.DINHTHUY" if where == "own" else OTHER)
        payload["nominee"]["full_name"] = f"Người Mới {next(_names)}"
        return client.post("/api/v1/nominations/", payload, format="json")
    if endpoint == "nomination-detail":
        return client.get(f"/api/v1/nominations/{_nomination(people, where, 'review').pk}/")
    if endpoint == "nomination-attachments":
        pk = _nomination(people, where, "submit").pk
        return client.post(
            f"/api/v1/nominations/{pk}/attachments/", {"kind": "evidence", "file": pdf()}, format="multipart"
        )
    if endpoint == "nomination-submit":
        return client.post(f"/api/v1/nominations/{_nomination(people, where, 'submit').pk}/submit/")
    if endpoint == "nomination-audit":
        return client.get(f"/api/v1/nominations/{_nomination(people, where, 'review').pk}/audit/")
    if endpoint.startswith("task-complete"):
        step = endpoint.split(":")[1]
        award = VOTED_COLLECTIVE if step == "tally_vote" else "bang_khen_tinh"
        task_id = open_task_of(_nomination(people, where, step, award)).task_id
        payload = {
            "review": {"action": "forward"},
            "appraise": {"action": "approve"},
            "tally_vote": {
                "action": "record_vote",
                "members_total": 15,
                "members_present": 14,
                "votes_for": 13,
                "votes_against": 1,
            },
        }[step]
        return client.post(f"/api/v1/tasks/{task_id}/complete/", payload, format="json")
    if endpoint == "decision-create":
        return client.post(
            "/api/v1/decisions/", {"nominations": [_nomination(people, where, "sign").pk]}, format="json"
        )
    if endpoint == "decision-detail":
        return client.get(f"/api/v1/decisions/{_nomination(people, where, 'signed').pk}/")
    raise AssertionError(endpoint)


@pytest.mark.parametrize("endpoint", list(EXPECTED))
def test_permission_matrix(people, endpoint):
    actual = {}
    for role in ROLES:
        user = None if role == "anonymous" else getattr(people, role)
        actual[role] = tuple(
            _call(endpoint, people, where, client_for(user)).status_code for where in ("own", "other")
        )
    assert actual == EXPECTED[endpoint]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/me/",
        "/api/v1/units/",
        "/api/v1/award-types/",
        "/api/v1/movements/",
        "/api/v1/nominations/",
        "/api/v1/tasks/",
    ],
)
def test_collections_answer_every_authenticated_caller(people, path):
    for role in ROLES:
        user = None if role == "anonymous" else getattr(people, role)
        assert client_for(user).get(path).status_code == (401 if user is None else 200), role


def test_audit_verify_is_for_inspectors(people):
    statuses = {
        role: client_for(None if role == "anonymous" else getattr(people, role))
        .get("/api/v1/audit/verify/")
        .status_code
        for role in ROLES
    }
    assert statuses == {**dict.fromkeys(ROLES, 403), "inspector": 200, "anonymous": 401}
