"""GET /health/: is the database answering, the broker reachable, and at least one worker responding?

For load balancers and monitoring: 200 when all three hold, 503 otherwise. No login, no details beyond ok/error and
the number of workers (error text stays in the server log).
"""

import logging
import time

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker():
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)


def _workers():
    replies = celery_app.control.ping(timeout=1) or []
    return sorted(name for reply in replies for name in reply)


def _check(name, probe):
    started = time.monotonic()
    try:
        result = probe()
    except Exception:
        logger.exception("Health check %s failed", name)
        return False, None
    finally:
        elapsed = round((time.monotonic() - started) * 1000)
    return True, (result, elapsed)


@never_cache
@require_GET
def health(request):
    checks = {}
    db_ok, db = _check("database", _database)
    checks["database"] = {"status": "ok" if db_ok else "error", "ms": db[1] if db else None}
    broker_ok, broker = _check("broker", _broker)
    checks["broker"] = {"status": "ok" if broker_ok else "error", "ms": broker[1] if broker else None}
    workers = []
    if broker_ok:  # pinging through an unreachable broker would only add its timeout
        workers_ok, reply = _check("workers", _workers)
        workers = reply[0] if workers_ok else []
    checks["workers"] = {"status": "ok" if workers else "error", "count": len(workers)}
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
