"""`relnorthd run` writes SB Port_Binding and Multicast_Group rows as
ovn-northd 23.03.1 does: the same rows, columns and port tunnel keys after
the same NB (and SB Chassis) changes, including bindings replaced when a
port changes kind or moves to another switch."""
import pytest

from relnorthd import mirror
from relnorthd.reference import Sandbox
from test_run import SCENARIOS, apply, reference_and_ours

pytestmark = pytest.mark.usefixtures("reference_available")

# Port_Binding columns relnorthd writes (ha_chassis_group, gateway_chassis
# and mirror_rules are not written yet: README)
PB_COLUMNS = ("tunnel_key", "type", "options", "parent_port", "tag", "mac", "port_security",
              "external_ids", "nat_addresses", "up")


def nb(*args):
    return ["ovn-nbctl", *args]


def sbctl(*args):
    return ["ovn-sbctl", *args]


def router_link(router, lrp, mac, nets, switch, *lsp_options):
    """A router port and the switch port of type router that faces it."""
    return [nb("lrp-add", router, lrp, mac, *nets),
            nb("lsp-add", switch, f"{switch}-{lrp}", "--", "lsp-set-type", f"{switch}-{lrp}",
               "router", "--", "lsp-set-addresses", f"{switch}-{lrp}", "router",
               "--", "lsp-set-options", f"{switch}-{lrp}", f"router-port={lrp}", *lsp_options)]


PORTS = [
    sbctl("chassis-add", "ch1", "geneve", "127.0.0.1"),
    sbctl("chassis-add", "ch2", "geneve", "127.0.0.2"),
    sbctl("set", "chassis", "ch2", "hostname=host2"),
    nb("ls-add", "sw0"), nb("set", "logical_switch", "sw0", "other_config:vlan-passthru=true"),
    nb("lsp-add", "sw0", "p1"),
    nb("lsp-set-addresses", "p1", "00:00:00:00:00:01 10.0.0.2"),
    nb("lsp-set-port-security", "p1", "00:00:00:00:00:01 10.0.0.2"),
    nb("set", "logical_switch_port", "p1", "external_ids:neutron\\:port_name=vm1",
       "options:requested-chassis=ch1,nowhere,host2"),
    nb("lsp-add", "sw0", "c1", "p1", "42"),                      # container port
    nb("lsp-add", "sw0", "p2", "--", "lsp-set-addresses", "p2", "00:00:00:00:00:02 10.0.0.3",
       "--", "lsp-set-options", "p2", "requested-chassis=host2", "requested-tnl-key=9",
       "mcast_flood=true", "mcast_flood_reports=true"),
    nb("lsp-add", "sw0", "ln0", "--", "lsp-set-type", "ln0", "localnet",
       "--", "lsp-set-addresses", "ln0", "unknown", "--", "lsp-set-options", "ln0",
       "network_name=phys"),
    nb("lsp-add", "sw0", "pd", "--", "lsp-set-addresses", "pd", "unknown",
       "--", "lsp-set-enabled", "pd", "disabled"),
    nb("lsp-add", "sw0", "vip", "--", "lsp-set-type", "vip", "virtual",
       "--", "lsp-set-options", "vip", "virtual-ip=10.0.0.100", "virtual-parents=p1,p2"),
    nb("lsp-add", "sw0", "odd", "--", "set", "logical_switch_port", "odd", "type=no-such-type"),
    # a gateway router on sw0 (which has a localnet port: GARPs of its port)
    nb("lr-add", "gr0"), nb("set", "logical_router", "gr0", "options:chassis=ch1"),
    *router_link("gr0", "gr0-sw0", "00:00:00:00:ff:01", ["10.0.0.1/24"], "sw0",
                 "nat-addresses=00:00:00:00:ff:01 10.0.0.200"),
    # a distributed router with a gateway port towards sw-ext
    nb("ls-add", "sw-ext"),
    nb("lsp-add", "sw-ext", "ln-ext", "--", "lsp-set-type", "ln-ext", "localnet",
       "--", "lsp-set-addresses", "ln-ext", "unknown", "--", "lsp-set-options", "ln-ext",
       "network_name=phys"),
    nb("ls-add", "sw1"),
    nb("lr-add", "lr1"), nb("set", "logical_router", "lr1", "options:mcast_relay=true"),
    *router_link("lr1", "lr1-ext", "00:00:00:00:fe:01", ["172.16.0.1/24"], "sw-ext",
                 "nat-addresses=router"),
    nb("lrp-set-gateway-chassis", "lr1-ext", "ch1", "10"),
    *router_link("lr1", "lr1-sw1", "00:00:00:00:fe:02", ["10.1.0.1/24", "fd00::1/64"], "sw1"),
    nb("set", "logical_router_port", "lr1-sw1", "options:reside-on-redirect-chassis=true",
       "options:prefix_delegation=true", "options:mcast_flood=true",
       "ipv6_ra_configs:address_mode=slaac", "ipv6_ra_configs:send_periodic=true",
       "ipv6_ra_configs:mtu=1400", "ipv6_ra_configs:rdnss=fd00::53",
       "ipv6_ra_configs:router_preference=HIGH"),
    nb("lsp-add", "sw1", "q1", "--", "lsp-set-addresses", "q1", "00:00:00:00:01:01 10.1.0.2"),
    # two routers joined by peer router ports
    nb("lr-add", "lr2"), nb("lr-add", "lr3"),
    nb("lrp-add", "lr2", "lr2-lr3", "00:00:00:00:fd:01", "192.168.0.1/30", "peer=lr3-lr2"),
    nb("lrp-add", "lr3", "lr3-lr2", "00:00:00:00:fd:02", "192.168.0.2/30", "peer=lr2-lr3"),
]

