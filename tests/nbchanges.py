"""Random NB changes that stay valid: a model of what the NB holds and, for
each kind of change, how to draw one from it as ovn-nbctl (or `ovsdb-client
transact`) commands. Names come from fixed pools (switches, ports, routers,
groups, address sets...), so however long a stream of changes runs the NB
stays as large as a few dozen rows: a soak measures relnorthd, not a growing
NB.

A change draws its choices through a `draw` object: `HypothesisDraw` for
property tests (hypothesis shrinks the choices), `RandomDraw` for a long
seeded stream (the soak)."""
import json
import random

from hypothesis import strategies as st


class HypothesisDraw:
    """Choices drawn by hypothesis (inside an st.composite strategy)."""

    def __init__(self, draw):
        self._draw = draw

    def choice(self, items):
        return self._draw(st.sampled_from(items))

    def integer(self, low: int, high: int) -> int:
        return self._draw(st.integers(low, high))

    def boolean(self) -> bool:
        return self._draw(st.booleans())

    def subset(self, items) -> list:
        """A non-empty list of distinct items."""
        return self._draw(st.lists(st.sampled_from(items), min_size=1, unique=True))


class RandomDraw:
    """Choices drawn by a seeded random generator."""

    def __init__(self, seed: int):
        self._rng = random.Random(seed)

    def choice(self, items):
        return self._rng.choice(list(items))

    def integer(self, low: int, high: int) -> int:
        return self._rng.randint(low, high)

    def boolean(self) -> bool:
        return self._rng.random() < 0.5

    def subset(self, items) -> list:
        items = list(items)
        return self._rng.sample(items, self._rng.randint(1, len(items)))


# switch -> (IPv4 prefix, IPv6 prefix) of its subnet; sw2 is the "outside"
SUBNETS = {"sw0": ("10.0.0.", "fd00::"), "sw1": ("10.0.1.", "fd01::"),
           "sw2": ("172.16.0.", "fd20::")}
ROUTERS = ["lr0", "lr1"]
PORTS = [f"p{j}" for j in range(5)]
LBS = ["lb0", "lb1"]
LB_GROUPS = ["lbg0", "lbg1", "lbg2"]
PORT_GROUPS = ["pg0", "pg1", "pg2", "pg3"]
VIPS = {"10.0.0.10:80": "10.0.0.3:80", "10.0.0.11:8080": "10.0.0.3:80",
        "[fd00::10]:80": "[fd00::3]:80", "172.16.0.100:80": "10.0.0.3:80",
        "172.16.0.101": "10.0.0.3"}
# (options, prefix, nexthop): lr-route-add --may-exist [--ecmp] accepts each
# again, in any order (a discard prefix has no other nexthop)
ROUTES = [("", "192.168.0.0/16", "10.0.0.254"), ("", "192.168.0.0/16", "10.0.1.254"),
          ("", "0.0.0.0/0", "172.16.0.254"), ("", "fd10::/64", "fd00::99"),
          ("--policy=src-ip", "10.0.0.0/24", "172.16.0.253"),
          ("--route-table=rt1", "0.0.0.0/0", "10.0.1.254"), ("", "172.31.0.0/16", "discard")]
POLICIES = [("100", "ip4.src == 10.0.0.0/24", "allow"),
            ("101", "ip4.dst == 192.168.1.0/24", "drop"),
            ("102", "ip4.src == 10.0.1.0/24", "reroute", "172.16.0.254"),
            ("103", "ip6.src == fd00::/64", "reroute", "fd20::254"),
            ("104", "ip4.dst == 192.168.2.0/24", "reroute", "10.0.0.254,10.0.1.254")]
