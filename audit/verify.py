"""Recompute the hash chains of the event log and report the first broken link.

Events are streamed in (chain, seq) order with a server-side cursor (PostgreSQL) or chunked cursor (SQLite) as
plain tuples, so memory stays flat however long the log is. Each chain must start at seq 1 with the genesis hash,
continue without gaps, link every event to the hash of the one before, hash to what is stored, and end where its
`ChainHead` says it ends: that last check catches a deleted last event and an event appended behind the head's back.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field

from audit.hashing import GENESIS, HASHED_FIELDS
from audit.models import ChainHead, Event

# Columns fetched per event: the hashed fields (in HASHED_FIELDS order), then prev_hash and hash.
COLUMNS = (*HASHED_FIELDS, "prev_hash", "hash")
SEQ = HASHED_FIELDS.index("seq")
AT = HASHED_FIELDS.index("at")
CHUNK = 5000

_dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode


@dataclass
class Break:
    chain: str
    seq: int | None
    problem: str
    expected: str
    found: str

    def __str__(self):
        where = f"chuỗi {self.chain}" + (f", số thứ tự {self.seq}" if self.seq is not None else "")
        return f"{where}: {self.problem} (mong đợi {self.expected}, thấy {self.found})"


@dataclass
class VerifyResult:
    ok: bool = True
    events_checked: int = 0
    chains_checked: int = 0
    first_break: Break | None = None
    problems: list = field(default_factory=list, repr=False)

    def as_dict(self):
        return {
            "ok": self.ok,
            "events_checked": self.events_checked,
            "chains_checked": self.chains_checked,
            "first_break": asdict(self.first_break) if self.first_break else None,
        }


def chain_verify(chain=None, chunk_size=CHUNK):
    """Verify every chain (or only `chain`); return a VerifyResult naming the first broken link, if any."""
    result = VerifyResult()
    events = Event.objects.order_by("chain", "seq").values_list(*COLUMNS)
    heads = ChainHead.objects.order_by("chain").values_list("chain", "seq", "hash")
    if chain is not None:
        events = events.filter(chain=chain)
        heads = heads.filter(chain=chain)
    head_rows = heads.iterator(chunk_size=chunk_size)
    sha256 = hashlib.sha256
    current = None  # chain being walked
    expected_seq = 1
    prev = GENESIS
    checked = 0
    broken = None

    def close_chain(name, last_seq, last_hash):
        """Match the finished chain against its head; heads passed over must belong to chains without events."""
        for head_chain, head_seq, head_hash in head_rows:
            if head_chain == name:
                if head_seq != last_seq:
                    return Break(
                        name,
                        last_seq,
                        "đầu chuỗi không khớp sự kiện cuối (mất sự kiện cuối hoặc bị chèn)",
                        f"seq {head_seq}",
                        f"seq {last_seq}",
                    )
                if head_hash != last_hash:
                    return Break(
                        name, last_seq, "mã băm ở đầu chuỗi không khớp sự kiện cuối", head_hash, last_hash
                    )
                return None
            if head_seq:
                return Break(
                    head_chain, head_seq, "chuỗi mất toàn bộ sự kiện", f"{head_seq} sự kiện", "0 sự kiện"
                )
        return Break(name, last_seq, "chuỗi không có đầu chuỗi", "có đầu chuỗi", "không có")

    for row in events.iterator(chunk_size=chunk_size):
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
            broken = Break(name, seq, "thiếu sự kiện (đứt số thứ tự)", f"seq {expected_seq}", f"seq {seq}")
            break
        prev_hash, stored = row[-2], row[-1]
        if prev_hash != prev:
            broken = Break(name, seq, "liên kết với sự kiện trước bị sai", prev, prev_hash)
            break
        body = dict(zip(HASHED_FIELDS, row[:-2], strict=True))
        body["at"] = body["at"].isoformat(timespec="microseconds")
        computed = sha256(prev.encode() + _dumps(body).encode()).hexdigest()
        if computed != stored:
            broken = Break(name, seq, "nội dung sự kiện bị sửa (mã băm không khớp)", computed, stored)
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
            for head_chain, head_seq, _hash in head_rows:
                if head_seq:
                    broken = Break(
                        head_chain, head_seq, "chuỗi mất toàn bộ sự kiện", f"{head_seq} sự kiện", "0 sự kiện"
                    )
                    break
    result.events_checked = checked
    if broken is not None:
        result.ok = False
        result.first_break = broken
    return result
