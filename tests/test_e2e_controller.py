"""End to end: a real ovn-controller 23.03.1 on a private hypervisor
(ovs-vswitchd on the dummy datapath) installs the same OpenFlow tables from
the SB `relnorthd run` writes as from the SB ovn-northd 23.03.1 writes, and
packets injected with ofproto/trace take the same path.

What differs by nature between the two runs is left out: flow cookies (a
logical flow's uuid prefix), counters and ages, conjunction and group ids
(numbered in the order ovn-controller meets the logical flows, i.e. by
their uuids; renamed after the flows that use them and a group's buckets),
the random svc_monitor_mac each northd picks, and the order of a multicast
group's members (its SB `ports` set, ordered by uuid). Conntrack zone numbers
are replaced by their users (ovn-controller numbers them in the hash order
of their names, a datapath's named after its SB uuid), datapaths by name."""
import functools
import re
import time

import pytest

from conftest import link, nb, sample
from relnorthd import mirror
from relnorthd.hypervisor import Hypervisor, HypervisorUnavailable, check_hypervisor
from test_run import reference_and_ours

pytestmark = pytest.mark.usefixtures("reference_available", "hypervisor_available")

_VARIES = re.compile(r"cookie[= ]0x[0-9a-f]+,? ?|duration=[\d.]+s, |n_packets=\d+, |"
                     r"n_bytes=\d+, |idle_age=\d+, |hard_age=\d+, ")
# an id ovn-controller numbers: a conjunction's, a group's; their kinds
_IDS = re.compile(r"(conj_id=|conjunction\(|group:|group_id=)(\d+)")
_KIND = {"conj_id=": "c", "conjunction(": "c", "group:": "g", "group_id=": "g"}
# a conntrack zone: loaded into reg11-13 (DNAT, SNAT, port), or in a trace
# (a ct action's zone, a recirculated packet's ct_zone)
_ZONE = re.compile(r"(?P<pre>set_field:|\breg1[123]=)0x(?P<hex>[0-9a-f]+)(?P<post>->reg1[123]\b)?"
                   r"|(?P<ct>\b(?:ct_)?zone=)(?P<dec>\d+)")
# a multicast group's members, output one after the other in the order of
# its SB row's `ports` set: by Port_Binding uuid, which differs by nature
_MEMBER = re.compile(r"(?:set_field:[^,]*->reg13,)?set_field:0x[0-9a-f]+->reg15,resubmit\(,\d+\)")


@pytest.fixture(scope="module")
def hypervisor_available():
    try:
        check_hypervisor()
    except HypervisorUnavailable as e:
        pytest.fail(str(e))


def vif(sw: str, name: str, mac: str, ip: str) -> list[list[str]]:
    """One transaction: a VIF port with its addresses and port security."""
    return [nb("lsp-add", sw, name), nb("lsp-set-addresses", name, f"{mac} {ip}"),
            nb("lsp-set-port-security", name, f"{mac} {ip}")]


def ip4(src_mac: str, dst_mac: str, src: str, dst: str) -> str:
    return f"ip,dl_src={src_mac},dl_dst={dst_mac},nw_src={src},nw_dst={dst},nw_ttl=64"


def tcp4(src_mac: str, dst_mac: str, src: str, dst: str, port: int) -> str:
    return ("tcp" + ip4(src_mac, dst_mac, src, dst)[2:]
            + f",tp_src=12345,tp_dst={port},tcp_flags=syn")


ONE_SWITCH = [[nb("ls-add", "sw0")],
              vif("sw0", "p1", "00:00:00:00:00:01", "10.0.0.2"),
              vif("sw0", "p2", "00:00:00:00:00:02", "10.0.0.3")]

