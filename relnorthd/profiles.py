"""Synthetic NBs of deployment profiles for flow-explosion analysis
(`relnorthd gen`): deterministic for a profile, scale and seed; the object
counts depend on the scale only, the seed picks which objects get what.
Profiles model whole deployments, including features relnorthd does not
compute yet (NAT, router load balancers): every command
reports those up front (support.py). `ovn-k8s-cluster` is the part that is
covered exactly.
"""
from __future__ import annotations

import ipaddress
import random
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from .generate import (ipv4, mac, numbered_switch_rows, policy_rows, row_uuid, service_rows,
                       uuid_set, value_set, vif, write_nb)

# track(items, what) -> items: reports progress while a profile iterates
Track = Callable[[Iterable, str], Iterable]

L2_PORTS = 20
UNKNOWN_SHARE = 0.1
PODS_PER_NODE = 10
SERVICES_PER_NODE = 10
CLUSTER_NET = 128 << 16     # the ipv4()/vif() number of 10.128.0.0
MAX_NODES = 1 << 15         # the /24s of 10.128.0.0/9
JOIN_NET = ipaddress.IPv4Network("100.64.0.0/16")
EXTERNAL_NET = ipaddress.IPv4Network("172.16.0.0/12")
VMS_PER_NETWORK = 10
MAX_PROJECTS = 1 << 15      # floating IPs stay below the gateway addresses
PUBLIC_NET = ipaddress.IPv4Network("100.0.0.0/8")


def _untracked(items: Iterable, _what: str) -> Iterable:
    return items


def l2(scale: int, rng: random.Random, track: Track = _untracked) -> dict[str, dict]:
    """`scale` switches with L2_PORTS VIF ports each (`MAC IPv4` addresses and
    port security); a seeded tenth of the ports also take `unknown` addresses
    and have no port security."""
    tables = numbered_switch_rows(track(range(scale), "switches"), L2_PORTS)
    for row in tables["Logical_Switch_Port"].values():
        if rng.random() < UNKNOWN_SHARE:
            del row["port_security"]
            row["addresses"] = value_set([row["addresses"], "unknown"])
    return tables


def ovn_k8s(scale: int, rng: random.Random, track: Track = _untracked, *,
            pods: int = PODS_PER_NODE, services: int = SERVICES_PER_NODE,
            gateways: bool = True) -> dict[str, dict]:
    """`scale` nodes, each a node switch with `pods` pods in the node's /24 of
    10.128.0.0/9 and a router port to `ovn_cluster_router` (`rtos-<node>`,
    the subnet's .1), with a src-ip static route for the subnet via the
    node's `join` address and a router policy letting pod traffic to that
    address through; a cluster Load_Balancer_Group on every node switch (and
    gateway router) with `services` * `scale` services backed by seeded pods;
    `scale` namespaces of seeded pods with their address sets, port groups
    and ACLs (generate.policy_rows). With `gateways`, each node also has a
    gateway router (_gateway_rows)."""
    if scale > MAX_NODES:
        raise ValueError(f"ovn-k8s has at most {MAX_NODES} nodes (/24s of 10.128.0.0/9)")
    if not 0 < pods <= 250:
        raise ValueError("ovn-k8s has 1 to 250 pods per node (a /24 each)")
    namespace_of = [p % scale for p in range(scale * pods)]
    rng.shuffle(namespace_of)
    namespace_pods: list[list[tuple[str, str]]] = [[] for _ in range(scale)]
    lsps, switches, lrps, routes, policies = {}, {}, {}, {}, {}
    for k in track(range(scale), "nodes"):
        subnet = CLUSTER_NET + (k << 8)
        members = [_link(k, f"rtos-node{k}", f"stor-node{k}", mac(subnet + 1),
                         f"{ipv4(subnet + 1)}/24", lrps, lsps)]
        for j in range(pods):
            ns = namespace_of[k * pods + j]
            uuid, lsps[uuid], ip = vif(subnet + 2 + j, f"ns{ns}_node{k}-pod{j}")
            namespace_pods[ns].append((uuid, ip))
            members.append(uuid)
        switches[row_uuid("ls", k)] = {"name": f"node{k}", "ports": uuid_set(members)}
        routes[row_uuid("route", k)] = {"ip_prefix": f"{ipv4(subnet)}/24", "policy": "src-ip",
                                        "nexthop": str(JOIN_NET[k + 2])}
        policies[row_uuid("policy", k)] = {
            "priority": 1004, "action": "allow",
            "match": f"inport == \"rtos-node{k}\" && ip4.dst == {JOIN_NET[k + 2]} /* node{k} */"}
    join_ports = [_link(scale, "rtoj-ovn_cluster_router", "jtor-ovn_cluster_router",
                        mac(int(JOIN_NET[1])), f"{JOIN_NET[1]}/{JOIN_NET.prefixlen}", lrps, lsps)]
    tables = {
        "Logical_Router_Policy": {
            **policies,
            row_uuid("policy", scale): {"priority": 101, "action": "allow",
                                        "match": "ip4.src == 10.128.0.0/9 && ip4.dst == "
                                                 "10.128.0.0/9"}},
        "Logical_Router": {row_uuid("lr", 0): {"name": "ovn_cluster_router",
                                               "ports": uuid_set(lrps),
                                               "static_routes": uuid_set(routes),
                                               "policies": uuid_set(
                                                   [*policies, row_uuid("policy", scale)])}},
    }
    lb_users = list(switches.values())
    if gateways:
        gw = _gateway_rows(scale, track, lsps, lrps, routes, switches, join_ports)
        tables["Logical_Router"].update(gw["Logical_Router"])
        tables["NAT"] = gw["NAT"]
        lb_users += gw["Logical_Router"].values()
    switches[row_uuid("ls", scale)] = {"name": "join", "ports": uuid_set(join_ports)}
    pod_ips = [ip for pods_ in namespace_pods for _, ip in pods_]
    rng.shuffle(pod_ips)
    return {
        "Logical_Switch_Port": lsps,
        "Logical_Switch": switches,
        "Logical_Router_Port": lrps,
        "Logical_Router_Static_Route": routes,
        **tables,
        **service_rows(services * scale, pod_ips, lb_users),
        **policy_rows(namespace_pods),
    }


