"""Every API error is JSON: `{"field": ["message"]}` for input errors, `{"detail": "..."}` otherwise.

Services raise Django's ValidationError and PermissionDenied; they become DRF's 400 (same field keys) and 403 here,
so no view needs its own try/except.
"""

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from workflows.services import ALREADY_DONE


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("Công việc này đã được xử lý hoặc không còn hiệu lực.")
    default_code = "conflict"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = gettext_lazy("Khóa Idempotency-Key đã được dùng cho một yêu cầu khác.")
    default_code = "idempotency_key_reused"


def _is_already_done(exc):
    """The service's 'task already handled' answer: a state conflict, not bad input."""
    if hasattr(exc, "error_dict"):
        return False
    return any(message in (ALREADY_DONE, str(Conflict.default_detail)) for message in exc.messages)


def as_drf(exc):
    """Translate a service exception into the DRF exception of the same meaning."""
    if isinstance(exc, DjangoValidationError):
        if _is_already_done(exc):
            return Conflict(_("Công việc này đã được xử lý hoặc không còn hiệu lực."))
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        # DRF formats the wait into its message before translating it, so the sentence never gets translated.
        wait = math.ceil(exc.wait)
        throttled = exceptions.Throttled(
            detail=_("Quá nhiều yêu cầu. Vui lòng thử lại sau %(wait)s giây.") % {"wait": wait}
        )
        throttled.wait = wait
        return throttled
    return exc


def exception_handler(exc, context):
    return drf_exception_handler(as_drf(exc), context)
