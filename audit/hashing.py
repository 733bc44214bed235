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


# The fast path used by verification: the same bytes as `canonical`, built from a row of values in HASHED_FIELDS
# order (with `at` already an ISO string) without a dict or a key sort per event. tests/audit/test_hashing.py proves
# the two agree; the assertion below keeps the spelled-out field order in step with HASHED_FIELDS.
from json.encoder import encode_basestring as _quote  # noqa: E402  (the C encoder json uses with ensure_ascii=False)

_dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode
_ROW_TEMPLATE = (
    '{"action":%s,"actor_id":%s,"actor_name":%s,"at":%s,"chain":%s,"channel":%s,"data":%s,"ip":%s,'
    '"nomination_id":%s,"object_id":%s,"object_type":%s,"on_behalf_of_id":%s,"reason":%s,"role":%s,"seq":%s,'
    '"unit_code":%s,"user_agent":%s}'
)
assert [part.split('"')[1] for part in _ROW_TEMPLATE[1:].split(",")] == sorted(HASHED_FIELDS)
assert HASHED_FIELDS == (
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


def canonical_row(row, data):
    """Return `canonical` of an event given as a sequence in HASHED_FIELDS order, `at` as an ISO string.

    `data` is the parsed `data` value (the row's own item is ignored, so a row may carry it still as JSON text, and
    may carry more items after the hashed ones). Text columns are NOT NULL in the table; ids and `ip` may be null.
    """
    q = _quote
    actor_id, on_behalf_of_id, nomination_id, ip = row[3], row[5], row[11], row[14]
    return (
        _ROW_TEMPLATE
        % (
            q(row[8]),  # action
            "null" if actor_id is None else int(actor_id),
            q(row[4]),  # actor_name
            q(row[2]),  # at
            q(row[0]),  # chain
            q(row[13]),  # channel
            _dumps(data),
            "null" if ip is None else q(ip),
            "null" if nomination_id is None else int(nomination_id),
            q(row[10]),  # object_id
            q(row[9]),  # object_type
            "null" if on_behalf_of_id is None else int(on_behalf_of_id),
            q(row[12]),  # reason
            q(row[6]),  # role
            int(row[1]),  # seq
            q(row[7]),  # unit_code
            q(row[15]),  # user_agent
        )
    ).encode()
