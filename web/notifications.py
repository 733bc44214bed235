"""In-app notifications: the list, mark read, and the e-mail preference. Thin views over workflows.notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from web.forms import messages_from_service
from workflows import notifications
from workflows.models import EmailMode, NotificationPreference


def _safe_next(request, fallback):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@login_required
@require_GET
def notification_list(request):
    queryset = notifications.notifications_for(request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        queryset = queryset.filter(read_at__isnull=True)
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    preference = NotificationPreference.objects.filter(user=request.user).first()
    return render(
        request,
        "workflows/notification_list.html",
        {
            "page": page,
            "only_unread": only_unread,
            "unread_total": notifications.unread_count(request.user),
            "email_mode": preference.email_mode if preference else EmailMode.IMMEDIATE,
            "email_modes": EmailMode.choices,
        },
    )


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one of the user's own notifications read and follow its link; anyone else's is 404."""
    try:
        notification = notifications.notification_mark_read(actor=request.user, notification_id=pk)
    except PermissionDenied:
        raise Http404
    if request.POST.get("open") and notification.url:
        return redirect(notification.url)
    return redirect(_safe_next(request, "workflows:notifications"))


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": count})
    return redirect("workflows:notifications")


@login_required
@require_POST
def notification_preference(request):
    try:
        notifications.preference_set(actor=request.user, email_mode=request.POST.get("email_mode", ""))
    except ValidationError as exc:
        messages_from_service(request, exc)
    else:
        messages.success(request, _("Đã lưu cách nhận thư thông báo."))
    return redirect("workflows:notifications")
