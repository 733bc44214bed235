"""Append-only, hash-linked event log.

Every event belongs to a chain (one per nomination, one per decision, one per user for security events, one for
configuration) so that unrelated nominations never wait on the same lock. Each event stores the hash of the previous
event of its chain; `ChainHead` holds the newest sequence and hash of each chain and is the row locked to append.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("Giao diện web")
    API = "api", _("API")
    WORKER = "worker", _("Tác vụ nền")
    CLI = "cli", _("Dòng lệnh")
    SYSTEM = "system", _("Hệ thống")


class ChainHead(models.Model):
    chain = models.CharField(max_length=64, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("đầu chuỗi")

    def __str__(self):
        return f"{self.chain}#{self.seq}"


class Event(models.Model):
    chain = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(max_length=150, blank=True)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    role = models.CharField(max_length=32, blank=True)
    unit_code = models.CharField(max_length=50, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    nomination_id = models.BigIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.SYSTEM)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq")]
        indexes = [
            # Timeline of one nomination: WHERE nomination_id = ? ORDER BY id
            models.Index(fields=["nomination_id", "id"], name="audit_event_nomination"),
            # Province-wide search by date range, newest first.
            models.Index(fields=["at"], name="audit_event_at"),
            # Search by actor / action.
            models.Index(fields=["actor", "at"], name="audit_event_actor"),
            models.Index(fields=["action", "at"], name="audit_event_action"),
            models.Index(fields=["unit_code", "at"], name="audit_event_unit"),
        ]
        ordering = ["id"]

    def __str__(self):
        return f"{self.chain}#{self.seq} {self.action}"
