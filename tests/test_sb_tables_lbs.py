"""SB Meter, Load_Balancer, IP_Multicast and Service_Monitor rows
(sql/sb/<Table>.sql) compared table by table with what ovn-northd 23.03.1
wrote to SB, in canonical form (relnorthd/sbtables.py), after each step of
a few scenario families run in one reference sandbox each: meters (fair
ones copied per ACL, deleted with their NB rows or ACLs), load balancers on
switches, routers and in groups (template ones too), LB health checks, and
the multicast options of switches. Each step's NB and SB are read back and
relnorthd computes on them (the reference's SB as its SB input)."""
import json

import pytest

from conftest import lb_group, link, nb, sb, sb_set_monitor_status
from relnorthd import mirror
from relnorthd.pipeline import compute_sb_rows
from relnorthd.reference import Sandbox
from relnorthd.sbtables import Canonical, canonical_table

pytestmark = pytest.mark.usefixtures("reference_available")

TABLES = ("Meter", "Load_Balancer", "IP_Multicast", "Service_Monitor")


def vif(sw, name, addresses, *more):
    return [nb("lsp-add", sw, name), nb("lsp-set-addresses", name, addresses), *more]


def health_check(lb, vip, **options):
    return nb("--id=@hc", "create", "Load_Balancer_Health_Check", f'vip="{vip}"',
              *(f"options:{k}={v}" for k, v in options.items()),
              "--", "add", "Load_Balancer", lb, "health_check", "@hc")


def mappings(lb, **entries):
    """ip_port_mappings entries, IPv6 backends in brackets: {'"[fd00::2]"': ...}."""
    return nb("set", "Load_Balancer", lb,
              *(f"ip_port_mappings:{ip}={value}" for ip, value in entries.items()))


def template_lb(name, family, vips):
    return nb("--id=@l", "create", "Load_Balancer", f"name={name}", "protocol=tcp",
              "options:template=true", f"options:address-family={family}",
              "vips={" + ", ".join(f'"{k}"="{v}"' for k, v in vips.items()) + "}",
              "--", "add", "Logical_Switch", "sw1", "load_balancer", "@l")


def monitored_lb(uuid_hash, src_ip, interval):
    """An LB (its uuid starting with `uuid_hash`) health-checking backend
    10.0.0.3:90 on p2: northd's LB hash order decides whose options and
    source IP the shared monitor gets (the LB it meets last)."""
    uuid = f"{uuid_hash:08x}-0000-4000-8000-00000000b000"
    vip = f"10.0.0.{uuid_hash % 200}:90"
    return ["ovsdb-client", "transact", json.dumps(["OVN_Northbound",
        {"op": "insert", "table": "Load_Balancer_Health_Check", "uuid-name": "hc",
         "row": {"vip": vip, "options": ["map", [["interval", str(interval)]]]}},
        {"op": "insert", "table": "Load_Balancer", "uuid": uuid, "row": {
            "name": f"shared{interval}", "protocol": "tcp",
            "vips": ["map", [[vip, "10.0.0.3:90"]]],
            "ip_port_mappings": ["map", [["10.0.0.3", f"p2:{src_ip}"]]],
            "health_check": ["named-uuid", "hc"]}}])]


MULTI_BAND = ["ovsdb-client", "transact", json.dumps(["OVN_Northbound",
    {"op": "insert", "table": "Meter_Band", "uuid-name": "b1",
     "row": {"action": "drop", "rate": 100, "burst_size": 10}},
    {"op": "insert", "table": "Meter_Band", "uuid-name": "b2",
     "row": {"action": "drop", "rate": 200}},
    {"op": "insert", "table": "Meter", "row": {
        "name": "multi", "unit": "kbps", "fair": True,
        "bands": ["set", [["named-uuid", "b1"], ["named-uuid", "b2"]]]}}])]

