"""The SB rows northd only deletes (sbtables `prune`): learnt FDB entries
whose datapath or port tunnel key is gone (cleanup_stale_fdb_entries) and
IGMP_Group entries without a chassis or on a datapath that went
(build_mcast_groups). After each step, `relnorthd run` leaves the same FDB
and IGMP_Group rows in SB as ovn-northd 23.03.1."""
import json

import pytest
from conftest import nb, sb

from relnorthd import mirror
from test_run import apply, reference_and_ours

pytestmark = pytest.mark.usefixtures("reference_available")

SETUP = [
    sb("chassis-add", "ch1", "geneve", "127.0.0.1"),
    sb("chassis-add", "ch2", "geneve", "127.0.0.2"),
    nb("ls-add", "sw0"), nb("lsp-add", "sw0", "p1"), nb("lsp-add", "sw0", "p2"),
    nb("ls-add", "sw1"), nb("lsp-add", "sw1", "q1"),
    nb("lr-add", "lr0"), nb("lrp-add", "lr0", "lr0-sw0", "00:00:00:00:ff:01", "10.0.0.1/24"),
]

STEPS = [
    nb("lsp-del", "p2"),
    nb("lrp-del", "lr0-sw0"),
    sb("chassis-del", "ch2"),
    nb("ls-del", "sw1"),
    nb("lr-del", "lr0"),
]


def _learnt(box) -> list[dict]:
    """What ovn-controller would write: FDB entries for ports, datapaths
    and keys that exist and that do not; IGMP groups with and without a
    chassis."""
    db = mirror.load(box.sb_remote, mirror.SB)
    dps = {dict(r["external_ids"])["name"]: r for r in db["Datapath_Binding"].to_pylist()}
    ports = {r["logical_port"]: r for r in db["Port_Binding"].to_pylist()}
    chassis = {r["name"]: r["_uuid"] for r in db["Chassis"].to_pylist()}
    fdb = [("sw0", "p1"), ("sw0", "p2"), ("sw1", "q1"), ("lr0", "lr0-sw0")]
    ops = [{"op": "insert", "table": "FDB",
            "row": {"mac": f"00:00:00:00:00:{n:02x}", "dp_key": dps[dp]["tunnel_key"],
                    "port_key": ports[port]["tunnel_key"]}} for n, (dp, port) in enumerate(fdb)]
    ops += [{"op": "insert", "table": "FDB",
             "row": {"mac": "00:00:00:00:00:a0", "dp_key": dps["sw0"]["tunnel_key"],
                     "port_key": 77}},
            {"op": "insert", "table": "FDB",
             "row": {"mac": "00:00:00:00:00:a1", "dp_key": 4000, "port_key": 1}}]
    groups = [("239.0.0.1", "sw0", "ch1", "p1"), ("239.0.0.2", "sw1", "ch2", "q1"),
              ("239.0.0.3", "sw0", None, "p2"), ("239.0.0.4", "sw1", "ch1", "q1")]
    ops += [{"op": "insert", "table": "IGMP_Group",
             "row": {"address": address, "datapath": ["uuid", dps[dp]["_uuid"]],
                     "chassis": ["uuid", chassis[ch]] if ch else ["set", []],
                     "ports": ["set", [["uuid", ports[port]["_uuid"]]]]}}
            for address, dp, ch, port in groups]
    return ["ovsdb-client", "transact", json.dumps(["OVN_Southbound", *ops])]


def _rows(box):
    """The FDB and IGMP_Group rows, datapaths and chassis by name."""
    db = mirror.load(box.sb_remote, mirror.SB)
    dps = {r["_uuid"]: dict(r["external_ids"])["name"] for r in db["Datapath_Binding"].to_pylist()}
    chassis = {r["_uuid"]: r["name"] for r in db["Chassis"].to_pylist()}
    fdb = sorted((r["mac"], r["dp_key"], r["port_key"]) for r in db["FDB"].to_pylist())
    igmp = sorted((r["address"], dps.get(r["datapath"]), chassis.get(r["chassis"]))
                  for r in db["IGMP_Group"].to_pylist())
    return fdb, igmp


def _observe(box):
    apply(box, SETUP)
    apply(box, [_learnt(box)])
    out = [_rows(box)]
    for step in STEPS:
        apply(box, [step])
        out.append(_rows(box))
    return out


def test_stale_fdb_and_igmp_group_rows_go_as_the_reference_deletes_them():
    expected, got = reference_and_ours(_observe)
    assert len(expected[0][0]) < 6 and len(expected[-1][0]) == 1   # the test deletes some
    for step, ours, ref in zip(["learnt", *STEPS], got, expected, strict=True):
        assert ours == ref, step