# (NB transactions, ports bound on the hypervisor, packets: (in port, flow)).
# A transaction adds at most one port: tunnel keys then do not depend on the
# order in which a northd numbers the ports of one batch.
SCENARIOS = {
    "two_switches_behind_a_router": (
        ONE_SWITCH + [
            [nb("ls-add", "sw1"), nb("lr-add", "lr0")],
            vif("sw1", "q1", "00:00:00:00:01:01", "10.0.1.2"),
            link("sw0", "lr0", "lrp0", "00:00:00:00:ff:00", "10.0.0.1/24"),
            link("sw1", "lr0", "lrp1", "00:00:00:00:ff:01", "10.0.1.1/24")],
        ["p1", "p2", "q1"],
        [("p1", ip4("00:00:00:00:00:01", "00:00:00:00:00:02", "10.0.0.2", "10.0.0.3")),
         ("p1", ip4("00:00:00:00:00:01", "00:00:00:00:ff:00", "10.0.0.2", "10.0.1.2")),
         ("q1", ip4("00:00:00:00:01:01", "00:00:00:00:ff:01", "10.0.1.2", "10.0.0.3")),
         ("p1", "arp,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,"
                "arp_sha=00:00:00:00:00:01,arp_spa=10.0.0.2,arp_tpa=10.0.0.1")]),
    "port_group_acls": (
        ONE_SWITCH + [
            [nb("pg-add", "pg1", "p1", "p2"),
             nb("acl-add", "pg1", "to-lport", "1000", "outport == @pg1 && ip4.src == $pg1_ip4",
                "allow-related"),
             nb("acl-add", "pg1", "to-lport", "900", "outport == @pg1 && ip4", "drop")]],
        ["p1", "p2"],
        [("p1", ip4("00:00:00:00:00:01", "00:00:00:00:00:02", "10.0.0.2", "10.0.0.3")),
         ("p1", ip4("00:00:00:00:00:01", "00:00:00:00:00:02", "10.0.0.9", "10.0.0.3"))]),
    # a gateway router on this hypervisor: SNAT, a floating IP, a switch
    # load balancer and a router one
    "gateway_router_nat_and_lbs": (
        ONE_SWITCH + [
            [nb("ls-add", "ext")],
            [nb("lr-add", "gw"), nb("set", "logical_router", "gw", "options:chassis=hv1")],
            vif("ext", "e1", "00:00:00:00:02:01", "172.16.0.10"),
            link("sw0", "gw", "gw-in", "00:00:00:00:ff:00", "10.0.0.1/24"),
            link("ext", "gw", "gw-out", "00:00:00:00:ee:00", "172.16.0.1/24"),
            [nb("lr-nat-add", "gw", "snat", "172.16.0.1", "10.0.0.0/24"),
             nb("lr-nat-add", "gw", "dnat_and_snat", "172.16.0.100", "10.0.0.3"),
             nb("lb-add", "lb0", "10.0.0.100:80", "10.0.0.2:80,10.0.0.3:80", "tcp"),
             nb("ls-lb-add", "sw0", "lb0"),
             nb("lb-add", "lb1", "172.16.0.200:80", "10.0.0.2:80", "tcp"),
             nb("lr-lb-add", "gw", "lb1")]],
        ["p1", "p2", "e1"],
        [("p1", tcp4("00:00:00:00:00:01", "00:00:00:00:ff:00", "10.0.0.2", "10.0.0.100", 80)),
         ("p1", ip4("00:00:00:00:00:01", "00:00:00:00:ff:00", "10.0.0.2", "172.16.0.10")),
         ("e1", ip4("00:00:00:00:02:01", "00:00:00:00:ee:00", "172.16.0.10", "172.16.0.100")),
         ("e1", tcp4("00:00:00:00:02:01", "00:00:00:00:ee:00", "172.16.0.10", "172.16.0.200",
                     80))]),
}


def apply(box, transactions) -> None:
    """Each transaction as one ovn-nbctl call, then wait for SB."""
    for commands in transactions:
        box.nbctl(*[arg for command in commands for arg in ("--", *command[1:])][1:])
        box.sync()


def _normalised(text: str, ids: dict[tuple[str, str], str], monitor_mac: str | None,
                zones: dict[int, str]) -> list[str]:
    lines = [_VARIES.sub("", line) for line in text.splitlines()
             if not line.startswith(("OFPST_", "NXST_"))]
    if monitor_mac:
        lines = [line.replace(monitor_mac, "SVC_MONITOR_MAC") for line in lines]

    def zone(m):
        if m["ct"]:
            return m["ct"] + zones.get(int(m["dec"]), m["dec"])
        n = int(m["hex"], 16)
        if n not in zones or (m["pre"] == "set_field:") != bool(m["post"]):
            return m[0]
        return f"{m['pre']}zone:{zones[n]}{m['post'] or ''}"
    def renamed(m):
        return m[1] + ids[_KIND[m[1]], m[2]]
    return [_members_sorted(_ZONE.sub(zone, _IDS.sub(renamed, line))) for line in lines]


