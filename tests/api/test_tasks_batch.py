"""POST /api/v1/tasks/batch/: one action on many tasks, the batch step of workflows.batch behind it; each task
applied or refused on its own, a task the caller cannot see reported like an unknown id."""

import itertools

from audit.models import Event
from nominations.models import Nomination
from tests.api.conftest import client_for
from tests.factories import file_nomination
from workflows.models import TaskScope
from workflows.services import nomination_submit, open_task_of

URL = "/api/v1/tasks/batch/"
_names = itertools.count()


def _at_review(people, n):
    filed = []
    for _index in range(n):
        nomination = file_nomination(people.clerk, full_name=f"Người Lô {next(_names)}")
        nomination_submit(actor=people.head, nomination=nomination)
        filed.append(nomination)
    return filed


def test_a_reviewer_forwards_many_tasks_in_one_call(people):
    filed = _at_review(people, 3)
    task_ids = [open_task_of(n).task_id for n in filed]
    response = client_for(people.district_reviewer).post(
        URL, {"action": "forward", "tasks": task_ids}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["done"] == 3 and body["refused"] == 0
    assert [row["task"] for row in body["results"]] == task_ids and all(
        row["done"] for row in body["results"]
    )
    assert {n.current_step for n in Nomination.objects.filter(pk__in=[n.pk for n in filed])} == {"appraise"}
    assert Event.objects.filter(action="task.forward").count() == 3


def test_tasks_the_caller_cannot_see_are_not_found_and_the_others_still_move(people):
    mine = _at_review(people, 1)[0]
    done_already = _at_review(people, 1)[0]
    done_task = open_task_of(done_already).task_id
    client_for(people.district_reviewer).post(URL, {"action": "forward", "tasks": [done_task]}, format="json")
    response = client_for(people.district_reviewer).post(
        URL, {"action": "forward", "tasks": [open_task_of(mine).task_id, done_task, 999999]}, format="json"
    )
    results = {row["task"]: row for row in response.json()["results"]}
    assert response.status_code == 200 and response.json()["done"] == 1
    assert results[999999]["error"] == "Không tìm thấy công việc này."
    assert "đã được xử lý" in results[done_task]["error"]


def test_no_one_outside_the_unit_moves_a_task(people):
    task_ids = [open_task_of(n).task_id for n in _at_review(people, 2)]
    # Who holds no step a batch moves is refused the call itself; a reviewer of another tier moves none of them.
    for user in (people.outsider, people.clerk, people.inspector):
        response = client_for(user).post(URL, {"action": "forward", "tasks": task_ids}, format="json")
        assert response.status_code == 403, user
    for user in (people.province_reviewer, people.head):
        response = client_for(user).post(URL, {"action": "forward", "tasks": task_ids}, format="json")
        assert response.status_code == 200 and response.json()["done"] == 0, user
    assert (
        client_for(None).post(URL, {"action": "forward", "tasks": task_ids}, format="json").status_code == 401
    )
    assert set(TaskScope.objects.filter(pk__in=task_ids).values_list("is_open", flat=True)) == {True}
    assert not Event.objects.filter(action="task.forward").exists()


def test_bad_input_gets_field_errors_in_vietnamese(people):
    client = client_for(people.district_reviewer)
    response = client.post(URL, {"action": "record_vote", "tasks": []}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) >= {"action", "tasks"}, errors
    too_many = client.post(URL, {"action": "forward", "tasks": list(range(1, 1002))}, format="json")
    assert too_many.status_code == 400 and "tasks" in too_many.json()
    english = client_for(people.district_reviewer, language="en").post(
        URL, {"action": "teleport", "tasks": [1]}, format="json"
    )
    assert english.status_code == 400 and "is not a valid choice" in str(english.json()["action"])


def test_a_return_in_batch_needs_its_reason(people):
    task_ids = [open_task_of(n).task_id for n in _at_review(people, 2)]
    response = client_for(people.district_reviewer).post(
        URL, {"action": "return", "tasks": task_ids}, format="json"
    )
    assert response.status_code == 200 and response.json()["refused"] == 2
    assert all("lý do" in row["error"] for row in response.json()["results"])
