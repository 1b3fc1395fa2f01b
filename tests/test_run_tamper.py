"""SB tampering matrix: while `relnorthd run` keeps SB, another client
deletes a row of a table relnorthd writes, or changes one column it owns
(one row each, every table with rows); with no NB change to trigger it,
SB must come back to what it was, flows and every other table (compared
without uuids, test_run.sb_tables; a row made again after a delete may
get a new tunnel key, as northd gives one), and to what a from-scratch
compute of NB and SB would write (nothing left to write). Northd
recomputes on such SB changes and repairs them the same way."""
import json
import time

import pytest

from conftest import sample
from relnorthd import mirror
from relnorthd.reference import Sandbox
from relnorthd.sbtables import TABLES
from relnorthd.syncsql import is_child
from test_run import (CONVERGED_WITHIN, apply_transactions, converged, from_scratch_ops, running,
                      sb_state, sb_tables)
from test_run_families import FAMILIES

pytestmark = pytest.mark.usefixtures("reference_available")

SCENARIOS = ("ha_chassis_group", "acl_fair_meters", "router_lbs_on_gateway_ports",
             "dhcpv6_stateful", "gateway_router")
REKEYED = ("Port_Binding", "Datapath_Binding")    # tables whose rows have tunnel keys


def _tampered(column, value):
    """A different value of `column`'s type, or None (a reference: left alone)."""
    if column.ref_table or column.value_ref_table:
        return None
    if column.kind == "map":
        return ["map", sorted([*dict(value).items(), ("tampered", "1")])] \
            if column.key == column.value == "string" else None
    if column.key == "string":
        return ["set", [*value, "tampered"]] if column.kind == "set" else "tampered"
    if column.key == "integer" and column.kind == "scalar":
        return value - 1 if value > 1 else value + 1
    if column.key == "boolean" and column.kind == "scalar":
        return not value
    return None


def _tampers(sb: mirror.Database):
    """(table, what, OVSDB operations to try until the server takes one):
    for each owned table with rows, a delete of its first row, and an
    update of one owned column of it (the first whose new value the schema
    allows)."""
    for name, spec in TABLES.items():
        if not spec.sync or spec.prune or not sb[name].num_rows:
            continue
        schema = sb.schema.tables[name]
        row = min(sb[name].to_pylist(), key=lambda r: r["_uuid"])
        where = [["_uuid", "==", ["uuid", row["_uuid"]]]]
        if not is_child(name):        # children go with their parents' references
            yield name, "delete", [{"op": "delete", "table": name, "where": where}]
        updates = [{"op": "update", "table": name, "where": where, "row": {column: value}}
                   for column in spec.owned(schema.columns) if column not in spec.fixed
                   for value in [_tampered(schema.columns[column], row[column])]
                   if value is not None]
        if updates:
            yield name, "update", updates


def _state(box):
    """SB's flows and other tables."""
    flows, _, _ = sb_state(box)
    return sorted(json.dumps(f, sort_keys=True) for f in flows.to_pylist()), sb_tables(box)


def _rekeyed(state, table: str | None):
    """`state` with the tunnel keys of `table` left out (a table whose row
    was deleted: the row made again gets a new tunnel key, allocated as
    northd allocates a new one, after the largest key so far)."""
    if table is None:
        return state
    flows, tables = state
    return flows, {**tables, table: sorted(
        json.dumps({k: v for k, v in r.items() if k != "tunnel_key"}, sort_keys=True)
        for r in tables[table])}


@pytest.mark.parametrize("name", sample(SCENARIOS, "ha_chassis_group"))
def test_sb_tampering_is_repaired(name):
    with Sandbox(northd=False) as box, running(box) as northd:
        apply_transactions(box, FAMILIES[name])
        assert not from_scratch_ops(box)
        tried, refused = [], []
        state = _state(box)
        for table, what, ops in _tampers(mirror.load(box.sb_remote, mirror.SB)):
            rekeyed = table if what == "delete" and table in REKEYED else None
            before = _rekeyed(state, rekeyed)
            done = next((op for op in ops if _accepted(box, op)), None)
            if done is None:           # e.g. a row others still reference
                refused.append((table, what))
                continue
            tried.append((table, what, sorted(done.get("row", ()))))
            deadline = time.monotonic() + CONVERGED_WITHIN
            while (now := _rekeyed(state := _state(box), rekeyed)) != before \
                    and time.monotonic() < deadline:
                time.sleep(0.1)
            assert now[0] == before[0], (table, what, "flows")
            assert now[1] == before[1], (table, what, _differences(before[1], now[1]))
        # and what the tables above leave out (SB_Global.ipsec, say): the
        # repairs leave nothing for a from-scratch compute to write
        left = converged(box, pause=0.5)
        assert not left, (tried, left)
        assert len(tried) >= 10, (tried, refused)
        assert northd.iterations
        print(f"{name}: {len(tried)} tamperings repaired, {len(refused)} refused by the server")


def _accepted(box, op) -> bool:
    """Whether the server committed `op` (it refuses, say, a value the
    schema's constraints exclude or a delete leaving a strong reference)."""
    try:
        results = json.loads(box.transact(json.dumps(["OVN_Southbound", op])))
    except RuntimeError:
        return False
    return not any(isinstance(r, dict) and "error" in r for r in results)


def _differences(before: dict, now: dict) -> dict:
    """table -> the columns that differ in its rows that differ (rows paired
    in order), for the assertion message."""
    out = {}
    for t in now:
        gone = [r for r in before[t] if r not in now[t]]
        new = [r for r in now[t] if r not in before[t]]
        out[t] = [{k: (b.get(k), n.get(k)) for k in {*b, *n} if b.get(k) != n.get(k)}
                  for b, n in zip(gone, new, strict=False)] or (gone, new)
    return {t: d for t, d in out.items() if d != ([], [])}
