"""Stored responses of idempotent API writes, so a retried request is answered without being applied twice."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """One `Idempotency-Key` of one user: the request it answered and the response it produced."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    endpoint = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("khóa chống lặp yêu cầu")
        verbose_name_plural = _("khóa chống lặp yêu cầu")
        constraints = [
            # Lookup of a retry: WHERE user_id = ? AND key = ?; the unique index also serialises concurrent retries.
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key"),
        ]

    def __str__(self):
        return f"{self.user_id}:{self.key} {self.endpoint} → {self.status_code}"
