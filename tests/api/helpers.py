"""Drive a nomination to a given step through the services (setup for endpoint tests)."""

from tests.factories import file_nomination, posting_window_pass
from workflows.services import appraisal_approve, nomination_submit, open_task_of, review_forward


def at_step(people, step, **kwargs):
    """Return (nomination, open task id) with the nomination waiting at `step`."""
    nomination = file_nomination(people.clerk, **kwargs)
    if step != "submit":
        nomination_submit(actor=people.head, nomination=nomination)
    if step in ("appraise", "tally_vote", "sign"):
        review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    if step in ("tally_vote", "sign"):
        appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    if step == "tally_vote" and nomination.award_type.requires_public_posting:
        posting_window_pass([nomination])
    scope = open_task_of(nomination)
    assert scope.step == step, scope.step
    nomination.refresh_from_db()
    return nomination, scope.task_id
