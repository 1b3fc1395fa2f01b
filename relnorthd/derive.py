"""Derived relations computed in Python, registered next to the NB tables.

Only what SQL cannot do portably lives here: parsing OVN address strings
the way northd's scanners (sscanf, inet_pton) do. Each distinct string is parsed
once; SQL joins the result back to the rows that use it.
"""
from __future__ import annotations

import logging
import socket

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .addresses import (
    ip_bits,
    inet_pton,
    ipam_ipv6_prefix,
    ipam_subnet,
    parse_ip,
    parse_ip_list,
    parse_ipv4_cidr,
    parse_ipv6_cidr,
    parse_lrp_networks,
    parse_endpoint,
    parse_inet_address,
    parse_lb_backends,
    parse_lsp_address,
    parse_template_lb_vip,
    parse_masked,
    scan_mac,
    scan_masked,
    eui64_lla,
    masked_bits_pattern,
    ntop6,
)
from .mirror import Database
from .ovshash import sset_order

log = logging.getLogger(__name__)

PARSED_ADDRESS = pa.schema([
    ("address", pa.string()),     # the NB string as written
    ("mac", pa.string()),         # normalised MAC
    ("family", pa.string()),      # ipv4 | ipv6 | null for a MAC-only entry
    ("ip_index", pa.int64()),     # position among the entry's IPs of that family
    ("addr", pa.string()),
    ("plen", pa.int64()),
    ("network", pa.string()),
    ("bcast", pa.string()),       # IPv4 broadcast
    ("sn_addr", pa.string()),     # IPv6 solicited-node address
    ("bits", pa.string()),        # addr as bits (addresses.ip_bits)
])


def _lsp_address_strings(nb: Database) -> pa.Array:
    """Every `MAC [IP...]` string of switch ports: addresses, port_security,
    dynamic_addresses and options:nat-addresses."""
    lsp = nb["Logical_Switch_Port"]
    strings = pc.unique(pc.list_flatten(pa.concat_arrays(
        [lsp["addresses"].combine_chunks(), lsp["port_security"].combine_chunks()])))
    dynamic = pc.drop_null(lsp["dynamic_addresses"]).combine_chunks()
    nat = pa.array(_option_values(nb, "Logical_Switch_Port", "nat-addresses"), pa.string())
    return pc.unique(pa.concat_arrays([strings.cast(pa.string()), dynamic, nat]))


# `MAC IPv4` already in the form northd prints (lowercase two-digit MAC,
# dotted quad without leading zeros): parsing would return it unchanged, so
# these are split without per-string Python.
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_CANONICAL_MAC_IPV4 = rf"^([0-9a-f]{{2}}:){{5}}[0-9a-f]{{2}} {_OCTET}(\.{_OCTET}){{3}}$"


def _canonical_mac_ipv4(strings: pa.Array) -> pa.Table:
    ip = pc.utf8_slice_codeunits(strings, 18)
    return pa.table({"address": strings, "mac": pc.utf8_slice_codeunits(strings, 0, 17),
                     "family": pa.array(["ipv4"] * len(strings), pa.string()),
                     "ip_index": pa.array([0] * len(strings), pa.int64()),
                     "addr": ip, "plen": pa.array([32] * len(strings), pa.int64()),
                     "network": ip, "bcast": ip,
                     "sn_addr": pa.nulls(len(strings), pa.string()),
                     "bits": _ipv4_bits(ip)}, schema=PARSED_ADDRESS)


def _ipv4_bits(ips: pa.Array) -> pa.Array:
    """ip_bits() of canonical dotted quads, column-wise."""
    octets = pc.list_flatten(pc.split_pattern(ips, "."))
    octets = pc.cast(octets, pa.int64())
    value = pa.array([0] * len(ips), pa.int64())
    for i in range(4):
        octet = pc.take(octets, pa.array(range(i, 4 * len(ips), 4), pa.int64()))
        value = pc.add(pc.shift_left(value, 8), octet)
    bits = [pc.cast(pc.bit_wise_and(pc.shift_right(value, k), 1), pa.string())
            for k in range(31, -1, -1)]
    return pc.binary_join_element_wise(*bits, "")


def parsed_addresses(nb: Database) -> pa.Table:
    """`MAC [IP...]` strings of LSP addresses, port_security and
    dynamic_addresses, one row per IP (one row with null family when there is
    none); strings without a leading MAC have no rows."""
    strings = _lsp_address_strings(nb)
    canonical = pc.match_substring_regex(strings, _CANONICAL_MAC_IPV4)
    rows = []
    for s in pc.filter(strings, pc.invert(canonical)).to_pylist():
        parsed = parse_lsp_address(s)
        if parsed is None:
            continue
        base = {"address": s, "mac": parsed.mac}
        if not parsed.ipv4 and not parsed.ipv6:
            rows.append(base)
        rows += [{**base, "family": "ipv4", "ip_index": i, "addr": a.addr, "plen": a.plen,
                  "network": a.network, "bcast": a.bcast, "bits": ip_bits(a.addr)}
                 for i, a in enumerate(parsed.ipv4)]
        rows += [{**base, "family": "ipv6", "ip_index": i, "addr": a.addr, "plen": a.plen,
                  "network": a.network, "sn_addr": a.sn_addr, "bits": ip_bits(a.addr)}
                 for i, a in enumerate(parsed.ipv6)]
    return pa.concat_tables([_canonical_mac_ipv4(pc.filter(strings, canonical)),
                             pa.Table.from_pylist(rows, schema=PARSED_ADDRESS)])


