"""Database triggers that make `audit_event` append-only.

The application never updates or deletes an event; the triggers make the database refuse it too, whatever the
client. `ChainHead` is deliberately left writable: it is the row locked and moved forward on every append, and
`audit_verify` checks it against the last event of its chain.

PostgreSQL: one row-level BEFORE UPDATE OR DELETE trigger. TRUNCATE is a statement-level operation that row
triggers do not see; it needs table ownership, which the application's database role should not have (Django's
test runner relies on TRUNCATE to flush tables between transactional tests).
SQLite: one BEFORE UPDATE and one BEFORE DELETE trigger raising ABORT, and one BEFORE INSERT trigger refusing a row
whose id or (chain, seq) already exists: `INSERT OR REPLACE` deletes the old row without firing DELETE triggers
(unless `PRAGMA recursive_triggers` is on), so it would otherwise rewrite an event.

`drop()`/`install()` exist for operators cutting a retention archive and for tests that tamper with a row "with the
trigger disabled"; the application itself never calls them.
"""

from contextlib import contextmanager

from django.db import connections

TABLE = "audit_event"
MESSAGE = "audit_event is append-only: UPDATE and DELETE are refused"

POSTGRES_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (%)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    f"DROP TRIGGER IF EXISTS audit_event_append_only ON {TABLE}",
    f"""
    CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()
    """,
]
POSTGRES_DROP = [f"DROP TRIGGER IF EXISTS audit_event_append_only ON {TABLE}"]

SQLITE_TRIGGERS = ("audit_event_no_update", "audit_event_no_delete", "audit_event_no_replace")
SQLITE_INSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    f"""
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    # Both lookups use an index: the primary key and the unique (chain, seq) constraint.
    f"""
    CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON {TABLE}
    WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id)
      OR EXISTS (SELECT 1 FROM {TABLE} WHERE chain = NEW.chain AND seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]

STATEMENTS = {
    "postgresql": (POSTGRES_INSTALL, POSTGRES_DROP),
    "sqlite": (SQLITE_INSTALL, SQLITE_DROP),
}


def _execute(connection, which):
    statements = STATEMENTS.get(connection.vendor)
    if statements is None:
        raise NotImplementedError(f"No append-only trigger for database vendor {connection.vendor!r}")
    with connection.cursor() as cursor:
        for sql in statements[which]:
            cursor.execute(sql)


def install(connection=None, using="default"):
    """Create the triggers that refuse UPDATE and DELETE on audit_event (idempotent)."""
    _execute(connection or connections[using], 0)


def drop(connection=None, using="default"):
    """Remove the triggers. Only for archive cutting and tamper tests; always re-install afterwards."""
    _execute(connection or connections[using], 1)


def is_installed(connection=None, using="default"):
    connection = connection or connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_event_append_only' AND tgenabled <> 'D'"
            )
            return cursor.fetchone()[0] == 1
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
                SQLITE_TRIGGERS,
            )
            return cursor.fetchone()[0] == len(SQLITE_TRIGGERS)
    return False


@contextmanager
def disabled(using="default"):
    """Drop the triggers for the duration of the block and re-install them whatever happens."""
    connection = connections[using]
    drop(connection)
    try:
        yield
    finally:
        install(connection)


def install_migration(apps, schema_editor):
    if schema_editor.connection.vendor in STATEMENTS:
        install(schema_editor.connection)


def drop_migration(apps, schema_editor):
    if schema_editor.connection.vendor in STATEMENTS:
        drop(schema_editor.connection)
