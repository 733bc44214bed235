"""Template helpers of the web pages: the header's navigation, labels of steps and audit actions."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from web.navigation import navigation_for

register = template.Library()

STEP_LABELS = {
    "submit": _("Trình đề nghị"),
    "review": _("Xét duyệt"),
    "revise": _("Bổ sung, trình lại"),
    "appraise": _("Thẩm định"),
    "tally_vote": _("Ghi kết quả bỏ phiếu"),
    "sign": _("Ký quyết định"),
    "posting": _("Công khai"),
}

EVENT_LABELS = {
    "nomination.create": _("Lập đề nghị"),
    "nomination.update": _("Sửa đề nghị"),
    "nomination.awarded": _("Ghi nhận khen thưởng"),
    "dossier.add": _("Thêm tài liệu hồ sơ"),
    "dossier.download": _("Tải tài liệu hồ sơ"),
    "task.open": _("Chuyển đến bước"),
    "task.submit": _("Trình đề nghị"),
    "task.forward": _("Chuyển cấp trên"),
    "task.return": _("Trả lại để bổ sung"),
    "task.reject": _("Từ chối"),
    "task.approve": _("Thẩm định đạt"),
    "task.resubmit": _("Trình lại"),
    "task.record_vote": _("Ghi kết quả bỏ phiếu"),
    "task.sign": _("Ký quyết định"),
    "posting.open": _("Bắt đầu công khai"),
    "posting.feedback_received": _("Nhận góp ý công khai"),
    "posting.feedback_answered": _("Trả lời góp ý"),
}


@register.simple_tag(takes_context=True)
def navigation(context):
    request = context.get("request")
    return navigation_for(request) if request is not None else None


@register.filter
def step_label(step):
    return STEP_LABELS.get(step, step)


@register.filter
def event_label(action):
    return EVENT_LABELS.get(action, action)


@register.filter
def is_overdue(due_on, today):
    return bool(due_on and today and due_on < today)


NOTIFICATION_URL_NAMES = ("workflows:notification_list", "workflows:notifications", "notifications:list")


@register.simple_tag
def notifications_url():
    """Return the notification list's address when that page is installed (another area builds it), else ""."""
    for name in NOTIFICATION_URL_NAMES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""
