"""QoS queues of switch ports (options qos_max_rate / qos_min_rate /
qos_burst) as ovn-northd 23.03.1 handles them: a queue id per chassis the
port is bound to (SB Port_Binding chassis, set here as ovn-controller would),
per localnet port, written to SB options:qdisc_queue_id and set by the
port's check_port_sec flow (and a localnet port's apply_port_sec flow).
Flows and ids are compared with the reference's; ids are also allocated
again from the reference's SB without them, and `relnorthd run` follows the
reference through binds, unbinds, frees and reuses."""
import dataclasses
import json

import pyarrow as pa
import pytest

from conftest import assert_matches_reference, insert_datapath, nb, sb
from relnorthd.compare import compare
from relnorthd.pipeline import compute
from test_run import apply, reference_and_ours, sb_state

pytestmark = pytest.mark.usefixtures("reference_available")

CHASSIS = [sb("chassis-add", "ch1", "geneve", "127.0.0.1"),
           sb("chassis-add", "ch2", "geneve", "127.0.0.2")]
SYNC = nb("--wait=sb", "sync")          # port bindings exist before they are bound


def port(sw, name, *options, addresses=(), type_=""):
    return [nb("lsp-add", sw, name,
               *(["--", "lsp-set-type", name, type_] if type_ else []),
               *(["--", "lsp-set-addresses", name, *addresses] if addresses else []),
               *(["--", "lsp-set-options", name, *options] if options else []))]


def bind(*pairs):
    """One SB transaction binding each (port, chassis)."""
    args = []
    for p, ch in pairs:
        args += ["--", "lsp-bind", p, ch]
    return sb(*args[1:])


def insert_port(sw, name, uuid_hash, *addresses):
    """A switch port with a chosen uuid (its place in northd's port order)."""
    uuid = f"{uuid_hash:08x}-0000-4000-8000-000000000001"
    ops = [{"op": "insert", "table": "Logical_Switch_Port", "uuid": uuid,
            "row": {"name": name, "addresses": ["set", list(addresses)]}},
           {"op": "mutate", "table": "Logical_Switch", "where": [["name", "==", sw]],
            "mutations": [["ports", "insert", ["set", [["uuid", uuid]]]]]}]
    return ["ovsdb-client", "transact", json.dumps(["OVN_Northbound", *ops])]


# One switch, IPv4, IPv6 and dual-stack ports on two chassis; every kind of
# port that can carry the options; all bound in one SB transaction.
ONE_SWITCH_BINDINGS = (("p1", "ch1"), ("p2", "ch1"), ("p3", "ch1"), ("p4", "ch2"), ("p6", "ch1"),
                       ("p7", "ch1"), ("pd", "ch1"), ("ext", "ch2"), ("lp", "ch1"), ("vt", "ch1"))
