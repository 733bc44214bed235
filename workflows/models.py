"""How a nomination moves: the process model, task scope for the inbox, deadlines and the calendar."""

import copy

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from viewflow import jsonstore
from viewflow.workflow.models import Process, Task

from nominations.models import Nomination, Route
from nominations.process import TASK_STEPS, Outcome, Step
from organisation.models import Unit


class NominationProcess(Process):
    """A nomination's trip through a flow; the nomination is the process artifact."""

    tier_index = jsonstore.IntegerField(default=-1)
    outcome = jsonstore.CharField(max_length=20, blank=True)

    class Meta:
        proxy = True
        verbose_name = _("quy trình đề nghị")
        verbose_name_plural = _("quy trình đề nghị")

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "data" in update_fields:
            # What the row's data now holds: a transition writes its outcome only if no node wrote it since.
            self.__dict__["data_saved"] = copy.deepcopy(self.data)

    @cached_property
    def nomination(self):
        return Nomination.objects.select_related("award_type", "unit", "deciding_unit", "nominee").get(
            pk=self.artifact_object_id
        )

    def review_unit(self):
        """Return the unit of the route's current review tier (from `units_loaded`, {id: unit}, when a batch path
        read the units of many processes at once)."""
        unit_id = self.nomination.route_units[self.tier_index]
        loaded = self.__dict__.get("units_loaded") or {}
        return loaded[unit_id] if unit_id in loaded else Unit.objects.get(pk=unit_id)

    # Routing questions read by the flow graph.
    def has_review_tier(self):
        return 0 <= self.tier_index < len(self.nomination.route_units)

    def is_forwarded(self):
        return self.outcome == Outcome.FORWARD

    def is_returned(self):
        return self.outcome == Outcome.RETURN

    def is_approved(self):
        return self.outcome == Outcome.APPROVE

    def needs_public_posting(self):
        return self.nomination.award_type.requires_public_posting

    def needs_council_vote(self):
        return self.nomination.award_type.requires_council_vote

    def vote_passed(self):
        return self.outcome == Outcome.VOTE_PASSED


class TaskScope(models.Model):
    """Where an open human task sits, on indexed columns, so the inbox never scans viewflow's task table."""

    task = models.OneToOneField(Task, primary_key=True, on_delete=models.CASCADE, related_name="scope")
    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="task_scopes"
    )
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    permission = models.CharField(max_length=40)
    step = models.CharField(max_length=40, choices=Step.choices)
    route = models.CharField(max_length=20)
    created = models.DateTimeField()
    due_on = models.DateField(null=True, blank=True)
    is_open = models.BooleanField(default=True)
    is_overdue = models.BooleanField(default=False)
    reminders_sent = models.JSONField(default=list, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # Inbox: WHERE is_open AND permission = ? AND unit_id IN (...) ORDER BY due_on
            models.Index(
                fields=["permission", "unit", "due_on"], condition=Q(is_open=True), name="taskscope_inbox"
            ),
            # Deadline scan: WHERE is_open AND due_on <= ?
            models.Index(fields=["due_on"], condition=Q(is_open=True), name="taskscope_due"),
        ]


class DeadlineRule(models.Model):
    """How many working days a step may take on a route.

    Only the steps an officer works on take a rule; which of them a route's flow has is checked where rules are
    written (workflows.admin), since the flows are built on this module.
    """

    route = models.CharField(_("tuyến"), max_length=20, choices=Route.choices)
    step = models.CharField(
        _("bước"), max_length=40, choices=[(step.value, step.label) for step in TASK_STEPS]
    )
    working_days = models.PositiveIntegerField(_("số ngày làm việc"))

    class Meta:
        verbose_name = _("thời hạn xử lý")
        verbose_name_plural = _("thời hạn xử lý")
        constraints = [models.UniqueConstraint(fields=["route", "step"], name="deadline_rule_route_step")]

    def __str__(self):
        return f"{self.route}.{self.step}: {self.working_days}"


