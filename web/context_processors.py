"""Template context for every page: the signed-in user's unread notification count (one indexed COUNT)."""

from django.utils.functional import SimpleLazyObject

from workflows.notifications import unread_count


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    # Lazy: pages that never show the header do not pay for the query.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