ONE_SWITCH_PORTS = [
    *CHASSIS, nb("ls-add", "sw0"), nb("lr-add", "lr0"),
    nb("lrp-add", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24", "fd00::1/64"),
    *port("sw0", "rp", "router-port=lrp0", "qos_max_rate=9", addresses=["router"],
          type_="router"),
    *port("sw0", "p1", "qos_max_rate=1000", "qos_burst=100",
          addresses=["00:00:00:00:00:01 10.0.0.11 fd00::11"]),
    nb("lsp-set-port-security", "p1", "00:00:00:00:00:01 10.0.0.11 fd00::11"),
    *port("sw0", "p2", "qos_min_rate=10", addresses=["00:00:00:00:00:02 10.0.0.12"]),
    *port("sw0", "p3", "qos_burst=", addresses=["00:00:00:00:00:03 fd00::13"]),
    *port("sw0", "p4", "qos_max_rate=20", addresses=["00:00:00:00:00:04 10.0.0.14"]),
    *port("sw0", "p5", "qos_max_rate=20", addresses=["unknown"]),       # never bound
    *port("sw0", "p6", "qos_other=1", addresses=["00:00:00:00:00:06"]),  # no qos option
    # a queue id of the port's own (copied to SB): set unless the port has one
    *port("sw0", "p7", "qdisc_queue_id=99", addresses=["00:00:00:00:00:0a"]),
    *port("sw0", "p8", "qdisc_queue_id=77", "qos_burst=1", addresses=["00:00:00:00:00:0b"]),
    *port("sw0", "pd", "qos_max_rate=30", addresses=["00:00:00:00:00:07"]),
    nb("lsp-set-enabled", "pd", "disabled"),
    *port("sw0", "ext", "qos_max_rate=40", addresses=["00:00:00:00:00:08 10.0.0.18"],
          type_="external"),
    *port("sw0", "lp", "qos_min_rate=50", addresses=["00:00:00:00:00:09 10.0.0.19"],
          type_="localport"),
    *port("sw0", "vt", "vtep-physical-switch=ps", "vtep-logical-switch=ls",
          "qos_burst=60", type_="vtep"),
    *port("sw0", "ln0", "network_name=phys", "qos_max_rate=70", addresses=["unknown"],
          type_="localnet"),
    nb("set", "logical_switch_port", "ln0", "tag_request=7"),
    SYNC,
]
ONE_SWITCH = [*ONE_SWITCH_PORTS, bind(*ONE_SWITCH_BINDINGS)]

# Two switches with ports on one chassis: ids follow northd's datapath hash
# order (sw-b's bucket comes first though its uuid is larger), then port order.
TWO_SWITCHES = [
    *CHASSIS,
    insert_datapath("Logical_Switch", "sw-a", 0x00000003),
    insert_datapath("Logical_Switch", "sw-b", 0x10000000),
    *port("sw-a", "a1", "qos_max_rate=1", addresses=["00:00:00:00:0a:01 10.0.0.2"]),
    *port("sw-a", "a2", "qos_min_rate=1", addresses=["00:00:00:00:0a:02 fd00::2"]),
    *port("sw-b", "b1", "qos_burst=1", addresses=["00:00:00:00:0b:01 10.1.0.2 fd01::2"]),
    *port("sw-b", "b2", "qos_max_rate=1", addresses=["00:00:00:00:0b:02"]),
    *port("sw-b", "b3", "qos_max_rate=1", addresses=["00:00:00:00:0b:03"]),
    *port("sw-b", "ln-b", "network_name=phys", "qos_burst=8", addresses=["unknown"],
          type_="localnet"),
    *port("sw-a", "ln-a", "network_name=phys", addresses=["unknown"], type_="localnet"),
    SYNC,
    bind(("a1", "ch1"), ("a2", "ch1"), ("b1", "ch1"), ("b2", "ch2"), ("b3", "ch1")),
]

SCENARIOS = {"one_switch_two_chassis": ONE_SWITCH, "two_switches_one_chassis": TWO_SWITCHES}


def queue_ids(rows):
    return {r["logical_port"]: dict(r["options"]).get("qdisc_queue_id") for r in rows}


def without_queue_ids(sb_db):
    """The SB with no binding holding a queue id (as before northd gave any)."""
    table = sb_db["Port_Binding"]
    options = [[(k, v) for k, v in o if k != "qdisc_queue_id"]
               for o in table.column("options").to_pylist()]
    table = table.set_column(table.schema.get_field_index("options"), "options",
                             pa.array(options, table.schema.field("options").type))
    return dataclasses.replace(sb_db, tables={**sb_db.tables, "Port_Binding": table})


@pytest.mark.parametrize("name", SCENARIOS)
def test_queue_flows_and_ids(name):
    d = assert_matches_reference(SCENARIOS[name], sb_rows=True)
    want = queue_ids(d.reference.sb["Port_Binding"].to_pylist())
    assert queue_ids(d.ours.sb_rows["Port_Binding"].to_pylist()) == want
    assert sum(q is not None for q in want.values()) >= 5, want
    # the reference allocated them all in one iteration: so do we
    fresh = compute(d.reference.nb, without_queue_ids(d.reference.sb))
    assert queue_ids(fresh.sb_rows["Port_Binding"].to_pylist()) == want
    c = compare(fresh.grouped.expanded(), d.reference.flows)
    assert c.equal, (c.totals, c.only_reference[:3], c.only_ours[:3])


# relnorthd run beside the reference: ids kept across binds and unbinds,
# freed ids reused, and a free and an allocation on one chassis in one
# transaction, in both orders (port uuids set the order).
RUN_SETUP = [
    *CHASSIS, nb("ls-add", "sw0"),
    insert_port("sw0", "d", 0x05000000, "00:00:00:00:00:0d"),
    insert_port("sw0", "a", 0x10000000, "00:00:00:00:00:0a 10.0.0.10"),
    insert_port("sw0", "b", 0x20000000, "00:00:00:00:00:0b fd00::b"),
    insert_port("sw0", "c", 0x30000000, "00:00:00:00:00:0c 10.0.0.12 fd00::c"),
    insert_port("sw0", "e", 0x50000000, "00:00:00:00:00:0e"),
    *port("sw0", "ln0", "network_name=phys", addresses=["unknown"], type_="localnet"),
    nb("lsp-set-options", "a", "qos_max_rate=1"), nb("lsp-set-options", "c", "qos_burst=1"),
]
RUN_BIND = bind(("a", "ch1"), ("b", "ch1"), ("c", "ch1"), ("d", "ch1"), ("e", "ch1"))
RUN_STEPS = [                                                       # a: 1, c: 2
    nb("lsp-set-options", "b", "qos_min_rate=5",                   # b: 3, ln0: 1
       "--", "lsp-set-options", "ln0", "network_name=phys", "qos_max_rate=6"),
    # d, listed before c, takes a new id (4) before c frees its 2
    nb("lsp-set-options", "c", "--", "lsp-set-options", "d", "qos_burst=2"),
    nb("lsp-set-options", "c", "qos_burst=4"),                      # c: the free 2
    # a, listed before e, frees its 1 before e takes it; ln0 drops its id
    nb("lsp-set-options", "a", "--", "lsp-set-options", "e", "qos_burst=3",
       "--", "lsp-set-options", "ln0", "network_name=phys"),
    sb("lsp-unbind", "b"),                                           # b keeps its 3
]


def run_states(box):
    box.run_script(RUN_SETUP)
    box.sync()
    apply(box, [RUN_BIND])
    states = []
    for step in RUN_STEPS:
        apply(box, [step])
        flows, _, sb_db = sb_state(box)
        states.append((flows, queue_ids(sb_db["Port_Binding"].to_pylist())))
    return states


def test_run_allocates_frees_and_reuses_ids_as_the_reference():
    expected, got = reference_and_ours(run_states)
    assert [expected[1][1]["d"], expected[2][1]["c"], expected[3][1]["e"]] == ["4", "2", "1"]
    for step, ((flows, ids), (ref_flows, ref_ids)) in enumerate(zip(got, expected, strict=True)):
        assert ids == ref_ids, RUN_STEPS[step]
        c = compare(flows, ref_flows)
        assert c.equal, (RUN_STEPS[step], c.totals, c.only_reference[:3], c.only_ours[:3])
