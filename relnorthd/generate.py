"""Deterministic NB databases for examples and benchmarks, written as
standalone OVSDB files (readable by ovsdb-server and by our mirror)."""
from __future__ import annotations

import json
import uuid as uuidlib
from pathlib import Path

from .mirror.dbwriter import write_db_file

INSTALLED_NB_SCHEMA = Path("/usr/share/ovn/ovn-nb.ovsschema")


def _uuid(kind: str, i: int) -> str:
    return str(uuidlib.uuid5(uuidlib.NAMESPACE_OID, f"relnorthd/{kind}/{i}"))


def datapaths_nb(path: str | Path, switches: int, routers: int, ports: int = 0,
                 schema_file: str | Path = INSTALLED_NB_SCHEMA) -> Path:
    """An NB with `switches` logical switches (each with `ports` VIF ports
    addressed `MAC IPv4`, ovn-kubernetes style) and `routers` logical routers."""
    schema = json.loads(Path(schema_file).read_text())
    txn = {**datapaths_nb_rows(switches, ports),
           "Logical_Router": {_uuid("lr", i): {"name": f"lr{i}"} for i in range(routers)},
           "NB_Global": {_uuid("nb_global", 0): {}}}
    return write_db_file(path, schema, [txn])


def _vif(n: int, name: str) -> tuple[str, dict, str]:
    """The n-th VIF port (n >= 1): uuid, row (`MAC IPv4` addresses and port
    security, ovn-kubernetes style) and IPv4 address."""
    mac = ":".join(f"{b:02x}" for b in (0x0A, 0x58, *n.to_bytes(4, "big")))
    ip = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
    return (_uuid("lsp", n), {"name": name, "addresses": f"{mac} {ip}",
                              "port_security": f"{mac} {ip}"}, ip)


def datapaths_nb_rows(switches: int, ports: int) -> dict[str, dict]:
    """Logical_Switch and Logical_Switch_Port rows: `switches` switches with
    `ports` VIF ports each (`MAC IPv4` addresses and port security)."""
    lsps, switch_rows = {}, {}
    for i in range(switches):
        members = []
        for j in range(ports):
            uuid, lsps[uuid], _ = _vif(i * ports + j + 1, f"sw{i}-p{j}")
            members.append(uuid)
        switch_rows[_uuid("ls", i)] = {"name": f"sw{i}", "ports": _refs(members)}
    return {"Logical_Switch_Port": lsps, "Logical_Switch": switch_rows}


def _set(values) -> list:
    return ["set", list(values)]


def _refs(uuids) -> list:
    return _set(["uuid", u] for u in uuids)


