"""Access to objects the API exposes beyond a single nomination, derived from the nomination and task selectors.

Whatever the caller may not see answers 404 (existence never leaks); what they see but may not change answers 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from nominations.selectors import nominations_visible_to
from workflows.models import TaskScope
from workflows.selectors import task_scope_for_user


def task_for_user(user, task_id):
    """Return the task scope the user may act on; 403 if they only see its nomination, else 404."""
    row = task_scope_for_user(user, task_id)
    if row is not None:
        return row
    nomination_id = TaskScope.objects.filter(pk=task_id).values_list("nomination_id", flat=True).first()
    if nomination_id is not None and nominations_visible_to(user).filter(pk=nomination_id).exists():
        raise PermissionDenied
    raise Http404


def nominations_for_user(user, ids):
    """Return the visible nominations among `ids`; the caller treats missing ones exactly like unknown ids."""
    return list(nominations_visible_to(user).filter(pk__in=ids))
