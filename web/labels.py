"""The one map of Vietnamese names for steps and audit events, read by the templates and the inspector's pages.

Steps and task actions come from the process vocabulary (nominations.process); the audit app's own events from
audit.labels; the rest of the domain's events are named here.
"""

from django.utils.translation import gettext_lazy as _

from audit.labels import ACTION_LABELS as AUDIT_LABELS
from nominations.process import ACTIONS_BY_STEP, Action, Step, step_label

EVENT_LABELS = {
    **AUDIT_LABELS,
    "nomination.create": _("Lập đề nghị"),
    "nomination.update": _("Sửa đề nghị"),
    "nomination.awarded": _("Ghi nhận khen thưởng"),
    "nomination.revoked": _("Thu hồi khen thưởng"),
    "dossier.add": _("Thêm tài liệu hồ sơ"),
    "dossier.download": _("Tải tài liệu hồ sơ"),
    "task.open": _("Chuyển đến bước"),
    **{f"task.{action.value}": action.label for action in Action},
    "submission.create": _("Lập tờ trình"),
    "posting.open": _("Bắt đầu công khai"),
    "posting.feedback_received": _("Nhận góp ý công khai"),
    "posting.feedback_answered": _("Trả lời góp ý"),
    "decision.sign": _("Ký quyết định"),
    "membership.grant": _("Cấp quyền"),
    "membership.revoke": _("Thu hồi quyền"),
    "revocation.open": _("Đề nghị hủy bỏ, thu hồi"),
    "revocation.approve": _("Quyết định hủy bỏ, thu hồi"),
    "revocation.dismiss": _("Không chấp nhận đề nghị thu hồi"),
}


# The bulk form of the reviewer inbox offers the actions of the steps it lists, in this order: the same words the
# nomination page offers at that step (one label per action per step).
BULK_STEPS = (Step.REVIEW, Step.APPRAISE)
BULK_ACTIONS = (Action.FORWARD, Action.APPROVE, Action.RETURN, Action.REJECT)


def action_choices(step):
    """Return the (value, label) choices of the task form at `step`, as the nomination page offers them."""
    return [(action.value, action.label) for action in ACTIONS_BY_STEP.get(step, [])]


def bulk_action_choices(steps):
    """Return the choices of the bulk form for an inbox holding tasks at `steps`: each action once, named as the
    nomination page names it at those steps (a province inbox of appraisals says "Thẩm định đạt", never
    "Chuyển cấp trên")."""
    offered = {value for step in steps if step in BULK_STEPS for value, _label in action_choices(step)}
    return [(action.value, action.label) for action in BULK_ACTIONS if action.value in offered]


def review_label(review):
    """Return the name of what a ReviewRecord decided, as its step names it: a row at the signing step is the
    signature (older rows stored it under "approve" and read as a second appraisal)."""
    if review.step == Step.SIGN:
        return Action.SIGN.label
    return Action(review.action).label if review.action in Action.values else review.action


def event_label(action):
    """Return the Vietnamese name of an audit event's action, or the action itself when it has none."""
    return EVENT_LABELS.get(action, action)


__all__ = [
    "EVENT_LABELS",
    "action_choices",
    "bulk_action_choices",
    "event_label",
    "review_label",
    "step_label",
]
