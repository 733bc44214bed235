"""The audit-chain check behind `GET /api/v1/audit/verify/`: the audit app's verifier, as JSON."""

import dataclasses

from audit.verify import chain_verify


def verify_all():
    return chain_verify()


def as_dict(result):
    """Return {ok, events_checked, first_break} with the first break as a plain mapping."""
    first_break = result.first_break
    if first_break is not None:
        first_break = dataclasses.asdict(first_break)
    return {"ok": bool(result.ok), "events_checked": int(result.events_checked), "first_break": first_break}
