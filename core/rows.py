"""Rows of a model read in plain SQL and made into instances the way a queryset makes them.

A few small reads run on nearly every page built afresh (a profile's organization, its
channels and contacts; the signed-in user with its session). Through the ORM, building such a
query costs more CPU than running it. These read the same rows with a plain statement (the
text is the same every time, so the database keeps its plan: ``DATABASE_PREPARED_STATEMENTS``)
and make the instances with ``Model.from_db``, each value through its field's converters, as a
queryset does: fields left out are deferred, loaded on first use.
"""

import functools

from django.db import connections, router


def columns(model, *, table: str | None = None, exclude=()) -> tuple[list, str]:
    """The model's concrete fields but ``exclude`` (names), and their quoted columns as a select
    list (prefixed with ``table``'s quoted name, if given)."""
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    fields = [field for field in model._meta.concrete_fields if field.name not in exclude]
    prefix = f"{quote(table)}." if table else ""
    return fields, ", ".join(f"{prefix}{quote(field.column)}" for field in fields)


def instance(model, database: str, fields, values):
    """The instance of ``model`` whose ``fields`` hold ``values`` (as read from the database)."""
    values = list(values)
    connection = connections[database]
    for index, field, converters in _converters(database, tuple(fields)):
        for convert in converters:
            values[index] = convert(values[index], field, connection)
    return model.from_db(database, [field.attname for field in fields], values)


@functools.cache
def _converters(database: str, fields: tuple) -> tuple:
    """The fields that have converters (JSON, phone numbers), by position: worked out once."""
    connection = connections[database]
    found = (
        (index, field, tuple(field.get_db_converters(connection)))
        for index, field in enumerate(fields)
    )
    return tuple(entry for entry in found if entry[2])


def read(model, conditions: dict, *, exclude=(), limit: int | None = None) -> list:
    """The instances of ``model`` whose fields equal ``conditions`` (names to values), in the
    model's order, ``exclude`` deferred."""
    database = router.db_for_read(model)
    connection = connections[database]
    fields, sql = _statement(model, database, tuple(conditions), tuple(exclude), limit)
    params = [
        model._meta.get_field(name).get_db_prep_value(value, connection)
        for name, value in conditions.items()
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [instance(model, database, fields, row) for row in rows]


@functools.cache
def _statement(model, database: str, names: tuple, exclude: tuple, limit) -> tuple[list, str]:
    """The fields read and the statement of ``read`` (the same text every time): made once."""
    quote = connections[database].ops.quote_name
    meta = model._meta
    fields, select = columns(model, exclude=exclude)
    where = " AND ".join(f"{quote(meta.get_field(name).column)} = %s" for name in names)
    order = []
    for name in meta.ordering:
        field = meta.pk if name.lstrip("-") == "pk" else meta.get_field(name.lstrip("-"))
        order.append(quote(field.column) + (" DESC" if name.startswith("-") else ""))
    # Only quoted table and column names from the model go into the text; values are bound.
    sql = f"SELECT {select} FROM {quote(meta.db_table)} WHERE {where}"  # noqa: S608
    if order:
        sql += f" ORDER BY {', '.join(order)}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return fields, sql
