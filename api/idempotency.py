"""`Idempotency-Key` for writes that must not apply twice under retries (submit, complete, decisions).

The stored response and the change commit in one transaction: a retry after a crash either finds both or neither.
Only successful responses are stored; a failed request changed nothing, so retrying it with the same key runs it
again. On PostgreSQL a concurrent retry waits on the unique index until the first request commits, then replays.
"""

import contextlib
import functools
import hashlib
import json

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.exceptions import Unprocessable
from api.models import IdempotencyRecord
from workflows.services import transition_in_callers_block

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"


def request_fingerprint(request):
    """Hash the method, path and the parsed body: the same key must always mean the same request."""
    body = json.dumps(request.data, sort_keys=True, ensure_ascii=False, default=str)
    raw = f"{request.method}\n{request.path}\n{body}".encode()
    return hashlib.sha256(raw).hexdigest()


def _replay(record, fingerprint):
    if record.request_hash != fingerprint:
        raise Unprocessable()
    return Response(record.body, status=record.status_code, headers={REPLAY_HEADER: "true"})


_CLAIM_SQL = (
    f"INSERT INTO {IdempotencyRecord._meta.db_table} (user_id, key, endpoint, request_hash, status_code, body, "
    "created_at) VALUES (%s, %s, %s, %s, 0, NULL, %s) ON CONFLICT (user_id, key) DO NOTHING RETURNING id"
)


def _claim(user, key, endpoint, fingerprint):
    """Claim the key: return the new record, or the replay of the record already there.

    A concurrent retry blocks on the unique index until the first request commits (or rolls back). PostgreSQL:
    one INSERT … ON CONFLICT DO NOTHING (the common case, a new key, costs one statement); elsewhere read first,
    then insert in a savepoint."""
    if connection.vendor == "postgresql":
        record = IdempotencyRecord(
            user=user, key=key, endpoint=endpoint, request_hash=fingerprint, status_code=0
        )
        with connection.cursor() as cursor:
            cursor.execute(_CLAIM_SQL, [user.pk, key, endpoint, fingerprint, record.created_at])
            row = cursor.fetchone()
        if row is not None:
            record.pk = row[0]
            record._state.adding = False
            record._state.db = connection.alias
            return record
        winner = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if winner is None:
            raise IntegrityError("idempotency key claimed and gone")
        return _replay(winner, fingerprint)
    existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if existing is not None:
        return _replay(existing, fingerprint)
    try:
        # Claim the key first: a concurrent retry blocks on the unique index until this commits.
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                user=user, key=key, endpoint=endpoint, request_hash=fingerprint, status_code=0
            )
    except IntegrityError:
        winner = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if winner is None:
            raise
        return _replay(winner, fingerprint)


_STORE_SQL = f"UPDATE {IdempotencyRecord._meta.db_table} SET status_code = %s, body = %s::jsonb WHERE id = %s"


def _store(record, response):
    """Store the response on the claimed record: its status and its data as the JSON renderer writes it.
    PostgreSQL: one UPDATE taking the rendered JSON as it is (jsonb parses it), not parsed back into Python for
    the JSONField to serialise again."""
    rendered = JSONRenderer().render(response.data) or b"null"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_STORE_SQL, [response.status_code, rendered.decode(), record.pk])
        return
    record.status_code = response.status_code
    record.body = json.loads(rendered)
    record.save(update_fields=["status_code", "body"])


def idempotent(endpoint, transition=False):
    """Decorate an APIView method; `endpoint` names the operation in the stored record.

    `transition=True` for a method that runs one transition and catches nothing it raises: an error rolls back the
    record's whole block (claim, change, response), so the transition's own outermost block takes no savepoint in
    it (workflows.services.transition_in_callers_block). Requests without a key run the method as they are."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, request, *args, **kwargs):
            key = request.headers.get(HEADER, "").strip()
            if not key:
                return method(self, request, *args, **kwargs)
            if len(key) > 255 or not (key.isascii() and key.isprintable()):
                raise exceptions.ValidationError(
                    {HEADER: [_("Khóa Idempotency-Key gồm tối đa 255 ký tự ASCII in được.")]}
                )
            fingerprint = request_fingerprint(request)
            with transaction.atomic():
                record = _claim(request.user, key, endpoint, fingerprint)
                if not isinstance(record, IdempotencyRecord):
                    return record  # the replay of the request that claimed the key first
                with transition_in_callers_block() if transition else contextlib.nullcontext():
                    response = method(self, request, *args, **kwargs)
                if not 200 <= response.status_code < 300:
                    transaction.set_rollback(True)
                    return response
                _store(record, response)
                return response

        return wrapper

    return decorator
