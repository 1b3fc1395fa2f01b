"""ovn-trace on the SB `relnorthd run` writes gives the same trace as on the
SB ovn-northd 23.03.1 writes: packets within a switch through port-group
ACLs (Port_Group / Address_Set rows), across a router, to a load-balancer
VIP, and out of a gateway router's SNAT. The trace names each flow's source
line and uuid, which differ by nature: those are left out. Every other SB
table run writes equals the reference's too, table by table (test_run.sb_tables)."""
import re
import subprocess

import pytest

from conftest import link, nb, sample
from test_run import apply_transactions, reference_and_ours, sb_tables

pytestmark = pytest.mark.usefixtures("reference_available")

# a flow's northd source line and its uuid, as ovn-trace prints them
_VARIES = re.compile(r" \((?:northd|[\w./-]+\.c):\d+\)|, uuid [0-9a-f]{8}")


def vif(sw: str, name: str, mac: str, ip: str) -> list[list[str]]:
    return [nb("lsp-add", sw, name), nb("lsp-set-addresses", name, f"{mac} {ip}"),
            nb("lsp-set-port-security", name, f"{mac} {ip}")]


def ip4(inport: str, src_mac: str, dst_mac: str, src: str, dst: str, extra: str = "") -> str:
    return (f'inport == "{inport}" && eth.src == {src_mac} && eth.dst == {dst_mac} && '
            f"ip4.src == {src} && ip4.dst == {dst} && ip.ttl == 64{extra}")


TWO_SWITCHES = [
    nb("ls-add", "sw0"), nb("ls-add", "sw1"), nb("lr-add", "lr0"),
    *vif("sw0", "p1", "00:00:00:00:00:01", "10.0.0.2"),
    *vif("sw0", "p2", "00:00:00:00:00:02", "10.0.0.3"),
    *vif("sw1", "q1", "00:00:00:00:01:01", "10.0.1.2"),
    *link("sw0", "lr0", "lrp0", "00:00:00:00:ff:00", "10.0.0.1/24"),
    *link("sw1", "lr0", "lrp1", "00:00:00:00:ff:01", "10.0.1.1/24"),
]

SCENARIOS = {
    "port_group_acls": (
        TWO_SWITCHES + [
            nb("pg-add", "pg1", "p1", "p2"),
            nb("acl-add", "pg1", "to-lport", "1000", "outport == @pg1 && ip4.src == $pg1_ip4",
               "allow-related"),
            nb("acl-add", "pg1", "to-lport", "900", "outport == @pg1 && ip4", "drop"),
            nb("create", "Address_Set", "name=as1", 'addresses="10.0.1.2","10.0.1.9"'),
            nb("acl-add", "sw1", "from-lport", "1000", "ip4.dst == $as1", "drop")],
        [("sw0", ip4("p1", "00:00:00:00:00:01", "00:00:00:00:00:02", "10.0.0.2", "10.0.0.3")),
         ("sw1", ip4("q1", "00:00:00:00:01:01", "00:00:00:00:ff:01", "10.0.1.2", "10.0.0.2")),
         ("sw0", ip4("p1", "00:00:00:00:00:01", "00:00:00:00:ff:00", "10.0.0.2", "10.0.1.2"))]),
    "router_and_lb": (
        TWO_SWITCHES + [
            nb("lb-add", "lb0", "10.0.0.100:80", "10.0.1.2:8080"),
            nb("ls-lb-add", "sw0", "lb0"), nb("lr-lb-add", "lr0", "lb0")],
        [("sw0", ip4("p1", "00:00:00:00:00:01", "00:00:00:00:ff:00", "10.0.0.2", "10.0.1.2")),
         ("sw0", ip4("p1", "00:00:00:00:00:01", "00:00:00:00:ff:00", "10.0.0.2", "10.0.0.100",
                     " && tcp && tcp.dst == 80")),
         ("sw0", 'inport == "p1" && eth.src == 00:00:00:00:00:01 && eth.dst == ff:ff:ff:ff:ff:ff'
                 " && arp.op == 1 && arp.sha == 00:00:00:00:00:01 && arp.spa == 10.0.0.2"
                 " && arp.tpa == 10.0.0.1")]),
    "gateway_router_snat": (
        [nb("ls-add", "sw0"), nb("ls-add", "ext"), nb("lr-add", "gw"),
         nb("set", "logical_router", "gw", "options:chassis=ch1"),
         *vif("sw0", "p1", "00:00:00:00:00:01", "10.0.0.2"),
         *link("sw0", "gw", "gw-in", "00:00:00:00:ff:00", "10.0.0.1/24"),
         *link("ext", "gw", "gw-out", "00:00:00:00:ee:00", "172.16.0.1/24"),
         nb("lsp-add", "ext", "ln"), nb("lsp-set-type", "ln", "localnet"),
         nb("lsp-set-addresses", "ln", "unknown"),
         nb("lsp-set-options", "ln", "network_name=phys"),
         nb("lr-route-add", "gw", "0.0.0.0/0", "172.16.0.254"),
         nb("lr-nat-add", "gw", "snat", "172.16.0.1", "10.0.0.0/24")],
        [("sw0", ip4("p1", "00:00:00:00:00:01", "00:00:00:00:ff:00", "10.0.0.2", "8.8.8.8")),
         ("ext", ip4("ln", "00:00:00:00:aa:aa", "00:00:00:00:ee:00", "8.8.8.8",
                     "172.16.0.1"))]),
}


def traces(packets):
    def observe(box):
        out = []
        for datapath, flow in packets:
            proc = subprocess.run(["ovn-trace", f"--db={box.sb_remote}", datapath, flow],
                                  capture_output=True, text=True, timeout=60)
            assert proc.returncode == 0, proc.stderr
            out.append(_VARIES.sub("", proc.stdout))
        return out
    return observe


@pytest.mark.parametrize("name", sample(SCENARIOS, "gateway_router_snat"))
def test_ovn_trace_equals_the_references(name):
    commands, packets = SCENARIOS[name]

    def observe(box):
        apply_transactions(box, commands)
        return traces(packets)(box), sb_tables(box)
    (expected, ref_tables), (got, tables) = reference_and_ours(observe)
    for trace, ours in zip(expected, got, strict=True):
        assert ours == trace
    for table in ref_tables:            # and every SB table run writes
        assert tables[table] == ref_tables[table], table
