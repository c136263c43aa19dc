"""Insert many rows at once: PostgreSQL's COPY where it runs, bulk_create elsewhere.

A province's import writes about 100 000 members and as many audit entries; opening a period
writes a rating per subject. `bulk_create` sends each value as a separate query parameter, and
composing a hundred thousand of them costs more than PostgreSQL's work. COPY streams the rows
instead. Ids are taken from the table's sequence first, so every object gets its primary key as
`bulk_create` gives it.

    bulk_insert(Member, members)       # each member has its pk afterwards

Database errors (a unique code taken meanwhile) are raised as Django's (IntegrityError …), as
from any other query.
"""
from django.db import connection, models

BATCH = 1000


def bulk_insert(model: type[models.Model], objects: list[models.Model]) -> None:
    """INSERT `objects` (new instances of `model`) and set their primary keys."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=BATCH)
        return
    meta = model._meta
    fields = list(meta.concrete_fields)
    for obj in objects:
        for field in fields:
            field.pre_save(obj, add=True)  # auto_now_add and the like, as save() would
    _take_ids(model, [obj for obj in objects if obj.pk is None])
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row([f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields])
    for obj in objects:
        obj._state.adding, obj._state.db = False, connection.alias


def _take_ids(model: type[models.Model], objects: list[models.Model]) -> None:
    """Give each object the next id of its table's sequence (one query for all)."""
    if not objects:
        return
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(objects)],
        )
        for obj, (value,) in zip(objects, cursor.fetchall(), strict=True):
            setattr(obj, pk.attname, value)