PARSED_IP = pa.schema([
    ("text", pa.string()),        # the NB string as written
    ("family", pa.string()),      # ipv4 | ipv6
    ("addr", pa.string()),        # normalised
    ("sn_addr", pa.string()),     # IPv6 solicited-node address
    ("bits", pa.string()),        # addr as bits (addresses.ip_bits)
])


def _option_values(nb: Database, table: str, key: str) -> list[str]:
    opts = nb[table]["options"].combine_chunks()
    values = pc.map_lookup(opts, pa.scalar(key), "first")
    return pc.unique(pc.drop_null(values)).to_pylist()


def parsed_ips(nb: Database) -> pa.Table:
    """Whole-string IPs (ip_parse / ipv6_parse, i.e. inet_pton) used in
    options: LSP virtual-ip. Strings that do not parse have no row."""
    rows = []
    for text in _option_values(nb, "Logical_Switch_Port", "virtual-ip"):
        ip = parse_ip(text)
        if ip is not None:
            rows.append({"text": text, **ip, "bits": ip_bits(ip["addr"])})
    return pa.Table.from_pylist(rows, schema=PARSED_IP)


PARSED_IP_LIST = pa.schema([
    ("text", pa.string()),        # the NB string as written
    ("family", pa.string()),      # ipv4 | ipv6
    ("ip_index", pa.int64()),     # position among the string's IPs of that family
    ("addr", pa.string()),        # normalised
])


def parsed_ip_lists(nb: Database) -> pa.Table:
    """Space-separated IP lists in options (extract_ip_addresses): LSP
    arp_proxy. Strings without any IP have no row."""
    rows = []
    for text in _option_values(nb, "Logical_Switch_Port", "arp_proxy"):
        parsed = parse_ip_list(text)
        if parsed is None:
            continue
        for family, ips in zip(("ipv4", "ipv6"), parsed, strict=True):
            rows += [{"text": text, "family": family, "ip_index": i, "addr": a.addr}
                     for i, a in enumerate(ips)]
    return pa.Table.from_pylist(rows, schema=PARSED_IP_LIST)


LRP_NETWORKS = pa.schema([("lrp", pa.string())]
                         + [f for f in PARSED_ADDRESS if f.name != "address"])


def lrp_networks(nb: Database) -> pa.Table:
    """Router ports' parsed MAC and networks (+ link-local), one row per IP;
    ports with an invalid MAC have no rows (northd ignores such ports)."""
    rows = []
    for port in nb["Logical_Router_Port"].select(["_uuid", "mac", "networks"]).to_pylist():
        parsed = parse_lrp_networks(port["mac"], port["networks"])
        if parsed is None:
            continue
        base = {"lrp": port["_uuid"], "mac": parsed.mac}
        rows += [{**base, "family": "ipv4", "ip_index": i, "addr": a.addr, "plen": a.plen,
                  "network": a.network, "bcast": a.bcast, "bits": ip_bits(a.addr)}
                 for i, a in enumerate(parsed.ipv4)]
        rows += [{**base, "family": "ipv6", "ip_index": i, "addr": a.addr, "plen": a.plen,
                  "network": a.network, "sn_addr": a.sn_addr, "bits": ip_bits(a.addr)}
                 for i, a in enumerate(parsed.ipv6)]
    return pa.Table.from_pylist(rows, schema=LRP_NETWORKS)


def _map_entries(column: pa.ChunkedArray) -> pa.Array:
    """All (key, value) structs of a map column, every row's entries."""
    maps = column.combine_chunks()
    return pa.StructArray.from_arrays([maps.keys, maps.items], names=["key", "value"])


LB_VIPS = pa.schema([
    ("vip_key", pa.string()),     # Load_Balancer.vips key as written
    ("vip_value", pa.string()),   # ... and its value (the backends)
    ("template_family", pa.string()),  # '' | a template LB's ipv4 | ipv6
    ("family", pa.string()),      # ipv4 | ipv6
    ("vip", pa.string()),         # normalised IP, or a template's text
    ("bits", pa.string()),        # the IP as bits (addresses.ip_bits); null for a template
    ("port", pa.int64()),         # 0: no port, or a template's
    ("port_str", pa.string()),    # the port as flows print it; null: none
    ("n_backends", pa.int64()),   # valid backends
])
LB_BACKENDS = pa.schema([
    ("vip_key", pa.string()), ("vip_value", pa.string()), ("template_family", pa.string()),
    ("idx", pa.int64()),          # position among the valid backends
    ("ip", pa.string()),          # normalised IP, or a template's text
    ("port", pa.int64()),         # 0: no port, or a template's
    ("port_str", pa.string()),    # the port as flows print it; null: none
])


