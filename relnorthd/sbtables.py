"""The SB tables northd writes, declared once: each table's natural key,
the columns northd owns, and how a reference to one of its rows is named.

The same declaration drives the table-by-table comparison with the
reference (`canonical_rows`) and the generic SB sync.

A row is compared without uuids: a reference column holds the referenced
row's natural key (`ref_name`), and a row of a table without a natural key
of its own (Meter_Band, HA_Chassis, ...) appears inside its referrer as its
own canonical row. Sets are sorted lists, maps sorted (key, value) lists.
The desired rows relnorthd computes (sql/sb/<Table>.sql) use the same
names, so `canonical_rows(result_rows)` and `canonical_rows(reference SB)`
compare directly.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pyarrow as pa

from .mirror import Database


@dataclass(frozen=True)
class SbTable:
    """One SB table northd writes: `key` its natural key columns (empty:
    rows are named by their whole canonical content), `foreign` the columns
    others write (ovn-controller, the user) that northd leaves alone. For the
    sync (syncsql.py): `sync` False for tables only named by references
    (Chassis, Encap); `fixed` owned columns written at insert only;
    `initial` foreign columns' OVSDB JSON, written when SB's has no value;
    `keep` SQL over the desired row `w` (references as OVSDB JSON j_<col>)
    and SB's row of its key `c` (values c_<col>, as JSON cj_<col>): whether
    that row may stay (else it is replaced). `prune`: northd only deletes
    rows of this table (ovn-controller writes them): the desired rows are
    the `_uuid`s of SB's rows that stay. `clear`: (foreign set column, SQL
    condition over the desired row `w`): northd empties the column in the
    rows where the condition holds. `shared`: reference columns to key-less
    rows (one each) that rows with equal content share, as northd shares
    the datapath group of load balancers on the same switches: a new or
    changed row takes SB's row of that content if a kept row holds one,
    else one inserted for all of them."""
    name: str
    key: tuple[str, ...] = ()
    foreign: frozenset[str] = frozenset()
    sync: bool = True
    fixed: frozenset[str] = frozenset()
    initial: tuple[tuple[str, str], ...] = ()
    keep: str = "true"
    prune: bool = False
    clear: tuple[tuple[str, str], ...] = ()
    shared: tuple[str, ...] = ()

    def owned(self, columns) -> list[str]:
        return [c for c in columns if c not in self.foreign and not c.startswith("_")]


def _t(name: str, key: tuple[str, ...] = (), foreign=(), fixed=(), **kw) -> SbTable:
    return SbTable(name, key, frozenset(foreign), fixed=frozenset(fixed), **kw)


TABLES = {t.name: t for t in (
    _t("Datapath_Binding", ("external_ids:logical-switch", "external_ids:logical-router"),
       ("load_balancers",),      # no longer used: emptied on switches
       clear=(("load_balancers", "w.external_ids['logical-switch'] IS NOT NULL"),)),
    _t("Port_Binding", ("logical_port",),
       ("chassis", "additional_chassis", "encap", "additional_encap", "up", "virtual_parent"),
       initial=(("up", "false"),),
       # a binding stays on its datapath and kind (VIF, container, virtual)
       keep="c.cj_datapath = w.j_datapath AND NOT binding_kind_changed("
            "c.c_type, c.c_parent_port, w.type, w.parent_port)"),
    _t("Multicast_Group", ("datapath", "name", "tunnel_key")),   # northd's identity
    _t("Logical_DP_Group"),
    _t("Address_Set", ("name",)),
    _t("Port_Group", ("name",)),
    _t("Meter", ("name",)),
    _t("Meter_Band"),
    _t("Load_Balancer", ("external_ids:lb_id",), shared=("datapath_group",)),
    _t("Service_Monitor", ("logical_port", "ip", "port", "protocol"), ("status", "external_ids")),
    # status: ovn-controller's, but northd sets it (sql/sb/BFD.sql says when)
    _t("BFD", ("logical_port", "dst_ip"), ("options", "external_ids")),
    _t("IP_Multicast", ("datapath",), ("seq_no",)),
    _t("HA_Chassis_Group", ("name",), ("external_ids",)),
    _t("HA_Chassis"),
    _t("Gateway_Chassis", ("name",)),
    _t("DHCP_Options", ("name",)),
    _t("DHCPv6_Options", ("name",)),
    _t("DNS", ("external_ids:dns_id",), fixed=("external_ids",)),
    _t("RBAC_Role", ("name",)),
    _t("RBAC_Permission"),
    _t("Mirror", ("name",), ("external_ids",)),
    _t("Static_MAC_Binding", ("logical_port", "ip"), fixed=("datapath",)),
    _t("Chassis_Template_Var", ("chassis",)),
    _t("SB_Global", (), ("nb_cfg", "external_ids", "connections", "ssl")),
    _t("FDB", prune=True),
    _t("IGMP_Group", prune=True),
    _t("Chassis", ("name",), sync=False),
    _t("Encap", ("type", "ip"), sync=False),
)}


def _column_value(row: dict, column: str):
    """`row[column]`, or a map entry for "column:key"."""
    if ":" in column:
        name, key = column.split(":", 1)
        return dict(row.get(name) or ()).get(key)
    return row.get(column)


class Canonical:
    """The canonical rows of one SB database (a mirror), computed on demand."""

    def __init__(self, sb: Database):
        self.sb = sb
        self._by_uuid: dict[str, dict[str, dict]] = {}

    def rows(self, table: str) -> list:
        """Every row of `table`, canonical, sorted."""
        return sorted((self._row(table, r) for r in self.sb[table].to_pylist()), key=_sort_key)

    def _uuid_index(self, table: str) -> dict[str, dict]:
        if table not in self._by_uuid:
            self._by_uuid[table] = {r["_uuid"]: r for r in self.sb[table].to_pylist()}
        return self._by_uuid[table]

    def ref_name(self, table: str, uuid: str):
        """How a reference to row `uuid` of `table` is named: its natural
        key (one value, or a list of several), else its canonical row; None
        when the row is gone (a dangling weak reference)."""
        row = self._uuid_index(table).get(uuid)
        if row is None:
            return None
        spec = TABLES.get(table, SbTable(table))
        if not spec.key:
            return self._row(table, row)
        if table == "Datapath_Binding":      # the NB uuid, from either key
            return next(v for v in (_column_value(row, c) for c in spec.key) if v)
        values = [_column_value(row, c) for c in spec.key]
        return values[0] if len(values) == 1 else values

    def _row(self, table: str, row: dict) -> dict:
        schema = self.sb.schema.tables[table]
        spec = TABLES.get(table, SbTable(table))
        out = {}
        for name in spec.owned(schema.columns):
            column, value = schema.columns[name], row.get(name)
            if column.ref_table:
                value = self._refs(column.ref_table, value, column.kind)
            if column.value_ref_table:
                value = [(k, self.ref_name(column.value_ref_table, u))
                         for k, u in (value or ())]
            out[name] = canonical_value(value, column.kind)
        return out

    def _refs(self, table: str, value, kind: str):
        if kind in ("set", "map"):
            return [self.ref_name(table, u) for u in value or ()]
        return None if value is None else self.ref_name(table, value)


def canonical_value(value, kind: str):
    """Sets as sorted lists (by JSON text), maps as sorted [key, value]
    pairs; other values as they are."""
    if kind == "map":
        return sorted([k, v] for k, v in (value.items() if isinstance(value, dict)
                                          else value or ()))
    if kind == "set":
        return sorted(value or (), key=_sort_key)
    return value


def _sort_key(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def canonical_table(rows: pa.Table, table: str, sb: Database) -> list:
    """Desired rows (a sql/sb/<Table>.sql result, references already named
    as `Canonical.ref_name` names them) in canonical form: only the SB
    table's owned columns the result has, sets and maps sorted."""
    schema = sb.schema.tables[table]
    spec = TABLES.get(table, SbTable(table))
    columns = [c for c in spec.owned(schema.columns) if c in rows.column_names]
    return sorted((_canonical_dict(r, schema, sb) for r in rows.select(columns).to_pylist()),
                  key=_sort_key)


def _canonical_dict(row: dict, schema, sb: Database) -> dict:
    """A desired row's columns canonical; inline rows of key-less tables too."""
    out = {}
    for name, value in row.items():
        column = schema.columns[name]
        child = column.value_ref_table or column.ref_table
        if child in TABLES and not TABLES[child].key and value is not None:
            inline = sb.schema.tables[child]
            if column.kind == "map":
                value = [(k, _canonical_dict(v, inline, sb)) for k, v in value]
            elif column.kind == "set":
                value = [_canonical_dict(v, inline, sb) for v in value]
            else:
                value = _canonical_dict(value, inline, sb)
        out[name] = canonical_value(value, column.kind)
    return out
