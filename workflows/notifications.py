"""In-app notifications and their e-mails: who is told what, once, and when the e-mail goes out.

Notifications are rows written in the transaction of the change they announce; e-mails are queued only after that
transaction commits (`transaction.on_commit`), so a rolled-back change never mails anyone. A user chooses immediate
e-mail, a daily digest, or no e-mail (`NotificationPreference`); the in-app list always shows everything.
"""

import contextvars
from collections import defaultdict
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import ReviewRecord
from audit.services import chain_for, event_record
from nominations.process import Action, Step, step_label
from organisation.models import Membership, Role
from organisation.policy import ROLE_PERMISSIONS
from workflows import tasks
from workflows.bulk import related_shared
from workflows.models import EmailMode, Notification, NotificationPreference


class Kind:
    TASK_OPENED = "task_opened"
    RETURNED = "returned"
    REJECTED = "rejected"
    AWARDED = "awarded"
    REMINDER = "reminder"
    ESCALATION = "escalation"
    TASK_REROUTED = "task_rerouted"


# ----------------------------------------------------------------------------------------------- recipients
def roles_with(codename):
    return [role for role, codenames in ROLE_PERMISSIONS.items() if codename in codenames]


def users_holding(codename, unit, roles=None):
    """Return the active users who hold `codename` at `unit` through an active membership."""
    roles = roles if roles is not None else roles_with(codename)
    user_ids = Membership.objects.active().filter(unit=unit, role__in=roles).values_list("user_id", flat=True)
    # Each with the e-mail mode they chose (None: no preference row), so `notify` need not look it up.
    return list(
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .annotate(**{_MODE: F("notification_preference__email_mode")})
        .order_by("pk")
    )


_MODE = "email_mode_chosen"  # the attribute users_holding annotates


def users_holding_bulk(pairs, roles=None):
    """users_holding for many (codename, unit) pairs in one query: {(codename, unit id): [users by pk]}.

    With `roles`, every pair reads the members in those roles instead (as users_holding's `roles`)."""
    pairs = {(codename, unit.pk) for codename, unit in pairs}
    roles = {
        codename: set(roles if roles is not None else roles_with(codename)) for codename, _unit_id in pairs
    }
    held = defaultdict(set)  # (unit id, role) -> user ids
    users = {}
    memberships = (
        Membership.objects.active()
        .filter(
            unit_id__in={unit_id for _codename, unit_id in pairs},
            role__in=set().union(*roles.values()),
            user__is_active=True,
        )
        .select_related("user")
        .annotate(**{_MODE: F("user__notification_preference__email_mode")})  # as users_holding reads them
        .order_by()
    )
    for membership in memberships:
        held[membership.unit_id, membership.role].add(membership.user_id)
        setattr(membership.user, _MODE, getattr(membership, _MODE))
        users.setdefault(membership.user_id, membership.user)
    return {
        (codename, unit_id): [
            users[user_id]
            for user_id in sorted(set().union(*(held[unit_id, role] for role in roles[codename])))
            if user_id in users
        ]
        for codename, unit_id in pairs
    }


def proposing_unit_users(nomination):
    """The people of the proposing unit who follow its nominations: its heads, clerks, and whoever filed it."""
    return _followers(nomination, users_holding("", nomination.unit, roles=[Role.UNIT_HEAD, Role.UNIT_CLERK]))


def _followers(nomination, holders):
    users = {u.pk: u for u in holders}
    creator = nomination.created_by
    if creator.is_active:
        users.setdefault(creator.pk, creator)
    return list(users.values())


def nomination_url(nomination):
    try:
        return reverse("nominations:detail", args=[nomination.pk])
    except NoReverseMatch:  # the URLconf of a worker process always has it; keep notifications robust anyway
        return ""


_URL_MARK = 987_654_321_987_654_321  # a pk no nomination has, to find where the pk goes in the reversed URL


