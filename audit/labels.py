"""Vietnamese names of the events the audit app writes itself (sign-ins, reads, chain checks), and of durations.

The names of the domain's events live with the pages that show them (web.labels), built from the process
vocabulary (nominations.process); audit knows no app of ours.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "security.login": _("Đăng nhập"),
    "security.logout": _("Đăng xuất"),
    "security.login_failed": _("Đăng nhập thất bại"),
    "security.lockout": _("Khóa tài khoản"),
    "security.token_issued": _("Cấp mã truy cập API"),
    "security.token_revoked": _("Thu hồi mã truy cập API"),
    "audit.anchor": _("Neo chuỗi nhật ký"),
    "audit.verify": _("Kiểm tra toàn vẹn nhật ký"),
    "read.export": _("Xuất dữ liệu"),
    "read.personal_data": _("Xem dữ liệu cá nhân"),
    "read.download": _("Tải tài liệu"),
}


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
