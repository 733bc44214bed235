"""Recompute the hash chains of the event log and report the first broken link.

Events are streamed in (chain, seq) order with a server-side cursor (PostgreSQL) or chunked cursor (SQLite) as
plain tuples, so memory stays flat however long the log is. Each chain must start at seq 1 with the genesis hash,
continue without gaps, link every event to the hash of the one before, hash to what is stored, and end where its
`ChainHead` says it ends: that last check catches a deleted last event and an event appended behind the head's back.
"""

import contextlib
import hashlib
import json
import multiprocessing
import os
import queue
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models.functions import Collate
from django.utils.translation import gettext as _

from audit import parallel
from audit.hashing import GENESIS, HASHED_FIELDS, canonical_row
from audit.models import ChainHead, Event

# Columns fetched per event: the hashed fields (in HASHED_FIELDS order), then prev_hash and hash.
COLUMNS = (*HASHED_FIELDS, "prev_hash", "hash")
SEQ = HASHED_FIELDS.index("seq")
AT = HASHED_FIELDS.index("at")
DATA = HASHED_FIELDS.index("data")
CHUNK = 5000

# PostgreSQL formats the timestamp exactly as datetime.isoformat(timespec="microseconds") does for UTC; Django's
# connection already loads jsonb and inet as text: no per-row datetime or ORM conversion on the hot path.
_PG_SELECT = {"at": """to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""}


@dataclass
class Break:
    chain: str
    seq: int | None
    problem: str
    expected: str
    found: str

    def __str__(self):
        return _(
            "chuỗi %(chain)s, số thứ tự %(seq)s: %(problem)s (mong đợi %(expected)s, thấy %(found)s)"
        ) % {
            "chain": self.chain,
            "seq": self.seq if self.seq is not None else "–",
            "problem": self.problem,
            "expected": self.expected,
            "found": self.found,
        }


@dataclass
class VerifyResult:
    ok: bool = True
    events_checked: int = 0
    chains_checked: int = 0
    first_break: Break | None = None
    heads_digest: str = ""
    problems: list = field(default_factory=list, repr=False)

    def as_dict(self):
        return {
            "ok": self.ok,
            "events_checked": self.events_checked,
            "chains_checked": self.chains_checked,
            "first_break": asdict(self.first_break) if self.first_break else None,
            "heads_digest": self.heads_digest,
        }


@dataclass(frozen=True)
class Span:
    """Which chains to check: one chain, or the chains in [low, high) in the database's own ordering (None = open)."""

    chain: str | None = None
    low: str | None = None
    high: str | None = None

    def sql(self):
        clauses, params = [], []
        for op, value in (("=", self.chain), (">=", self.low), ("<", self.high)):
            if value is not None:
                clauses.append(f"chain {op} %s")
                params.append(value)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def filter(self, queryset):
        lookups = {"chain": self.chain, "chain__gte": self.low, "chain__lt": self.high}
        return queryset.filter(**{k: v for k, v in lookups.items() if v is not None})


def _event_rows_postgres(span, chunk_size):
    """Yield event rows (HASHED_FIELDS order, `at` as ISO text, `data` as JSON text) from a server-side cursor.

    A helper thread fetches the next batch while this one hashes the current: psycopg releases the GIL while it
    waits for the server, so the database's work and the hashing overlap.
    """
    columns = ", ".join(_PG_SELECT.get(name, name) for name in COLUMNS)
    where, params = span.sql()
    connection.ensure_connection()
    raw = connection.connection
    batches = queue.Queue(maxsize=2)
    stop = threading.Event()

    def produce():
        try:
            with raw.cursor(name="audit_verify_events") as cursor:
                cursor.itersize = chunk_size
                cursor.execute(f"SELECT {columns} FROM audit_event{where} ORDER BY chain, seq", params)
                while not stop.is_set():
                    rows = cursor.fetchmany(chunk_size)
                    batches.put(rows)
                    if not rows:
                        return
        except BaseException as exc:  # handed to the consumer, which re-raises it
            batches.put(exc)

    thread = threading.Thread(target=produce, name="audit-verify-fetch", daemon=True)
    thread.start()
    try:
        while True:
            rows = batches.get()
            if isinstance(rows, BaseException):
                raise rows
            if not rows:
                return
            yield from rows
    finally:
        stop.set()
        while thread.is_alive():  # unblock a producer waiting to put, then let it close its cursor
            with contextlib.suppress(queue.Empty):
                batches.get(timeout=0.05)
        thread.join()


def _event_rows_orm(span, chunk_size):
    events = span.filter(Event.objects.order_by("chain", "seq").values_list(*COLUMNS))
    for row in events.iterator(chunk_size=chunk_size):
        row = list(row)
        row[AT] = row[AT].isoformat(timespec="microseconds")
        yield row


def chain_verify(chain=None, chunk_size=CHUNK, workers=1, digest=False):
    """Verify every chain (or only `chain`); return a VerifyResult naming the first broken link, if any.

    Runs in one read-only transaction (REPEATABLE READ on PostgreSQL when it opens the transaction itself) so that
    events and chain heads come from one snapshot while appends go on. With `workers` > 1 on PostgreSQL, ranges of
    chains are checked by that many processes sharing the same exported snapshot. With `digest`, a verified log also
    gets the digest of all its chain heads (see `heads_digest`).
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        if outermost and connection.vendor == "postgresql" and workers > 1 and chain is None:
            result = _verify_parallel(chunk_size, workers)
        else:
            result = _verify(Span(chain=chain), chunk_size)
        if digest and result.ok:
            result.heads_digest = heads_digest(Span(chain=chain), chunk_size)
        return result


def heads_digest(span=None, chunk_size=CHUNK):
    """Return one SHA-256 over every chain head (chain, seq, hash), in code-point order of the chain names.

    Publishing it outside the database (a signed report, a timestamping service) anchors the log: rewriting a chain
    and its head, which the unkeyed hashes alone cannot reveal, changes the digest.
    """
    # Byte order of the UTF-8 names (= code-point order), not the server's collation, so every server agrees.
    binary = Collate("chain", "C" if connection.vendor == "postgresql" else "BINARY")
    heads = (span or Span()).filter(ChainHead.objects.order_by(binary).values_list("chain", "seq", "hash"))
    digest = hashlib.sha256()
    for chain, seq, head_hash in heads.iterator(chunk_size=chunk_size):
        digest.update(f"{chain}\t{seq}\t{head_hash}\n".encode())
    return digest.hexdigest()


def _boundaries(parts):
    """Split the chains into `parts` ranges of about equal numbers of chains, by the database's own ordering."""
    total = ChainHead.objects.count()
    bounds = []
    for index in range(1, parts):
        row = ChainHead.objects.order_by("chain").values_list("chain", flat=True)[total * index // parts :][
            :1
        ]
        bound = next(iter(row), None)
        if bound is not None and (not bounds or bound != bounds[-1]):
            bounds.append(bound)
    return bounds


def _verify_parallel(chunk_size, workers):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
    bounds = _boundaries(workers)
    spans = [Span(low=low, high=high) for low, high in zip([None, *bounds], [*bounds, None], strict=True)]
    database = {key: connection.settings_dict[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")}
    with ProcessPoolExecutor(
        max_workers=len(spans),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=parallel.child_init,
        initargs=(
            settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
            database,
        ),
    ) as pool:
        parts = list(pool.map(parallel.verify_span, [(snapshot, span, chunk_size) for span in spans]))
    result = VerifyResult(
        events_checked=sum(p.events_checked for p in parts),
        chains_checked=sum(p.chains_checked for p in parts),
    )
    broken = next((p.first_break for p in parts if p.first_break), None)
    if broken:
        result.ok, result.first_break = False, broken
    return result


def _verify_span_in_snapshot(snapshot, span, chunk_size):
    """Run in a worker process: join the parent's snapshot and verify one range of chains."""
    if not re.fullmatch(r"[0-9A-F-]+", snapshot):
        raise ValueError(f"unexpected snapshot id {snapshot!r}")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        return _verify(span, chunk_size)


def _verify(span, chunk_size):
    heads = span.filter(ChainHead.objects.order_by("chain").values_list("chain", "seq", "hash"))
    source = _event_rows_postgres if connection.vendor == "postgresql" else _event_rows_orm
    # Closed explicitly, so that stopping at a break ends the cursors (and the fetch thread) inside the transaction.
    parse = json.loads if source is _event_rows_postgres else _as_is
    with (
        contextlib.closing(source(span, chunk_size)) as events,
        contextlib.closing(heads.iterator(chunk_size=chunk_size)) as head_rows,
    ):
        return _walk(events, head_rows, parse)


def _as_is(value):
    return value


def _walk(events, head_rows, parse):
    """Check the events (ordered by chain, seq) against each other and against the chain heads (same order)."""
    result = VerifyResult()
    sha256 = hashlib.sha256
    current = None  # chain being walked
    expected_seq = 1
    prev = GENESIS
    checked = 0
    broken = None

    pending = []  # a head read ahead while closing a chain that has none; it belongs to a later chain

    def next_head():
        # Not a generator delegating to head_rows: closing it would close the heads' cursor too.
        return pending.pop() if pending else next(head_rows, None)

    def close_chain(name, last_seq, last_hash):
        """Match the finished chain against its head; heads passed over must belong to chains without events."""
        while (head := next_head()) is not None:
            head_chain, head_seq, head_hash = head
            if head_chain != name and not ChainHead.objects.filter(chain=name).exists():
                # The chain has no head, and this head sorts after it: blame the chain, keep the head. Asked of
                # the database (rarely: only when the next head is not this chain's), not compared in Python,
                # so the server's collation of chain names decides the order, as it does for the rows.
                pending.append(head)
                break
            if head_chain == name:
                if head_seq != last_seq:
                    return Break(
                        name,
                        last_seq,
                        _("đầu chuỗi không khớp sự kiện cuối (mất sự kiện cuối hoặc bị chèn)"),
                        f"seq {head_seq}",
                        f"seq {last_seq}",
                    )
                if head_hash != last_hash:
                    return Break(
                        name, last_seq, _("mã băm ở đầu chuỗi không khớp sự kiện cuối"), head_hash, last_hash
                    )
                return None
            if head_seq:
                return Break(
                    head_chain,
                    head_seq,
                    _("chuỗi mất toàn bộ sự kiện"),
                    _("%(n)s sự kiện") % {"n": head_seq},
                    _("0 sự kiện"),
                )
        return Break(name, last_seq, _("chuỗi không có đầu chuỗi"), _("có đầu chuỗi"), _("không có"))

    for row in events:
        name = row[0]
        if name != current:
            if current is not None:
                result.chains_checked += 1
                broken = close_chain(current, expected_seq - 1, prev)
                if broken:
                    break
            current, expected_seq, prev = name, 1, GENESIS
        seq = row[SEQ]
        if seq != expected_seq:
            broken = Break(name, seq, _("thiếu sự kiện (đứt số thứ tự)"), f"seq {expected_seq}", f"seq {seq}")
            break
        prev_hash, stored = row[-2], row[-1]
        if prev_hash != prev:
            broken = Break(name, seq, _("liên kết với sự kiện trước bị sai"), prev, prev_hash)
            break
        computed = sha256(prev.encode() + canonical_row(row, parse(row[DATA]))).hexdigest()
        if computed != stored:
            broken = Break(name, seq, _("nội dung sự kiện bị sửa (mã băm không khớp)"), computed, stored)
            break
        checked += 1
        expected_seq = seq + 1
        prev = stored
    else:
        if current is not None:
            result.chains_checked += 1
            broken = close_chain(current, expected_seq - 1, prev)
        if broken is None:
            # Heads left over must be empty chains (a head with seq > 0 lost all its events).
            while (head := next_head()) is not None:
                head_chain, head_seq, _hash = head
                if head_seq:
                    broken = Break(
                        head_chain,
                        head_seq,
                        _("chuỗi mất toàn bộ sự kiện"),
                        _("%(n)s sự kiện") % {"n": head_seq},
                        _("0 sự kiện"),
                    )
                    break
    result.events_checked = checked
    if broken is not None:
        result.ok = False
        result.first_break = broken
    return result