CHANGES = [
    # VIF -> virtual replaces the binding; a new key for it
    nb("lsp-set-type", "p2", "virtual"),
    # a port moving to another switch gets a new binding there
    nb("lsp-del", "q1", "--", "lsp-add", "sw0", "q1"),
    # a container port becoming a VIF is replaced
    nb("clear", "logical_switch_port", "c1", "parent_name"),
    nb("lsp-set-enabled", "pd", "enabled"),
    nb("lsp-del", "ln0"),
    nb("ls-del", "sw-ext"),
]


def port_state(box: Sandbox):
    """({logical_port: its columns, datapath and chassis by name},
    {(datapath, group, key): member port names})."""
    sb = mirror.load(box.sb_remote, mirror.SB)
    dps = {r["_uuid"]: dict(r["external_ids"])["name"]
           for r in sb["Datapath_Binding"].to_pylist()}
    chassis = {r["_uuid"]: r["name"] for r in sb["Chassis"].to_pylist()}
    rows = sb["Port_Binding"].to_pylist()
    names = {r["_uuid"]: r["logical_port"] for r in rows}
    ports = {}
    for r in rows:
        port = {c: sorted(r[c]) if isinstance(r[c], list) else r[c] for c in PB_COLUMNS}
        port["datapath"] = dps[r["datapath"]]
        port["requested_chassis"] = chassis.get(r["requested_chassis"])
        port["requested_additional_chassis"] = [chassis[c] for c in
                                                r["requested_additional_chassis"]]
        assert r["logical_port"] not in ports
        ports[r["logical_port"]] = port
    groups = {(dps[r["datapath"]], r["name"], r["tunnel_key"]): sorted(names[p] for p in r["ports"])
              for r in sb["Multicast_Group"].to_pylist()}
    return ports, groups


def _run(box, commands, steps):
    """The port state after `commands`, then after each of `steps`."""
    apply(box, commands)
    out = [port_state(box)]
    for step in steps:
        apply(box, [step])
        out.append(port_state(box))
    return out


@pytest.mark.parametrize("commands,steps", [
    pytest.param(PORTS, CHANGES, id="ports", marks=pytest.mark.slow),
    pytest.param(SCENARIOS["switches_routers_acls"], [], id="switches_routers_acls")])
def test_port_bindings_and_multicast_groups_equal_the_reference(commands, steps):
    expected, got = reference_and_ours(lambda box: _run(box, commands, steps))
    for n, (ours, ref) in enumerate(zip(got, expected, strict=True)):
        step = "setup" if n == 0 else steps[n - 1]
        ports, ref_ports = ours[0], ref[0]
        assert ports.keys() == ref_ports.keys(), step
        for name in ports:
            assert ports[name] == ref_ports[name], (step, name)
        assert ours[1] == ref[1], step
