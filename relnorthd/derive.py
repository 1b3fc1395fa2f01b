"""Derived relations computed in Python, registered next to the NB tables.

Only what SQL cannot do portably lives here: parsing OVN address strings
the way northd's scanners (sscanf, inet_pton) do. Each distinct string is parsed
once; SQL joins the result back to the rows that use it.
"""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from .addresses import (
    ipam_ipv6_prefix_valid,
    ipam_subnet_valid,
    parse_ip,
    parse_ip_list,
    parse_lrp_networks,
    parse_lsp_address,
)
from .mirror import Database

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
])


def _lsp_address_strings(nb: Database) -> pa.Array:
    lsp = nb["Logical_Switch_Port"]
    strings = pc.unique(pc.list_flatten(pa.concat_arrays(
        [lsp["addresses"].combine_chunks(), lsp["port_security"].combine_chunks()])))
    dynamic = pc.drop_null(lsp["dynamic_addresses"]).combine_chunks()
    return pc.unique(pa.concat_arrays([strings.cast(pa.string()), dynamic]))


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
                     "sn_addr": pa.nulls(len(strings), pa.string())}, schema=PARSED_ADDRESS)


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
                  "network": a.network, "bcast": a.bcast} for i, a in enumerate(parsed.ipv4)]
        rows += [{**base, "family": "ipv6", "ip_index": i, "addr": a.addr, "plen": a.plen,
                  "network": a.network, "sn_addr": a.sn_addr} for i, a in enumerate(parsed.ipv6)]
    return pa.concat_tables([_canonical_mac_ipv4(pc.filter(strings, canonical)),
                             pa.Table.from_pylist(rows, schema=PARSED_ADDRESS)])


PARSED_IP = pa.schema([
    ("text", pa.string()),        # the NB string as written
    ("family", pa.string()),      # ipv4 | ipv6
    ("addr", pa.string()),        # normalised
    ("sn_addr", pa.string()),     # IPv6 solicited-node address
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
            rows.append({"text": text, **ip})
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


LRP_NETWORKS = pa.schema([("lrp", pa.string())] + [f for f in PARSED_ADDRESS
                                                     if f.name != "address"])


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
                  "network": a.network, "bcast": a.bcast} for i, a in enumerate(parsed.ipv4)]
        rows += [{**base, "family": "ipv6", "ip_index": i, "addr": a.addr, "plen": a.plen,
                  "network": a.network, "sn_addr": a.sn_addr} for i, a in enumerate(parsed.ipv6)]
    return pa.Table.from_pylist(rows, schema=LRP_NETWORKS)


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
          if (row["subnet"] is not None and ipam_subnet_valid(row["subnet"]))
          or (row["ipv6_prefix"] is not None and ipam_ipv6_prefix_valid(row["ipv6_prefix"]))
          or (row["subnet"] is None and row["ipv6_prefix"] is None
              and row["mac_only"].lower() == "true")]
    return pa.table({"datapath": pa.array(on, pa.string())}, schema=IPAM_SWITCHES)


def python_relations(nb: Database) -> dict[str, pa.Table]:
    return {"parsed_address": parsed_addresses(nb), "parsed_ip": parsed_ips(nb),
            "parsed_ip_list": parsed_ip_lists(nb), "lrp_networks": lrp_networks(nb),
            "ipam_switches": ipam_switches(nb)}
