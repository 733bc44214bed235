#!/usr/bin/env bash
# The production topology on one machine (docs/deployment.md): RUN_MODE=production, PostgreSQL, Redis broker,
# gunicorn with WEB_WORKERS processes, a Celery worker with WORKER_CONCURRENCY processes and exactly one beat (it
# holds a lock in Redis; a second one waits). Behind a real deployment sits a TLS reverse proxy; here plain HTTP on
# HOST:PORT, so SECURE_SSL_REDIRECT defaults to off.
#
#   make run-prod                                      # local PostgreSQL database `thidua`, Redis db 0
#   DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://... make run-prod
#
# Secrets (SECRET_KEY, AUDIT_ANCHOR_KEYS, SIGNER_SECRET_KEYS) come from the environment; those not set are generated
# once into $VAR_DIR/prod.env (mode 600) and reused. SEED_DEMO=0 skips the demo province.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export RUN_MODE=production
export VAR_DIR=${VAR_DIR:-$PWD/var/prod}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/thidua}
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8001}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-$HOST,localhost}
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-0}
export SITE_URL=${SITE_URL:-http://$HOST:$PORT}
WEB_WORKERS=${WEB_WORKERS:-2}
WORKER_CONCURRENCY=${WORKER_CONCURRENCY:-2}
mkdir -p "$VAR_DIR/log"

secrets_file="$VAR_DIR/prod.env"
if [ ! -f "$secrets_file" ]; then
  umask 077
  $PY - >"$secrets_file" <<'PYTHON'
import secrets
from cryptography.fernet import Fernet
print(f"SECRET_KEY={secrets.token_urlsafe(64)}")
print(f"AUDIT_ANCHOR_KEYS=local:{secrets.token_urlsafe(48)}")
print(f"SIGNER_SECRET_KEYS={Fernet.generate_key().decode()}")
PYTHON
fi
while read -r line; do
  name=${line%%=*}
  [ -n "${!name:-}" ] || export "$line"
done <"$secrets_file"

# The database itself, when it is missing (PostgreSQL only; a managed database is created by its owner).
$PY - <<'PYTHON'
import os
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

url = urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
with psycopg.connect(urlunsplit(url._replace(path="/postgres")), autocommit=True) as connection:
    if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created database {name}")
PYTHON

$PY manage.py check --deploy  # warnings are printed; plain HTTP here gives security.W008
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput >/dev/null
if [ "${SEED_DEMO:-1}" = 1 ]; then $PY manage.py seed_demo; fi

pids=()
cleanup() {
  trap - EXIT INT TERM
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 40); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

.venv/bin/celery -A config worker --loglevel=INFO --concurrency="$WORKER_CONCURRENCY" \
  >"$VAR_DIR/log/worker.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO >"$VAR_DIR/log/beat.log" 2>&1 &
pids+=($!)
.venv/bin/gunicorn config.wsgi --bind "$HOST:$PORT" --workers "$WEB_WORKERS" --timeout 120 \
  --access-logfile "$VAR_DIR/log/access.log" --error-logfile "$VAR_DIR/log/gunicorn.log" &
pids+=($!)

cat <<MSG

  Production topology running at http://$HOST:$PORT/ (RUN_MODE=production, $DATABASE_URL, $CELERY_BROKER_URL)
  gunicorn $WEB_WORKERS workers, Celery worker x$WORKER_CONCURRENCY, one beat; logs in $VAR_DIR/log/. Stop with Ctrl+C.

MSG
wait -n "${pids[@]}"