# (type, external ip, logical ip, lr-nat-add options): no two share an
# external ip, nor snat entries a logical ip, so any subset is valid
NATS = [("snat", "172.16.0.10", "10.0.0.0/24", ()),
        ("snat", "172.16.0.11", "10.0.1.0/24", ()),
        ("dnat", "172.16.0.20", "10.0.0.5", ()),
        ("dnat", "172.16.0.21", "10.0.1.5", ("--portrange",)),
        ("dnat_and_snat", "172.16.0.30", "10.0.0.6", ()),
        ("dnat_and_snat", "172.16.0.31", "10.0.1.7", ("logical_port",)),
        ("dnat_and_snat", "172.16.0.32", "10.0.0.8", ("--stateless",)),
        ("snat", "fd20::10", "fd00::/64", ()),
        ("dnat_and_snat", "fd20::30", "fd01::6", ()),
        ("snat", "172.16.0.40", "10.0.1.128/25", ("address_set",))]
QOS = [("from-lport", "100", "ip4", "dscp=10"), ("to-lport", "101", "udp", "rate=100"),
       ("from-lport", "102", "tcp", "rate=200", "burst=20")]
GLOBAL_OPTIONS = ["use_ct_inv_match=false", "default_acl_drop=true", "controller_event=true",
                  "ignore_lsp_down=false", "install_ls_lb_from_router=true"]


def nb(*args: str) -> list[str]:
    return ["ovn-nbctl", *args]


class Model:
    """What the NB holds, so every drawn command is valid."""

    def __init__(self):
        self.switches: set[str] = set()
        self.ports: dict[str, str] = {}          # VM or localnet port -> switch
        self.router_lsps: dict[str, str] = {}    # router-type port -> switch
        self.routers: set[str] = set()
        self.gateway_routers: set[str] = set()   # options:chassis
        self.lrps: dict[str, str] = {}           # router port -> router
        self.dgps: dict[str, str] = {}           # router -> its distributed gateway port
        self.nats: set[tuple[str, int]] = set()  # (router, NATS index)
        self.lbs: set[str] = set()
        self.ls_lbs: set[tuple[str, str]] = set()
        self.lr_lbs: set[tuple[str, str]] = set()
        self.lb_groups: set[str] = set()
        self.groups: set[str] = set()
        self.meters: set[str] = set()
        self.address_sets: set[str] = set()
        self.dhcp: set[tuple[str, str]] = set()  # (port, "4" or "6")
        self.fwd_groups: dict[str, tuple[str, str]] = {}  # group -> (switch, first port)
        self.dns: set[str] = set()                # switches with a DNS row
        self.static_macs: set[tuple[str, str]] = set()
        self.bfd: set[str] = set()                # router ports with BFD rows
        self.ha_group = False
        self.template_var = False

    def del_switch(self, sw: str) -> None:
        self.switches.discard(sw)
        self.ports = {p: s for p, s in self.ports.items() if s != sw}
        self.router_lsps = {p: s for p, s in self.router_lsps.items() if s != sw}
        self.ls_lbs = {(s, lb) for s, lb in self.ls_lbs if s != sw}
        self.fwd_groups = {g: (s, p) for g, (s, p) in self.fwd_groups.items() if s != sw}
        self.dns.discard(sw)
        self.dhcp = {(p, v) for p, v in self.dhcp if p in self.ports}

    def del_router(self, lr: str) -> None:
        self.routers.discard(lr)
        self.gateway_routers.discard(lr)
        self.lrps = {p: r for p, r in self.lrps.items() if r != lr}
        self.dgps.pop(lr, None)
        self.nats = {(r, i) for r, i in self.nats if r != lr}
        self.lr_lbs = {(r, lb) for r, lb in self.lr_lbs if r != lr}

    def del_lrp(self, lrp: str) -> None:
        lr = self.lrps.pop(lrp)
        if self.dgps.get(lr) == lrp:
            del self.dgps[lr]


def addresses(port: str, sw: str, kind: int) -> list[str]:
    j = int(port[1:]) + 5
    mac, (v4, v6) = f"00:00:00:00:00:{j:02x}", SUBNETS[sw]
    return [[], [f"{mac} {v4}{j}"], [f"{mac} {v4}{j} {v6}{j}"], ["unknown"], [mac]][kind]


