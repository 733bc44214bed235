"""Vietnamese names of event actions, for the inspector's pages and exports."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "nomination.create": _("Lập đề nghị"),
    "nomination.update": _("Sửa đề nghị"),
    "nomination.awarded": _("Ghi nhận khen thưởng"),
    "nomination.revoked": _("Thu hồi khen thưởng"),
    "dossier.add": _("Bổ sung tài liệu"),
    "task.open": _("Chuyển đến bước"),
    "task.submit": _("Trình"),
    "task.forward": _("Chuyển cấp trên"),
    "task.return": _("Trả lại bổ sung"),
    "task.reject": _("Từ chối"),
    "task.approve": _("Thẩm định đạt"),
    "task.resubmit": _("Trình lại"),
    "task.record_vote": _("Ghi kết quả bỏ phiếu"),
    "task.sign": _("Ký quyết định"),
    "submission.create": _("Lập tờ trình"),
    "posting.open": _("Công khai"),
    "posting.feedback_received": _("Nhận góp ý"),
    "posting.feedback_answered": _("Trả lời góp ý"),
    "decision.sign": _("Ký quyết định"),
    "membership.grant": _("Cấp quyền"),
    "membership.revoke": _("Thu hồi quyền"),
    "revocation.open": _("Đề nghị hủy bỏ, thu hồi"),
    "revocation.approve": _("Quyết định hủy bỏ, thu hồi"),
    "revocation.dismiss": _("Không chấp nhận đề nghị thu hồi"),
    "security.login": _("Đăng nhập"),
    "security.logout": _("Đăng xuất"),
    "security.login_failed": _("Đăng nhập thất bại"),
    "security.lockout": _("Khóa tài khoản"),
    "audit.verify": _("Kiểm tra toàn vẹn nhật ký"),
    "read.export": _("Xuất dữ liệu"),
    "read.personal_data": _("Xem dữ liệu cá nhân"),
    "read.download": _("Tải tài liệu"),
}


def action_label(action):
    return ACTION_LABELS.get(action, action)


def duration_label(delta):
    """Say how long a step took: '2 ngày 3 giờ', '15 phút', 'dưới 1 phút'."""
    if delta is None:
        return ""
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(gettext("%(n)s ngày") % {"n": days})
    if hours:
        parts.append(gettext("%(n)s giờ") % {"n": hours})
    if minutes and not days:
        parts.append(gettext("%(n)s phút") % {"n": minutes})
    return " ".join(parts) or gettext("dưới 1 phút")