def lb_template_family(options: dict) -> str:
    """'' for an LB that is not a template, else its options:address-family
    as ovn_northd_lb_create() reads it (anything but ipv4 is ipv6)."""
    if options.get("template", "").lower() != "true":
        return ""
    return "ipv4" if options.get("address-family", "ipv4") == "ipv4" else "ipv6"


def lb_vips(nb: Database) -> tuple[pa.Table, pa.Table]:
    """Parsed LB VIPs and their backends (ovn_lb_vip_init), keyed by the
    VIP's (key, value) strings and the template family of its LB; a VIP
    whose key or backends do not parse has no row (northd skips it with a
    warning)."""
    entries = {(key, value, lb_template_family(dict(lb["options"])))
               for lb in nb["Load_Balancer"].select(["vips", "options"]).to_pylist()
               for key, value in lb["vips"]}
    vips, backends = [], []
    for key, value, template in entries:
        parsed = _parse_lb_vip(key, value, template)
        if parsed is None:
            log.warning("Load_Balancer VIP %r -> %r is not valid; skipped (as northd does)",
                        key, value)
            continue
        (family, vip, port, port_str), parsed_backends = parsed
        base = {"vip_key": key, "vip_value": value, "template_family": template}
        vips.append({**base, "family": family, "vip": vip,
                     "bits": None if template else ip_bits(vip), "port": port,
                     "port_str": port_str, "n_backends": len(parsed_backends)})
        backends += [{**base, "idx": i, "ip": ip, "port": port, "port_str": port_str}
                     for i, (ip, port, port_str) in enumerate(parsed_backends)]
    return (pa.Table.from_pylist(vips, schema=LB_VIPS),
            pa.Table.from_pylist(backends, schema=LB_BACKENDS))


def _parse_lb_vip(key: str, value: str, template: str):
    """((family, vip, port, port_str), [(ip, port, port_str)]) or None."""
    if template:
        parsed = parse_template_lb_vip(key, value, template)
        if parsed is None:
            return None
        vip, port_str, backends = parsed
        return (template, vip, 0, port_str), backends
    vip = parse_endpoint(key)
    backends = None if vip is None else parse_lb_backends(value, vip)
    if backends is None:
        return None
    return ((vip.family, vip.ip, vip.port, _port_str(vip.port)),
            [(b.ip, b.port, _port_str(b.port)) for b in backends])


def _port_str(port: int) -> str | None:
    return str(port) if port else None


LB_SRC_IPS = pa.schema([("text", pa.string()), ("ip", pa.string())])


def lb_src_ips(nb: Database) -> pa.Table:
    """Service-monitor source IPs: the part after the first ':' of each LB
    ip_port_mappings value, parsed as inet_parse_address() does."""
    values = _map_entries(nb["Load_Balancer"]["ip_port_mappings"])
    texts = {v["value"].split(":", 1)[1] for v in values.to_pylist() if ":" in v["value"]}
    rows = [{"text": t, "ip": ip} for t in texts if (ip := parse_inet_address(t)) is not None]
    return pa.Table.from_pylist(rows, schema=LB_SRC_IPS)


ROUTES = pa.schema([
    ("route", pa.string()),        # Logical_Router_Static_Route uuid
    ("family", pa.string()),       # ipv4 | ipv6, of ip_prefix
    ("prefix", pa.string()),       # the network, masked, as northd prints it
    ("plen", pa.int64()),
    ("prefix_bits", pa.string()),
    ("nexthop_bits", pa.string()), # the nexthop as an address, if it is one
])


def parsed_routes(nb: Database) -> pa.Table:
    """Static routes that parse the way parsed_routes_add() demands: an
    ip_prefix, and a nexthop that is empty, "discard", or one host address of
    the prefix's family. Other routes have no row (northd skips them)."""
    rows = []
    table = nb["Logical_Router_Static_Route"].select(["_uuid", "ip_prefix", "nexthop"])
    for r in table.to_pylist():
        prefix = _parse_cidr(r["ip_prefix"])
        if prefix is None:
            log.warning("static route %s: bad ip_prefix %r; skipped (as northd does)",
                        r["_uuid"], r["ip_prefix"])
            continue
        hop = r["nexthop"]
        if hop and hop != "discard":
            got = _parse_cidr(hop)
            if got is None or got[0] != prefix[0] or got[2] != (32 if got[0] == "ipv4" else 128):
                log.warning("static route %s: bad nexthop %r; skipped (as northd does)",
                            r["_uuid"], hop)
                continue
        hop_ip = parse_ip(hop) if hop else None     # as find_lport_address() reads it
        rows.append({"route": r["_uuid"], "family": prefix[0], "prefix": prefix[1],
                     "plen": prefix[2], "prefix_bits": ip_bits(prefix[1]),
                     "nexthop_bits": ip_bits(hop_ip["addr"]) if hop_ip else None})
    return pa.Table.from_pylist(rows, schema=ROUTES)