STEPS = {
    "meters": [
        [],                                         # an empty NB
        [nb("ls-add", "sw0"), nb("ls-add", "sw1"),
         nb("meter-add", "plain", "drop", "10", "pktps"),
         nb("--fair", "meter-add", "fair", "drop", "20", "kbps", "30"),
         nb("--fair", "meter-add", "unused-fair", "drop", "5", "pktps"),
         MULTI_BAND,
         nb("acl-add", "sw0", "from-lport", "1000", "ip4", "allow"),
         nb("--log", "--meter=fair", "--name=a1", "acl-add", "sw0", "to-lport", "1001",
            "ip4", "drop"),
         nb("--log", "--meter=fair", "acl-add", "sw1", "from-lport", "1001", "ip4",
            "allow-related"),
         nb("--log", "--meter=plain", "acl-add", "sw1", "to-lport", "1002", "ip4", "drop"),
         nb("--log", "--meter=nosuch", "acl-add", "sw1", "to-lport", "1003", "ip6", "drop"),
         # a fair meter named by an ACL that does not log, and by port group ACLs
         nb("--meter=multi", "acl-add", "sw0", "to-lport", "1004", "udp", "allow"),
         *vif("sw0", "p0", "00:00:00:00:00:01 10.0.0.1"),
         nb("pg-add", "pg0", "p0"),
         nb("--log", "--meter=multi", "acl-add", "pg0", "to-lport", "1005", "tcp", "reject"),
         nb("--log", "--meter=fair", "acl-add", "pg0", "from-lport", "1006", "tcp", "drop")],
        # meters and ACLs go: their SB meters and copies with them
        [nb("meter-del", "plain"), nb("acl-del", "sw0", "to-lport", "1001", "ip4"),
         nb("acl-del", "pg0"), nb("set", "Meter", "fair", "unit=pktps"),
         nb("set", "Meter", "unused-fair", "fair=false"),
         nb("--log", "--meter=unused-fair", "acl-add", "sw1", "to-lport", "1006", "tcp", "drop")],
        [nb("meter-del"), nb("ls-del", "sw1")],
    ],
    "lbs": [
        [nb("ls-add", "sw0"), nb("ls-add", "sw1"), nb("ls-add", "sw2"), nb("lr-add", "lr0"),
         *link("sw0", "lr0", "lr0-sw0", "00:00:00:00:ff:01", "10.0.0.254/24", "fd00::fe/64"),
         *link("sw2", "lr0", "lr0-sw2", "00:00:00:00:ff:02", "10.2.0.254/24"),
         *vif("sw0", "p1", "00:00:00:00:00:02 10.0.0.2 fd00::2"),
         *vif("sw0", "p2", "00:00:00:00:00:03 10.0.0.3"),
         *vif("sw1", "p3", "00:00:00:00:00:04 10.1.0.4", nb("lsp-set-enabled", "p3", "disabled")),
         nb("lb-add", "lb1", "10.0.0.10:80", "10.0.0.2:8080,10.0.0.3:8080"),
         nb("lb-add", "lb1", "[fd00::10]:80", "[fd00::2]:8080"),
         nb("ls-lb-add", "sw0", "lb1"), nb("ls-lb-add", "sw1", "lb1"),
         nb("lb-add", "lb2", "10.0.0.11:53", "10.0.0.2:53,10.0.0.3:53", "udp"),
         nb("set", "Load_Balancer", "lb2", "options:reject=true", "options:affinity_timeout=30",
            "options:hairpin_orig_tuple=false",
            "selection_fields=ip_src,tp_dst"),
         nb("ls-lb-add", "sw1", "lb2"),
         # a router's LB: not in SB; an SCTP LB and one with a VIP that does not parse
         nb("lb-add", "lb3", "172.16.0.10:80", "10.0.0.2:80"), nb("lr-lb-add", "lr0", "lb3"),
         nb("lb-add", "lb4", "10.0.0.12:80", "10.0.0.2:80", "sctp"), nb("ls-lb-add", "sw2", "lb4"),
         nb("--id=@l", "create", "Load_Balancer", "name=lb5",
            'vips={"10.0.0.13:80"="10.0.0.2:80", "bad"="10.0.0.3"}',
            "--", "add", "Logical_Switch", "sw2", "load_balancer", "@l"),
         # a group on two switches and the router; a VIP-less LB in it
         nb("lb-add", "lb6", "10.0.0.14:8080", "10.0.0.3:80", "tcp"),
         nb("create", "Load_Balancer", "name=lb7", "protocol=udp"),
         lb_group("g1", ["lb6", "lb7"], routers=["lr0"], switches=["sw0", "sw2"]),
         # two LBs of the same name
         nb("lb-add", "dup", "10.0.0.15", "10.0.0.2"), nb("ls-lb-add", "sw1", "dup"),
         nb("--id=@l", "create", "Load_Balancer", "name=dup", "protocol=tcp",
            'vips={"10.0.0.16"="10.0.0.3"}',
            "--", "add", "Logical_Switch", "sw2", "load_balancer", "@l"),
         # template LBs, IPv4 and IPv6 (SB gets the IPv6 one's VIPs rewritten)
         template_lb("t4", "ipv4", {"^vip4:^port": "^backends", "10.0.0.20:80": "10.0.0.2:80"}),
         template_lb("t6", "ipv6", {"^vip6:^port": "^backends", "^vip6b": "^b6",
                                    "fd00::20:80": "[fd00::2]:80", "bad:x:y": "z"}),
         # health checks: IPv4 and IPv6 backends, mapped to enabled, disabled and
         # unknown ports and to invalid source IPs; an SCTP LB's is ignored
         health_check("lb1", "10.0.0.10:80", interval=5, timeout=20, success_count=3,
                      failure_count=3),
         health_check("lb1", "[fd00::10]:80", interval=10),
         mappings("lb1", **{"10.0.0.2": "p1:10.0.0.254", "10.0.0.3": "p3:10.0.0.254",
                            '"[fd00::2]"': '"p1:[fd00::fe]"'}),
         health_check("lb2", "10.0.0.11:53"),
         mappings("lb2", **{"10.0.0.2": "p1:10.0.0.253", "10.0.0.3": "p2:not-an-ip"}),
         health_check("lb4", "10.0.0.12:80"), mappings("lb4", **{"10.0.0.2": "p1:10.0.0.254"}),
         # an LB on no switch still monitors its backends
         nb("lb-add", "lb8", "10.9.0.1:80", "10.0.0.2:8081,10.0.0.3:80"),
         health_check("lb8", "10.9.0.1:80", interval=7),
         mappings("lb8", **{"10.0.0.2": "p1:10.0.0.254", "10.0.0.3": "nosuch:10.0.0.254"}),
         monitored_lb(0x00000006, "10.0.0.250", 6), monitored_lb(0x10000001, "10.0.0.251", 1),
         sb_set_monitor_status("10.0.0.2", "online")],
        # install_ls_lb_from_router: the router's LBs reach its switches
        [nb("set", "NB_Global", ".", "options:install_ls_lb_from_router=true"),
         nb("set", "Load_Balancer", "lb1", "options:skip_snat=true"),
         nb("ls-lb-add", "sw2", "lb1"),
         nb("set", "Load_Balancer", "lb4", "protocol=tcp"),
         nb("lsp-set-enabled", "p3", "enabled")],
        # LBs leave switches, health checks go
        [nb("set", "NB_Global", ".", "options:install_ls_lb_from_router=false"),
         nb("ls-lb-del", "sw1", "lb1"), nb("ls-lb-del", "sw1", "lb2"),
         nb("clear", "Logical_Switch", "sw2", "load_balancer_group"),
         nb("clear", "Load_Balancer", "lb1", "health_check"),
         nb("lb-del", "lb8")],
    ],
    "mcast": [
        [nb("ls-add", "sw0"),
         nb("ls-add", "sw1", "--", "set", "Logical_Switch", "sw1",
            "other_config:mcast_snoop=true", "other_config:mcast_querier=false",
            "other_config:mcast_table_size=100", "other_config:mcast_idle_timeout=5",
            "other_config:mcast_query_max_response=3"),
         nb("ls-add", "sw2", "--", "set", "Logical_Switch", "sw2",
            "other_config:mcast_snoop=true", "other_config:mcast_eth_src=00:00:00:00:05:01",
            "other_config:mcast_ip4_src=10.0.0.254", "other_config:mcast_ip6_src=fe80::fe",
            "other_config:mcast_idle_timeout=10000", "other_config:mcast_query_interval=20"),
         nb("ls-add", "sw3", "--", "set", "Logical_Switch", "sw3",
            "other_config:mcast_snoop=yes", "other_config:mcast_idle_timeout=abc",
            "other_config:mcast_query_interval=0", "other_config:mcast_table_size=-1",
            "other_config:mcast_query_max_response=-2",
            "other_config:mcast_flood_unregistered=true"),
         nb("ls-add", "sw4", "--", "set", "Logical_Switch", "sw4",
            "other_config:mcast_idle_timeout=61", "other_config:mcast_query_interval=9999"),
         nb("lr-add", "lr0", "--", "set", "Logical_Router", "lr0", "options:mcast_relay=true")],
        [nb("remove", "Logical_Switch", "sw1", "other_config", "mcast_snoop"),
         nb("set", "Logical_Switch", "sw1", "other_config:mcast_querier=true"),
         nb("ls-del", "sw4"), sb("ip-multicast-flush", "sw0"),
         # northd never clears a query source it once wrote
         nb("remove", "Logical_Switch", "sw2", "other_config", "mcast_eth_src"),
         nb("set", "Logical_Switch", "sw2", "other_config:mcast_ip4_src=10.0.0.253")],
    ],
}