def router_port(lr: str, sw: str) -> tuple[str, list[str]]:
    """lrX's port on switch swY: its name and `lrp-add` arguments."""
    r, s = ROUTERS.index(lr) + 1, int(sw[2:])
    v4, v6 = SUBNETS[sw]
    return f"{lr}-{sw}", [f"00:00:00:00:f{r}:{s:02x}", f"{v4}{r}/24", f"{v6}{r}/64"]


def pick(draw, items):
    return draw.choice(sorted(items))


def _datapath_changes(kind: str):
    """The steps adding a switch (kind "ls") or router ("lr") from its pool
    and deleting one."""
    def have(m):
        return m.switches if kind == "ls" else m.routers

    def add(draw, m):
        dp = pick(draw, set(SUBNETS if kind == "ls" else ROUTERS) - have(m))
        have(m).add(dp)
        return [nb(f"{kind}-add", dp)]

    def delete(draw, m):
        dp = pick(draw, have(m))
        (m.del_switch if kind == "ls" else m.del_router)(dp)
        return [nb(f"{kind}-del", dp)]
    return add, delete


_ls_add, _ls_del = _datapath_changes("ls")
_lr_add, _lr_del = _datapath_changes("lr")


def _lsp_add(draw, m):
    port, sw = pick(draw, set(PORTS) - m.ports.keys()), pick(draw, m.switches)
    m.ports[port] = sw
    if draw.integer(0, 5) == 0:
        return [nb("lsp-add", sw, port, "--", "lsp-set-type", port, "localnet",
                   "--", "lsp-set-addresses", port, "unknown",
                   "--", "lsp-set-options", port, "network_name=phys")]
    return [nb("lsp-add", sw, port, "--", "lsp-set-addresses", port,
               *addresses(port, sw, draw.integer(0, 4)))]


def _lsp_del(draw, m):
    """A port gone, and first the forwarding groups it is the first child
    port of (fwd-group-del finds a group's switch through that port)."""
    port = pick(draw, m.ports.keys() | m.router_lsps.keys())
    groups = sorted(g for g, (_, first) in m.fwd_groups.items() if first == port)
    for group in groups:
        del m.fwd_groups[group]
    m.ports.pop(port, None)
    m.router_lsps.pop(port, None)
    m.dhcp = {(p, v) for p, v in m.dhcp if p != port}
    return [nb("fwd-group-del", group) for group in groups] + [nb("lsp-del", port)]


def _lsp_set_addresses(draw, m):
    port = pick(draw, m.ports)
    return [nb("lsp-set-addresses", port, *addresses(port, m.ports[port], draw.integer(0, 4)))]


def _link(draw, m):
    """A router port on a switch, and the router-type port peering with it."""
    return link(m, *pick(draw, unlinked(m)))


def unlinked(m: Model) -> set[tuple[str, str]]:
    return {(r, s) for r in m.routers for s in m.switches if router_port(r, s)[0] not in m.lrps}


def link(m, lr, sw):
    lrp, args = router_port(lr, sw)
    lsp = f"{sw}-{lr}"
    m.lrps[lrp] = lr
    m.router_lsps[lsp] = sw
    return [nb("lrp-add", lr, lrp, *args, "--", "--may-exist", "lsp-add", sw, lsp,
               "--", "lsp-set-type", lsp, "router", "--", "lsp-set-addresses", lsp, "router",
               "--", "lsp-set-options", lsp, f"router-port={lrp}")]


def _lrp_del(draw, m):
    lrp = pick(draw, m.lrps)
    m.del_lrp(lrp)
    return [nb("lrp-del", lrp)]


