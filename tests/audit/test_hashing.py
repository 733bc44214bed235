"""The fast canonical form used by verification is byte-for-byte the canonical form events are hashed with."""

from datetime import UTC, datetime

import pytest

from audit.hashing import HASHED_FIELDS, canonical, canonical_row

AT = datetime(2026, 1, 5, 1, 30, 7, 120, tzinfo=UTC)


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"actor_id": None, "on_behalf_of_id": None, "nomination_id": None, "ip": None},
        {"reason": 'Trả lại: thiếu "biên bản" \\ họp\nxét\t\x01', "actor_name": "Ngô Thanh Sơn"},
        {"data": {"z": 1, "a": [1, 2.5, None, True, {"y": "ý", "b": False}], "Ä": "x", "10": 1, "9": 2}},
        {"data": {}, "user_agent": "", "ip": "2001:db8::1"},
        {"data": {"amount": "2340000", "nested": {"k": [[], {}]}}},
    ],
)
def test_canonical_row_equals_canonical(overrides):
    values = {
        "chain": "nomination:42",
        "seq": 7,
        "at": AT,
        "actor_id": 3,
        "actor_name": "clerk",
        "on_behalf_of_id": 9,
        "role": "unit_clerk",
        "unit_code": "BT.MCN.DINHTHUY",
        "action": "task.return",
        "object_type": "viewflow.task",
        "object_id": "77",
        "nomination_id": 42,
        "reason": "",
        "channel": "web",
        "ip": "10.0.0.7",
        "user_agent": "Mozilla/5.0",
        "data": {"step": "review"},
    }
    values.update(overrides)
    row = [values[name] for name in HASHED_FIELDS]
    row[HASHED_FIELDS.index("at")] = AT.isoformat(timespec="microseconds")
    assert canonical_row(row, values["data"]) == canonical(values)
    assert canonical_row([*row, "prev", "hash"], values["data"]) == canonical(values)