ROUTE_NEXTHOPS6 = pa.schema([
    ("route", pa.string()),
    ("sn_addr", pa.string()),      # the nexthop's solicited-node address
    ("sn_mac", pa.string()),       # ... and its multicast MAC
])


def route_ipv6_nexthops(nb: Database) -> pa.Table:
    """Static routes whose nexthop is one IPv6 address (ipv6_parse_cidr,
    /128), whatever else is wrong with them: lr_in_arp_request solicits it."""
    rows = []
    table = nb["Logical_Router_Static_Route"].select(["_uuid", "nexthop"])
    for r in table.to_pylist():
        got = parse_ipv6_cidr(r["nexthop"], 0)
        if got is None or got[1] != len(r["nexthop"]) or got[0].plen != 128:
            continue
        sn = got[0].sn_addr
        low = int.from_bytes(socket.inet_pton(socket.AF_INET6, sn)[12:], "big")
        mac = "33:33:" + ":".join(f"{b:02x}" for b in low.to_bytes(4, "big"))
        rows.append({"route": r["_uuid"], "sn_addr": sn, "sn_mac": mac})
    return pa.Table.from_pylist(rows, schema=ROUTE_NEXTHOPS6)


POLICY_NEXTHOPS = pa.schema([
    ("policy", pa.string()),       # Logical_Router_Policy uuid
    ("member", pa.int64()),        # 1-based position (nexthops in set order)
    ("nexthop", pa.string()),      # as written
    ("family", pa.string()),       # by northd's test: a '.' means IPv4
    ("bits", pa.string()),         # the address as bits; null if it does not parse
])


def policy_nexthops(nb: Database) -> pa.Table:
    """Reroute next hops of router policies: `nexthops`, or the older
    `nexthop` column when `nexthops` is empty."""
    rows = []
    table = nb["Logical_Router_Policy"].select(["_uuid", "nexthops", "nexthop"])
    for r in table.to_pylist():
        hops = r["nexthops"] or ([r["nexthop"]] if r["nexthop"] is not None else [])
        for i, hop in enumerate(hops, 1):
            ip = parse_ip(hop)       # find_lport_address(): a '.' means IPv4
            rows.append({"policy": r["_uuid"], "member": i, "nexthop": hop,
                         "family": "ipv4" if "." in hop else "ipv6",
                         "bits": ip_bits(ip["addr"]) if ip else None})
    return pa.Table.from_pylist(rows, schema=POLICY_NEXTHOPS)


def _parse_cidr(s: str) -> tuple[str, str, int] | None:
    """ip46_parse_cidr(): (family, masked network, plen) of a whole string."""
    for family, parse in (("ipv4", parse_ipv4_cidr), ("ipv6", parse_ipv6_cidr)):
        got = parse(s, 0)
        if got is not None and got[1] == len(s):
            return family, got[0].network, got[0].plen
    return None


NATS = pa.schema([
    ("nat", pa.string()),          # NAT uuid
    ("family", pa.string()),       # ipv4 | ipv6, of external_ip
    ("ext_addr", pa.string()),     # external_ip normalised (ARP/ND replies, SNAT IP set)
    ("ext_sn_addr", pa.string()),  # ... its IPv6 solicited-node address
    ("ext_bits", pa.string()),     # ... as bits (addresses.ip_bits)
    ("flows_ok", pa.bool_()),      # lrouter_check_nat_entry() passes (but gateway_port)
    ("cidr_bits", pa.int64()),     # logical_ip's mask length (SNAT priorities)
    ("mac", pa.string()),          # external_mac normalised (eth_addr_from_string), null
                                   # if unset or bad
    ("garp_ok", pa.bool_()),       # external_ip is one IPv4 host as ip_parse_masked reads
                                   # it (GARPs for it: get_nat_addresses)
])