def _nomination_urls():
    """`nomination_url` for the many nominations of one call: the URL reversed once (~0.1 ms a reverse on this
    URLconf), each pk put where the marker was; `nomination_url` itself when that cannot be done."""
    try:
        before, after = reverse("nominations:detail", args=[_URL_MARK]).split(str(_URL_MARK))
    except (NoReverseMatch, ValueError):
        return nomination_url
    return lambda nomination: f"{before}{nomination.pk}{after}"


# ----------------------------------------------------------------------------------------------- writing
_collected = contextvars.ContextVar("notifications_collected", default=None)


@contextmanager
def notifications_collected():
    """Within the block, `notify` collects its notices and they are written together when the block succeeds
    (`notify_bulk`): a list of filings writes its notifications in a few statements and queues one e-mail task per
    recipient, not one per filing. `notify` returns no rows inside the block."""
    notices = []
    token = _collected.set(notices)
    try:
        yield
    finally:
        _collected.reset(token)
    notify_bulk(notices)


def notify(*, users, kind, title, dedupe, body="", nomination=None, url=""):
    """Create one notification per user in the caller's transaction; queue immediate e-mails after commit.

    `dedupe` names the event (e.g. "task:12:before_3"): each user gets it at most once, however often the caller
    runs (retries, concurrent beats), because the unique `dedupe_key` makes a second insert a no-op
    (ON CONFLICT DO NOTHING, so the caller's transaction is never aborted). A fixed number of queries whatever the
    number of recipients. Return the user's notifications for this event.
    """
    collected = _collected.get()
    if collected is not None:
        collected.append(
            {
                "users": list(users),
                "kind": kind,
                "title": title,
                "dedupe": dedupe,
                "body": body,
                "nomination": nomination,
                "url": url,
            }
        )
        return []
    new = _notification_rows(
        users=users, kind=kind, title=title, dedupe=dedupe, body=body, nomination=nomination, url=url
    )
    if not new:
        return []
    rows = _insert_all_new(new)
    if rows is None:  # some were there already (a retry): read them all back, as written
        Notification.objects.bulk_create(new, ignore_conflicts=True)
        rows = list(
            Notification.objects.filter(dedupe_key__in=[n.dedupe_key for n in new]).select_related("user")
        )
    immediate = _immediate_ids(rows)
    if immediate:
        transaction.on_commit(lambda: _queue_emails(immediate))
    return rows


_INSERT_COLUMNS = ("user_id", "nomination_id", "kind", "title", "body", "url", "created_at", "dedupe_key")


def _insert_all_new(new):
    """PostgreSQL: INSERT the rows, skipping any whose dedupe key exists (ON CONFLICT DO NOTHING), in one
    statement that returns the ids written. If every row was written, return them (ids set, newest first as the
    model orders them, each with the user it was built with); if some were skipped, None (the caller reads them
    back). Elsewhere None, without writing."""
    if connection.vendor != "postgresql":
        return None
    for row in new:
        row.created_at = timezone.now()  # as auto_now_add would, row by row
    table = Notification._meta.db_table
    values = ", ".join([f"({', '.join(['%s'] * len(_INSERT_COLUMNS))})"] * len(new))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(_INSERT_COLUMNS)}) VALUES {values} "
            "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key",
            [getattr(row, column) for row in new for column in _INSERT_COLUMNS],
        )
        written = {key: pk for pk, key in cursor.fetchall()}
    if len(written) != len(new):
        return None
    for row in new:
        row.pk = written[row.dedupe_key]
        row._state.adding = False
        row._state.db = connection.alias
    return sorted(new, key=lambda row: row.created_at, reverse=True)