def _lrp_set(draw, m):
    lrp = pick(draw, m.lrps)
    return [nb("set", "logical_router_port", lrp, draw.choice(
        ["options:gateway_mtu=1400", "options:route_table=rt1", "enabled=false", "enabled=true",
         "ipv6_ra_configs:address_mode=slaac"]))]


def _gateway_router(draw, m):
    lr = pick(draw, m.routers - m.dgps.keys())
    if lr in m.gateway_routers:
        m.gateway_routers.discard(lr)
        return [nb("remove", "logical_router", lr, "options", "chassis")]
    m.gateway_routers.add(lr)
    return [nb("set", "logical_router", lr, "options:chassis=hv1")]


def dgp_candidates(m: Model) -> set[str]:
    """Router ports that may become (or stop being) their router's one
    distributed gateway port: not on a gateway router."""
    return {p for p, r in m.lrps.items()
            if r not in m.gateway_routers and m.dgps.get(r, p) == p}


def _dgp(draw, m):
    """A distributed gateway port on a router that has none (or no longer)."""
    lrp = pick(draw, dgp_candidates(m))
    lr = m.lrps[lrp]
    if m.dgps.get(lr) == lrp:
        del m.dgps[lr]
        return [nb("clear", "logical_router_port", lrp, "gateway_chassis", "--",
                   "clear", "logical_router_port", lrp, "ha_chassis_group")]
    m.dgps[lr] = lrp
    if draw.boolean():
        return [nb("lrp-set-gateway-chassis", lrp, "hv1", "20", "--",
                   "lrp-set-gateway-chassis", lrp, "hv2", "10")]
    cmds = [] if m.ha_group else [nb("ha-chassis-group-add", "hag0", "--",
                                     "ha-chassis-group-add-chassis", "hag0", "hv1", "20")]
    m.ha_group = True
    return cmds + [nb("--id=@g", "get", "HA_Chassis_Group", "hag0", "--",
                      "set", "logical_router_port", lrp, "ha_chassis_group=@g")]


def _route_add(draw, m):
    options, prefix, nexthop = draw.choice(ROUTES)
    ecmp = [] if nexthop == "discard" else ["--ecmp"]
    return [nb("--may-exist", *ecmp, *filter(None, [options]), "lr-route-add",
               pick(draw, m.routers), prefix, nexthop)]


def _route_del(draw, m):
    lr = pick(draw, m.routers)
    if draw.boolean():
        return [nb("lr-route-del", lr)]
    return [nb("--if-exists", "lr-route-del", lr, draw.choice(ROUTES)[1])]


def _policy_add(draw, m):
    return [nb("--may-exist", "lr-policy-add", pick(draw, m.routers),
               *draw.choice(POLICIES))]


def _policy_del(draw, m):
    lr = pick(draw, m.routers)
    if draw.boolean():
        return [nb("lr-policy-del", lr)]
    return [nb("--if-exists", "lr-policy-del", lr, draw.choice(POLICIES)[0])]


def _nat_add(draw, m):
    lr = pick(draw, m.routers)
    i = pick(draw, {i for i, (*_, extra) in enumerate(NATS)
                    if "address_set" not in extra or (lr, i) not in m.nats})
    kind, ext, logical, extra = NATS[i]
    if "address_set" in extra:      # created as a row: lr-nat-add sets no ext ips
        name = f"as-{lr}"           # one per router, kept for the next such NAT
        address_set = ["get", "Address_Set", name] if name in m.address_sets else [
            "create", "Address_Set", f"name={name}", 'addresses="172.16.0.77"']
        m.address_sets.add(name)
        m.nats.add((lr, i))
        column = draw.choice(["allowed_ext_ips", "exempted_ext_ips"])
        return [nb("--id=@as", *address_set, "--", "--id=@n", "create", "NAT", f"type={kind}",
                   f'external_ip="{ext}"', f'logical_ip="{logical}"', "options:stateless=false",
                   f"{column}=@as", "--", "add", "logical_router", lr, "nat", "@n")]
    m.nats.add((lr, i))
    args = [kind, ext, logical]
    if "logical_port" in extra and m.ports:
        args += [pick(draw, m.ports), "0a:00:00:00:01:31"]
    if "--portrange" in extra:
        args.append("8080")
    return [nb("--may-exist", *[o for o in extra if o.startswith("--")], "lr-nat-add", lr,
               *args)]


