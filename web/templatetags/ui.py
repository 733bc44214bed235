"""Template helpers of the web pages: the header's navigation, labels of steps and audit actions (web.labels)."""

from django import template
from django.urls import NoReverseMatch, reverse

from web import labels
from web.navigation import navigation_for

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation(context):
    request = context.get("request")
    return navigation_for(request) if request is not None else None


@register.filter
def step_label(step):
    return labels.step_label(step)


@register.filter
def event_label(action):
    return labels.event_label(action)


@register.filter
def review_label(review):
    return labels.review_label(review)


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


@register.filter
def money(amount):
    """Write an amount of đồng the Vietnamese way: 1.234.000 đ."""
    return labels.money_label(amount)
