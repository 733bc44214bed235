#!/usr/bin/env bash
# Embedded mode: SQLite file, Celery worker + beat on a filesystem broker, console e-mail.
# DEBUG is off (Vietnamese error pages, static files through WhiteNoise); a developer can start with DEBUG=1.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

$PY manage.py migrate --noinput
$PY manage.py seed_demo --movement   # the demo province, and a full year of the movement (idempotent)
mkdir -p var/log

pids=()
cleanup() {
  trap - EXIT INT TERM
  kill "${pids[@]}" 2>/dev/null || true
  # A Celery worker that got SIGTERM twice (process group + this trap) can hang in warm shutdown: give it a grace
  # period, then kill what is left (tasks are acks_late, so an interrupted one is not acknowledged).
  for _ in $(seq 30); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

.venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO >var/log/beat.log 2>&1 &
pids+=($!)

cat <<MSG

  Thi đua – Khen thưởng is running at http://$HOST:$PORT/
  Demo logins (password Demo@2026): clerk, head, district_reviewer, province_reviewer,
  secretary, chairman, inspector, admin (see README for the whole cast).
  Celery worker and beat log to var/log/. Stop with Ctrl+C.

MSG
$PY manage.py runserver "$HOST:$PORT" --noreload &
pids+=($!)
wait -n "${pids[@]}"