def _nat_del(draw, m):
    if draw.integer(0, 3) == 0:
        lr = pick(draw, m.routers)
        m.nats = {(r, i) for r, i in m.nats if r != lr}
        return [nb("lr-nat-del", lr)]
    lr, i = pick(draw, m.nats)
    kind, ext, logical, _ = NATS[i]
    m.nats.discard((lr, i))
    return [nb("lr-nat-del", lr, kind, logical if kind == "snat" else ext)]


def _address_set(draw, m):
    ips = draw.subset(["172.16.0.77", "172.16.0.78", "172.16.1.0/24"])
    return [nb("set", "Address_Set", pick(draw, m.address_sets),
               "addresses=" + ",".join(f'"{ip}"' for ip in ips))]


def _lb_add(draw, m):
    lb, vip = draw.choice(LBS), draw.choice(sorted(VIPS))
    m.lbs.add(lb)
    return [nb("--may-exist", "lb-add", lb, vip, VIPS[vip])]


def _lb_change(draw, m):
    lb = pick(draw, m.lbs)
    change = draw.choice(["clear", "del", "skip_snat=true", "reject=true",
                                   "affinity_timeout=60", "hairpin_snat_ip=172.16.0.200"])
    if change == "clear":
        return [nb("clear", "load_balancer", lb, "vips")]
    if change == "del":
        m.lbs.discard(lb)
        m.ls_lbs = {(s, b) for s, b in m.ls_lbs if b != lb}
        m.lr_lbs = {(r, b) for r, b in m.lr_lbs if b != lb}
        return [nb("lb-del", lb)]
    return [nb("set", "load_balancer", lb, f"options:{change}")]


def _lb_links(kind: str):
    """The steps attaching a load balancer to a switch (kind "ls") or a
    router ("lr") and detaching one."""
    def datapaths(m):
        return m.switches if kind == "ls" else m.routers

    def links(m):
        return m.ls_lbs if kind == "ls" else m.lr_lbs

    def add(draw, m):
        dp, lb = pick(draw, datapaths(m)), pick(draw, m.lbs)
        links(m).add((dp, lb))
        return [nb("--may-exist", f"{kind}-lb-add", dp, lb)]

    def delete(draw, m):
        dp, lb = pick(draw, links(m))
        links(m).discard((dp, lb))
        return [nb(f"{kind}-lb-del", dp, lb)]
    return add, delete


_ls_lb_add, _ls_lb_del = _lb_links("ls")
_lr_lb_add, _lr_lb_del = _lb_links("lr")


def _lb_group(draw, m):
    """A new group of load balancers on a datapath, or an existing group
    added to / all groups cleared from one."""
    table, dp = draw.choice(sorted([("Logical_Switch", s) for s in m.switches]
                                            + [("Logical_Router", r) for r in m.routers]))
    if m.lb_groups and (not m.lbs or len(m.lb_groups) == len(LB_GROUPS) or draw.boolean()):
        if draw.boolean():
            return [nb("clear", table, dp, "load_balancer_group")]
        return [nb("--id=@g", "get", "Load_Balancer_Group", pick(draw, m.lb_groups), "--",
                   "add", table, dp, "load_balancer_group", "@g")]
    group = pick(draw, set(LB_GROUPS) - m.lb_groups)
    m.lb_groups.add(group)
    lbs = draw.subset(sorted(m.lbs))
    args = [a for i, lb in enumerate(lbs) for a in ("--", f"--id=@lb{i}", "get", "Load_Balancer",
                                                     lb)]
    refs = ",".join(f"@lb{i}" for i in range(len(lbs)))
    return [nb(*args[1:], "--", "--id=@g", "create", "Load_Balancer_Group", f"name={group}",
               f"load_balancer=[{refs}]", "--", "add", table, dp, "load_balancer_group", "@g")]


