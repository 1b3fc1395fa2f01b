"""IP multicast groups ovn-controller learns from IGMP/MLD (SB IGMP_Group,
one row per chassis): the switches' ls_in_l2_lkup group flows and the
lr_in_ip_routing flows of routers relaying them (mcast_relay), with the
snooping, flooding and querier options around them, compared flow for flow
with ovn-northd 23.03.1, and the SB Multicast_Group rows northd writes for
them. The scenarios write IGMP_Group rows into the reference's SB, and
relnorthd reads the same SB."""
import json

import pytest

from conftest import assert_matches_reference, link, nb, sb
from relnorthd.compare import compare
from relnorthd.mirror import Database
from relnorthd.pipeline import compute
from test_run import apply, reference_and_ours, sb_state

pytestmark = pytest.mark.usefixtures("reference_available")

CHASSIS = [sb("chassis-add", "ch1", "geneve", "127.0.0.1"),
           sb("chassis-add", "ch2", "geneve", "127.0.0.2")]
# the SB bindings IGMP_Group rows point at exist once northd has run
SYNC = nb("--wait=sb", "sync")


def vif(sw, name, *addresses, options=()):
    return [nb("lsp-add", sw, name), nb("lsp-set-addresses", name, *addresses),
            *([nb("lsp-set-options", name, *options)] if options else [])]


def switch(name, **other_config):
    return [nb("ls-add", name),
            *([nb("set", "logical_switch", name,
                  *(f'other_config:{k}="{v}"' for k, v in other_config.items()))]
              if other_config else [])]


def igmp_group(address, switch_name, chassis, *ports):
    """What ovn-controller on `chassis` writes when `ports` of a switch join
    the multicast group `address` ("mrouters": multicast routers seen)."""
    refs = [f"@p{i}" for i in range(len(ports))]
    cmd = ["ovn-sbctl", "--id=@dp", "get", "Datapath_Binding", switch_name,
           "--", "--id=@ch", "get", "Chassis", chassis]
    for ref, port in zip(refs, ports, strict=True):
        cmd += ["--", f"--id={ref}", "get", "Port_Binding", port]
    return [*cmd, "--", "create", "IGMP_Group", f'address="{address}"', "datapath=@dp",
            "chassis=@ch", *([f"ports=[{','.join(refs)}]"] if refs else [])]


# One snooping switch with the querier options set, groups learnt on two
# chassis: IPv4 and IPv6 (MLD) groups, reserved ranges that get no flow, a
# port that floods multicast (never a group member; the switch floods to it
# statically) and one that floods reports; addresses printed as written
# (IPv4-mapped IPv6, upper case, leading zeros), one that does not parse, a
# group whose only member floods anyway, an entry without ports. A second
# switch does not snoop but has learnt groups (northd still adds their
# flows), floods unregistered multicast and has a localnet port (a member of
# every group in SB Multicast_Group); a third keeps no groups
# (mcast_table_size=0); a fourth keeps one group per IP version and is an
# interconnection transit switch with a remote port.
SNOOPING_SWITCHES = [
    *CHASSIS,
    *switch("sw0", mcast_snoop="true", mcast_querier="false", mcast_eth_src="00:00:00:00:01:01",
            mcast_ip4_src="10.0.0.254", mcast_ip6_src="fe80::1", mcast_idle_timeout="100"),
    *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1 fd00::1"),
    *vif("sw0", "p2", "00:00:00:00:00:02 10.0.0.2"),
    *vif("sw0", "p3", "00:00:00:00:00:03 fd00::3", options=["mcast_flood_reports=true"]),
    *vif("sw0", "p4", "00:00:00:00:00:04", options=["mcast_flood=true"]),
    *switch("sw1", mcast_flood_unregistered="true"),
    *vif("sw1", "q1", "00:00:00:00:00:11 10.1.0.1"), *vif("sw1", "q2", "00:00:00:00:00:12"),
    nb("lsp-add", "sw1", "ln1"), nb("lsp-set-type", "ln1", "localnet"),
    nb("lsp-set-addresses", "ln1", "unknown"), nb("lsp-set-options", "ln1", "network_name=phys"),
    *switch("sw2", mcast_snoop="true", mcast_table_size="0"),
    *vif("sw2", "r1", "00:00:00:00:00:21"),
    *switch("sw3", mcast_snoop="true", mcast_table_size="1", mcast_flood_unregistered="true",
            **{"interconn-ts": "ts1"}),
    *vif("sw3", "s1", "00:00:00:00:00:31"),
    nb("lsp-add", "sw3", "remote1"), nb("lsp-set-type", "remote1", "remote"),
    nb("lsp-set-addresses", "remote1", "00:00:00:00:00:32 10.3.0.2"),
    SYNC,
    igmp_group("239.0.1.1", "sw0", "ch1", "p1"),
    igmp_group("239.0.1.1", "sw0", "ch2", "p2", "p4"),
    igmp_group("ff0e::1234", "sw0", "ch1", "p1", "p3"),
    igmp_group("ff0e::1234", "sw0", "ch2", "p2"),
    igmp_group("ff02::1", "sw0", "ch1", "p1"),
    igmp_group("ff02::2", "sw0", "ch1", "p2"),
    igmp_group("ff05::2", "sw0", "ch1", "p2"),
    igmp_group("ff02::1:3", "sw0", "ch2", "p3"),
    igmp_group("224.0.0.251", "sw0", "ch1", "p1"),
    igmp_group("::ffff:239.9.9.9", "sw0", "ch2", "p2"),
    igmp_group("FF0E::00AB", "sw0", "ch2", "p2"),
    igmp_group("239.300.1.1", "sw0", "ch1", "p1"),
    igmp_group("239.0.2.2", "sw0", "ch1", "p4"),
    igmp_group("239.0.3.3", "sw0", "ch2"),
    igmp_group("mrouters", "sw0", "ch1", "p2"),
    igmp_group("239.1.1.1", "sw1", "ch1", "q1", "q2"),
    igmp_group("ff15::abcd", "sw1", "ch2", "q1"),
    igmp_group("239.2.2.2", "sw2", "ch1", "r1"),
    igmp_group("ff0e::2", "sw2", "ch1", "r1"),
    igmp_group("239.3.3.3", "sw3", "ch1", "s1", "remote1"),
    igmp_group("ff0e::3", "sw3", "ch2", "s1"),
]

