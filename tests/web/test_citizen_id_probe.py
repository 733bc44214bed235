"""The citizen-ID probe (issue 15): a clerk of another unit who types a known citizen ID learns nothing of the
person on record, cannot edit them, and the victim's nomination and public page stay as they were."""

import re

import pytest
from django.urls import reverse

from approvals.models import Certificate
from nominations.models import DuplicateFlag, Nomination
from tests.factories import award, file_nomination, movement, unit
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
)

VICTIM_ID = "083090001234"
VICTIM = {
    "full_name": "Võ Thị Nạn Nhân",
    "birth_year": 1957,
    "position": "Hiệu trưởng Trường Tiểu học Định Thủy",
    "citizen_id": VICTIM_ID,
}


def _without_csrf(body):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def _victim_awarded(people):
    nomination = file_nomination(people.clerk, **VICTIM)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    decision_sign(actor=people.chairman, nominations=[nomination])
    return nomination


def _probe_form(unit_code, full_name="Người Dò Tìm"):
    return {
        "unit": unit(unit_code).pk,
        "kind": "individual",
        "full_name": full_name,
        "gender": "male",
        "birth_year": "1990",
        "position": "Cán bộ",
        "citizen_id": VICTIM_ID,
        "award_type": award("bang_khen_tinh").pk,
        "movement": movement().pk,
        "period_year": "2026",
        "achievements": "Thành tích giả.",
    }


@pytest.mark.parametrize(
    "who,unit_code",
    [("other_clerk", "BT.BATRI.ANNGAITRUNG"), ("dept_clerk", "BT.SGDDT"), ("vl_clerk", "VL.DINHTHUY")],
)
def test_citizen_id_probe_from_another_unit_reveals_and_edits_nothing(client, people, who, unit_code):
    victim = _victim_awarded(people)
    certificate = Certificate.objects.get(nomination=victim)
    public_before = client.get(
        reverse("public:verify", args=[certificate.verification_code])
    ).content.decode()
    client.force_login(getattr(people, who))

    response = client.post(reverse("nominations:create"), _probe_form(unit_code), follow=True)
    assert response.status_code == 200
    probe = Nomination.objects.exclude(pk=victim.pk).get()
    body = response.content.decode()
    for secret in ("Nạn Nhân", "1957", "Hiệu trưởng", "Khiển trách"):
        assert secret not in body
    assert probe.nominee_id != victim.nominee_id
    assert probe.nominee.full_name == "Người Dò Tìm" and probe.nominee.birth_year == 1990
    assert probe.nominee.person_id != victim.nominee.person_id
    # The province's reviewer, not the filer, is told of the possible duplicate (within one province only).
    flags = DuplicateFlag.objects.filter(person=probe.nominee.person, candidate=victim.nominee.person)
    assert flags.count() == (0 if unit_code.startswith("VL") else 1)

    detail = client.get(reverse("nominations:detail", args=[probe.pk])).content.decode()
    assert "Nạn Nhân" not in detail and "1957" not in detail
    client.post(
        reverse("nominations:edit", args=[probe.pk]),
        {
            "full_name": "Tên Bị Đổi",
            "birth_year": "1991",
            "position": "X",
            "period_year": "2026",
            "achievements": "Sửa.",
        },
    )
    victim.refresh_from_db()
    victim.nominee.refresh_from_db()
    assert victim.nominee.full_name == VICTIM["full_name"] and victim.nominee.position == VICTIM["position"]
    assert victim.nominee.person.full_name == VICTIM["full_name"]
    client.logout()
    public_after = client.get(reverse("public:verify", args=[certificate.verification_code])).content.decode()
    assert "Tên Bị Đổi" not in public_after and VICTIM["full_name"] in public_after
    assert _without_csrf(public_after) == _without_csrf(public_before)


def test_same_unit_reuses_the_person_on_record(client, people):
    victim = file_nomination(people.clerk, **VICTIM)
    client.force_login(people.clerk)
    form = _probe_form("BT.MCN.DINHTHUY", VICTIM["full_name"])
    response = client.post(reverse("nominations:create"), form)
    assert (
        "đã được đề nghị" in response.content.decode()
    )  # the same person, award and year, known to this unit
    response = client.post(reverse("nominations:create"), form | {"period_year": "2025"})
    assert response.status_code == 302, response.content.decode()[:2000]
    again = Nomination.objects.exclude(pk=victim.pk).get()
    assert again.nominee.person_id == victim.nominee.person_id
    assert again.nominee_id != victim.nominee_id  # each nomination keeps its own printed snapshot


def test_citizen_id_must_have_twelve_digits_on_the_form(client, people):
    client.force_login(people.clerk)
    response = client.post(
        reverse("nominations:create"), _probe_form("BT.MCN.DINHTHUY") | {"citizen_id": "0830"}
    )
    assert response.status_code == 200
    assert "Số CCCD phải gồm đúng 12 chữ số." in response.content.decode()
    assert not Nomination.objects.exists()


def test_web_form_takes_the_member_list_and_refuses_a_collective_below_the_share(client, people):
    from nominations.models import Nomination

    client.force_login(people.clerk)
    form = _probe_form("BT.MCN.DINHTHUY", "Tổ dân phố 3") | {
        "kind": "collective",
        "citizen_id": "",
        "award_type": award("tap_the_lao_dong_xuat_sac").pk,
        "members": "\n".join(["Người A; có; có; có"] + [f"Người {i}; có; không; không" for i in range(9)]),
    }
    body = client.post(reverse("nominations:create"), form).content.decode()
    assert "1/10" in body and "Điều 27" in body and not Nomination.objects.exists()
    bad = client.post(
        reverse("nominations:create"), form | {"members": "Người A; có; có; lạ"}
    ).content.decode()
    assert "Dòng 1 của danh sách thành viên" in bad
    good = "\n".join(["Người A; có; có; có"] + [f"Người {i}; có; có" for i in range(9)])
    response = client.post(reverse("nominations:create"), form | {"members": good})
    assert response.status_code == 302
    assert Nomination.objects.get().members.count() == 10
