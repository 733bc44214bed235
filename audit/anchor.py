"""Anchors: the chain heads, signed with a key kept outside the database, written to files outside the database.

The hashes of the event log are unkeyed: someone who can write the database directly (owner rights, triggers off)
can rewrite a chain from some event on, recompute every later hash and move the chain's head, and the chains still
verify. An anchor defeats that for everything written before it: it records every head `(chain, seq, hash)` at one
moment, with the heads digest, signed with HMAC-SHA256 under a key from the settings (`AUDIT_ANCHOR_KEYS`, from the
environment, never in the database; the key id is recorded, so keys can be rotated while older anchors stay
checkable). `audit_verify` checks the latest anchor: the signature, and that every anchored event is still there
with the anchored hash (the chain verification then proves the links from it to today's head).

What an anchor does not cover: events written after it (until the next anchor, `AUDIT_ANCHOR_MINUTES`), and someone
who holds the key as well as the database. Copy the anchor files off the host (write-once storage) so that deleting
the newest ones cannot roll the check back to an older anchor.
"""

import hashlib
import hmac
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import ChainHead, Event
from audit.services import event_record

FORMAT = "thidua-audit-anchor/1"
BATCH = 500


class AnchorKeyMissing(Exception):
    """No signing key is configured (AUDIT_ANCHOR_KEYS / AUDIT_ANCHOR_KEY_ID)."""


@dataclass
class AnchorProblem:
    chain: str
    seq: int
    problem: str
    expected: str = ""
    found: str = ""

    def __str__(self):
        return f"{self.chain} #{self.seq}: {self.problem} (mong đợi {self.expected}, thấy {self.found})"


@dataclass
class AnchorResult:
    path: str
    key_id: str = ""
    created_at: str = ""
    heads_checked: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def as_dict(self):
        return {
            "anchor": os.path.basename(self.path),
            "anchor_key_id": self.key_id,
            "anchor_created_at": self.created_at,
            "anchor_heads_checked": self.heads_checked,
            "anchor_ok": self.ok,
            "anchor_problems": [str(p) for p in self.problems[:20]],
        }


def _signing_key():
    key_id = settings.AUDIT_ANCHOR_KEY_ID
    key = settings.AUDIT_ANCHOR_KEYS.get(key_id) if key_id else None
    if not key:
        raise AnchorKeyMissing(_("Chưa cấu hình khóa ký mốc neo (AUDIT_ANCHOR_KEYS, AUDIT_ANCHOR_KEY_ID)."))
    return key_id, key


def _mac(key, body):
    payload = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hmac.new(key.encode(), payload, hashlib.sha256).hexdigest()


def _digest(heads):
    """The same digest as audit.verify.heads_digest: SHA-256 over `chain\\tseq\\thash\\n` in code-point order."""
    digest = hashlib.sha256()
    for chain, seq, head_hash in heads:
        digest.update(f"{chain}\t{seq}\t{head_hash}\n".encode())
    return digest.hexdigest()


def _heads():
    binary = Collate("chain", "C" if connection.vendor == "postgresql" else "BINARY")
    return [list(row) for row in ChainHead.objects.order_by(binary).values_list("chain", "seq", "hash")]


def anchor_directory():
    return Path(settings.AUDIT_ANCHOR_DIR)


def anchor_write(directory=None):
    """Sign the current chain heads into a new anchor file; record the anchor in the log. Return the file's path."""
    key_id, key = _signing_key()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        heads = _heads()
    now = timezone.now()
    body = {
        "format": FORMAT,
        "created_at": now.isoformat(timespec="microseconds"),
        "key_id": key_id,
        "digest": _digest(heads),
        "chains": len(heads),
        "heads": heads,
    }
    body["mac"] = _mac(key, body)
    directory = Path(directory or anchor_directory())
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"anchor-{now:%Y%m%dT%H%M%S%fZ}.json"
    # Written whole or not at all: a crash never leaves a truncated newest anchor.
    with tempfile.NamedTemporaryFile(
        "w", dir=directory, delete=False, suffix=".tmp", encoding="utf-8"
    ) as tmp:
        json.dump(body, tmp, ensure_ascii=False, separators=(",", ":"))
        tmp.flush()
        os.fsync(tmp.fileno())
    os.replace(tmp.name, path)
    event_record(
        action="audit.anchor",
        chain="audit:anchor",
        data={"file": path.name, "key_id": key_id, "digest": body["digest"], "chains": len(heads)},
    )
    return path


def anchor_latest(directory=None):
    """Return the newest anchor file (names sort by time), or None."""
    directory = Path(directory or anchor_directory())
    if not directory.is_dir():
        return None
    files = sorted(directory.glob("anchor-*.json"))
    return files[-1] if files else None


def anchor_check(path):
    """Check the log against the anchor at `path`: its signature, and every anchored event still in place."""
    result = AnchorResult(path=str(path))
    try:
        body = json.loads(Path(path).read_text(encoding="utf-8"))
        mac = body.pop("mac")
        key_id, heads = body["key_id"], body["heads"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        result.problems.append(AnchorProblem("", 0, _("Không đọc được tệp mốc neo"), found=str(exc)))
        return result
    result.key_id, result.created_at = key_id, body.get("created_at", "")
    key = settings.AUDIT_ANCHOR_KEYS.get(key_id)
    if not key:
        result.problems.append(
            AnchorProblem("", 0, _("Khóa ký mốc neo không có trong cấu hình"), found=key_id)
        )
        return result
    if not hmac.compare_digest(_mac(key, body), str(mac)):
        result.problems.append(AnchorProblem("", 0, _("Chữ ký mốc neo sai: tệp đã bị sửa"), found=str(mac)))
        return result
    if _digest(heads) != body.get("digest"):
        result.problems.append(AnchorProblem("", 0, _("Mã tổng hợp của mốc neo không khớp các đầu chuỗi")))
        return result
    anchored = [(chain, seq, head_hash) for chain, seq, head_hash in heads if seq > 0]
    for start in range(0, len(anchored), BATCH):
        batch = anchored[start : start + BATCH]
        condition = Q()
        for chain, seq, _hash in batch:
            condition |= Q(chain=chain, seq=seq)
        found = {(c, s): h for c, s, h in Event.objects.filter(condition).values_list("chain", "seq", "hash")}
        for chain, seq, head_hash in batch:
            result.heads_checked += 1
            stored = found.get((chain, seq))
            if stored is None:
                result.problems.append(
                    AnchorProblem(
                        chain, seq, _("Sự kiện đã neo không còn (chuỗi bị xóa hoặc cắt ngắn)"), head_hash, ""
                    )
                )
            elif stored != head_hash:
                result.problems.append(
                    AnchorProblem(
                        chain,
                        seq,
                        _("Sự kiện đã neo bị ghi lại (đầu chuỗi bị dời, băm tính lại)"),
                        head_hash,
                        stored,
                    )
                )
    return result