# A router relaying multicast (mcast_relay) between three switches, with a
# distributed gateway port towards the third: the groups learnt on each
# switch (the same group on two of them) become router groups with the
# router ports facing them; IPv6 groups only when routable (ff0e::, not
# ff02::5), 224.0.0.X ones too. Ports facing the relaying router are no
# group members. A second router without relay on the first switch adds
# nothing.
RELAY = [
    *CHASSIS,
    nb("lr-add", "lr0"), nb("set", "logical_router", "lr0", "options:mcast_relay=true"),
    *switch("sw0", mcast_snoop="true"), *switch("sw1", mcast_snoop="true"),
    *switch("ext", mcast_snoop="true"),
    *link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.254/24", "fd00::ff/64"),
    *link("sw1", "lr0", "lrp1", "00:00:00:00:ff:02", "10.1.0.254/24", "fd01::ff/64"),
    *link("ext", "lr0", "lrp-ext", "00:00:00:00:ff:03", "172.16.0.1/24"),
    nb("lrp-set-gateway-chassis", "lrp-ext", "ch1", "10"),
    nb("lr-add", "lr1"),
    *link("sw0", "lr1", "lr1-sw0", "00:00:00:00:ff:11", "10.0.0.253/24"),
    *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
    *vif("sw0", "p2", "00:00:00:00:00:02 10.0.0.2"),
    *vif("sw1", "p3", "00:00:00:00:00:03 10.1.0.3 fd01::3"),
    *vif("ext", "e1", "00:00:00:00:00:05 172.16.0.5"),
    SYNC,
    igmp_group("239.0.1.1", "sw0", "ch1", "p1", "sw0-lrp0"),
    igmp_group("239.0.1.1", "sw1", "ch2", "p3"),
    igmp_group("239.0.5.5", "sw0", "ch2", "p2", "sw0-lr1-sw0"),
    igmp_group("ff0e::1", "sw1", "ch1", "p3"),
    igmp_group("ff02::5", "sw1", "ch1", "p3"),
    igmp_group("ff05::2", "sw1", "ch2", "p3"),
    igmp_group("224.0.0.9", "sw0", "ch1", "p1"),
    igmp_group("239.7.7.7", "ext", "ch1", "e1"),
    igmp_group("mrouters", "sw1", "ch1", "p3"),
]

# The same, with router and switch ports that flood multicast statically:
# a relaying router clones group traffic to its _MC_static ports, and a
# router port with mcast_flood is no group member; a switch with a flooding
# port clones it there too, next to the relaying router.
RELAY_FLOOD = [
    *RELAY,
    nb("set", "logical_router_port", "lrp1", "options:mcast_flood=true"),
    nb("lsp-set-options", "p2", "mcast_flood=true"),
    nb("set", "logical_switch", "sw1", "other_config:mcast_flood_unregistered=true"),
]