def nat_entries(nb: Database) -> pa.Table:
    """NAT rows as northd reads them. init_nat_entries() keeps a row whose
    external_ip is exactly one IPv4 or IPv6 address (extract_ip_addresses);
    lrouter_check_nat_entry() further demands a host external_ip, a
    logical_ip of that family (a host unless the type is snat) and not both
    allowed_ext_ips and exempted_ext_ips (`flows_ok`; the gateway_port and,
    for distributed NAT, external_mac tests depend on the router: SQL). Rows
    failing the first test have no row; both failures are logged."""
    rows = []
    table = nb["NAT"].select(["_uuid", "type", "external_ip", "logical_ip", "external_mac",
                              "allowed_ext_ips", "exempted_ext_ips"])
    for n in table.to_pylist():
        ext = parse_ip_list(n["external_ip"])
        if ext is None or len(ext[0]) + len(ext[1]) != 1:
            log.warning("NAT %s: bad external_ip %r; skipped (as northd does)",
                        n["_uuid"], n["external_ip"])
            continue
        family = "ipv4" if ext[0] else "ipv6"
        addr = (ext[0] or ext[1])[0]
        mac = scan_mac(n["external_mac"]) if n["external_mac"] is not None else None
        problem = _nat_problem(n, family)
        if problem:
            log.warning("NAT %s: %s; its flows skipped (as northd does)", n["_uuid"], problem)
        logical = parse_masked(n["logical_ip"], family)
        rows.append({"nat": n["_uuid"], "family": family, "ext_addr": addr.addr,
                     "ext_sn_addr": getattr(addr, "sn_addr", None), "ext_bits": ip_bits(addr.addr),
                     "flows_ok": problem is None,
                     "cidr_bits": logical.cidr_bits if logical else None,
                     "mac": mac and mac[0],
                     "garp_ok": getattr(parse_masked(n["external_ip"], "ipv4"),
                                        "exact", False)})
    return pa.Table.from_pylist(rows, schema=NATS)


def _nat_problem(n: dict, family: str) -> str | None:
    """Why lrouter_check_nat_entry() rejects a NAT (the gateway_port test
    aside), or None."""
    if n["allowed_ext_ips"] is not None and n["exempted_ext_ips"] is not None:
        return "both allowed_ext_ips and exempted_ext_ips set"
    ext = parse_masked(n["external_ip"], "ipv4") or parse_masked(n["external_ip"], "ipv6")
    if ext is None or not ext.exact or ext.family != family:
        return f"bad external_ip {n['external_ip']!r}"
    logical = parse_masked(n["logical_ip"], family)
    if logical is None or (n["type"] != "snat" and not logical.exact):
        return f"bad logical_ip {n['logical_ip']!r} for {n['type']}"
    return None


SELF_ORIG_MACS = pa.schema([
    ("lrp", pa.string()),          # Logical_Router_Port uuid
    ("macs", pa.string()),         # "a, b, ..." in northd's sset order
])


def lrp_self_orig_macs(nb: Database, nats: pa.Table) -> pa.Table:
    """The source MACs of a router port's self-originated ARP/ND flow
    (build_lswitch_rport_arp_req_self_orig_flow), for ports whose router has
    NATs (not snat, with a parsed external_ip) with an external_mac: the
    port's MAC and those external_macs as written, in string-set hash
    order. Other ports have no row (their set is their own MAC)."""
    kept = pa.table({"nat": nats["nat"]})
    table = nb["NAT"].select(["_uuid", "type", "external_mac"]).join(
        kept, keys="_uuid", right_keys="nat", join_type="inner")
    macs = {n["_uuid"]: n["external_mac"] for n in table.to_pylist()
            if n["type"] != "snat" and n["external_mac"] is not None}
    if not macs:
        return SELF_ORIG_MACS.empty_table()
    ports = {p["_uuid"]: p for p in
             nb["Logical_Router_Port"].select(["_uuid", "mac", "networks"]).to_pylist()}
    rows = []
    for router in nb["Logical_Router"].select(["ports", "nat"]).to_pylist():
        extra = [macs[n] for n in router["nat"] if n in macs]
        for lrp in router["ports"] if extra else ():
            parsed = parse_lrp_networks(ports[lrp]["mac"], ports[lrp]["networks"])
            if parsed is not None:
                rows.append({"lrp": lrp, "macs": ", ".join(sset_order([parsed.mac, *extra]))})
    return pa.Table.from_pylist(rows, schema=SELF_ORIG_MACS)


LR_LB_IPS = pa.schema([
    ("datapath", pa.string()),     # Logical_Router uuid
    ("family", pa.string()),       # ipv4 | ipv6
    ("ip", pa.string()),           # a VIP's address, normalised
    ("idx", pa.int64()),           # position in the router's string set (hash order)
])


