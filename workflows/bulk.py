"""Rows inserted in bulk where their ids are needed at once (the batch paths' viewflow tasks and processes).

Django's `bulk_create` cannot use PostgreSQL's UNNEST form for a model with a JSON column (viewflow's `Task.data`,
`Process.data`), so it builds one `INSERT … VALUES` of every row and field and spends most of a batch step's insert
time compiling it. `rows_insert` takes the ids from the table's sequence first and writes the rows with one `COPY`,
as `audit.services.events_append_bulk` writes the audit events; the values are those `bulk_create` sends (each
field's `pre_save` and `get_db_prep_save`). Other databases get `bulk_create`.
"""

from django.db import connection


def rows_insert(model, objs):
    """Insert `objs` (unsaved instances of `model`, primary key unset), set their primary keys; return them."""
    objs = list(objs)
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model._base_manager.bulk_create(objs, batch_size=500)
    opts = model._meta
    pk = opts.pk
    fields = [field for field in opts.concrete_fields if field is not pk]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, pk.column, len(objs)],
        )
        for obj, (key,) in zip(objs, sorted(cursor.fetchall()), strict=True):
            setattr(obj, pk.attname, key)
        columns = ", ".join(quote(field.column) for field in (pk, *fields))
        with cursor.cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(
                    [
                        obj.pk,
                        *(field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields),
                    ]
                )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
