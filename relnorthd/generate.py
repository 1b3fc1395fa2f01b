"""Deterministic NB databases for examples and benchmarks, written as
standalone OVSDB files (readable by ovsdb-server and by our mirror).

The `*_rows` functions build tables ({table: {uuid: row}}, values in OVSDB
JSON form) that `relnorthd.profiles` composes into larger NBs."""
from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Iterable
from pathlib import Path

from .mirror.dbwriter import write_db_file

INSTALLED_NB_SCHEMA = Path("/usr/share/ovn/ovn-nb.ovsschema")


def row_uuid(kind: str, i: int) -> str:
    """The uuid of the i-th generated row of `kind` (the same in every NB)."""
    return str(uuidlib.uuid5(uuidlib.NAMESPACE_OID, f"relnorthd/{kind}/{i}"))


def value_set(values) -> list:
    return ["set", list(values)]


def uuid_set(uuids) -> list:
    return value_set(["uuid", u] for u in uuids)


def ipv4(n: int) -> str:
    """The n-th address after 10.0.0.0."""
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def mac(n: int) -> str:
    """0a:58 followed by n's four bytes."""
    return ":".join(f"{b:02x}" for b in (0x0A, 0x58, *n.to_bytes(4, "big")))


def write_nb(path: str | Path, tables: dict[str, dict],
             schema_file: str | Path = INSTALLED_NB_SCHEMA) -> Path:
    """Write `tables` and an NB_Global row as one transaction."""
    schema = json.loads(Path(schema_file).read_text())
    return write_db_file(path, schema, [{**tables, "NB_Global": {row_uuid("nb_global", 0): {}}}])


def datapaths_nb(path: str | Path, switches: int, routers: int, ports: int = 0,
                 schema_file: str | Path = INSTALLED_NB_SCHEMA) -> Path:
    """An NB with `switches` logical switches (each with `ports` VIF ports
    addressed `MAC IPv4`, ovn-kubernetes style) and `routers` logical routers."""
    return write_nb(path, {
        **datapaths_nb_rows(switches, ports),
        "Logical_Router": {row_uuid("lr", i): {"name": f"lr{i}"} for i in range(routers)},
    }, schema_file)


def vif(n: int, name: str) -> tuple[str, dict, str]:
    """The n-th VIF port (n >= 1): uuid, row (`MAC IPv4` addresses and port
    security, ovn-kubernetes style: MAC 0a:58 + n, IPv4 10.0.0.0 + n) and IPv4
    address."""
    address = f"{mac(n)} {ipv4(n)}"
    return row_uuid("lsp", n), {"name": name, "addresses": address,
                                "port_security": address}, ipv4(n)


def datapaths_nb_rows(switches: int, ports: int) -> dict[str, dict]:
    """Logical_Switch and Logical_Switch_Port rows: `switches` switches with
    `ports` VIF ports each (`MAC IPv4` addresses and port security)."""
    return numbered_switch_rows(range(switches), ports)


def numbered_switch_rows(numbers: Iterable[int], ports: int) -> dict[str, dict]:
    """The rows of datapaths_nb_rows for the switches numbered `numbers`."""
    lsps, switch_rows = {}, {}
    for i in numbers:
        members = []
        for j in range(ports):
            uuid, lsps[uuid], _ = vif(i * ports + j + 1, f"sw{i}-p{j}")
            members.append(uuid)
        switch_rows[row_uuid("ls", i)] = {"name": f"sw{i}", "ports": uuid_set(members)}
    return {"Logical_Switch_Port": lsps, "Logical_Switch": switch_rows}


def policy_nb(path: str | Path, namespaces: int, nodes: int = 10, pods_per_namespace: int = 4,
              schema_file: str | Path = INSTALLED_NB_SCHEMA) -> Path:
    """An NB shaped like ovn-kubernetes network policy: `nodes` node switches
    with the pods of `namespaces` namespaces spread over them, and the
    policy_rows of the namespaces."""
    node_ports: dict[int, list[str]] = {n: [] for n in range(nodes)}
    lsps, namespace_pods = {}, []
    for ns in range(namespaces):
        pods = []
        for p in range(pods_per_namespace):
            n = ns * pods_per_namespace + p + 1
            uuid, lsps[uuid], ip = vif(n, f"ns{ns}_pod{p}")
            node_ports[n % nodes].append(uuid)
            pods.append((uuid, ip))
        namespace_pods.append(pods)
    return write_nb(path, {
        "Logical_Switch_Port": lsps,
        "Logical_Switch": {row_uuid("ls", n): {"name": f"node{n}", "ports": uuid_set(members)}
                           for n, members in node_ports.items()},
        **policy_rows(namespace_pods),
    }, schema_file)