def lr_lb_ips(nb: Database, vips: pa.Table, routable: bool = False) -> pa.Table:
    """A router's LB VIP addresses (od->lb_ips ips_v4 / ips_v6, or with
    `routable` ips_v4_routable / ips_v6_routable: only LBs with
    options:add_route=true) in the order
    SSET_FOR_EACH walks them, replaying build_lbs(): each LB's set (its VIPs
    in smap hash order), a copy of its largest group's set, then its other
    groups' LBs and its own LBs, each set filled in that order. The copy
    behaves as if sized beforehand (fits the reference's output; tests/
    test_sb_nat_addresses.py). A template LB's VIPs (never routable) count as
    IPv6: their address is all zeros, not an IPv4-mapped one."""
    parsed = {(v["vip_key"], v["vip_value"], v["template_family"]): v for v in vips.to_pylist()}
    lbs = {}
    for lb in nb["Load_Balancer"].select(["_uuid", "vips", "options"]).to_pylist():
        options = dict(lb["options"] or ())
        template = lb_template_family(options)
        if routable and (template or options.get("add_route", "").lower() != "true"):
            continue
        entries = dict(lb["vips"] or ())
        got = [parsed.get((key, entries[key], template)) for key in sset_order(sorted(entries))]
        lbs[lb["_uuid"]] = {f: sset_order([v["vip"] for v in got
                                           if v and ("ipv6" if template else v["family"]) == f])
                            for f in ("ipv4", "ipv6")}
    groups = {g["_uuid"]: g["load_balancer"]
              for g in nb["Load_Balancer_Group"].select(["_uuid", "load_balancer"]).to_pylist()}
    orders: dict[tuple, list[pa.Table]] = {}     # routers with the same LBs share one order
    for r in nb["Logical_Router"].select(["_uuid", "load_balancer",
                                          "load_balancer_group"]).to_pylist():
        key = (tuple(r["load_balancer_group"]), tuple(lb for lb in r["load_balancer"] if lb in lbs))
        if key not in orders:
            orders[key] = [_router_lb_order([groups[g] for g in key[0]], key[1], lbs)]
        orders[key].append(r["_uuid"])
    parts = [pa.concat_tables([order] * len(routers)).append_column(
                 "datapath", pc.take(pa.array(routers, pa.string()),
                                     np.repeat(np.arange(len(routers)), order.num_rows)))
             for order, *routers in orders.values() if order.num_rows]
    return pa.concat_tables(parts).select(LR_LB_IPS.names).cast(LR_LB_IPS) if parts \
        else LR_LB_IPS.empty_table()


def _router_lb_order(rgroups: list[list[str]], own: tuple, lbs: dict) -> pa.Table:
    """lr_lb_ips() of one router: (family, ip, idx) in SSET_FOR_EACH order."""
    largest = max(range(len(rgroups)), key=lambda i: (len(rgroups[i]), -i), default=0)
    rgroups = [[lb for lb in g if lb in lbs] for g in rgroups[largest:] + rgroups[:largest]]
    families, ips, idx = [], [], []
    for family in ("ipv4", "ipv6"):
        copied = sset_order([ip for lb in rgroups[0] for ip in lbs[lb][family]]) \
            if rgroups else []
        seq = copied + [ip for g in rgroups[1:] for lb in g for ip in lbs[lb][family]]
        seq += [ip for lb in own for ip in lbs[lb][family]]
        order = sset_order(seq, len(copied))
        families += [family] * len(order)
        ips += order
        idx += range(len(order))
    return pa.table({"family": pa.array(families, pa.string()), "ip": pa.array(ips, pa.string()),
                     "idx": pa.array(idx, pa.int64())})


FORCE_SNAT_IPS = pa.schema([
    ("text", pa.string()),         # the option value as written
    ("family", pa.string()),       # ipv4 | ipv6
    ("addr", pa.string()),         # normalised
])


def force_snat_ips(nb: Database) -> pa.Table:
    """Router options dnat_force_snat_ip / lb_force_snat_ip as
    get_force_snat_ip() reads them (extract_ip_address): at most one IPv4
    and one IPv6 host address. Other values have no row."""
    rows = []
    texts = {t for key in ("dnat_force_snat_ip", "lb_force_snat_ip")
             for t in _option_values(nb, "Logical_Router", key)}
    for text in sorted(texts):
        parsed = parse_ip_list(text)
        if (parsed is None or len(parsed[0]) > 1 or len(parsed[1]) > 1
                or any(a.plen != 32 for a in parsed[0])
                or any(a.plen != 128 for a in parsed[1])):
            if text != "router_ip":
                log.warning("router force SNAT address %r is not valid; skipped "
                            "(as northd does)", text)
            continue
        rows += [{"text": text, "family": family, "addr": a[0].addr}
                 for family, a in zip(("ipv4", "ipv6"), parsed, strict=True) if a]
    return pa.Table.from_pylist(rows, schema=FORCE_SNAT_IPS)


DHCP_CIDRS = pa.schema([
    ("cidr", pa.string()),        # DHCP_Options.cidr as written
    ("family", pa.string()),      # ipv4 | ipv6: read as the port's dhcpv4/v6_options
    ("pattern", pa.string()),     # LIKE pattern over ip_bits(): the host's bits
                                  # where the mask is set, '_' elsewhere
    ("netmask", pa.string()),     # the IPv4 mask, dotted (put_dhcp_opts' netmask)
])


def _dhcp_options_used(nb: Database, column: str) -> pa.Table:
    """The DHCP_Options rows switch ports name in `column`."""
    used = pc.unique(pc.drop_null(nb["Logical_Switch_Port"][column]))
    rows = nb["DHCP_Options"].select(["_uuid", "cidr", "options"])
    return rows.filter(pc.is_in(rows["_uuid"], value_set=used))