def notify_bulk(notices):
    """`notify` for many events at once (`notices`: dicts of notify's keyword arguments): the same rows, written in
    a few statements, and the immediate e-mails queued once per recipient (one task with all of theirs). Return
    the ids of the events' notifications not yet mailed."""
    url_of = _nomination_urls()
    rows = [row for notice in notices for row in _notification_rows(**notice, url_of=url_of)]
    if not rows:
        return []
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    # Read back the ids of the rows of these keys not yet mailed (new ones, and any a retry finds there): the
    # users are those the rows were built with (a key names its user), so no notification or user is loaded.
    users = {row.user_id: row.user for row in rows}
    keys = [row.dedupe_key for row in rows]
    unsent = []
    for start in range(0, len(keys), 1000):
        unsent += Notification.objects.filter(
            dedupe_key__in=keys[start : start + 1000], emailed_at__isnull=True
        ).values_list("pk", "user_id")
    strangers = {user_id for _pk, user_id in unsent} - set(users)
    if strangers:  # a key written earlier for another user: read them, as they are
        users.update(get_user_model().objects.in_bulk(strangers))
    by_user = defaultdict(list)
    for pk, user in _immediate((pk, users[user_id]) for pk, user_id in unsent):
        by_user[user.pk].append(pk)
    if by_user:
        transaction.on_commit(lambda: [_queue_emails(ids) for ids in _email_batches(by_user.values())])
    return [pk for pk, _user_id in unsent]


EMAIL_TASK_SIZE = 200  # notifications per e-mail task queued by notify_bulk


def _email_batches(per_recipient):
    """Group the recipients' notification ids into tasks of about EMAIL_TASK_SIZE, a recipient's ids never split:
    a decision of 500 awards queues three tasks, not one per proposing unit (each publish costs a broker round
    trip inside the signer's request)."""
    batch = []
    for ids in per_recipient:
        if batch and len(batch) + len(ids) > EMAIL_TASK_SIZE:
            yield batch
            batch = []
        batch = batch + list(ids)
    if batch:
        yield batch


def _notification_rows(
    *, users, kind, title, dedupe, body="", nomination=None, url="", url_of=nomination_url
):
    """The unsaved notifications of one event, one per user (their dedupe keys make a second insert a no-op)."""
    url = url or (url_of(nomination) if nomination else "")
    return [
        Notification(
            user=user,
            nomination=nomination,
            kind=kind,
            title=title[:300],
            body=body,
            url=url,
            dedupe_key=f"{dedupe}:u{user.pk}",
        )
        for user in users
    ]


def _immediate_ids(rows):
    """Ids of the not-yet-mailed notifications `rows` whose users want e-mail at once."""
    return [pk for pk, _user in _immediate((n.pk, n.user) for n in rows if n.emailed_at is None)]


def _immediate(unsent):
    """The (notification id, user) pairs of `unsent` (not yet mailed) whose users want e-mail at once (the
    default) and have an address, in order."""
    pending = [(pk, user) for pk, user in unsent if user.email]
    unknown = {user.pk for _pk, user in pending if not hasattr(user, _MODE)}
    other_modes = {
        user.pk for _pk, user in pending if getattr(user, _MODE, None) not in (None, EmailMode.IMMEDIATE)
    }
    if unknown:
        other_modes.update(
            NotificationPreference.objects.filter(user_id__in=unknown)
            .exclude(email_mode=EmailMode.IMMEDIATE)
            .values_list("user_id", flat=True)
        )
    return [(pk, user) for pk, user in pending if user.pk not in other_modes]


def _wants_immediate(user):
    if not user.email:
        return False
    mode = NotificationPreference.objects.filter(user=user).values_list("email_mode", flat=True).first()
    return (mode or EmailMode.IMMEDIATE) == EmailMode.IMMEDIATE


def _queue_emails(notification_ids):
    tasks.notification_emails_send.delay(list(notification_ids))


# Hooks called by the flow (hooks.py) and the services: one line at each call site.
def task_opened(scope_row):
    """A human task opened at a unit: tell the people who may act on it (a returned dossier says why)."""
    if scope_row.step == Step.REVISE:
        return nomination_returned(scope_row.nomination, scope_row)
    return notify(**_task_opened_notice(scope_row, users_holding(scope_row.permission, scope_row.unit)))


