"""Reads of the event log for inspectors. Scope arrives as plain ids and codes: audit imports no other app."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from audit.models import Event


def events_in_scope(*, nomination_ids, unit_codes, user_ids=(), usernames=()):
    """Return the events an inspector may read.

    `nomination_ids`: the nominations proposed within the inspector's units (a queryset of ids or a list);
    `unit_codes`: the codes of those units, for events that belong to no nomination (decisions, memberships);
    `user_ids`, `usernames`: the people of those units, for events with neither (security events: logins by their
    actor, failed logins by the username typed). Empty for inspectors who should see none of them.
    """
    condition = Q(nomination_id__in=nomination_ids) | Q(nomination_id__isnull=True, unit_code__in=unit_codes)
    unscoped = Q(nomination_id__isnull=True, unit_code="")
    condition |= unscoped & (
        Q(actor_id__in=user_ids)
        | Q(actor_id__isnull=True, action__startswith="security.", data__username__in=usernames)
    )
    return Event.objects.filter(condition)


def events_filter(
    events,
    *,
    actor="",
    unit="",
    action="",
    date_from=None,
    date_to=None,
    nomination_ids=None,
    nomination=None,
):
    """Apply the search filters; dates are local calendar days, inclusive."""
    if actor:
        events = events.filter(actor_name=actor)
    if unit:
        # Unit codes nest by prefix (BT.MCN.DINHTHUY sits under BT.MCN), so a code selects its subtree.
        events = events.filter(Q(unit_code=unit) | Q(unit_code__startswith=f"{unit}."))
    if action:
        events = (
            events.filter(action=action) if "." in action else events.filter(action__startswith=f"{action}.")
        )
    if date_from:
        events = events.filter(at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(at__lt=_day_start(date_to + timedelta(days=1)))
    if nomination_ids is not None:
        events = events.filter(nomination_id__in=nomination_ids)
    if nomination:
        events = events.filter(nomination_id=nomination)
    return events


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def nomination_timeline(nomination_id):
    """Return the nomination's events, oldest first, each with the time elapsed since the previous one."""
    events = list(Event.objects.filter(nomination_id=nomination_id).order_by("at", "id"))
    previous = None
    for event in events:
        event.since_previous = event.at - previous.at if previous else None
        previous = event
    return events


def decision_events(decision_ids):
    """Return the events of the decisions' chains and the reads of the decisions (downloads go on the reader's
    chain, see `audit.services.read_record`), oldest first."""
    chains = Q(chain__in=[f"decision:{pk}" for pk in decision_ids])
    reads = Q(object_type="approvals.decision", object_id__in=[str(pk) for pk in decision_ids])
    return Event.objects.filter(chains | reads).order_by("at", "id")


def verification_history(limit=10):
    return Event.objects.filter(action="audit.verify").order_by("-id")[:limit]