def _acl_add(draw, m):
    sw = pick(draw, m.switches)
    action = draw.choice(["allow", "allow-related", "drop", "reject"])
    prio = str(draw.integer(1000, 1003))
    log = []
    if draw.integer(0, 2) == 0:
        log = ["--log", f"--name=acl{prio}", "--severity=info"]
        if m.meters:
            log.append(f"--meter={pick(draw, m.meters)}")
    return [nb(*log, "--may-exist", "acl-add", sw,
               draw.choice(["to-lport", "from-lport"]), prio,
               f"ip4.src == 10.0.0.{draw.integer(2, 5)}", action)]


def _pg_add(draw, m):
    members = [p for p in sorted(m.ports) if draw.boolean()]
    group = pick(draw, set(PORT_GROUPS) - m.groups)
    m.groups.add(group)
    return [nb("pg-add", group, *members),
            nb("acl-add", group, "to-lport", "1001", f"outport == @{group} && ip4", "drop")]


def _pg_del(draw, m):
    group = pick(draw, m.groups)
    m.groups.discard(group)
    return [nb("pg-del", group)]


def _qos(draw, m):
    sw = pick(draw, m.switches)
    if draw.integer(0, 2) == 0:
        return [nb("qos-del", sw)]
    direction, prio, match, *marks = draw.choice(QOS)
    return [nb("--may-exist", "qos-add", sw, direction, prio, match, *marks)]


def _meter(draw, m):
    meter = draw.choice(["m0", "m1"])
    if meter in m.meters:
        return [nb("set", "meter", meter, f"fair={draw.choice(['true', 'false'])}")]
    m.meters.add(meter)
    return [nb("meter-add", meter, "drop", "10", "pktps")]


def _copp(draw, m):
    table, dp = draw.choice(sorted([("ls", s) for s in m.switches]
                                            + [("lr", r) for r in m.routers]))
    proto = draw.choice(["arp", "icmp4-error", "reject", "dhcpv4-opts", "event-elb"])
    return [nb("copp-add", "copp0", proto, pick(draw, m.meters), "--",
               f"{table}-copp-add", "copp0", dp)]


def _dhcp(draw, m):
    """DHCP options for a VM port (new), changed (by the port's name), or gone."""
    port = pick(draw, m.ports)
    v = draw.choice(["4", "6"])
    column = f"dhcpv{v}_options"
    if (port, v) in m.dhcp:
        if draw.boolean():
            m.dhcp.discard((port, v))
            return [nb("clear", "logical_switch_port", port, column)]
        if v == "4":
            return [nb("set", "DHCP_Options", port,
                       f"options:lease_time={draw.choice(['3600', '7200'])}")]
        return [nb("set", "DHCP_Options", port, 'options:dns_server="fd00::53"')]
    m.dhcp.add((port, v))
    v4, v6 = SUBNETS[m.ports[port]]
    if v == "4":
        row = [f'cidr="{v4}0/24"', f'options:server_id="{v4}1"',
               'options:server_mac="00:00:00:00:10:01"', 'options:lease_time="3600"',
               f'options:router="{v4}1"']
    else:
        row = [f'cidr="{v6}/64"', 'options:server_id="00:00:00:00:10:02"']
    return [delete_owned("DHCP_Options", f"{port}-v{v}"),
            nb("--id=@d", "create", "DHCP_Options", *row, f"external_ids:owner={port}-v{v}",
               "--", "set", "logical_switch_port", port, f"{column}=@d")]


