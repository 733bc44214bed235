"""Writing events. Callers must already be inside the transaction of the change they record."""

import contextvars
import json
from contextlib import contextmanager
from datetime import UTC, datetime

from django.db import connection, transaction

from audit.context import current_origin
from audit.hashing import GENESIS, HASHED_FIELDS, event_hash
from audit.models import ChainHead, Event

SECRET_KEYS = frozenset({"ballots", "ballot", "choice", "choices", "password"})


def chain_for(*, nomination_id=None, decision_id=None, user_id=None, name=None):
    """Return the chain name for an event: one chain per nomination, decision, user or named area."""
    if nomination_id is not None:
        return f"nomination:{nomination_id}"
    if decision_id is not None:
        return f"decision:{decision_id}"
    if user_id is not None:
        return f"user:{user_id}"
    return name or "system"


def _lock_head(chain):
    if connection.vendor == "postgresql":
        # The hot path of every transition: plain SQL, and one statement (an upsert that locks) for a new chain.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT seq, hash FROM {_HEADS} WHERE chain = %s FOR UPDATE", [chain])
            row = cursor.fetchone()
            if row is None:
                cursor.execute(
                    f"INSERT INTO {_HEADS} (chain, seq, hash) VALUES (%s, 0, '') ON CONFLICT (chain) "
                    f"DO UPDATE SET seq = {_HEADS}.seq RETURNING seq, hash",
                    [chain],
                )
                row = cursor.fetchone()
        return ChainHead(chain=chain, seq=row[0], hash=row[1])
    head = ChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is None:
        ChainHead.objects.bulk_create([ChainHead(chain=chain)], ignore_conflicts=True)
        head = ChainHead.objects.select_for_update().get(chain=chain)
    return head


_HEADS = ChainHead._meta.db_table
_EVENTS = Event._meta.db_table
_EVENT_COLUMNS = (*HASHED_FIELDS, "prev_hash", "hash")
_EVENT_PLACEHOLDERS = ", ".join(
    "%s::inet" if c == "ip" else "%s::jsonb" if c == "data" else "%s" for c in _EVENT_COLUMNS
)
# PostgreSQL: append the event and move the chain head in one round trip.
_APPEND_SQL = (
    f"WITH head AS (UPDATE {_HEADS} SET seq = %s, hash = %s WHERE chain = %s) "
    f"INSERT INTO {_EVENTS} ({', '.join(_EVENT_COLUMNS)}) VALUES ({_EVENT_PLACEHOLDERS}) RETURNING id"
)


def _row(event):
    """Return the values of an event's columns in _EVENT_COLUMNS order, `data` as JSON text."""
    return [json.dumps(event.data) if c == "data" else getattr(event, c) for c in _EVENT_COLUMNS]


def _append(event):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_APPEND_SQL, [event.seq, event.hash, event.chain, *_row(event)])
            event.pk = cursor.fetchone()[0]
        event._state.adding = False
        event._state.db = connection.alias
        return
    event.save(force_insert=True)
    ChainHead.objects.filter(chain=event.chain).update(seq=event.seq, hash=event.hash)


def event_build(
    *,
    action,
    actor=None,
    obj=None,
    object_type="",
    object_id="",
    nomination_id=None,
    chain=None,
    role="",
    unit_code="",
    on_behalf_of=None,
    reason="",
    data=None,
    at=None,
):
    """Return the unsaved event `event_record` would append (chain, `at`, origin and content set; not numbered).

    For callers that write many rows at once and append their events with `events_append_bulk`."""
    data = dict(data or {})
    _refuse_secrets(data)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if chain is None:
        chain = chain_for(
            nomination_id=nomination_id,
            user_id=getattr(actor, "pk", None) if not object_type else None,
            name=object_type or None,
        )
    origin = current_origin()
    return Event(
        chain=chain,
        # Stored and hashed in UTC: the database hands `at` back in UTC, so a local offset would break the hash.
        at=(at or datetime.now(UTC)).astimezone(UTC),
        actor_id=getattr(actor, "pk", None),
        actor_name=getattr(actor, "username", "") or "",
        on_behalf_of_id=getattr(on_behalf_of, "pk", None),
        role=role or "",
        unit_code=unit_code or "",
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        nomination_id=nomination_id,
        reason=reason or "",
        channel=origin.channel,
        ip=origin.ip,
        user_agent=origin.user_agent,
        data=data,
    )


def event_record(**fields):
    """Append one event to its chain, in the caller's transaction (a rolled-back change leaves no event).

    Takes the keyword arguments of `event_build`."""
    if not connection.in_atomic_block:
        # An event on its own (a read, a login) still needs its own atomic append.
        with transaction.atomic():
            return event_record(**fields)
    event = event_build(**fields)
    held = _held_heads.get()
    known = held.get(event.chain) if held is not None else None
    if known is not None and known[2] == tuple(connection.savepoint_ids):
        seq, prev_hash = known[0], known[1]  # locked by this transaction's previous event of the chain
    else:
        head = _lock_head(event.chain)
        seq, prev_hash = head.seq, head.hash
    if fields.get("at") is None:
        event.at = datetime.now(UTC)  # taken once the head is locked, so a chain's times never go backwards
    event.seq, event.prev_hash = seq + 1, prev_hash or GENESIS
    event.hash = event_hash(event.prev_hash, _values(event))
    _append(event)
    if held is not None:
        held[event.chain] = (event.seq, event.hash, tuple(connection.savepoint_ids))
    return event


_held_heads = contextvars.ContextVar("audit_held_heads", default=None)