@pytest.fixture(scope="module")
def steps():
    """family -> [(NB, SB, our SB rows)] after each of its steps."""
    out = {}
    for family, steps in STEPS.items():
        out[family] = []
        with Sandbox() as box:
            for commands in steps:
                box.run_script(commands)
                box.sync()
                nb_db = mirror.load(box.nb_remote, mirror.NB)
                sb_db = mirror.load(box.sb_remote, mirror.SB)
                out[family].append((nb_db, sb_db, compute_sb_rows(nb_db, sb_db)))
    return out


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("family", STEPS)
def test_rows_equal_reference(steps, family, table):
    for i, (_, sb_db, rows) in enumerate(steps[family]):
        ours = canonical_table(rows[table], table, sb_db)
        ref = Canonical(sb_db).rows(table)
        assert ours == ref, f"{family} step {i}: {table} differs"


def test_scenarios_exercise_every_table(steps):
    """Each table has rows in some step, and some rows go in a later step."""
    for table in TABLES:
        counts = [len(Canonical(sb_db).rows(table)) for f in STEPS for _, sb_db, _ in steps[f]]
        assert max(counts) > 0, table
    fair_copies = [r["name"] for _, sb_db, _ in steps["meters"]
                   for r in Canonical(sb_db).rows("Meter") if "__" in r["name"]]
    assert len(set(fair_copies)) >= 5
    monitors = [r for _, sb_db, _ in steps["lbs"] for r in Canonical(sb_db).rows("Service_Monitor")]
    assert {":" in r["ip"] for r in monitors} == {True, False}
    groups = {len(r["datapath_group"]["datapaths"]) for _, sb_db, _ in steps["lbs"]
              for r in Canonical(sb_db).rows("Load_Balancer")}
    assert {1, 2, 3} <= groups
