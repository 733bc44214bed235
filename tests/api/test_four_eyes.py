"""The four-eyes rule through the API: the same service refuses, the message comes back on its field."""

from organisation.services import membership_grant
from tests.api.helpers import at_step
from tests.factories import unit
from workflows.services import open_task_of


def test_api_refuses_the_second_step_with_the_message(people, as_user):
    double_reviewer = people.district_reviewer
    membership_grant(user=double_reviewer, unit=unit("BT"), role="reviewer")
    nomination, task_id = at_step(people, "appraise")
    response = as_user(double_reviewer).post(
        f"/api/v1/tasks/{task_id}/complete/", {"action": "approve"}, format="json"
    )
    assert response.status_code == 400
    assert "bốn mắt" in response.json()["actor"][0]
    assert open_task_of(nomination).task_id == task_id