def _gateway_rows(scale: int, track: Track, lsps: dict, lrps: dict, routes: dict,
                  switches: dict, join_ports: list[str]) -> dict[str, dict]:
    """Per node a gateway router `GR_<node>` bound to the node's chassis
    (lb_force_snat_ip=router_ip, dynamic_neigh_routers, snat-ct-zone 0) with
    a port on `join` (the node's join address) and one on the node's
    external switch `ext_<node>` (with a localnet port), routes to the
    cluster network via the cluster router and a default route out, and a
    SNAT of the node subnet to its external address. Adds the ports, routes
    and switches to the given tables (and the join ports to `join_ports`);
    returns the routers and NAT rows."""
    routers, nats = {}, {}
    for k in track(range(scale), "gateway routers"):
        gr = f"GR_node{k}"
        join_ip, ext_ip = JOIN_NET[k + 2], EXTERNAL_NET[k + 2]
        first = len(lrps)
        join_ports.append(_link(scale + 1 + k, f"rtoj-{gr}", f"jtor-{gr}", mac(int(join_ip)),
                                f"{join_ip}/{JOIN_NET.prefixlen}", lrps, lsps))
        ext_port = _link(2 * scale + 1 + k, f"rtoe-{gr}", f"etor-{gr}", mac(int(ext_ip)),
                         f"{ext_ip}/{EXTERNAL_NET.prefixlen}", lrps, lsps)
        localnet = row_uuid("lsp-localnet", k)
        lsps[localnet] = {"name": f"breth0_node{k}", "type": "localnet",
                          "addresses": "unknown",
                          "options": ["map", [["network_name", "physnet"]]]}
        switches[row_uuid("ls-ext", k)] = {"name": f"ext_node{k}",
                                           "ports": uuid_set([ext_port, localnet])}
        gr_routes = [row_uuid("route-gr-cluster", k), row_uuid("route-gr-default", k)]
        routes[gr_routes[0]] = {"ip_prefix": "10.128.0.0/9", "nexthop": str(JOIN_NET[1])}
        routes[gr_routes[1]] = {"ip_prefix": "0.0.0.0/0", "nexthop": str(EXTERNAL_NET[1]),
                                "output_port": f"rtoe-{gr}"}
        nats[row_uuid("nat", k)] = {"type": "snat", "external_ip": str(ext_ip),
                                    "logical_ip": f"{ipv4(CLUSTER_NET + (k << 8))}/24"}
        routers[row_uuid("lr-gr", k)] = {
            "name": gr, "ports": uuid_set(list(lrps)[first:]),
            "static_routes": uuid_set(gr_routes), "nat": uuid_set([row_uuid("nat", k)]),
            "options": ["map", [["chassis", f"chassis-node{k}"],
                                ["lb_force_snat_ip", "router_ip"],
                                ["dynamic_neigh_routers", "true"],
                                ["always_learn_from_arp_request", "false"],
                                ["snat-ct-zone", "0"]]]}
    return {"Logical_Router": routers, "NAT": nats}