def delete_owned(table: str, owner: str) -> list[str]:
    """A transaction deleting the rows of a root table (DHCP_Options, DNS)
    tagged external_ids:owner=`owner`: the row a port's or switch's last
    one of these was, left behind unreferenced (nothing else removes a root
    row), so the NB does not grow."""
    where = [["external_ids", "includes", ["map", [["owner", owner]]]]]
    return ["ovsdb-client", "transact", json.dumps(
        ["OVN_Northbound", {"op": "delete", "table": table, "where": where}])]


def _dns(draw, m):
    """A DNS row on a switch that has none, or the switch's row gone."""
    sw = pick(draw, m.switches)
    if sw in m.dns:
        m.dns.discard(sw)
        return [nb("clear", "logical_switch", sw, "dns_records"), delete_owned("DNS", sw)]
    m.dns.add(sw)
    v4, _ = SUBNETS[sw]
    return [delete_owned("DNS", sw),
            nb("--id=@d", "create", "DNS", f'records:vm.{sw}.ovn="{v4}5"',
               f"external_ids:owner={sw}", "--", "add", "logical_switch", sw, "dns_records",
               "@d")]


def _fwd_group(draw, m):
    free = {"fg0", "fg1"} - m.fwd_groups.keys()
    if m.fwd_groups and (not free or not m.ports or draw.boolean()):
        group = pick(draw, m.fwd_groups)
        del m.fwd_groups[group]
        return [nb("fwd-group-del", group)]
    sw = pick(draw, {s for s in m.ports.values()})
    ports = draw.subset(sorted(p for p, s in m.ports.items() if s == sw))
    group = pick(draw, free)
    m.fwd_groups[group] = (sw, min(ports))      # child_port[0]: sets are sorted
    return [nb("fwd-group-add", group, sw, f"{SUBNETS[sw][0]}100", "00:00:00:00:0f:01",
               *ports)]


def _static_mac(draw, m):
    """A static MAC binding on a router port, or one gone (while its port is:
    static-mac-binding-del looks the port up)."""
    bound = {(p, ip) for p, ip in m.static_macs if p in m.lrps}
    if bound and draw.boolean():
        port, ip = pick(draw, bound)
        m.static_macs.discard((port, ip))
        return [nb("static-mac-binding-del", port, ip)]
    port, ip = pick(draw, m.lrps), draw.choice(["172.16.0.50", "10.0.0.50", "fd00::50"])
    m.static_macs.add((port, ip))
    return [nb("--may-exist", "static-mac-binding-add", port, ip, "0a:00:00:00:00:50")]


def _bfd(draw, m):
    """A BFD session on a router port (its flows), or the port's sessions gone."""
    port = pick(draw, m.lrps.keys() | m.bfd)
    if port in m.bfd:
        m.bfd.discard(port)
        return [["ovsdb-client", "transact", json.dumps(
            ["OVN_Northbound", {"op": "delete", "table": "BFD",
                                "where": [["logical_port", "==", port]]}])]]
    m.bfd.add(port)
    return [nb("create", "BFD", f"logical_port={port}", 'dst_ip="172.16.0.254"')]


def _template_var(draw, m):
    value = draw.choice(["10.0.0.50", "10.0.0.51"])
    if m.template_var:
        return [nb("set", "Chassis_Template_Var", "hv1", f'variables:vip="{value}"')]
    m.template_var = True
    return [nb("create", "Chassis_Template_Var", "chassis=hv1", f'variables:vip="{value}"')]


def _nb_global(draw, m):
    if draw.boolean():   # an NB change that alters no flow
        return [nb("set", "NB_Global", ".", f"external_ids:step={draw.integer(0, 99)}")]
    key, value = draw.choice(GLOBAL_OPTIONS).split("=")
    if draw.boolean():
        return [nb("remove", "NB_Global", ".", "options", key)]
    return [nb("set", "NB_Global", ".", f"options:{key}={value}")]