SCENARIOS = {
    "snooping_switches_dual_stack": SNOOPING_SWITCHES,
    "relay_router": RELAY,
    "relay_router_static_flood": RELAY_FLOOD,
}
# scenarios whose groups northd only ever added: their tunnel keys are the
# ones a fresh SB gets (groups that went away leave gaps)
ONLY_ADDED = {"snooping_switches_dual_stack", "relay_router"}


def sb_groups(sb, by="uuid"):
    """SB Multicast_Group rows: {(datapath, name, key): ports}, the datapath
    by NB uuid or by name."""
    ids = [(r["_uuid"], dict(r["external_ids"])) for r in sb["Datapath_Binding"].to_pylist()]
    dps = {u: i["name"] if by == "name" else i.get("logical-switch") or i.get("logical-router")
           for u, i in ids}
    names = {r["_uuid"]: r["logical_port"] for r in sb["Port_Binding"].to_pylist()}
    return {(dps[r["datapath"]], r["name"], r["tunnel_key"]): sorted(names[p] for p in r["ports"])
            for r in sb["Multicast_Group"].to_pylist()}


def computed_groups(rows):
    return {(r["datapath"], r["name"], r["tunnel_key"]): sorted(r["ports"])
            for r in rows.to_pylist()}


@pytest.mark.parametrize("name", SCENARIOS)
def test_learnt_multicast_groups(name):
    d = assert_matches_reference(SCENARIOS[name], sb_rows=True)
    # SB Multicast_Group: learnt groups keep the keys SB has
    want = sb_groups(d.reference.sb)
    assert computed_groups(d.ours.sb_rows["Multicast_Group"]) == want
    assert any(key >= 32774 for _, _, key in want)
    if name in ONLY_ADDED:      # on an SB without them: the same keys
        sb_db = d.reference.sb
        tables = {**sb_db.tables, "Multicast_Group": sb_db["Multicast_Group"].slice(0, 0)}
        fresh = compute(d.reference.nb, Database(sb_db.source, sb_db.schema, tables))
        got = computed_groups(fresh.sb_rows["Multicast_Group"])
        assert sorted((dp, key) for dp, _, key in got) == sorted((dp, key) for dp, _, key in want)
        assert ({(dp, group): ports for (dp, group, _), ports in got.items()}
                == {(dp, group): ports for (dp, group, _), ports in want.items()})



def forget_igmp_group(address):
    """What ovn-controllers do once the last member of `address` left."""
    op = {"op": "delete", "table": "IGMP_Group", "where": [["address", "==", address]]}
    return ["ovsdb-client", "transact", json.dumps(["OVN_Southbound", op])]


def one_nbctl(commands):
    """ovn-nbctl argv lists as one ovn-nbctl call (one NB transaction)."""
    args = [a for c in commands for a in ["--", *c[1:]]]
    return ["ovn-nbctl", *args[1:]]


# A relaying router between two snooping switches set up at once; groups
# learnt one at a time, one forgotten (its key is freed for the next).
RUN_STEPS = [
    [*CHASSIS[0], "--", *CHASSIS[1][1:]],
    one_nbctl([nb("lr-add", "lr0"), nb("set", "logical_router", "lr0", "options:mcast_relay=true"),
               *switch("sw0", mcast_snoop="true"), *switch("sw1", mcast_snoop="true"),
               *link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.254/24"),
               *link("sw1", "lr0", "lrp1", "00:00:00:00:ff:02", "fd01::ff/64"),
               *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
               *vif("sw1", "p3", "00:00:00:00:00:03 fd01::3")]),
    igmp_group("239.0.1.1", "sw0", "ch1", "p1"),
    igmp_group("ff0e::1", "sw1", "ch2", "p3"),
    forget_igmp_group("239.0.1.1"),
    igmp_group("239.0.6.6", "sw1", "ch1", "p3"),
]


def test_run_writes_learnt_groups_as_northd_does():
    """`relnorthd run` after each step (IGMP_Group rows written as
    ovn-controller would, one at a time): the same flows and the same SB
    Multicast_Group rows, tunnel keys included."""
    def after_steps(box):
        apply(box, RUN_STEPS)
        return sb_state(box)

    (ref_flows, _, ref_sb), (flows, _, ours) = reference_and_ours(after_steps)
    c = compare(flows, ref_flows)
    assert c.equal, (c.totals, c.only_reference[:3], c.only_ours[:3])
    want = sb_groups(ref_sb, by="name")
    assert sb_groups(ours, by="name") == want
    assert ("lr0", "239.0.6.6", 32774) in want