def _members_sorted(line: str) -> str:
    members = iter(sorted(_MEMBER.findall(line)))
    return _MEMBER.sub(lambda m: next(members), line)


def _sb_facts(box) -> tuple[dict[str, str], str | None]:
    """({SB datapath uuid: its name}, SB_Global's svc_monitor_mac)."""
    sb = mirror.load(box.sb_remote, mirror.SB)
    names = {r["_uuid"]: dict(r["external_ids"])["name"]
             for r in sb["Datapath_Binding"].to_pylist()}
    options = dict(sb["SB_Global"].to_pylist()[0]["options"])
    return names, options.get("svc_monitor_mac")


def _id_names(dump: str) -> dict[tuple[str, str], str]:
    """(kind, conjunction or group id) -> a name from the flows that match
    on the conjunction or use the group, and the group's own line."""
    users: dict[tuple[str, str], list[str]] = {}
    for line in dump.splitlines():
        for m in _IDS.finditer(line):
            if m[1] != "conjunction(":
                users.setdefault((_KIND[m[1]], m[2]), []).append(
                    _IDS.sub(r"\1*", _VARIES.sub("", line)))
    order = sorted(users, key=lambda k: (k[0], sorted(users[k])))
    return {k: f"{k[0]}{i}" for i, k in enumerate(order)}


def openflow(ports, packets):
    """observe(box): a hypervisor on the box's SB with `ports` bound ->
    (br-int's flows and groups, the trace of each packet), normalised."""
    def observe(box):
        names, monitor_mac = _sb_facts(box)
        with Hypervisor(box.sb_remote, ports=ports) as hv:
            box.nbctl("--timeout=30", "--wait=hv", "sync")
            dump = _settled(hv)
            facts = (_id_names(dump), monitor_mac,
                     {n: names.get(u[:36], u[:36]) + u[36:] for n, u in hv.ct_zones().items()})
            traces = [_normalised(hv.trace(f"in_port={hv.ofport(port)},{flow}"), *facts)
                      for port, flow in packets]
            return sorted(_normalised(dump, *facts)), traces
    return observe


def _settled(hv, quiet: float = 0.5, timeout: float = 20.0) -> str:
    """br-int's flows and groups once two dumps `quiet` seconds apart agree."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        dump = hv.dump_flows() + hv.dump_groups()
        if last is not None and sorted(_VARIES.sub("", dump).splitlines()) == last:
            return dump
        last = sorted(_VARIES.sub("", dump).splitlines())
        time.sleep(quiet)
    raise AssertionError("ovn-controller's flows and groups did not settle")


@functools.cache
def observed(name: str):
    """(the reference's observation, relnorthd's) of a scenario."""
    commands, ports, packets = SCENARIOS[name]
    see = openflow(ports, packets)

    def observe(box):
        apply(box, commands)
        return see(box)
    return reference_and_ours(observe)


def assert_same_openflow(name: str) -> None:
    """Equal flows and traces."""
    (ref_flows, ref_traces), (flows, traces) = observed(name)
    assert len(ref_flows) > 100
    missing = sorted(set(ref_flows) - set(flows))
    extra = sorted(set(flows) - set(ref_flows))
    assert flows == ref_flows, ("only from the reference's SB:\n" + "\n".join(missing[:20])
                                + "\nonly from relnorthd's SB:\n" + "\n".join(extra[:20]))
    for (port, flow), expected, got in zip(SCENARIOS[name][2], ref_traces, traces, strict=True):
        assert got == expected, f"{port}: {flow}"


@pytest.mark.parametrize("name", sample(SCENARIOS, "two_switches_behind_a_router"))
def test_ovn_controller_installs_the_references_openflow(name):
    assert_same_openflow(name)
