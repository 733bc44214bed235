"""The canonical form of an event and its hash."""

import hashlib
import json

GENESIS = "0" * 64

HASHED_FIELDS = (
    "chain",
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "on_behalf_of_id",
    "role",
    "unit_code",
    "action",
    "object_type",
    "object_id",
    "nomination_id",
    "reason",
    "channel",
    "ip",
    "user_agent",
    "data",
)


def _iso(value):
    return value.isoformat(timespec="microseconds") if hasattr(value, "isoformat") else value


def canonical(values):
    """Return the bytes that are hashed for an event given as a mapping of HASHED_FIELDS."""
    body = {name: values[name] for name in HASHED_FIELDS}
    body["at"] = _iso(body["at"])
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def event_hash(prev_hash, values):
    return hashlib.sha256(prev_hash.encode() + canonical(values)).hexdigest()