def policy_nb(path: str | Path, namespaces: int, nodes: int = 10, pods_per_namespace: int = 4,
              schema_file: str | Path = INSTALLED_NB_SCHEMA) -> Path:
    """An NB shaped like ovn-kubernetes network policy: `nodes` node switches
    with the pods of `namespaces` namespaces spread over them; per namespace
    an address set of its pod IPs and three port groups (ingress and egress
    default-deny, one policy) with the ACLs ovn-kubernetes writes for them
    (drops, ARP allows, an allow-related from the previous namespace's pods,
    apply-after-lb egress rules, a logging ACL on a fair meter)."""
    schema = json.loads(Path(schema_file).read_text())
    node_ports: dict[int, list[str]] = {n: [] for n in range(nodes)}
    lsps, address_sets, port_groups, acls = {}, {}, {}, {}
    meter, band = _uuid("meter", 0), _uuid("meter_band", 0)
    for ns in range(namespaces):
        pods, ips = [], []
        for p in range(pods_per_namespace):
            n = ns * pods_per_namespace + p + 1
            uuid, lsps[uuid], ip = _vif(n, f"ns{ns}_pod{p}")
            node_ports[n % nodes].append(uuid)
            pods.append(uuid)
            ips.append(ip)
        address_sets[_uuid("as", ns)] = {"name": f"ns{ns}_v4", "addresses": _set(ips)}
        peer = f"$ns{(ns - 1) % namespaces}_v4"
        groups = {
            "ingressDefaultDeny": [
                ("to-lport", 1000, "outport == @PG && ip", "drop", {}),
                ("to-lport", 1001, "outport == @PG && arp", "allow", {})],
            "egressDefaultDeny": [
                ("from-lport", 1000, "inport == @PG && ip", "drop",
                 {"options": ["map", [["apply-after-lb", "true"]]]}),
                ("from-lport", 1001, "inport == @PG && arp", "allow",
                 {"options": ["map", [["apply-after-lb", "true"]]]})],
            "policy0": [
                ("to-lport", 1001, f"ip4.src == {{{peer}}} && outport == @PG",
                 "allow-related", {"name": f"ns{ns}_policy0_ingress", "log": ns % 5 == 0,
                                   "meter": "acl-logging", "severity": "info"}),
                ("from-lport", 1001, "ip4.dst == 10.96.0.10 && udp.dst == 53 && "
                 "inport == @PG", "allow-related",
                 {"options": ["map", [["apply-after-lb", "true"]]]})],
        }
        for g, (kind, rules) in enumerate(groups.items()):
            pg_name = f"ns{ns}_{kind}"
            acl_uuids = []
            for r, (direction, prio, match, action, extra) in enumerate(rules):
                acl_uuid = _uuid("acl", (ns * 3 + g) * 10 + r)
                acls[acl_uuid] = {"direction": direction, "priority": prio, "action": action,
                                  "match": match.replace("@PG", f"@{pg_name}"), **extra}
                acl_uuids.append(acl_uuid)
            port_groups[_uuid("pg", ns * 3 + g)] = {
                "name": pg_name, "ports": _refs(pods), "acls": _refs(acl_uuids)}
    txn = {
        "Logical_Switch_Port": lsps,
        "Logical_Switch": {_uuid("ls", n): {"name": f"node{n}", "ports": _refs(members)}
                           for n, members in node_ports.items()},
        "Address_Set": address_sets,
        "ACL": acls,
        "Port_Group": port_groups,
        "Meter_Band": {band: {"action": "drop", "rate": 20}},
        "Meter": {meter: {"name": "acl-logging", "unit": "pktps", "fair": True,
                          "bands": _refs([band])}},
        "NB_Global": {_uuid("nb_global", 0): {}},
    }
    return write_db_file(path, schema, [txn])


def lb_group_nb(path: str | Path, switches: int, services: int, ports: int = 10,
                schema_file: str | Path = INSTALLED_NB_SCHEMA) -> Path:
    """An NB shaped like ovn-kubernetes services: `switches` node switches
    with `ports` pods each, and one cluster-wide Load_Balancer_Group on every
    switch holding `services` TCP load balancers (one ClusterIP VIP
    10.96.x.y:80 with two pod backends each; every tenth with
    affinity_timeout, every twentieth options:reject)."""
    schema = json.loads(Path(schema_file).read_text())
    datapaths = datapaths_nb_rows(switches, ports)
    lbs = {}
    for s in range(services):
        vip = f"10.96.{s >> 8 & 255}.{s & 255}:80"
        backends = ",".join(f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}:8080"
                            for n in ((s * 2 + k) % max(switches * ports, 1) + 1 for k in (0, 1)))
        options = [["affinity_timeout", "30"]] if s % 10 == 0 else []
        if s % 20 == 0:
            options.append(["reject", "true"])
        lbs[_uuid("lb", s)] = {"name": f"svc{s}", "protocol": "tcp",
                               "vips": ["map", [[vip, backends]]],
                               "options": ["map", options]}
    group = _uuid("lb_group", 0)
    for row in datapaths["Logical_Switch"].values():
        row["load_balancer_group"] = _refs([group])
    txn = {**datapaths,
           "Load_Balancer": lbs,
           "Load_Balancer_Group": {group: {"name": "clusterLBGroup", "load_balancer": _refs(lbs)}},
           "NB_Global": {_uuid("nb_global", 0): {}}}
    return write_db_file(path, schema, [txn])
