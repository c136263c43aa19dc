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
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([
                        json.dumps(row.get(name, defaults[name])) if name in json_fields
                        else row.get(name, defaults[name])
                        for name in names
                    ])
        return len(rows)
    objects = [model(**{name: row.get(name, defaults[name]) for name in names}) for row in rows]
    model.objects.bulk_create(objects, batch_size=batch_size)
    return len(objects)
