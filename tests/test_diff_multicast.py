"""IP multicast groups ovn-controller learns from IGMP/MLD (SB IGMP_Group,
one row per chassis): the switches' ls_in_l2_lkup group flows and the
lr_in_ip_routing flows of routers relaying them (mcast_relay), with the
snooping, flooding and querier options around them, compared flow for flow
with ovn-northd 23.03.1. The scenarios write IGMP_Group rows into the
reference's SB, and relnorthd reads the same SB."""
import pytest

from conftest import assert_matches_reference, link, nb, sb

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
# statically) and one that floods reports; an IPv4-mapped IPv6 address, an
# address that does not parse, a group whose only member floods anyway, an
# entry without ports. A second switch does not snoop but has learnt groups
# (northd still adds their flows) and floods unregistered multicast; a third
# keeps no groups (mcast_table_size=0); a fourth keeps one group per IP
# version and is an interconnection transit switch with a remote port.
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


@pytest.mark.parametrize("commands", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_learnt_multicast_groups(commands):
    assert_matches_reference(commands)
