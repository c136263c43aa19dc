"""Write many new rows at once: PostgreSQL's COPY where available, bulk INSERTs elsewhere.

Opening a period for a province writes a rating per subject (hundreds of thousands of rows);
COPY takes them in one stream. Every column the model has is written, with the field's own
default where the row does not say, so a new field needs no change here.
"""
from __future__ import annotations

import json

from django.db import connection, models
from django.utils import timezone


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


def insert_rows(model: type[models.Model], rows: list[dict], *, batch_size: int = 5000) -> int:
    """Insert `rows` (attname → value) as new rows of `model`; return how many were written."""
    if not rows:
        return 0
    fields, names, defaults, json_fields = _column_values(model, rows)
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        # Each row starts from the defaults (JSON already encoded) and overrides what it says.
        template = [json.dumps(defaults[name]) if name in json_fields else defaults[name] for name in names]
        position = {name: i for i, name in enumerate(names)}
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    values = template.copy()
                    for name, value in row.items():
                        values[position[name]] = json.dumps(value) if name in json_fields else value
                    copy.write_row(values)
        return len(rows)
    objects = [model(**{name: row.get(name, defaults[name]) for name in names}) for row in rows]
    model.objects.bulk_create(objects, batch_size=batch_size)
    return len(objects)


def update_rows(model: type[models.Model], objects: list[models.Model], fields: list[str] | tuple[str, ...]) -> int:
    """Write `fields` of many saved objects: one parametrised UPDATE per row, sent as a batch.

    Django's bulk_update builds a CASE expression per field over every row, which costs more to
    build than to run for the grid's 60 rows × 9 outcome fields; a plain executemany does not.
    """
    if not objects:
        return 0
    meta = model._meta
    concrete = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in concrete)
    sql = f"UPDATE {connection.ops.quote_name(meta.db_table)} SET {assignments} WHERE {connection.ops.quote_name(meta.pk.column)} = %s"
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in concrete] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(objects)
