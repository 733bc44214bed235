"""The process vocabulary (nominations.process) matches the flow graphs it names."""

from approvals.models import ReviewRecord
from nominations.models import Nomination, Route
from nominations.process import ACTIONS_BY_STEP, TASK_STEPS, Action, Step
from workflows.deadlines import DEFAULT_WORKING_DAYS
from workflows.flows import FLOWS, task_steps
from workflows.models import DeadlineRule

# Where a nomination can stand without a flow node of that name: the posting window, and after a revocation.
NOT_NODES = {Step.POSTING, Step.REVOKED}


def test_every_route_has_a_flow():
    assert set(FLOWS) == set(Route.values)


def test_every_task_node_of_every_flow_is_a_task_step():
    for route in FLOWS:
        assert task_steps(route) <= set(TASK_STEPS), route
    assert set().union(*(task_steps(route) for route in FLOWS)) == set(TASK_STEPS)


def test_every_step_but_posting_and_revoked_is_a_node_of_some_flow():
    nodes = {node.name for flow_class in FLOWS.values() for node in flow_class.instance.nodes()}
    assert set(Step.values) - NOT_NODES <= nodes
    assert not NOT_NODES & nodes


def test_every_task_step_has_its_actions_and_every_action_a_step():
    assert set(ACTIONS_BY_STEP) == set(TASK_STEPS)
    assert {action for actions in ACTIONS_BY_STEP.values() for action in actions} == set(Action)


def test_default_deadlines_cover_exactly_the_task_steps_of_each_route():
    for route, days in DEFAULT_WORKING_DAYS.items():
        assert set(days) == task_steps(route), route


def test_stored_step_and_action_columns_offer_the_vocabulary():
    assert dict(Nomination._meta.get_field("current_step").choices) == dict(Step.choices)
    assert dict(ReviewRecord._meta.get_field("action").choices) == dict(Action.choices)
    assert [value for value, _ in DeadlineRule._meta.get_field("step").choices] == list(TASK_STEPS)