def policy_rows(namespace_pods: list[list[tuple[str, str]]]) -> dict[str, dict]:
    """Address_Set, ACL, Port_Group and Meter rows shaped like ovn-kubernetes
    network policy, given each namespace's pods as (LSP uuid, IPv4): per
    namespace an address set of its pod IPs and three port groups (ingress and
    egress default-deny, one policy) with the ACLs ovn-kubernetes writes for
    them (drops, ARP allows, an allow-related from the previous namespace's
    pods, apply-after-lb egress rules, a logging ACL on a fair meter)."""
    address_sets, port_groups, acls = {}, {}, {}
    meter, band = row_uuid("meter", 0), row_uuid("meter_band", 0)
    after_lb = {"options": ["map", [["apply-after-lb", "true"]]]}
    for ns, pods in enumerate(namespace_pods):
        address_sets[row_uuid("as", ns)] = {"name": f"ns{ns}_v4",
                                            "addresses": value_set(ip for _, ip in pods)}
        peer = f"$ns{(ns - 1) % len(namespace_pods)}_v4"
        groups = {
            "ingressDefaultDeny": [
                ("to-lport", 1000, "outport == @PG && ip", "drop", {}),
                ("to-lport", 1001, "outport == @PG && arp", "allow", {})],
            "egressDefaultDeny": [
                ("from-lport", 1000, "inport == @PG && ip", "drop", after_lb),
                ("from-lport", 1001, "inport == @PG && arp", "allow", after_lb)],
            "policy0": [
                ("to-lport", 1001, f"ip4.src == {{{peer}}} && outport == @PG",
                 "allow-related", {"name": f"ns{ns}_policy0_ingress", "log": ns % 5 == 0,
                                   "meter": "acl-logging", "severity": "info"}),
                ("from-lport", 1001, "ip4.dst == 10.96.0.10 && udp.dst == 53 && "
                 "inport == @PG", "allow-related", after_lb)],
        }
        for g, (kind, rules) in enumerate(groups.items()):
            pg_name = f"ns{ns}_{kind}"
            acl_uuids = []
            for r, (direction, prio, match, action, extra) in enumerate(rules):
                acl_uuid = row_uuid("acl", (ns * 3 + g) * 10 + r)
                acls[acl_uuid] = {"direction": direction, "priority": prio, "action": action,
                                  "match": match.replace("@PG", f"@{pg_name}"), **extra}
                acl_uuids.append(acl_uuid)
            port_groups[row_uuid("pg", ns * 3 + g)] = {
                "name": pg_name, "ports": uuid_set(u for u, _ in pods),
                "acls": uuid_set(acl_uuids)}
    return {
        "Address_Set": address_sets,
        "ACL": acls,
        "Port_Group": port_groups,
        "Meter_Band": {band: {"action": "drop", "rate": 20}},
        "Meter": {meter: {"name": "acl-logging", "unit": "pktps", "fair": True,
                          "bands": uuid_set([band])}},
    }


def lb_group_nb(path: str | Path, switches: int, services: int, ports: int = 10,
                schema_file: str | Path = INSTALLED_NB_SCHEMA) -> Path:
    """An NB shaped like ovn-kubernetes services: `switches` node switches
    with `ports` pods each, and the service_rows of `services` services with
    pod backends on every switch."""
    datapaths = datapaths_nb_rows(switches, ports)
    pod_ips = [ipv4(n) for n in range(1, max(switches * ports, 1) + 1)]
    lbs = service_rows(services, pod_ips, datapaths["Logical_Switch"].values())
    return write_nb(path, {**datapaths, **lbs}, schema_file)


def service_rows(services: int, backend_ips: list[str],
                 switches: Iterable[dict]) -> dict[str, dict]:
    """Load_Balancer and Load_Balancer_Group rows shaped like ovn-kubernetes
    services: one cluster-wide group, added to the `switches` rows, holding
    `services` TCP load balancers (one ClusterIP VIP 10.96.0.0 + s, port 80,
    with the next two of `backend_ips` as backends, port 8080; every tenth
    with affinity_timeout, every twentieth options:reject)."""
    lbs = {}
    for s in range(services):
        vip = f"10.{96 + (s >> 16)}.{s >> 8 & 255}.{s & 255}:80"
        backends = ",".join(f"{backend_ips[(s * 2 + k) % len(backend_ips)]}:8080"
                            for k in (0, 1))
        options = [["affinity_timeout", "30"]] if s % 10 == 0 else []
        if s % 20 == 0:
            options.append(["reject", "true"])
        lbs[row_uuid("lb", s)] = {"name": f"svc{s}", "protocol": "tcp",
                                  "vips": ["map", [[vip, backends]]],
                                  "options": ["map", options]}
    group = row_uuid("lb_group", 0)
    for row in switches:
        row["load_balancer_group"] = uuid_set([group])
    return {"Load_Balancer": lbs,
            "Load_Balancer_Group": {group: {"name": "clusterLBGroup",
                                            "load_balancer": uuid_set(lbs)}}}
