"""OVSDB schema -> Arrow schema, with no per-table code.

Column shapes:
- scalar (min 1, max 1, no value)  -> typed Arrow scalar, never null
- optional (min 0, max 1, no value) -> typed Arrow scalar, null when empty
- set (max > 1)                      -> list<atom>
- map (has a value type)             -> map<key, value>
uuid atoms (references) are strings.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import pyarrow as pa

ATOM_ARROW = {"string": pa.string(), "uuid": pa.string(), "integer": pa.int64(),
              "real": pa.float64(), "boolean": pa.bool_()}
ATOM_DEFAULT = {"string": "", "uuid": "00000000-0000-0000-0000-000000000000",
                "integer": 0, "real": 0.0, "boolean": False}


def _atom_type(spec) -> str:
    return spec if isinstance(spec, str) else spec["type"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: str                # "scalar" | "optional" | "set" | "map"
    key: str                 # atomic type of the key
    value: str | None = None  # atomic type of map values
    ref_table: str | None = None  # the table key uuids refer to
    ref_type: str = "strong"
    value_ref_table: str | None = None  # the table map-value uuids refer to

    @classmethod
    def from_json(cls, name: str, spec: dict) -> Column:
        ty = spec["type"]
        if isinstance(ty, str):
            return cls(name, "scalar", ty)
        key = _atom_type(ty["key"])
        ref = ty["key"] if isinstance(ty["key"], dict) else {}
        refs = {"ref_table": ref.get("refTable"), "ref_type": ref.get("refType", "strong")}
        if "value" in ty:
            value = ty["value"] if isinstance(ty["value"], dict) else {}
            return cls(name, "map", key, _atom_type(ty["value"]), **refs,
                       value_ref_table=value.get("refTable"))
        n_min, n_max = ty.get("min", 1), ty.get("max", 1)
        if n_max == 1:
            return cls(name, "scalar" if n_min == 1 else "optional", key, **refs)
        return cls(name, "set", key, **refs)

    @functools.cached_property
    def fast_decoder(self):
        """rows.fast_decoder of this column, built once (a cached attribute,
        not a lookup that hashes the column for each of millions of datums)."""
        from .rows import fast_decoder
        return fast_decoder(self)

    @property
    def is_ovsdb_scalar(self) -> bool:
        """True when OVSDB diffs replace the value instead of patching it."""
        return self.kind == "scalar"

    def arrow_type(self) -> pa.DataType:
        if self.kind == "map":
            return pa.map_(ATOM_ARROW[self.key], ATOM_ARROW[self.value])
        if self.kind == "set":
            return pa.list_(ATOM_ARROW[self.key])
        return ATOM_ARROW[self.key]

    def default(self):
        """The value of a column a row does not mention (a fresh list/dict)."""
        if self.kind == "scalar":
            return ATOM_DEFAULT[self.key]
        if self.kind == "optional":
            return None
        return [] if self.kind == "set" else {}


@dataclass(frozen=True)
class TableSchema:
    name: str
    columns: dict[str, Column]
    is_root: bool = True    # False: rows nothing references strongly are dropped

    def arrow_schema(self) -> pa.Schema:
        fields = [pa.field("_uuid", pa.string(), nullable=False)]
        fields += [pa.field(c.name, c.arrow_type(), nullable=c.kind == "optional")
                   for c in self.columns.values()]
        return pa.schema(fields)


@dataclass(frozen=True)
class DbSchema:
    name: str
    version: str
    tables: dict[str, TableSchema]

    @classmethod
    def from_json(cls, doc: dict) -> DbSchema:
        # a schema that marks no table isRoot has only root tables
        roots = not any("isRoot" in t for t in doc["tables"].values())
        tables = {
            tname: TableSchema(tname, {c: Column.from_json(c, spec)
                                       for c, spec in sorted(tdoc["columns"].items())},
                               tdoc.get("isRoot", roots))
            for tname, tdoc in sorted(doc["tables"].items())
        }
        return cls(doc["name"], doc.get("version", ""), tables)
