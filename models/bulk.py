"""Inserting many rows fast: one statement per batch, for loads of hundreds of thousands of rows.

peewee's insert_many builds its SQL value by value, which costs a bulk load
more than everything else it does; here the statement is written once per
batch and the values go through each field's own db_value, as they would there.
"""
import json

from peewee import JSONField

from .db import database

BATCH = 500  # rows per INSERT: 500 x 17 columns stays under SQLite's 32,766 variables


def insert(model, rows, batch=BATCH):
    """INSERT `rows` (dicts with the same keys) into `model`'s table; fields left out get their defaults.

    Inserts only: no ids come back, and the caller's transaction holds them all.
    """
    if not rows:
        return
    given = [model._meta.fields[name] for name in rows[0]]
    defaulted = [(field, default) for field, default in model._meta.defaults.items() if field.name not in rows[0]]
    fields = given + [field for field, _ in defaulted]
    # JSON goes as its text: its db_value is an SQL expression around the text.
    converters = [json.dumps if isinstance(field, JSONField) else field.db_value for field in fields]
    opening, closing = database.quote
    table = f"{opening}{model._meta.table_name}{closing}"
    columns = ", ".join(f"{opening}{field.column_name}{closing}" for field in fields)
    group = "(" + ", ".join([database.param] * len(fields)) + ")"
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        params = []
        for row in chunk:
            values = [row[field.name] for field in given]
            values += [default() if callable(default) else default for _, default in defaulted]
            params += [convert(value) for convert, value in zip(converters, values)]
        database.execute_sql(f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([group] * len(chunk)), params)
