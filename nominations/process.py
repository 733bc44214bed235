"""The words of the process: where a nomination stands, what an officer does at a step, and what a step decided.

Flows, services, deadline rules, pages, the API and the audit trail all speak these; the stored values are the ones
existing databases hold, so never change a value, only add. Step values are the viewflow node names of
workflows/flows.py, except the two places no node stands for: `posting` (the post node and its timer) and `revoked`
(after the flow has ended).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Step(models.TextChoices):
    SUBMIT = "submit", _("Trình đề nghị")
    REVIEW = "review", _("Xét duyệt")
    REVISE = "revise", _("Bổ sung, trình lại")
    APPRAISE = "appraise", _("Thẩm định")
    POSTING = "posting", _("Công khai")
    TALLY_VOTE = "tally_vote", _("Ghi kết quả bỏ phiếu")
    SIGN = "sign", _("Ký quyết định")
    END = "end", _("Đã khen thưởng")
    REJECTED = "rejected", _("Bị từ chối")
    NOT_APPROVED = "not_approved", _("Không được thông qua")
    REVOKED = "revoked", _("Đã thu hồi")


# The steps an officer works on (viewflow View nodes): the only ones with a task, a due date and a deadline rule.
TASK_STEPS = [Step.SUBMIT, Step.REVIEW, Step.REVISE, Step.APPRAISE, Step.TALLY_VOTE, Step.SIGN]


class Action(models.TextChoices):
    SUBMIT = "submit", _("Trình đề nghị")
    FORWARD = "forward", _("Chuyển cấp trên")
    RETURN = "return", _("Trả lại để bổ sung")
    REJECT = "reject", _("Từ chối")
    APPROVE = "approve", _("Thẩm định đạt")
    RESUBMIT = "resubmit", _("Trình lại")
    RECORD_VOTE = "record_vote", _("Ghi kết quả bỏ phiếu")
    SIGN = "sign", _("Ký quyết định")


ACTIONS_BY_STEP = {
    Step.SUBMIT: [Action.SUBMIT],
    Step.REVIEW: [Action.FORWARD, Action.RETURN, Action.REJECT],
    Step.APPRAISE: [Action.APPROVE, Action.RETURN, Action.REJECT],
    Step.REVISE: [Action.RESUBMIT],
    Step.TALLY_VOTE: [Action.RECORD_VOTE],
    Step.SIGN: [Action.SIGN],  # only through decision_sign, which groups many nominations
}


class Outcome(models.TextChoices):
    """What the last task decided; the flow's switches route on it."""

    FORWARD = "forward", _("Chuyển cấp trên")
    RETURN = "return", _("Trả lại để bổ sung")
    REJECT = "reject", _("Từ chối")
    APPROVE = "approve", _("Thẩm định đạt")
    VOTE_PASSED = "vote_passed", _("Đạt tỷ lệ phiếu")
    VOTE_FAILED = "vote_failed", _("Không đạt tỷ lệ phiếu")


def step_label(step):
    """Return the Vietnamese name of `step`, or `step` itself when the vocabulary does not know it."""
    return Step(step).label if step in Step.values else step
