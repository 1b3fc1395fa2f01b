"""Synthetic NBs of deployment profiles for flow-explosion analysis
(`relnorthd gen`): deterministic for a profile, scale and seed; the object
counts depend on the scale only, the seed picks which objects get what.
Only features relnorthd computes exactly (no NAT, gateway routers or
gateway ports).
"""
from __future__ import annotations

import ipaddress
import random
from collections.abc import Callable, Iterable
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


def ovn_k8s(scale: int, rng: random.Random, track: Track = _untracked) -> dict[str, dict]:
    """`scale` nodes, each a node switch with PODS_PER_NODE pods in the node's
    /24 of 10.128.0.0/9 and a router port to `ovn_cluster_router` (`rtos-<node>`,
    the subnet's .1), with a src-ip static route for the subnet via a `join`
    network address and a router policy letting pod traffic to the node's join
    address through; a cluster Load_Balancer_Group on every node switch with
    SERVICES_PER_NODE * `scale` services backed by seeded pods; `scale`
    namespaces of seeded pods with their address sets, port groups and ACLs
    (generate.policy_rows)."""
    if scale > MAX_NODES:
        raise ValueError(f"ovn-k8s has at most {MAX_NODES} nodes (/24s of 10.128.0.0/9)")
    namespace_of = [p % scale for p in range(scale * PODS_PER_NODE)]
    rng.shuffle(namespace_of)
    namespace_pods: list[list[tuple[str, str]]] = [[] for _ in range(scale)]
    lsps, switches, lrps, routes, policies = {}, {}, {}, {}, {}
    for k in track(range(scale), "nodes"):
        subnet = CLUSTER_NET + (k << 8)
        members = [_link(k, f"rtos-node{k}", f"stor-node{k}", mac(subnet + 1),
                         f"{ipv4(subnet + 1)}/24", lrps, lsps)]
        for j in range(PODS_PER_NODE):
            ns = namespace_of[k * PODS_PER_NODE + j]
            uuid, lsps[uuid], ip = vif(subnet + 2 + j, f"ns{ns}_node{k}-pod{j}")
            namespace_pods[ns].append((uuid, ip))
            members.append(uuid)
        switches[row_uuid("ls", k)] = {"name": f"node{k}", "ports": uuid_set(members)}
        routes[row_uuid("route", k)] = {"ip_prefix": f"{ipv4(subnet)}/24", "policy": "src-ip",
                                        "nexthop": str(JOIN_NET[k + 2])}
        policies[row_uuid("policy", k)] = {
            "priority": 1004, "action": "allow",
            "match": f"inport == \"rtos-node{k}\" && ip4.dst == {JOIN_NET[k + 2]} /* node{k} */"}
    join = _link(scale, "rtoj-ovn_cluster_router", "jtor-ovn_cluster_router",
                 mac(int(JOIN_NET[1])), f"{JOIN_NET[1]}/{JOIN_NET.prefixlen}", lrps, lsps)
    pod_ips = [ip for pods in namespace_pods for _, ip in pods]
    rng.shuffle(pod_ips)
    lbs = service_rows(SERVICES_PER_NODE * scale, pod_ips, switches.values())
    return {
        "Logical_Switch_Port": lsps,
        "Logical_Switch": {**switches,
                           row_uuid("ls", scale): {"name": "join", "ports": uuid_set([join])}},
        "Logical_Router_Port": lrps,
        "Logical_Router_Static_Route": routes,
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
        **lbs,
        **policy_rows(namespace_pods),
    }


def _link(i: int, lrp: str, lsp: str, mac_address: str, network: str,
          lrps: dict, lsps: dict) -> str:
    """Add the i-th router port `lrp` to `lrps` and the router-type switch
    port `lsp` peering with it to `lsps`; the switch port's uuid."""
    lrps[row_uuid("lrp", i)] = {"name": lrp, "mac": mac_address, "networks": network}
    uuid = row_uuid("lsp-router", i)
    lsps[uuid] = {"name": lsp, "type": "router", "addresses": "router",
                  "options": ["map", [["router-port", lrp]]]}
    return uuid


PROFILES: dict[str, Callable[..., dict[str, dict]]] = {"l2": l2, "ovn-k8s": ovn_k8s}


def generate(profile: str, scale: int, path: str | Path, seed: int = 0,
             track: Track = _untracked) -> dict[str, int]:
    """Write the NB of `profile` at `scale` to `path` (with an NB_Global row);
    its object count per table, NB_Global aside."""
    tables = PROFILES[profile](scale, random.Random(seed), track)
    write_nb(path, tables)
    return {table: len(rows) for table, rows in tables.items()}
