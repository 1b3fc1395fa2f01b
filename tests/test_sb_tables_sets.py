"""SB tables northd writes beside the flows, table by table against ovn-northd
23.03.1: Address_Set (NB address sets, port group IP sets, router LB VIP
sets, svc_monitor_mac), Port_Group (per switch), SB_Global (options),
Datapath_Binding (tunnel keys, external_ids) and
its constant DHCP_Options, DHCPv6_Options and RBAC_Role rows. Each scenario
runs once through the reference; relnorthd computes the rows from the NB
and SB the reference left and must name every row and reference alike
(relnorthd/sbtables.py)."""
import pytest

from conftest import lb_group, nb, sb
from relnorthd.pipeline import compute_sb_rows
from relnorthd.reference import run_reference
from relnorthd.sbtables import Canonical, canonical_table

pytestmark = pytest.mark.usefixtures("reference_available")

TABLES = ("Address_Set", "Port_Group", "SB_Global", "DHCP_Options", "DHCPv6_Options",
          "RBAC_Role", "Datapath_Binding")


def vif(sw, name, *addresses, security=()):
    return [nb("lsp-add", sw, name), nb("lsp-set-addresses", name, *addresses),
            *([nb("lsp-set-port-security", name, *security)] if security else [])]


def template_lb(name, vip, backends, *options):
    return nb("create", "Load_Balancer", f"name={name}", "options:template=true",
              *[f"options:{o}" for o in options], f'vips={{"{vip}"="{backends}"}}')


def router_link(sw, lr, lrp, mac, *networks):
    lsp = f"{sw}-{lrp}"
    return [nb("lrp-add", lr, lrp, mac, *networks),
            nb("lsp-add", sw, lsp, "--", "lsp-set-type", lsp, "router",
               "--", "lsp-set-addresses", lsp, "router",
               "--", "lsp-set-options", lsp, f"router-port={lrp}")]


# Ports of every address shape on three switches (one with IPAM, one with a
# requested tunnel key), port groups over them with ACLs, address sets,
# router LBs of each neighbor_responder mode and NB_Global options to copy.
# (An NB address set named like a port group's set breaks the reference: it
# inserts both rows into a fresh SB and the transaction fails for good.)
PORT_GROUPS = [
    nb("ls-add", "sw0"), nb("ls-add", "sw1"), nb("ls-add", "sw2"),
    nb("set", "logical_switch", "sw1", "other_config:subnet=10.1.0.0/24",
       "other_config:ipv6_prefix=fd01::"),
    nb("set", "logical_switch", "sw2", "other_config:requested-tnl-key=77"),
    *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1 fd00::1",
         "00:00:00:00:00:11 10.0.0.11 10.0.0.12/24",
         security=["00:00:00:00:00:01 10.0.0.99 fd00::99"]),
    *vif("sw0", "p2", "unknown", "00:00:00:00:00:02 010.0.0.2 FD00:0::0002"),
    *vif("sw0", "p3", "00:00:00:00:00:03"),
    *vif("sw1", "d1", "dynamic"),
    *vif("sw1", "d2", "00:00:00:00:01:02 dynamic"),
    *vif("sw1", "d3", "dynamic 10.1.0.50"),
    *vif("sw2", "q1", "00:00:00:00:02:01 10.2.0.1", "00:00:00:00:02:01 10.2.0.1"),
    *vif("sw2", "q2", "00:00:00:00:02:02 10.2.0.2 bogus 10.2.0.3"),
    nb("lr-add", "lr0"),
    *router_link("sw0", "lr0", "lr0-sw0", "00:00:00:00:ff:01", "10.0.0.254/24",
                 "fd00::fe/64"),
    *router_link("sw2", "lr0", "lr0-sw2", "00:00:00:00:ff:02", "10.2.0.254/24"),
    nb("pg-add", "web", "p1", "p2", "d1", "d2", "d3", "q1", "sw0-lr0-sw0"),
    nb("pg-add", "db", "p3", "q2"),
    nb("pg-add", "empty"),
    nb("acl-add", "web", "to-lport", "1002", "outport == @web && ip4.src == $db_ip4",
       "allow-related"),
    nb("acl-add", "db", "from-lport", "1001", "inport == @db && ip6", "drop"),
    nb("create", "address_set", "name=as1",
       'addresses="10.0.0.1","10.0.0.0/24","fd00::/64","FD00::0001"'),
    nb("create", "address_set", "name=as_empty"),
    nb("create", "address_set", "name=db_ip", 'addresses="fd99::1"'),
    nb("lb-add", "lb1", "10.0.0.100:80", "10.0.0.1:80"),
    nb("lb-add", "lb1", "192.168.9.9:80", "10.0.0.1:80"),
    nb("lb-add", "lb1", "[fd00::100]:80", "[fd00::1]:80"),
    nb("lb-add", "lb_all", "172.31.0.1", "10.0.0.2"),
    nb("set", "load_balancer", "lb_all", "options:neighbor_responder=all"),
    nb("lb-add", "lb_none", "10.0.0.200", "10.0.0.2"),
    nb("set", "load_balancer", "lb_none", "options:neighbor_responder=none"),
    nb("lr-lb-add", "lr0", "lb1"), nb("lr-lb-add", "lr0", "lb_all"),
    nb("lr-lb-add", "lr0", "lb_none"),
    # template LBs through a group: their VIPs count (as written) only with `all`
    template_lb("t4", "^vip:^vport", "^backends", "neighbor_responder=all"),
    template_lb("t6", "^vip6", "^backends6", "neighbor_responder=all", "address-family=ipv6"),
    template_lb("treach", "^rvip", "^rb", "neighbor_responder=reachable"),
    lb_group("tg", ["t4", "t6", "treach"], routers=["lr0"]),
    nb("set", "nb_global", ".", "options:foo=bar", "options:mac_prefix=A:b:C",
       'options:svc_monitor_mac="0A:00:00:00:00:AB"', "options:lb_hairpin_use_ct_mark=true",
       "ipsec=true"),
]

