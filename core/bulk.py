"""Insert many rows at once: PostgreSQL's COPY, SQLite's executemany, bulk_create elsewhere.

A province's import writes about 100 000 members and as many audit entries; opening a period
writes a rating per subject. `bulk_create` sends each value as a separate query parameter, and
composing a hundred thousand of them costs more than PostgreSQL's work. COPY streams the rows
instead. Ids are taken from the table's sequence first, so every object gets its primary key as
`bulk_create` gives it.

    bulk_insert(Member, members)       # each member has its pk afterwards
    insert_rows(Rating, [{"period_id": 1, …}, …])   # plain rows, no ids back (opening a province)
    update_rows(Rating, ratings, ("status", …))     # many saved rows' fields, one statement

Database errors (a unique code taken meanwhile) are raised as Django's (IntegrityError …), as
from any other query.
"""
import json
from collections.abc import Callable

from django.db import connection, models
from django.utils import timezone

BATCH = 1000


def bulk_insert(model: type[models.Model], objects: list[models.Model]) -> None:
    """INSERT `objects` (new instances of `model`) and set their primary keys."""
    if not objects:
        return
    if connection.vendor not in ("postgresql", "sqlite"):
        model.objects.bulk_create(objects, batch_size=BATCH)
        return
    meta = model._meta
    fields = list(meta.concrete_fields)
    for obj in objects:
        for field in fields:
            field.pre_save(obj, add=True)  # auto_now_add and the like, as save() would
    take_ids(model, [obj for obj in objects if obj.pk is None])
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    rows = ([f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objects)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:  # one prepared INSERT run for every row (SQLite's executemany), not a statement per batch
            marks = ", ".join(["?"] * len(fields))
            cursor.cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    for obj in objects:
        obj._state.adding, obj._state.db = False, connection.alias


def take_ids(model: type[models.Model], objects: list[models.Model]) -> None:
    """Give each object the next id of its table's sequence (one query for all); the audit chain
    takes its ids under the chain's lock, so ids follow the chain's order."""
    if not objects:
        return
    pk = model._meta.pk
    if connection.vendor == "sqlite":
        _take_sqlite_ids(model, objects)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(objects)],
        )
        for obj, (value,) in zip(objects, cursor.fetchall(), strict=True):
            setattr(obj, pk.attname, value)


def _take_sqlite_ids(model: type[models.Model], objects: list[models.Model]) -> None:
    """Ids after the highest the table ever gave (AUTOINCREMENT never reuses one). SQLite has one
    writer at a time and the transaction holds the write lock from its first statement here."""
    pk = model._meta.pk
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Writing first takes the write lock, so no other connection can take these ids meanwhile.
        cursor.execute(f"UPDATE {quote(model._meta.db_table)} SET {quote(pk.column)} = {quote(pk.column)} WHERE 0")
        cursor.execute(
            f"SELECT max(coalesce((SELECT max({quote(pk.column)}) FROM {quote(model._meta.db_table)}), 0), "
            "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [model._meta.db_table],
        )
        (highest,) = cursor.fetchone()
    for number, obj in enumerate(objects, start=highest + 1):
        setattr(obj, pk.attname, number)


# ---------------------------------------------------------------- rows without model instances
# Opening a period for a province writes a rating per subject (about 250 000 rows): built as plain
# rows from a template (every column the model has, each field's own default where the row does
# not say), without model instances or ids, they stream through COPY in seconds.

def _column_values(model: type[models.Model], rows: list[dict]):
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        elif f.has_default():
            defaults[f.attname] = f.get_default()
        else:
            defaults[f.attname] = None if f.null else ""
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    return fields, names, defaults, json_fields


def insert_rows(model: type[models.Model], rows: list[dict], *, common: dict | None = None,
                batch_size: int = 5000, progress: Callable[[int], None] | None = None) -> int:
    """Insert `rows` (attname → value) as new rows of `model`; return how many were written.

    `common` holds values every row shares (an opening's period, subject type, framework…): set
    once, not carried by each row. `progress(done)` is called every `batch_size` rows and at the
    end (a job reports it from outside the write transaction: core.jobs).
    """
    if not rows:
        return 0
    fields, names, defaults, json_fields = _column_values(model, rows)
    defaults.update(common or {})
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        # Each row starts from the defaults (JSON already encoded) and overrides what it says.
        template = [json.dumps(defaults[name]) if name in json_fields else defaults[name] for name in names]
        position = {name: i for i, name in enumerate(names)}
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for done, row in enumerate(rows, start=1):
                    values = template.copy()
                    for name, value in row.items():
                        values[position[name]] = json.dumps(value) if name in json_fields else value
                    copy.write_row(values)
                    if progress is not None and done % batch_size == 0:
                        progress(done)
        if progress is not None:
            progress(len(rows))
        return len(rows)
    for start in range(0, len(rows), batch_size):
        chunk = rows[start:start + batch_size]
        model.objects.bulk_create([model(**{name: row.get(name, defaults[name]) for name in names}) for row in chunk])
        if progress is not None:
            progress(start + len(chunk))
    return len(rows)


def update_rows(model: type[models.Model], objects: list[models.Model], fields: list[str] | tuple[str, ...]) -> int:
    """Write `fields` of many saved objects in one statement (PostgreSQL: UPDATE … FROM VALUES;
    elsewhere one parametrised UPDATE per row, sent as a batch).

    Django's bulk_update builds a CASE expression per field over every row, which costs more to
    build than to run for the grid's 60 rows × 9 outcome fields or 1,200 scores.
    """
    if not objects:
        return 0
    meta = model._meta
    concrete = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in concrete] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [f.db_type(connection) for f in concrete] + [meta.pk.rel_db_type(connection)]
            row = "(" + ", ".join(f"%s::{t}" for t in types) + ")"
            for start in range(0, len(params), 2000):
                chunk = params[start:start + 2000]
                names = ", ".join([*(quote(f.column) for f in concrete), "pk_"])
                sets = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in concrete)
                cursor.execute(
                    f"UPDATE {table} AS t SET {sets} FROM (VALUES {', '.join([row] * len(chunk))}) AS v({names}) "
                    f"WHERE t.{quote(meta.pk.column)} = v.pk_",
                    [value for values in chunk for value in values],
                )
        else:
            assignments = ", ".join(f"{quote(f.column)} = %s" for f in concrete)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {quote(meta.pk.column)} = %s", params)
    return len(objects)


def refresh_statistics(*models: type[models.Model]) -> None:
    """ANALYZE the tables of `models` (every table if none) after a bulk write, so the next queries
    are planned for their new size.

    Autovacuum would, but only after a delay, and a server may run without it: after a province's
    opening the grid's query took 5 s until ANALYZE [issue 16]. A sample of each table, about a
    second. Nothing is done inside a transaction (a test's): the statistics would outlive its
    rollback, and a table analysed while empty makes PostgreSQL plan every later query on that
    database for no rows (a test's two-rating query then took seconds).
    """
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        if not models:
            cursor.execute("ANALYZE")
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