@contextmanager
def chain_heads_held():
    """Within the block, the next event of a chain this block has appended to takes its number and previous hash
    from memory instead of locking the chain's head again (one statement less per event).

    For a block inside ONE transaction (open it inside the atomic block): the head row an event locked and moved
    stays locked by the transaction until it ends, so nobody else can append in between. An append made inside a
    savepoint is remembered only while the same savepoints are open (one rolled back or released since makes the
    next event lock and read the head again)."""
    if not connection.in_atomic_block:
        raise RuntimeError("chain_heads_held() needs a transaction")
    if (
        _held_heads.get() is not None
    ):  # nested: share the outer block's heads, which every append keeps current
        yield
        return
    token = _held_heads.set({})
    try:
        yield
    finally:
        _held_heads.reset(token)


def events_append_bulk(events):
    """Append many events at once, in the caller's transaction; return them numbered, hashed and saved.

    For bulk loads (bench/generate.py) that would otherwise pay one round trip per event. Each event needs its
    chain, `at` and content set, as `event_record` would set them; `seq`, `prev_hash`, `hash` and the primary key
    are filled in here: the events of a chain follow its head in the order given. The heads of the chains are
    locked (in chain order, so two bulk appends cannot deadlock), the events written with one COPY on PostgreSQL
    (bulk_create elsewhere) and the heads moved past them.
    """
    events = list(events)
    if not events:
        return events
    chains = sorted({event.chain for event in events})
    held = _held_heads.get()
    if held:
        for chain in chains:  # moved here, behind chain_heads_held's back
            held.pop(chain, None)
    heads = _lock_heads(chains)
    for event in events:
        _refuse_secrets(event.data)
        # Hashed as event_record hashes: `at` in UTC, `object_id` as the text the table hands back.
        event.at = event.at.astimezone(UTC)
        event.object_id = str(event.object_id or "")
        seq, prev_hash = heads.get(event.chain, (0, ""))
        event.seq, event.prev_hash = seq + 1, prev_hash or GENESIS
        event.hash = event_hash(event.prev_hash, _values(event))
        heads[event.chain] = (event.seq, event.hash)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{_EVENTS}', 'id')) FROM generate_series(1, %s)",
                [len(events)],
            )
            for event, (pk,) in zip(events, sorted(cursor.fetchall()), strict=True):
                event.pk = pk
            with cursor.cursor.copy(f"COPY {_EVENTS} (id, {', '.join(_EVENT_COLUMNS)}) FROM STDIN") as copy:
                for event in events:
                    copy.write_row([event.pk, *_row(event)])
            cursor.execute(
                f"UPDATE {_HEADS} AS head SET seq = moved.seq, hash = moved.hash "
                "FROM unnest(%s::varchar[], %s::bigint[], %s::varchar[]) AS moved (chain, seq, hash) "
                "WHERE head.chain = moved.chain",
                [chains, [heads[c][0] for c in chains], [heads[c][1] for c in chains]],
            )
        for event in events:
            event._state.adding = False
            event._state.db = connection.alias
        return events
    Event.objects.bulk_create(events, batch_size=500)
    ChainHead.objects.bulk_update(
        [ChainHead(chain=c, seq=heads[c][0], hash=heads[c][1]) for c in chains],
        ["seq", "hash"],
        batch_size=500,
    )
    return events


def _lock_heads(chains):
    """Lock the heads of `chains` (sorted), creating the missing ones; return {chain: (seq, hash)}."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {_HEADS} (chain, seq, hash) SELECT unnest(%s::varchar[]), 0, '' "
                "ON CONFLICT (chain) DO NOTHING",
                [chains],
            )
            cursor.execute(
                f"SELECT chain, seq, hash FROM {_HEADS} WHERE chain = ANY(%s) ORDER BY chain FOR UPDATE",
                [chains],
            )
            return {chain: (seq, hash_) for chain, seq, hash_ in cursor.fetchall()}
    ChainHead.objects.bulk_create([ChainHead(chain=c) for c in chains], ignore_conflicts=True, batch_size=500)
    heads = {}
    for start in range(0, len(chains), 500):
        locked = ChainHead.objects.select_for_update().filter(chain__in=chains[start : start + 500])
        heads |= {head.chain: (head.seq, head.hash) for head in locked.order_by("chain")}
    return heads


def _refuse_secrets(data):
    leaked = SECRET_KEYS.intersection(data)
    if leaked:
        raise ValueError(f"Audit events never store secret-ballot choices or secrets: {sorted(leaked)}")


def _values(event):
    """Return the hashed fields of an event (audit.hashing.HASHED_FIELDS) as a mapping."""
    return {name: getattr(event, name) for name in HASHED_FIELDS}


def field_changes(instance, before, fields):
    """Return {field: [before, after]} for the fields whose value changed, for data-change events."""
    changes = {}
    for name in fields:
        old = before.get(name)
        new = getattr(instance, name)
        if hasattr(new, "pk"):
            new = new.pk
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
    return changes


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def read_record(actor, obj, nomination_id, what, *, data=None):
    """Record a sensitive read: opening personal data, a download, an export (`what` names it, e.g. "download").

    Reads go on the reader's own chain, not the nomination's, so browsing never waits on the lock that a transition
    of the nomination holds; the nomination id still puts the read on the nomination's timeline.
    """
    return event_record(
        action=f"read.{what}",
        actor=actor,
        obj=obj,
        nomination_id=nomination_id,
        chain=chain_for(user_id=getattr(actor, "pk", None), name="anonymous"),
        data=data,
    )
