"""DNS records (NB DNS rows named by switches' dns_records): the
ls_in_dns_lookup / ls_in_dns_response flows and the ls_out_acl reply
allowance, compared flow for flow with ovn-northd 23.03.1, and the SB DNS
rows `relnorthd run` writes, compared with the reference's. Flows depend
only on whether a switch has a row with records, whatever they hold (IPv4,
IPv6, PTR names); the records go to SB DNS."""
import json
from contextlib import nullcontext

import pytest

from conftest import assert_matches_reference, nb
from relnorthd import mirror
from relnorthd.reference import Sandbox
from test_run import running

pytestmark = pytest.mark.usefixtures("reference_available")


NAMES = ["shared", "v4", "v6", "empty", "a", "b", "c", "unused"]


def dns_uuid(name):
    return f"{NAMES.index(name):08x}-0000-4000-8000-0000000d0500"


def transact(*ops):
    return ["ovsdb-client", "transact", json.dumps(["OVN_Northbound", *ops])]


def name_dns(mutator, name, *switches):
    return [{"op": "mutate", "table": "Logical_Switch", "where": [["name", "==", sw]],
             "mutations": [["dns_records", mutator, ["uuid", dns_uuid(name)]]]}
            for sw in switches]


def dns(name, records, *switches):
    """One DNS row (with a uuid its name picks) named by `switches`."""
    row = {"records": ["map", sorted(records.items())]}
    return transact({"op": "insert", "table": "DNS", "uuid": dns_uuid(name), "row": row},
                    *name_dns("insert", name, *switches))


def update_dns(name, records):
    return transact({"op": "update", "table": "DNS",
                     "where": [["_uuid", "==", ["uuid", dns_uuid(name)]]],
                     "row": {"records": ["map", sorted(records.items())]}})


def unname_dns(name, *switches):
    return transact(*name_dns("delete", name, *switches))


def vif(sw, name, addresses):
    return [nb("lsp-add", sw, name), nb("lsp-set-addresses", name, addresses)]


# forward and reverse (PTR) names, IPv4 and IPv6, names in mixed case
V4_RECORDS = {"vm1": "10.0.0.2", "vm1.ovn.org": "10.0.0.2 10.0.0.3",
              "2.0.0.10.in-addr.arpa": "vm1.ovn.org", "3.0.0.10.in-addr.arpa": "VM1.Ovn.Org"}
# (str_tolower() lowers ASCII letters only: "Ä" stays)
V6_RECORDS = {"vm2.ovn.org": "fd00::2 fd00::3", "VM2": "FD00::2", "Äb.example": "ÄB.Example",
              "2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa":
              "vm2.ovn.org"}
DUAL_RECORDS = {"vm3.ovn.org": "10.0.0.4 fd00::4", "4.0.0.10.in-addr.arpa": "vm3.ovn.org",
                "4.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa":
                "vm3.ovn.org"}

SWITCHES = [nb("ls-add", f"sw{i}") for i in range(6)]