def tasks_opened(scope_rows):
    """`task_opened` for many new tasks (none a returned dossier's): the holders of each unit's permission read
    once, the notifications written together (`notify_bulk`)."""
    holders = users_holding_bulk({(row.permission, row.unit) for row in scope_rows})
    return notify_bulk([_task_opened_notice(row, holders[row.permission, row.unit_id]) for row in scope_rows])


def _task_opened_notice(scope_row, users):
    nomination = scope_row.nomination
    nominee = nomination.nominee.full_name
    due = scope_row.due_on.strftime("%d/%m/%Y") if scope_row.due_on else ""
    title = _("Có đề nghị mới cần xử lý: %(nominee)s") % {"nominee": nominee}
    body = _(
        "Đề nghị khen thưởng “%(award)s” cho %(nominee)s đang chờ %(unit)s xử lý. Hạn xử lý: %(due)s."
    ) % {
        "award": nomination.award_type.name,
        "nominee": nominee,
        "unit": scope_row.unit.name,
        "due": due or "—",
    }
    return {
        "users": users,
        "kind": Kind.TASK_OPENED,
        "title": title,
        "body": body,
        "nomination": nomination,
        "dedupe": f"task:{scope_row.task_id}:opened",
    }


def task_rerouted(scope_row, from_unit, reason):
    """A reorganisation moved an open task to another unit: tell the people who now hold it."""
    users = users_holding(scope_row.permission, scope_row.unit)
    return notify(users=users, **_rerouted_notice(scope_row, from_unit, reason))


def tasks_rerouted(moves, reason):
    """task_rerouted for many moved tasks ((scope row, from unit), each row's `unit` the new one) at once."""
    holders = users_holding_bulk((scope_row.permission, scope_row.unit) for scope_row, _from_unit in moves)
    return notify_bulk(
        {
            "users": holders[scope_row.permission, scope_row.unit_id],
            **_rerouted_notice(scope_row, from_unit, reason),
        }
        for scope_row, from_unit in moves
    )


def _rerouted_notice(scope_row, from_unit, reason):
    nomination = scope_row.nomination
    title = _("Đề nghị được chuyển đến đơn vị của bạn: %(nominee)s") % {
        "nominee": nomination.nominee.full_name
    }
    body = _(
        "Do sắp xếp đơn vị (%(reason)s), đề nghị khen thưởng “%(award)s” đang chờ bước “%(step)s” được chuyển từ "
        "%(from)s đến %(unit)s."
    ) % {
        "reason": reason,
        "award": nomination.award_type.name,
        "step": step_label(scope_row.step),
        "from": from_unit.name,
        "unit": scope_row.unit.name,
    }
    return {
        "kind": Kind.TASK_REROUTED,
        "title": title,
        "body": body,
        "nomination": nomination,
        "dedupe": f"task:{scope_row.task_id}:rerouted:{scope_row.unit_id}",
    }


def nomination_returned(nomination, scope_row):
    record = (
        ReviewRecord.objects.filter(nomination=nomination, action=Action.RETURN)
        .order_by("-at", "-id")
        .first()
    )
    reason = record.reason if record else ""
    by_unit = record.unit.name if record else ""
    users = {u.pk: u for u in users_holding(scope_row.permission, scope_row.unit)}
    users.update({u.pk: u for u in proposing_unit_users(nomination)})
    title = _("Hồ sơ bị trả lại để bổ sung: %(nominee)s") % {"nominee": nomination.nominee.full_name}
    body = _("%(unit)s trả lại hồ sơ. Lý do: %(reason)s") % {"unit": by_unit or "—", "reason": reason or "—"}
    return notify(
        users=list(users.values()),
        kind=Kind.RETURNED,
        title=title,
        body=body,
        nomination=nomination,
        dedupe=f"task:{scope_row.task_id}:returned",
    )