def dhcp_cidrs(nb: Database) -> pa.Table:
    """DHCP_Options cidrs as build_dhcpv4_action (ip_parse_masked) and
    build_dhcpv6_action (ipv6_parse_masked) read them; one that does not
    parse has no row (northd gives its ports no DHCP flows)."""
    rows = []
    for family, column in (("ipv4", "dhcpv4_options"), ("ipv6", "dhcpv6_options")):
        width = 32 if family == "ipv4" else 128
        for cidr in pc.unique(_dhcp_options_used(nb, column)["cidr"]).to_pylist():
            got = scan_masked(cidr, family)
            if got is None:
                log.warning("DHCP_Options cidr %r is not a valid %s network; skipped "
                            "(as northd does)", cidr, family)
                continue
            ip, mask = got
            rows.append({"cidr": cidr, "family": family,
                         "pattern": masked_bits_pattern(ip, mask, width),
                         "netmask": socket.inet_ntop(socket.AF_INET, mask.to_bytes(4, "big"))
                         if family == "ipv4" else None})
    return pa.Table.from_pylist(rows, schema=DHCP_CIDRS)


DHCPV6_SERVERS = pa.schema([
    ("server_id", pa.string()),   # DHCPv6 options:server_id as written
    ("lla", pa.string()),         # the link-local address derived from it
])


def dhcpv6_servers(nb: Database) -> pa.Table:
    """DHCPv6 server_id values that are one whole MAC (eth_addr_from_string),
    with their EUI-64 link-local address; others have no row (northd gives
    the options' ports no DHCPv6 flows)."""
    options = _dhcp_options_used(nb, "dhcpv6_options")["options"].combine_chunks()
    rows = []
    for text in pc.unique(pc.drop_null(pc.map_lookup(options, "server_id", "first"))).to_pylist():
        mac = scan_mac(text)
        if mac is None or mac[1] != len(text):
            log.warning("DHCPv6 server_id %r is not a MAC; skipped (as northd does)", text)
            continue
        rows.append({"server_id": text, "lla": eui64_lla(mac[0])})
    return pa.Table.from_pylist(rows, schema=DHCPV6_SERVERS)


IGMP_ADDRESS = pa.schema([
    ("address", pa.string()),     # the SB IGMP_Group address as written
    ("family", pa.string()),      # ipv4 (also an IPv4-mapped IPv6) | ipv6
    ("ip", pa.string()),          # the address as IPv6: groups are keyed by it
    ("l2_flow", pa.bool_()),      # a switch gets a flow for it: not 224.0.0.X,
                                  # not ff02::1, ff02::2 or ff05::2
    ("relayed", pa.bool_()),      # routers relay it: IPv4, or routable IPv6 multicast
])

_ALL_HOSTS_ROUTERS = frozenset(int.from_bytes(socket.inet_pton(socket.AF_INET6, a), "big")
                               for a in ("ff02::1", "ff02::2", "ff05::2"))


def igmp_addresses(sb: dict[str, pa.Table]) -> pa.Table:
    """The group addresses ovn-controller learnt (SB IGMP_Group), parsed as
    build_mcast_groups does (ip_parse, else ipv6_parse); "mrouters" names
    the multicast routers' group, not an address. Others that do not parse
    have no row."""
    rows = []
    for text in pc.unique(sb["IGMP_Group"]["address"].combine_chunks()).to_pylist():
        if text is None or text == "mrouters":
            continue
        value = inet_pton(socket.AF_INET, text)
        if value is not None:
            value |= 0xFFFF << 32
        else:
            value = inet_pton(socket.AF_INET6, text)
        if value is None:
            log.warning("IGMP group address %r does not parse; skipped (as northd does)", text)
            continue
        if value >> 32 == 0xFFFF:
            rows.append({"address": text, "family": "ipv4", "ip": ntop6(value),
                         "l2_flow": value & 0xFFFFFF00 != 0xE0000000, "relayed": True})
        else:
            scope = value >> 112 & 0xF
            rows.append({"address": text, "family": "ipv6", "ip": ntop6(value),
                         "l2_flow": value not in _ALL_HOSTS_ROUTERS,
                         "relayed": value >> 120 == 0xFF and scope not in (0, 1, 2, 3, 0xF)})
    return pa.Table.from_pylist(rows, schema=IGMP_ADDRESS)


IPAM_SWITCHES = pa.schema([("datapath", pa.string())])