SCENARIOS = {
    # One row shared by three switches (stateless, stateful ACL, LB VIP), a
    # switch with two rows, one with only an empty row (no flows), one with
    # an empty and a full row, one with a CoPP dns meter; ports in IPv4, IPv6
    # and dual stack.
    "rows_on_several_switches": [
        *SWITCHES,
        *vif("sw0", "p0", "00:00:00:00:00:02 10.0.0.2 fd00::2"),
        *vif("sw1", "p1", "00:00:00:00:00:03 fd00::3"),
        *vif("sw2", "p2", "00:00:00:00:00:04 10.0.0.4"),
        dns("shared", DUAL_RECORDS, "sw0", "sw1", "sw2"),
        dns("v4", V4_RECORDS, "sw1"),
        dns("empty", {}, "sw3", "sw4"),
        dns("v6", V6_RECORDS, "sw4", "sw5"),
        nb("acl-add", "sw1", "to-lport", "1000", "ip6", "allow-related"),
        nb("lb-add", "lb0", "10.0.0.10:80", "10.0.0.4:80"), nb("ls-lb-add", "sw2", "lb0"),
        nb("meter-add", "m1", "drop", "10", "pktps"), nb("copp-add", "cp1", "dns", "m1"),
        nb("ls-copp-add", "cp1", "sw5")],
    # Rows whose records are emptied, a switch losing its only row, a row
    # no switch names, and native DHCP beside DNS on a stateful switch (both
    # ls_out_acl 34000 allowances).
    "rows_emptied_detached_and_with_dhcp": [
        *SWITCHES[:4],
        *vif("sw0", "p0", "00:00:00:00:00:02 10.0.0.2 fd00::2"),
        dns("a", V4_RECORDS, "sw0", "sw1"), dns("b", V6_RECORDS, "sw1", "sw2"),
        dns("c", DUAL_RECORDS, "sw3"), dns("unused", DUAL_RECORDS),
        update_dns("b", {}),
        nb("clear", "logical_switch", "sw3", "dns_records"),
        nb("--", "--id=@o", "create", "dhcp_options", "cidr=10.0.0.0/24",
           'options={server_id="10.0.0.1", server_mac="c0:ff:ee:00:00:01", '
           'lease_time="3600", router="10.0.0.1"}',
           "--", "set", "logical_switch_port", "p0", "dhcpv4_options=@o"),
        nb("--", "--id=@o", "create", "dhcp_options", 'cidr="fd00::/64"',
           'options={server_id="00:00:00:10:00:01"}',
           "--", "set", "logical_switch_port", "p0", "dhcpv6_options=@o"),
        nb("acl-add", "sw0", "from-lport", "1000", "ip4", "allow-related")],
}


@pytest.mark.parametrize("commands", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_dns(commands):
    d = assert_matches_reference(commands)
    assert "ls_in_dns_lookup" in d.ours.flows.column("stage").to_pylist()


# NB changes after the first scenario, in batches, each compared as SB DNS
# has it then
DNS_CHANGES = [
    [update_dns("v4", {"vm9": "10.0.0.9", "9.0.0.10.in-addr.arpa": "VM9.Ovn.ORG"}),
     unname_dns("shared", "sw1")],
    [nb("ls-del", "sw0"), nb("clear", "logical_switch", "sw4", "dns_records"),
     nb("ls-del", "sw3")],
]


def sb_dns(box):
    """SB DNS rows as {NB row name: (its datapaths' names, records, external_ids)}."""
    sb = mirror.load(box.sb_remote, mirror.SB)
    names = {r["_uuid"]: dict(r["external_ids"])["name"]
             for r in sb["Datapath_Binding"].to_pylist()}
    rows = {}
    for r in sb["DNS"].to_pylist():
        name = NAMES[int(dict(r["external_ids"])["dns_id"][:8], 16)]
        assert name not in rows
        rows[name] = (sorted(names[d] for d in r["datapaths"]), r["records"], r["external_ids"])
    return rows


def test_sb_dns_rows_equal_the_reference():
    """relnorthd run writes SB DNS as northd does: a row per named NB row,
    on the switches naming it, values lower-cased, through record changes,
    switches dropping a row, and switches deleted."""
    commands, steps = SCENARIOS["rows_on_several_switches"], DNS_CHANGES
    states = []
    for northd in (True, False):
        with Sandbox(northd=northd) as box, (nullcontext() if northd else running(box)):
            states.append([])
            for batch in (commands, *steps):
                box.run_script(batch)
                box.sync()
                states[-1].append(sb_dns(box))
    ref, ours = states
    assert ref[0]["shared"][1] == sorted(DUAL_RECORDS.items()) and "empty" in ref[0]
    for step, ref_rows, our_rows in zip(["setup", *steps], ref, ours, strict=True):
        assert our_rows == ref_rows, step