def nomination_rejected(nomination, reason=""):
    title = _("Đề nghị khen thưởng bị từ chối: %(nominee)s") % {"nominee": nomination.nominee.full_name}
    body = _("Lý do: %(reason)s") % {"reason": reason or "—"}
    return notify(
        users=proposing_unit_users(nomination),
        kind=Kind.REJECTED,
        title=title,
        body=body,
        nomination=nomination,
        dedupe=f"nomination:{nomination.pk}:rejected:{nomination.revision_count}",
    )


def nomination_awarded(nomination, certificate):
    return nominations_awarded([(nomination, certificate)])


def nominations_awarded(pairs):
    """Tell the proposing units of many (nomination, certificate) pairs that their nominations were awarded: each
    unit's heads and clerks read once, the notices written together."""
    # Their filers follow them too (`_followers`): read once each, not once per nomination.
    related_shared(([nomination for nomination, _certificate in pairs], ["created_by"]))
    units = {nomination.unit_id: nomination.unit for nomination, _certificate in pairs}
    if len(units) == 1:
        ((unit_id, unit),) = units.items()
        holders = {unit_id: users_holding("", unit, roles=[Role.UNIT_HEAD, Role.UNIT_CLERK])}
    else:
        held = users_holding_bulk(
            {("", unit) for unit in units.values()}, roles=[Role.UNIT_HEAD, Role.UNIT_CLERK]
        )
        holders = {unit_id: held["", unit_id] for unit_id in units}
    notices = []
    for nomination, certificate in pairs:
        title = _("Đã có quyết định khen thưởng: %(nominee)s") % {"nominee": nomination.nominee.full_name}
        body = _("Quyết định số %(number)s ngày %(day)s tặng “%(award)s”. Số hiệu: %(serial)s.") % {
            "number": certificate.decision.number,
            "day": certificate.decision.signed_on.strftime("%d/%m/%Y"),
            "award": nomination.award_type.name,
            "serial": certificate.serial,
        }
        notices.append(
            {
                "users": _followers(nomination, holders[nomination.unit_id]),
                "kind": Kind.AWARDED,
                "title": title,
                "body": body,
                "nomination": nomination,
                "dedupe": f"nomination:{nomination.pk}:awarded",
            }
        )
    if len(notices) == 1:
        return notify(**notices[0])
    return notify_bulk(notices)


# ----------------------------------------------------------------------------------------------- reading
def notifications_for(user):
    return Notification.objects.filter(user=user).select_related("nomination")


def unread_count(user):
    if not (user and user.is_authenticated):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def tasks_notifications_resolve(pairs):
    """`task_notifications_resolve` for many done tasks ((task id, nomination id) pairs) in two statements;
    return {task id: number resolved}."""
    pairs = dict(pairs)
    if not pairs:
        return {}
    counts, ids = {}, []
    rows = (
        Notification.objects.filter(
            nomination_id__in=set(pairs.values()),
            kind__in=[Kind.REMINDER, Kind.TASK_OPENED],
            read_at__isnull=True,
        )
        .order_by()
        .values_list("pk", "dedupe_key", "nomination_id")
    )
    for pk, key, nomination_id in rows:
        parts = (key or "").split(":")
        if len(parts) > 2 and parts[0] == "task" and parts[1].isdigit():
            task_id = int(parts[1])
            if pairs.get(task_id) == nomination_id:
                counts[task_id] = counts.get(task_id, 0) + 1
                ids.append(pk)
    Notification.objects.filter(pk__in=ids).update(read_at=timezone.now())
    return counts