# name -> (weight, whether the model allows it, draw -> its commands)
CHANGES = {
    "link": (4, unlinked, _link),
    "nat-add": (4, lambda m: m.routers, _nat_add),
    "route-add": (3, lambda m: m.routers, _route_add),
    "policy-add": (3, lambda m: m.routers, _policy_add),
    "lr-lb-add": (3, lambda m: m.lbs and m.routers, _lr_lb_add),
    "dgp": (3, dgp_candidates, _dgp),
    "gateway-router": (3, lambda m: m.routers - m.dgps.keys(), _gateway_router),
    "lsp-add": (3, lambda m: m.switches and len(m.ports) < len(PORTS), _lsp_add),
    "lb-add": (3, lambda m: True, _lb_add),
    "ls-lb-add": (3, lambda m: m.lbs and m.switches, _ls_lb_add),
    "lb-group": (3, lambda m: (m.switches or m.routers) and (m.lbs or m.lb_groups),
                 _lb_group),
    "acl-add": (3, lambda m: m.switches, _acl_add),
    "lrp-set": (3, lambda m: m.lrps, _lrp_set),
    "nat-del": (3, lambda m: m.nats, _nat_del),
    "route-del": (3, lambda m: m.routers, _route_del),
    "policy-del": (3, lambda m: m.routers, _policy_del),
    "lr-lb-del": (3, lambda m: m.lr_lbs, _lr_lb_del),
    "ls-lb-del": (3, lambda m: m.ls_lbs, _ls_lb_del),
    "lb-change": (3, lambda m: m.lbs, _lb_change),
    "address-set": (3, lambda m: m.address_sets, _address_set),
    "lsp-set-addresses": (3, lambda m: m.ports, _lsp_set_addresses),
    "pg-add": (3, lambda m: m.switches and len(m.groups) < len(PORT_GROUPS), _pg_add),
    "pg-del": (1, lambda m: m.groups, _pg_del),
    "qos": (3, lambda m: m.switches, _qos),
    "meter": (1, lambda m: True, _meter),
    "copp": (3, lambda m: m.meters and (m.switches or m.routers), _copp),
    "dhcp": (3, lambda m: m.ports, _dhcp),
    "dns": (3, lambda m: m.switches, _dns),
    "fwd-group": (3, lambda m: m.ports or m.fwd_groups, _fwd_group),
    "static-mac": (3, lambda m: m.lrps, _static_mac),
    "bfd": (2, lambda m: m.lrps or m.bfd, _bfd),
    "template-var": (1, lambda m: True, _template_var),
    "nb-global": (1, lambda m: True, _nb_global),
    "lr-add": (1, lambda m: len(m.routers) < len(ROUTERS), _lr_add),
    "ls-add": (1, lambda m: len(m.switches) < len(SUBNETS), _ls_add),
    "lrp-del": (1, lambda m: m.lrps, _lrp_del),
    "lsp-del": (1, lambda m: m.ports or m.router_lsps, _lsp_del),
    "lr-del": (1, lambda m: m.routers, _lr_del),
    "ls-del": (1, lambda m: m.switches, _ls_del),
}


def change(draw, m: Model) -> list[list[str]]:
    """One NB change the model allows (and the model updated for it)."""
    name = draw.choice([n for n, (weight, allowed, _) in CHANGES.items()
                        if allowed(m) for _ in range(weight)])
    return CHANGES[name][2](draw, m)


def topology(draw, m: Model) -> list[list[str]]:
    """The commands of a first step: two switches and a router, linked to
    either or both, then a few changes."""
    first = [nb("ls-add", "sw0"), nb("ls-add", "sw2"), nb("lr-add", "lr0")]
    m.switches |= {"sw0", "sw2"}
    m.routers.add("lr0")
    first += [c for sw in ("sw0", "sw2") if draw.boolean() for c in link(m, "lr0", sw)]
    return first + [c for _ in range(draw.integer(2, 6)) for c in change(draw, m)]
