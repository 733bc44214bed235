"""Rows written in bulk by the batch paths: inserted where their ids are needed at once (viewflow's tasks and
processes), and columns of many rows updated in one statement.

Django's `bulk_create` cannot use PostgreSQL's UNNEST form for a model with a JSON column (viewflow's `Task.data`,
`Process.data`), so it builds one `INSERT … VALUES` of every row and field and spends most of a batch step's insert
time compiling it. `rows_insert` takes the ids from the table's sequence first and writes the rows with one `COPY`,
as `audit.services.events_append_bulk` writes the audit events; the values are those `bulk_create` sends (each
field's `pre_save` and `get_db_prep_save`). Other databases get `bulk_create`. `pairs_insert` writes link rows
whose ids nobody reads (viewflow's `previous`) from two id arrays, without instances. `related_shared` reads the
rows many instances' foreign keys name once each (the batch paths' loads of 500 nominations).
"""

from django.db import connection
from fast_update.fast import fast_update

_UNSET = object()


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
        # A batch's rows share most values (the same moment, node, status, token): each field's database value
        # is prepared once per distinct object, not once per row (`get_db_prep_save` of a datetime is costly).
        last = [(_UNSET, None)] * len(fields)
        with cursor.cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                row = [obj.pk]
                for index, field in enumerate(fields):
                    value = field.pre_save(obj, True)
                    seen, prepared = last[index]
                    if value is not seen:
                        prepared = field.get_db_prep_save(value, connection)
                        last[index] = (value, prepared)
                    row.append(prepared)
                copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def pairs_insert(model, first, second, pairs):
    """Insert rows of `model` whose only columns besides the id are the two integer columns `first` and `second`
    (a many-to-many link table), one row per (first, second) of `pairs`: on PostgreSQL one INSERT … SELECT FROM
    unnest of two arrays, no instances and no ids read back; elsewhere `bulk_create`."""
    pairs = list(pairs)
    if not pairs:
        return
    if connection.vendor != "postgresql":
        model._base_manager.bulk_create([model(**{first: a, second: b}) for a, b in pairs], batch_size=500)
        return
    opts, quote = model._meta, connection.ops.quote_name
    one, two = (opts.get_field(name) for name in (first, second))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(opts.db_table)} ({quote(one.column)}, {quote(two.column)}) "
            f"SELECT * FROM unnest(%s::{one.db_type(connection)}[], %s::{two.db_type(connection)}[])",
            [[a for a, _b in pairs], [b for _a, b in pairs]],
        )


def rows_update(model, objs, fields):
    """Write `fields` of many rows in one UPDATE ... FROM (VALUES ...) per 1,000 rows (django-fast-update):
    Django's bulk_update builds a CASE per column and row and spends seconds in Python on a few hundred rows."""
    fast_update(model._base_manager.all(), objs, fields, 1000, unfiltered=True)


JOIN_AT_MOST = 20  # rows: up to this many join their shared relations; more read them once apart


def shared_joins(count, *paths):
    """The `select_related` paths worth joining when loading `count` rows: a few rows (a decision of one, a single
    task) join their shared relations at no extra statement; many rows would each get a copy of the same unit or
    award type, so they read them once apart with `related_shared`, which keeps what a join loaded."""
    return paths if count <= JOIN_AT_MOST else ()


def related_shared(*groups):
    """Set on model instances the rows their foreign keys name, read once per distinct row and shared: `groups` are
    (instances, field names) pairs; one query per related model over all the groups (`select_related` would give
    each of 500 nominations its own copy of the same unit or award type). Relations already loaded are kept."""
    missing = []  # (instances without the relation loaded, the foreign key)
    for objs, names in groups:
        for name in names:
            if objs:
                fk = objs[0]._meta.get_field(name)
                missing.append(([obj for obj in objs if not fk.is_cached(obj)], fk))
    wanted = {}  # related model -> ids
    for objs, fk in missing:
        if objs:
            wanted.setdefault(fk.related_model, set()).update(getattr(obj, fk.attname) for obj in objs)
    rows = {model: model._base_manager.in_bulk(ids - {None}) for model, ids in wanted.items()}
    for objs, fk in missing:
        for obj in objs:
            fk.set_cached_value(obj, rows[fk.related_model].get(getattr(obj, fk.attname)))