# The steps a person can act at, for separation of duties: filing (the nomination's creator) and the task steps.
FILE_STEP = "file"
SEPARATION_STEPS = [(FILE_STEP, _("Lập đề nghị")), *[(step.value, step.label) for step in TASK_STEPS]]


class SeparationRule(models.Model):
    """Whether one person may act at both steps of a pair on the same nomination (the four-eyes rule).

    A pair without a row is enforced: the rule is on by default, and a row with `is_enforced` unticked lets one
    person do both (e.g. a unit head who files and submits the unit's own nomination)."""

    first_step = models.CharField(_("bước thứ nhất"), max_length=40, choices=SEPARATION_STEPS)
    second_step = models.CharField(_("bước thứ hai"), max_length=40, choices=SEPARATION_STEPS)
    is_enforced = models.BooleanField(_("áp dụng nguyên tắc bốn mắt"), default=True)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("phân tách nhiệm vụ (bốn mắt)")
        verbose_name_plural = _("phân tách nhiệm vụ (bốn mắt)")
        ordering = ["first_step", "second_step"]
        constraints = [
            models.UniqueConstraint(fields=["first_step", "second_step"], name="separation_rule_pair"),
            models.CheckConstraint(
                condition=~Q(first_step=models.F("second_step")), name="separation_rule_two_steps"
            ),
        ]

    def __str__(self):
        return f"{self.first_step} / {self.second_step}: {'on' if self.is_enforced else 'off'}"


class ReorganisationStatus(models.TextChoices):
    APPLYING = "applying", _("Đang thực hiện")
    APPLIED = "applied", _("Đã thực hiện")


class Reorganisation(models.Model):
    """One run of a reorganisation plan (merge, split, rename, move, dissolve) effective on a date.

    The code makes a run idempotent: applying the same plan again finishes what an interrupted run left and
    changes nothing once everything is done."""

    code = models.CharField(_("mã đợt sắp xếp"), max_length=50, unique=True)
    effective_on = models.DateField(_("ngày hiệu lực"))
    reason = models.CharField(_("căn cứ, lý do"), max_length=300)
    plan = models.JSONField(_("phương án"))
    status = models.CharField(max_length=20, choices=ReorganisationStatus.choices)
    report = models.JSONField(default=dict, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đợt sắp xếp đơn vị")
        verbose_name_plural = _("đợt sắp xếp đơn vị")
        ordering = ["-effective_on"]

    def __str__(self):
        return f"{self.code} ({self.effective_on:%d/%m/%Y})"


class CalendarException(models.Model):
    """A day the yearly government notice moves: a bridged day off, or a make-up working Saturday."""

    day = models.DateField(_("ngày"), unique=True)
    is_working_day = models.BooleanField(
        _("ngày làm việc"), help_text=_("Đánh dấu nếu là ngày làm bù; bỏ trống nếu là ngày nghỉ.")
    )
    note = models.CharField(_("lý do"), max_length=200, blank=True)
    source = models.CharField(
        _("căn cứ"), max_length=200, blank=True, help_text=_("Văn bản công bố lịch nghỉ, ví dụ số thông báo.")
    )

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%d/%m/%Y}: {self.kind_label}"

    @property
    def kind_label(self):
        return _("làm bù") if self.is_working_day else _("nghỉ")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    nomination = models.ForeignKey("nominations.Nomination", null=True, blank=True, on_delete=models.CASCADE)
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Gửi thư ngay khi có thông báo")
    DIGEST = "digest", _("Gửi thư tổng hợp hằng ngày")
    OFF = "off", _("Không gửi thư")


class NotificationPreference(models.Model):
    """How a user wants notifications by e-mail; without a row, e-mails go out immediately."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_mode = models.CharField(
        _("nhận thư thông báo"), max_length=20, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cài đặt thông báo")
        verbose_name_plural = _("cài đặt thông báo")

    def __str__(self):
        return f"{self.user} · {self.email_mode}"