# Address sets and port groups changed and deleted after northd wrote them.
CHANGES = [
    nb("ls-add", "sw0"), nb("ls-add", "sw1"),
    *vif("sw0", "a1", "00:00:00:00:00:01 10.0.0.1"),
    *vif("sw0", "a2", "00:00:00:00:00:02 10.0.0.2 fd00::2"),
    *vif("sw1", "b1", "00:00:00:00:01:01 10.1.0.1"),
    nb("pg-add", "pg1", "a1", "a2", "b1"), nb("pg-add", "pg2", "a1"),
    nb("pg-add", "pg3", "b1"),
    nb("create", "address_set", "name=keep", 'addresses="1.1.1.1"'),
    nb("create", "address_set", "name=change", 'addresses="2.2.2.2","3.3.3.3"'),
    nb("create", "address_set", "name=gone", 'addresses="4.4.4.4"'),
    nb("--wait=sb", "sync"),
    nb("set", "address_set", "change", 'addresses="3.3.3.3","5.5.5.0/24"'),
    nb("destroy", "address_set", "gone"),
    nb("create", "address_set", "name=new", 'addresses="6.6.6.6"'),
    nb("pg-set-ports", "pg1", "a2"),
    nb("pg-del", "pg3"),
    nb("lsp-del", "a1"),
    nb("lsp-set-addresses", "a2", "00:00:00:00:00:02 10.0.0.22"),
    nb("set", "nb_global", ".", "options:svc_monitor_mac=00:00:00:00:00:fe"),
]

# A VXLAN chassis without ct-no-masked-label: the smaller tunnel key range
# and lb_hairpin_use_ct_mark=false; a mac_prefix northd cannot parse is
# replaced by a random one it stores in NB.
CHASSIS = [
    sb("chassis-add", "ch1", "vxlan", "127.0.0.1"),
    nb("ls-add", "sw0"), *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
    nb("pg-add", "pg1", "p1"),
    nb("set", "nb_global", ".", "options:mac_prefix=zz"),
]

SCENARIOS = {"port_groups": PORT_GROUPS, "changes": CHANGES, "chassis": CHASSIS,
             "empty": []}


@pytest.fixture(scope="module", params=SCENARIOS)
def scenario(request):
    ref = run_reference(SCENARIOS[request.param])
    return request.param, ref, compute_sb_rows(ref.nb, ref.sb)


@pytest.mark.parametrize("table", TABLES)
def test_table_matches_reference(scenario, table):
    name, ref, ours = scenario
    want = Canonical(ref.sb).rows(table)
    assert canonical_table(ours[table], table, ref.sb) == want
    assert want or (name, table) in {("empty", "Port_Group"), ("empty", "Datapath_Binding")}


def test_scenarios_exercise_the_rules(scenario):
    """The reference's rows have the shapes the scenario is for."""
    name, ref, _ = scenario
    sets = {r["name"]: r["addresses"] for r in Canonical(ref.sb).rows("Address_Set")}
    groups = {r["name"] for r in Canonical(ref.sb).rows("Port_Group")}
    options = dict(Canonical(ref.sb).rows("SB_Global")[0]["options"])
    if name == "port_groups":
        assert {"_rtr_lb_3_ip4", "_rtr_lb_3_ip6", "db_ip4", "empty_ip6"} <= sets.keys()
        assert sets["db_ip"] == ["fd99::1"] and "fd00::2" in sets["web_ip6"]
        assert sets["svc_monitor_mac"] == ["0a:00:00:00:00:ab"]
        assert "^vip6" in sets["_rtr_lb_3_ip6"] and "^rvip" not in sets["_rtr_lb_3_ip4"]
        assert {"1_web", "2_web", "77_web", "77_db"} <= groups
        assert options["svc_monitor_mac"] == "0A:00:00:00:00:AB"
    if name == "changes":
        assert "gone" not in sets and "pg3_ip4" not in sets and sets["change"]
    if name == "chassis":
        assert options["max_tunid"] == "4095" and options["lb_hairpin_use_ct_mark"] == "false"
    if name == "empty":
        assert groups == set() and sets.keys() == {"svc_monitor_mac"}
