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


# Python types of the atoms a fast decoder checks as they are
_PY = {"string": str, "integer": int, "boolean": bool}
_GENERAL = object()     # what a fast decoder returns for a datum it leaves to `decode`


def _is_uuid(atom) -> bool:
    return type(atom) is list and len(atom) == 2 and atom[0] == "uuid"


def fast_decoder(column: Column):
    """A decoder of `column`'s common well-formed datums, without the
    per-atom dispatch of `decode` (a snapshot or a large echo has millions);
    it returns _GENERAL for anything else (reals, empty optionals, maps with
    uuids, wrong types), which `decode` then takes or reports. None when the
    column has none."""
    if column.kind == "map":
        key, value = _PY.get(column.key), _PY.get(column.value or "")
        if key is None or value is None:
            return None

        def fast_map(datum):
            if (type(datum) is list and len(datum) == 2 and datum[0] == "map"
                    and all(type(k) is key and type(v) is value for k, v in datum[1])):
                return dict(datum[1])
            return _GENERAL
        return fast_map
    atom = _PY.get(column.key)
    if atom is not None:
        def ok(x):
            return type(x) is atom

        def get(x):
            return x
    elif column.key == "uuid":
        ok, get = _is_uuid, (lambda x: x[1])
    else:
        return None
    if column.kind != "set":
        def fast_one(datum):
            return get(datum) if ok(datum) else _GENERAL
        return fast_one

    def fast_set(datum):
        if ok(datum):
            return [get(datum)]
        if (type(datum) is list and len(datum) == 2 and datum[0] == "set"
                and all(ok(x) for x in datum[1])):
            return [get(x) for x in datum[1]]
        return _GENERAL
    return fast_set


def decode(column: Column, value):
    """Decode a full datum for `column` into its Python value."""
    fast = column.fast_decoder
    if fast is not None:
        out = fast(value)
        if out is not _GENERAL:
            return out
    return _decode(column, value)


def _decode(column: Column, value):
    """`decode` atom by atom, checking each."""
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