@transaction.atomic
def notification_mark_read(*, actor, notification_id):
    """Mark the actor's own notification read; anyone else's is 'not found' (PermissionDenied for callers)."""
    notification = Notification.objects.select_for_update().filter(pk=notification_id, user=actor).first()
    if notification is None:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        event_record(
            action="notification.read",
            actor=actor,
            obj=notification,
            chain=chain_for(user_id=actor.pk),
            nomination_id=None,
            data={"kind": notification.kind},
        )
    return notification


def task_notifications_resolve(*, task_id, nomination_id):
    """The task is done: its reminders (and its "new task" notices) are resolved for everyone, read from now on.

    Runs in the caller's transaction (the task's completion), whose audit event records the count; filtered
    through the nomination's index.
    """
    return Notification.objects.filter(
        nomination_id=nomination_id,
        kind__in=[Kind.REMINDER, Kind.TASK_OPENED],
        dedupe_key__startswith=f"task:{task_id}:",
        read_at__isnull=True,
    ).update(read_at=timezone.now())


@transaction.atomic
def notifications_mark_all_read(*, actor):
    count = Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        event_record(
            action="notification.read_all",
            actor=actor,
            chain=chain_for(user_id=actor.pk),
            data={"count": count},
        )
    return count


@transaction.atomic
def preference_set(*, actor, email_mode):
    if email_mode not in EmailMode.values:
        raise ValidationError({"email_mode": _("Cách nhận thư không hợp lệ.")})
    pref, _created = NotificationPreference.objects.update_or_create(
        user=actor, defaults={"email_mode": email_mode}
    )
    event_record(
        action="notification.preference",
        actor=actor,
        obj=pref,
        chain=chain_for(user_id=actor.pk),
        data={"email_mode": email_mode},
    )
    return pref


# ----------------------------------------------------------------------------------------------- e-mail
def _absolute(url):
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url and url.startswith("/") else url


def notification_email_send(notification_id):
    """Send one notification by e-mail, at most once: the row is locked and stamped in the same transaction.

    A crash between the SMTP hand-off and the commit re-sends on retry (at-least-once); nothing is ever lost.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, emailed_at__isnull=True)
            .select_related("user")
            .first()
        )
        if notification is None or not _wants_immediate(notification.user):
            return False
        context = {
            "user": notification.user,
            "notification": notification,
            "url": _absolute(notification.url),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("emails/notification_subject.txt", context).strip().replace("\n", " ")
        body = render_to_string("emails/notification_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.user.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def emails_unsent(created_before, created_after):
    """Ids of immediate-mode notifications never mailed (their e-mail task was lost), within a window."""
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__lt=created_before,
            created_at__gte=created_after,
            user__is_active=True,
        )
        .exclude(user__email="")
        .exclude(user__notification_preference__email_mode__in=[EmailMode.DIGEST, EmailMode.OFF])
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def digest_recipients():
    """Users who chose the daily digest and have something not yet mailed."""
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            user__notification_preference__email_mode=EmailMode.DIGEST,
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def digest_send(user_id, until=None):
    """Mail one digest of a user's not-yet-mailed notifications; a second run finds nothing left to send."""
    until = until or timezone.now()
    with transaction.atomic():
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is None or not user.email:
            return 0
        pref = NotificationPreference.objects.select_for_update().filter(user=user).first()
        if pref is None or pref.email_mode != EmailMode.DIGEST:
            return 0
        pending = list(
            Notification.objects.filter(user=user, emailed_at__isnull=True, created_at__lte=until).order_by(
                "created_at", "pk"
            )
        )
        if not pending:
            return 0
        items = [{"notification": n, "url": _absolute(n.url)} for n in pending]
        context = {
            "user": user,
            "items": items,
            "count": len(items),
            "site_url": settings.SITE_URL,
            "day": timezone.localdate(until),
        }
        subject = render_to_string("emails/digest_subject.txt", context).strip().replace("\n", " ")
        body = render_to_string("emails/digest_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=until)
        pref.last_digest_at = until
        pref.save(update_fields=["last_digest_at"])
    return len(pending)