def _link(i: int, lrp: str, lsp: str, mac_address: str, network: str,
          lrps: dict, lsps: dict) -> str:
    """Add the i-th router port `lrp` to `lrps` and the router-type switch
    port `lsp` peering with it to `lsps`; the switch port's uuid."""
    lrps[row_uuid("lrp", i)] = {"name": lrp, "mac": mac_address, "networks": network}
    uuid = row_uuid("lsp-router", i)
    lsps[uuid] = {"name": lsp, "type": "router", "addresses": "router",
                  "options": ["map", [["router-port", lrp]]]}
    return uuid


def openstack(scale: int, rng: random.Random, track: Track = _untracked) -> dict[str, dict]:
    """`scale` projects, each a tenant network (switch `neutron-<k>`, the k-th
    /24 of 10.0.0.0/8 with a DHCP_Options row) with VMS_PER_NETWORK
    VM ports (port security, DHCPv4), a security group (port group with
    ingress/egress allow-related ACLs, SSH from anywhere, traffic from the
    group itself) and a router `router-<k>` with a port on the network and
    a distributed gateway port on the shared `public` network (localnet
    port, gateway chassis) that SNATs the subnet; a seeded half of each
    network's VMs have a floating IP (dnat_and_snat with logical_port and
    external_mac).
    Every port is in the `neutron_pg_drop` group that drops the rest."""
    if scale > MAX_PROJECTS:
        raise ValueError(f"openstack has at most {MAX_PROJECTS} projects")
    lsps, switches, lrps, routers, nats, dhcp, pgs, acls = {}, {}, {}, {}, {}, {}, {}, {}
    public_ports, all_vms = [], []
    chassis = row_uuid("gateway-chassis", 0)
    for k in track(range(scale), "projects"):
        net = k << 8
        dhcp_row = row_uuid("dhcp", k)
        dhcp[dhcp_row] = {"cidr": f"{ipv4(net)}/24", "options": ["map", [
            ["lease_time", "43200"], ["mtu", "1442"], ["router", ipv4(net + 1)],
            ["server_id", ipv4(net + 1)], ["server_mac", mac(net + 1)]]]}
        vms, floating = [], set(rng.sample(range(VMS_PER_NETWORK), VMS_PER_NETWORK // 2))
        for j in range(VMS_PER_NETWORK):
            uuid, row, ip = vif(net + 2 + j, f"vm{k}-{j}")
            row["dhcpv4_options"] = uuid_set([dhcp_row])
            lsps[uuid] = row
            vms.append(uuid)
            if j in floating:
                nats[row_uuid("fip", net + j)] = {
                    "type": "dnat_and_snat", "logical_ip": ip,
                    "external_ip": str(PUBLIC_NET[net + 2 + j]), "logical_port": f"vm{k}-{j}",
                    "external_mac": mac((1 << 31) + net + 2 + j)}
        all_vms += vms
        tenant = _link(k, f"lrp-router{k}-net", f"router{k}-net-port", mac(net + 1),
                       f"{ipv4(net + 1)}/24", lrps, lsps)
        switches[row_uuid("ls", k)] = {"name": f"neutron-{k}", "ports": uuid_set([*vms, tenant])}
        gw_ip = PUBLIC_NET[(1 << 23) + k]
        public_ports.append(_link(scale + k, f"lrp-router{k}-gw", f"router{k}-gw-port",
                                  mac((1 << 30) + k), f"{gw_ip}/{PUBLIC_NET.prefixlen}",
                                  lrps, lsps))
        lrps[row_uuid("lrp", scale + k)]["gateway_chassis"] = uuid_set([chassis])
        snat = row_uuid("snat", k)
        nats[snat] = {"type": "snat", "logical_ip": f"{ipv4(net)}/24", "external_ip": str(gw_ip)}
        routers[row_uuid("lr", k)] = {
            "name": f"router-{k}",
            "ports": uuid_set([row_uuid("lrp", k), row_uuid("lrp", scale + k)]),
            "nat": uuid_set([snat, *(row_uuid("fip", net + j) for j in range(VMS_PER_NETWORK)
                                     if row_uuid("fip", net + j) in nats)]),
            "static_routes": uuid_set([row_uuid("route", k)])}
        pg = row_uuid("pg", k)
        pgs[pg] = {"name": f"pg_sg{k}", "ports": uuid_set(vms),
                   "acls": uuid_set(row_uuid("acl", 4 * k + a) for a in range(4))}
        for a, (direction, match) in enumerate((
                ("from-lport", f"inport == @pg_sg{k} && ip4"),
                ("to-lport", f"outport == @pg_sg{k} && ip4 && ip4.src == $pg_sg{k}_ip4"),
                ("to-lport", f"outport == @pg_sg{k} && ip4 && tcp.dst == 22"),
                ("to-lport", f"outport == @pg_sg{k} && ip4 && icmp4"))):
            acls[row_uuid("acl", 4 * k + a)] = {"priority": 1002, "direction": direction,
                                                "match": match, "action": "allow-related"}
    routes = {row_uuid("route", k): {"ip_prefix": "0.0.0.0/0", "nexthop": str(PUBLIC_NET[1])}
              for k in range(scale)}
    localnet = row_uuid("lsp-localnet", 0)
    lsps[localnet] = {"name": "provnet-public", "type": "localnet", "addresses": "unknown",
                      "options": ["map", [["network_name", "physnet1"]]]}
    switches[row_uuid("ls", scale)] = {"name": "public",
                                       "ports": uuid_set([*public_ports, localnet])}
    drop = row_uuid("pg", scale)
    pgs[drop] = {"name": "neutron_pg_drop", "ports": uuid_set(all_vms),
                 "acls": uuid_set([row_uuid("acl-drop", 0), row_uuid("acl-drop", 1)])}
    for a, (direction, port) in enumerate((("from-lport", "inport"), ("to-lport", "outport"))):
        acls[row_uuid("acl-drop", a)] = {"priority": 1001, "direction": direction,
                                         "match": f"{port} == @neutron_pg_drop && ip",
                                         "action": "drop"}
    return {
        "Logical_Switch_Port": lsps, "Logical_Switch": switches,
        "Logical_Router_Port": lrps, "Logical_Router": routers,
        "Logical_Router_Static_Route": routes, "NAT": nats, "DHCP_Options": dhcp,
        "Gateway_Chassis": {chassis: {"name": "lrp-gw-gateway-chassis-0",
                                      "chassis_name": "gateway-chassis-0", "priority": 1}},
        "Port_Group": pgs, "ACL": acls,
    }


# name -> profile; each says what it models in its docstring
PROFILES: dict[str, Callable[..., dict[str, dict]]] = {
    "l2": l2,
    "ovn-k8s": ovn_k8s,
    # density variants
    "ovn-k8s-pods": partial(ovn_k8s, pods=5 * PODS_PER_NODE),
    "ovn-k8s-services": partial(ovn_k8s, services=5 * SERVICES_PER_NODE),
    # the cluster router alone: what relnorthd computes exactly today
    "ovn-k8s-cluster": partial(ovn_k8s, gateways=False),
    "openstack": openstack,
}


def generate(profile: str, scale: int, path: str | Path, seed: int = 0,
             track: Track = _untracked) -> dict[str, int]:
    """Write the NB of `profile` at `scale` to `path` (with an NB_Global row);
    its object count per table, NB_Global aside."""
    tables = PROFILES[profile](scale, random.Random(seed), track)
    write_nb(path, tables)
    return {table: len(rows) for table, rows in tables.items()}
