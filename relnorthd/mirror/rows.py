"""OVSDB JSON datums -> Python values, and the row store they are applied to.

A row store is {table: {uuid: {column: value}}} holding decoded values
(scalar, None for an empty optional, list for sets, dict for maps).
"""
from __future__ import annotations

import pyarrow as pa

from .schema import Column, DbSchema, TableSchema


class DatumError(ValueError):
    """A datum does not fit its column's type."""


def _atom(column: Column, atype: str, value):
    if atype == "uuid":
        if not (isinstance(value, list) and len(value) == 2 and value[0] in ("uuid", "named-uuid")):
            raise DatumError(f"column {column.name}: expected a uuid, got {value!r}")
        return value[1]
    if atype == "real" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    expected = {"string": str, "integer": int, "real": float, "boolean": bool}[atype]
    if not isinstance(value, expected) or (atype == "integer" and isinstance(value, bool)):
        raise DatumError(f"column {column.name}: expected {atype}, got {value!r}")
    return value


def _elements(column: Column, value) -> list:
    """The atoms (or [key, value] pairs) of a datum in its JSON form."""
    if column.kind == "map":
        if not (isinstance(value, list) and len(value) == 2 and value[0] == "map"):
            raise DatumError(f"column {column.name}: expected a map, got {value!r}")
        return [(_atom(column, column.key, k), _atom(column, column.value, v)) for k, v in value[1]]
    if isinstance(value, list) and len(value) == 2 and value[0] == "set":
        return [_atom(column, column.key, a) for a in value[1]]
    return [_atom(column, column.key, value)]


def decode(column: Column, value):
    """Decode a full datum for `column` into its Python value."""
    items = _elements(column, value)
    if column.kind == "map":
        return dict(items)
    if column.kind == "set":
        return items
    if column.kind == "optional":
        if len(items) > 1:
            raise DatumError(f"column {column.name}: more than one value in {value!r}")
        return items[0] if items else None
    if len(items) != 1:
        raise DatumError(f"column {column.name}: expected one value, got {value!r}")
    return items[0]


def apply_diff(column: Column, old, diff):
    """Apply an OVSDB datum diff (`_is_diff` records) to a non-scalar column."""
    items = _elements(column, diff)
    if column.kind == "map":
        new = dict(old)
        for k, v in items:
            if k in new and new[k] == v:
                del new[k]
            else:
                new[k] = v
        return new
    current = [] if old is None else ([old] if column.kind == "optional" else list(old))
    for atom in items:            # symmetric difference
        if atom in current:
            current.remove(atom)
        else:
            current.append(atom)
    if column.kind == "optional":
        if len(current) > 1:
            raise DatumError(f"column {column.name}: diff leaves more than one value")
        return current[0] if current else None
    return current


def apply_row(table: TableSchema, rows: dict, uuid: str, row: dict | None, is_diff: bool) -> None:
    """Insert, modify (full values or diffs) or delete (`row` None) one row."""
    if row is None:
        rows.pop(uuid, None)
        return
    current = rows.get(uuid)
    if current is None:
        current = rows[uuid] = {name: col.default() for name, col in table.columns.items()}
        is_diff = False           # a new row always carries full values
    for name, value in row.items():
        column = table.columns.get(name)
        if column is None:
            if name.startswith("_"):
                continue
            raise DatumError(f"table {table.name}: unknown column {name!r}")
        if is_diff and not column.is_ovsdb_scalar:
            current[name] = apply_diff(column, current[name], value)
        else:
            current[name] = decode(column, value)


def to_arrow(table: TableSchema, rows: dict) -> pa.Table:
    """Build the Arrow table for one table's rows, `_uuid` first, sorted by uuid."""
    schema = table.arrow_schema()
    uuids = sorted(rows)
    arrays = [pa.array(uuids, pa.string())]
    for field in list(schema)[1:]:
        values = [rows[u][field.name] for u in uuids]
        if pa.types.is_map(field.type):      # OVSDB datum order: maps by key
            values = [sorted(v.items()) for v in values]
        elif pa.types.is_list(field.type):   # ... and sets by atom
            values = [sorted(v) for v in values]
        arrays.append(pa.array(values, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def store_to_arrow(schema: DbSchema, store: dict) -> dict[str, pa.Table]:
    return {name: to_arrow(t, store.get(name, {})) for name, t in schema.tables.items()}
