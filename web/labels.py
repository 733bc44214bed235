"""The one map of Vietnamese names for steps and audit events, read by the templates and the inspector's pages.

Steps and task actions come from the process vocabulary (nominations.process); the audit app's own events from
audit.labels; the rest of the domain's events are named here.
"""

from django.utils.translation import gettext_lazy as _

from audit.labels import ACTION_LABELS as AUDIT_LABELS
from nominations.process import Action, step_label

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
    "meeting.open": _("Mở cuộc họp Hội đồng"),
    "meeting.attendance": _("Điểm danh thành viên Hội đồng"),
    "meeting.totals": _("Nhập kết quả kiểm phiếu"),
    "ballot.cast": _("Thành viên bỏ phiếu kín"),
    "meeting.close": _("Kết thúc bỏ phiếu"),
    "meeting.minutes_signed": _("Tải lên biên bản họp đã ký"),
}


def event_label(action):
    """Return the Vietnamese name of an audit event's action, or the action itself when it has none."""
    return EVENT_LABELS.get(action, action)


__all__ = ["EVENT_LABELS", "event_label", "step_label"]
