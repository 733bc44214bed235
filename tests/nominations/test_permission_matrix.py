"""Who gets what from every page of the web UI, on a nomination of their own unit and of another unit.

Own unit: a nomination of xã Định Thủy in review at huyện Mỏ Cày Nam. Other unit: a draft of xã An Ngãi Trung
(huyện Ba Tri). 302 = redirect (to login for anonymous; to the next page after a write); 400 = the form is shown
again with the service's field errors (the writes post data the services refuse, so
the nomination stays where it is for the next persona); 403 = may read but not do this; 404 = may not even know it exists.
"""

import pytest
from django.urls import reverse

from tests.factories import file_nomination, pdf_upload
from workflows.services import nomination_submit

PERSONAS = [
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


def row(*statuses):
    return dict(zip(PERSONAS, statuses, strict=True))


OWN = {
    ("GET", "nominations:detail"): row(200, 200, 200, 404, 404, 404, 200, 404, 302),
    ("GET", "nominations:edit"): row(200, 200, 403, 404, 404, 404, 403, 404, 302),
    ("POST", "nominations:edit"): row(200, 200, 403, 404, 404, 404, 403, 404, 302),
    ("POST", "nominations:act"): row(403, 403, 400, 404, 404, 404, 403, 404, 302),
    ("POST", "nominations:upload"): row(400, 400, 403, 404, 404, 404, 403, 404, 302),
    ("GET", "nominations:download"): row(200, 200, 200, 404, 404, 404, 200, 404, 302),
}
OTHER = {
    ("GET", "nominations:detail"): row(404, 404, 404, 404, 404, 404, 200, 404, 302),
    ("GET", "nominations:edit"): row(404, 404, 404, 404, 404, 404, 403, 404, 302),
    ("POST", "nominations:edit"): row(404, 404, 404, 404, 404, 404, 403, 404, 302),
    ("POST", "nominations:act"): row(404, 404, 404, 404, 404, 404, 403, 404, 302),
    ("POST", "nominations:upload"): row(404, 404, 404, 404, 404, 404, 403, 404, 302),
    ("GET", "nominations:download"): row(404, 404, 404, 404, 404, 404, 200, 404, 302),
}
GLOBAL = {
    ("GET", "nominations:home"): row(200, 200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "nominations:list"): row(200, 200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "nominations:create"): row(200, 200, 403, 403, 403, 403, 403, 403, 302),
    ("GET", "nominations:dashboard"): row(403, 403, 403, 200, 200, 200, 200, 403, 302),
    ("POST", "nominations:submit_selected"): row(403, 302, 403, 403, 403, 403, 403, 403, 302),
    ("POST", "nominations:bulk_review"): row(403, 403, 302, 302, 403, 403, 403, 403, 302),
    ("POST", "approvals:sign"): row(403, 403, 403, 403, 403, 302, 403, 403, 302),
    ("GET", "public:posted"): row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:honour_roll"): row(200, 200, 200, 200, 200, 200, 200, 200, 200),
}
POST_DATA = {
    "nominations:edit": {"full_name": "Nguyễn Văn An", "period_year": "2026", "achievements": "Sửa."},
    # A return without its reason: whoever holds the task reaches the service (400, field error), state unchanged.
    "nominations:act": {"action": "return", "reason": ""},
    "nominations:submit_selected": {"nomination": ["0"]},
    "nominations:bulk_review": {"action": "forward", "task": ["0"]},
    "approvals:sign": {"nomination": ["0"]},
}


@pytest.fixture
def objects(people):
    own = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=own)
    other = file_nomination(people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG", full_name="Châu Văn Khác")
    return {"own": own, "other": other}


def status_of(client, people, persona, method, name, nomination=None):
    client.logout()
    if persona != "anonymous":
        client.force_login(getattr(people, persona))
    if name == "nominations:download":
        url = reverse(name, args=[nomination.pk, nomination.files.first().pk])
    elif nomination is not None:
        url = reverse(name, args=[nomination.pk])
    else:
        url = reverse(name)
    if method == "GET":
        return client.get(url).status_code
    data = dict(POST_DATA.get(name, {}))
    if name == "nominations:upload":
        data = {"kind": "evidence", "file": pdf_upload()}
    return client.post(url, data).status_code


ROWS = (
    [("own", key, statuses) for key, statuses in OWN.items()]
    + [("other", key, statuses) for key, statuses in OTHER.items()]
    + [(None, key, statuses) for key, statuses in GLOBAL.items()]
)


@pytest.mark.parametrize(
    "which,key,expected", ROWS, ids=[f"{w or 'global'}-{m}-{n}" for w, (m, n), _e in ROWS]
)
def test_permission_matrix(client, people, objects, which, key, expected):
    method, name = key
    nomination = objects[which] if which else None
    actual = {persona: status_of(client, people, persona, method, name, nomination) for persona in PERSONAS}
    assert actual == expected


AWARDED = {
    ("GET", "approvals:decision"): row(200, 200, 200, 200, 404, 200, 200, 404, 302),
    ("GET", "public:verify"): row(200, 200, 200, 200, 200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("key,expected", AWARDED.items(), ids=[f"awarded-{m}-{n}" for m, n in AWARDED])
def test_permission_matrix_after_signature(client, people, key, expected):
    from approvals.models import Certificate
    from workflows.services import appraisal_approve, decision_sign, open_task_of, review_forward

    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    decision = decision_sign(actor=people.chairman, nominations=[nomination])
    method, name = key
    args = [decision.pk] if name == "approvals:decision" else [Certificate.objects.get().verification_code]
    actual = {}
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(getattr(people, persona))
        actual[persona] = client.get(reverse(name, args=args)).status_code
    assert actual == expected