def ipam_switches(nb: Database) -> pa.Table:
    """Switches with IPAM on (init_ipam_info): a valid other_config:subnet
    or ipv6_prefix, or mac_only=true when neither key is set. Only on these
    does northd keep a port's dynamic_addresses."""
    switches = nb["Logical_Switch"]
    config = switches["other_config"].combine_chunks()
    keys = {k: pc.map_lookup(config, pa.scalar(k), "first")
            for k in ("subnet", "ipv6_prefix", "mac_only")}
    candidates = pc.filter(pa.table({"datapath": switches["_uuid"], **keys}),
                           pc.or_(pc.or_(pc.is_valid(keys["subnet"]),
                                         pc.is_valid(keys["ipv6_prefix"])),
                                  pc.is_valid(keys["mac_only"])))
    on = [row["datapath"] for row in candidates.to_pylist()
          if (row["subnet"] is not None and ipam_subnet(row["subnet"]) is not None)
          or (row["ipv6_prefix"] is not None and ipam_ipv6_prefix(row["ipv6_prefix"]) is not None)
          or (row["subnet"] is None and row["ipv6_prefix"] is None
              and row["mac_only"].lower() == "true")]
    return pa.table({"datapath": pa.array(on, pa.string())}, schema=IPAM_SWITCHES)


# The NB tables each Python relation reads (incremental.py follows rules'
# inputs through them).
PYTHON_RELATION_INPUTS = {
    "parsed_address": ("Logical_Switch_Port",), "parsed_ip": ("Logical_Switch_Port",),
    "parsed_ip_list": ("Logical_Switch_Port",), "lrp_networks": ("Logical_Router_Port",),
    "ipam_switches": ("Logical_Switch",),
    "lb_vip_parsed": ("Load_Balancer",), "lb_backend_parsed": ("Load_Balancer",),
    "lb_src_ip_parsed": ("Load_Balancer",), "route_parsed": ("Logical_Router_Static_Route",),
    "route_nexthop6": ("Logical_Router_Static_Route",),
    "policy_nexthop": ("Logical_Router_Policy",), "nat_parsed": ("NAT",),
    "force_snat_ip_parsed": ("Logical_Router",),
    "lr_lb_ip_order": ("Logical_Router", "Load_Balancer", "Load_Balancer_Group"),
    "lr_lb_routable_ip_order": ("Logical_Router", "Load_Balancer", "Load_Balancer_Group"),
    "lrp_self_orig_macs": ("Logical_Router", "Logical_Router_Port", "NAT"),
    "dhcp_cidr": ("Logical_Switch_Port", "DHCP_Options"),
    "dhcpv6_server": ("Logical_Switch_Port", "DHCP_Options"),
    "igmp_address": ("sb_IGMP_Group",),
}


# relation -> (the tables it was made from, its rows): a running northd's
# snapshots keep an unchanged table's Arrow object, and a relation made from
# the same (immutable) tables as last time is not parsed again
_LAST: dict[str, tuple[tuple[pa.Table, ...], object]] = {}


def python_relations(nb: Database, sb: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The Python relations over the NB and the SB inputs (sbinputs.py)."""
    def rel(name, make):
        inputs = tuple(sb[t[3:]] if t.startswith("sb_") else nb[t]
                       for t in PYTHON_RELATION_INPUTS[name])
        last = _LAST.get(name)
        if last is None or any(a is not b for a, b in zip(last[0], inputs, strict=True)):
            _LAST[name] = last = (inputs, make())
        return last[1]

    vips, backends = rel("lb_vip_parsed", lambda: lb_vips(nb))
    nats = rel("nat_parsed", lambda: nat_entries(nb))
    return {"parsed_address": rel("parsed_address", lambda: parsed_addresses(nb)),
            "parsed_ip": rel("parsed_ip", lambda: parsed_ips(nb)),
            "parsed_ip_list": rel("parsed_ip_list", lambda: parsed_ip_lists(nb)),
            "lrp_networks": rel("lrp_networks", lambda: lrp_networks(nb)),
            "ipam_switches": rel("ipam_switches", lambda: ipam_switches(nb)),
            "lb_vip_parsed": vips, "lb_backend_parsed": backends,
            "lb_src_ip_parsed": rel("lb_src_ip_parsed", lambda: lb_src_ips(nb)),
            "route_parsed": rel("route_parsed", lambda: parsed_routes(nb)),
            "route_nexthop6": rel("route_nexthop6", lambda: route_ipv6_nexthops(nb)),
            "policy_nexthop": rel("policy_nexthop", lambda: policy_nexthops(nb)),
            "nat_parsed": nats,
            "force_snat_ip_parsed": rel("force_snat_ip_parsed", lambda: force_snat_ips(nb)),
            "lrp_self_orig_macs": rel("lrp_self_orig_macs", lambda: lrp_self_orig_macs(nb, nats)),
            "lr_lb_ip_order": rel("lr_lb_ip_order", lambda: lr_lb_ips(nb, vips)),
            "lr_lb_routable_ip_order": rel("lr_lb_routable_ip_order",
                                           lambda: lr_lb_ips(nb, vips, routable=True)),
            "dhcp_cidr": rel("dhcp_cidr", lambda: dhcp_cidrs(nb)),
            "dhcpv6_server": rel("dhcpv6_server", lambda: dhcpv6_servers(nb)),
            "igmp_address": rel("igmp_address", lambda: igmp_addresses(sb))}
