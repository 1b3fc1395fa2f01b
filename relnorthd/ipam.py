"""IPAM as northd does it (build_ipam, northd/ipam.c; container tags,
tag_alloc_create_new_tag): the `dynamic_addresses` and `tag` northd would
write to NB for the ports that ask for them.

northd allocates one port at a time, so this is one sequential pass over
the ports in northd's order (its datapath hmap, then each switch's ports by
uuid, README "Hash order"); finding the ports and IPAM switches that take
part is set-at-a-time, and an NB without any is returned untouched.

northd rebuilds its MAC table (macam) from the NB on every run, so a fresh
northd and a long-running one allocate alike; what a run writes is an input
of the next, and northd's NB settles after one or two runs (an address that
the next run finds invalid is replaced then, a new container port's tag
comes in the run after its Port_Binding appears). `allocate` returns that
settled state. Without NB_Global options:mac_prefix northd picks a random
prefix (and writes it): dynamic MACs then cannot be predicted (README, IPAM).
"""
from __future__ import annotations

import copy
import functools
import logging
import random
import re
import socket
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from .addresses import (_inet_pton6, _scan_ipv4, inet_pton, ipam_ipv6_prefix, ipam_subnet, ntop6,
                        parse_lrp_networks, parse_lsp_address, scan_mac)
from .ovshash import _calc_mask
from .mirror import Database

log = logging.getLogger(__name__)

MAC_SPACE = 0xFFFFFF
MAX_OVN_TAGS = 4096
_SETTLE_RUNS = 4            # northd's NB settles after at most two runs, or never
_V6CHARS = re.compile(r"[0-9a-fA-F:.]{1,46}")
_WS = re.compile(r"\s*")


@dataclass
class Allocation:
    nb: Database                                   # NB as northd leaves it
    dynamic_addresses: dict[str, str | None] = field(default_factory=dict)  # changed ports
    tags: dict[str, int] = field(default_factory=dict)                       # changed ports
    mac_prefix: str = ""                           # the prefix used ("xx:xx:xx")

    @property
    def changed(self) -> int:
        return len(self.dynamic_addresses.keys() | self.tags.keys())


def nb_mac_prefix(nb: Database) -> str | None:
    """set_mac_prefix(): NB_Global options:mac_prefix as northd reads and
    rewrites it ("xx:xx:xx"), None when unset or zero (northd then picks a
    random one)."""
    rows = nb["NB_Global"].column("options").to_pylist()
    text = dict(rows[0]).get("mac_prefix") if rows else None
    if text is None:
        return None
    octets, pos = [], 0
    for i in range(3):
        if i:
            if pos >= len(text) or text[pos] != ":":
                break
            pos += 1
        m = re.compile(r"\s*[+-]?(?:0[xX])?([0-9a-fA-F]+)").match(text, pos)
        if not m:
            break
        octets.append(int(m.group(1), 16) & 0xFF)
        pos = m.end()
    if len(octets) < 3 or not any(octets):
        return None     # ovs_scan needs all three; a zero prefix means random
    return ":".join(f"{o:02x}" for o in octets)


def random_mac_prefix() -> str:
    """eth_addr_random() with the local bit set and the multicast bit clear."""
    octets = [random.getrandbits(8) for _ in range(3)]
    octets[0] = (octets[0] & ~1) | 2
    return ":".join(f"{o:02x}" for o in octets)


# The tables build_ipam reads, and those of the last NB allocate() returned:
# an NB made of them is settled already (`run` allocates, then computes on
# the result, which reads it again: no second pass over the ports).
_READS = ("NB_Global", "Logical_Switch", "Logical_Switch_Port", "Logical_Router",
          "Logical_Router_Port")
_last_settled: tuple[pa.Table, ...] = ()


def allocate(nb: Database, mac_prefix: str | None = None) -> Allocation:
    """The NB northd settles on: `dynamic_addresses` and `tag` of every
    switch port allocated. `mac_prefix` stands in for an unset NB_Global
    one (default: random, as northd)."""
    alloc = _allocate(nb, nb_mac_prefix(nb) or mac_prefix or random_mac_prefix())
    global _last_settled
    _last_settled = tuple(alloc.nb[t] for t in _READS)
    return alloc


def _allocate(nb: Database, prefix: str) -> Allocation:
    lsp = nb["Logical_Switch_Port"]
    settled = bool(_last_settled) and all(
        nb[t] is last for t, last in zip(_READS, _last_settled, strict=True))
    if settled or not _has_work(nb):
        return Allocation(nb, mac_prefix=prefix)
    rows = {r["_uuid"]: r for r in lsp.select(
        ["_uuid", "name", "type", "addresses", "options", "dynamic_addresses",
         "parent_name", "tag_request", "tag"]).to_pylist()}
    topo = _Topology(nb)
    dynamic = {u: r["dynamic_addresses"] for u, r in rows.items()}
    for runs in range(1, _SETTLE_RUNS + 1):
        new = _Run(topo, rows, dynamic, int(prefix.replace(":", ""), 16) << 24).run()
        new, dynamic = dynamic, new
        if new == dynamic:
            break
        if runs == _SETTLE_RUNS:
            restless = sorted(rows[u]["name"] for u in new if new[u] != dynamic[u])
            log.warning("IPAM: northd never settles the dynamic_addresses of %s: a \"dynamic "
                        "IP\" request for the subnet's last address or the one after it "
                        "alternates with a pool address on every run (northd busy-loops); "
                        "relnorthd keeps what four runs leave", ", ".join(restless))
    tags = _tags(topo, rows)
    changed_dyn = {u: v for u, v in dynamic.items() if v != rows[u]["dynamic_addresses"]}
    changed_tag = {u: t for u, t in tags.items() if t != rows[u]["tag"]}
    if not changed_dyn and not changed_tag:
        return Allocation(nb, mac_prefix=prefix)
    uuids = lsp.column("_uuid").to_pylist()
    new_dyn = pa.array([dynamic.get(u, rows[u]["dynamic_addresses"]) for u in uuids],
                       pa.string())
    new_tag = pa.array([tags.get(u, rows[u]["tag"]) for u in uuids], pa.int64())
    table = lsp.set_column(lsp.schema.get_field_index("dynamic_addresses"),
                           "dynamic_addresses", new_dyn)
    table = table.set_column(table.schema.get_field_index("tag"), "tag", new_tag)
    tables = {**nb.tables, "Logical_Switch_Port": table, "NB_Global": _with_prefix(nb, prefix)}
    return Allocation(Database(nb.source, nb.schema, tables), changed_dyn, changed_tag, prefix)


def _with_prefix(nb: Database, prefix: str) -> pa.Table:
    """NB_Global with options:mac_prefix as northd rewrites it."""
    table = nb["NB_Global"]
    if not table.num_rows:
        return table
    options = [[(k, v) for k, v in row if k != "mac_prefix"] + [("mac_prefix", prefix)]
               for row in table.column("options").to_pylist()]
    index = table.schema.get_field_index("options")
    return table.set_column(index, table.schema.field(index),
                            pa.array([sorted(o) for o in options], table.schema.field(index).type))


def settle(nb: Database) -> Database:
    """The NB with northd's allocations, saying how many ports got one (an
    NB northd has processed needs none)."""
    alloc = allocate(nb)
    if alloc.changed:
        log.warning("IPAM: allocated dynamic_addresses for %d and tag for %d switch ports "
                    "as northd would write them to NB (NB not processed by northd)",
                    len(alloc.dynamic_addresses), len(alloc.tags))
        if nb_mac_prefix(nb) is None and any(alloc.dynamic_addresses.values()):
            log.warning("IPAM: NB_Global options:mac_prefix is unset; dynamic MACs use the "
                        "random prefix %s, as northd picks one at random", alloc.mac_prefix)
    return alloc.nb


def _has_work(nb: Database) -> bool:
    """Whether any port could get or lose an allocation: a switch with an
    IPAM key, a port holding dynamic_addresses, or a tag_request."""
    lsp = nb["Logical_Switch_Port"]
    if pc.any(pc.is_valid(lsp["tag_request"])).as_py():
        return True
    if pc.any(pc.is_valid(lsp["dynamic_addresses"])).as_py():
        return True
    config = nb["Logical_Switch"]["other_config"].combine_chunks()
    return any(pc.any(pc.is_valid(pc.map_lookup(config, pa.scalar(k), "first"))).as_py()
               for k in ("subnet", "ipv6_prefix", "mac_only")) if len(config) else False


class _Topology:
    """What northd's build_ports leaves for build_ipam: datapaths in hmap
    order, the port rows that became northd ports, router peers."""

    def __init__(self, nb: Database):
        switches = nb["Logical_Switch"].select(["_uuid", "ports", "other_config"]).to_pylist()
        routers = [r for r in nb["Logical_Router"].select(
            ["_uuid", "ports", "enabled"]).to_pylist() if r["enabled"] is not False]
        mask = _calc_mask(len(switches) + len(routers))

        def order(dp: str) -> tuple[int, str]:
            return int(dp[:8], 16) & mask, dp

        lsps = {r["_uuid"]: r for r in nb["Logical_Switch_Port"].select(
            ["_uuid", "name", "type", "options"]).to_pylist()}
        lrps = {r["_uuid"]: r for r in nb["Logical_Router_Port"].select(
            ["_uuid", "name", "mac", "networks"]).to_pylist()}
        claims = [(order(s["_uuid"]), p, lsps[p]["name"], s["_uuid"])
                  for s in switches for p in s["ports"] if p in lsps]
        self.lrp_networks = {}
        for r in routers:
            for p in r["ports"]:
                if p in lrps and (net := parse_lrp_networks(
                        lrps[p]["mac"], lrps[p]["networks"])) is not None:
                    self.lrp_networks[p] = net
                    claims.append((order(r["_uuid"]), p, lrps[p]["name"], r["_uuid"]))
        winners: dict[str, tuple] = {}
        for claim in sorted(claims):
            winners.setdefault(claim[2], claim)
        self.ports = {c[1] for c in winners.values()}          # northd ports
        self.port_dp = {c[1]: c[3] for c in winners.values()}
        lrp_by_name = {lrps[p]["name"]: p for p in self.lrp_networks if p in self.ports}
        # A router-type switch port's peer (options:router-port), both ways.
        self.peer: dict[str, str] = {}
        for p in sorted(self.ports & lsps.keys()):
            row = lsps[p]
            target = dict(row["options"]).get("router-port")
            if row["type"] == "router" and target in lrp_by_name:
                self.peer[p] = lrp_by_name[target]
                self.peer[lrp_by_name[target]] = p
        self.switches = sorted(switches, key=lambda s: order(s["_uuid"]))
        self.ipam = {s["_uuid"]: _IpamInfo(dict(s["other_config"])) for s in switches}


class _IpamInfo:
    """init_ipam_info(): a switch's IPv4 pool, IPv6 prefix and mac_only."""

    def __init__(self, config: dict[str, str]):
        self.subnet_key = "subnet" in config
        self.start = self.total = self.first_free = 0
        self.excluded: set[int] | None = None    # None: no IPv4 pool
        subnet = config.get("subnet")
        pool = ipam_subnet(subnet) if subnet is not None else None
        if pool is not None:
            net = _ip4(pool.network)
            self.start, self.total = net + 1, (1 << (32 - pool.plen)) - 1
            self.excluded = {0} | self._excludes(config.get("exclude_ips"))
        self.prefix6: int | None = None
        v6 = config.get("ipv6_prefix")
        if v6 is not None:
            self.prefix6 = ipam_ipv6_prefix(v6)
        self.mac_only = (subnet is None and v6 is None
                         and config.get("mac_only", "").lower() == "true")

    def fresh(self) -> _IpamInfo:
        """A copy whose pool the run can fill."""
        info = copy.copy(self)
        info.excluded = None if self.excluded is None else set(self.excluded)
        return info

    @property
    def on(self) -> bool:
        return self.excluded is not None or self.prefix6 is not None or self.mac_only

    def _excludes(self, text: str | None) -> set[int]:
        """exclude_ips: IPv4 addresses and `A..B` ranges, clamped to the
        subnet; reading stops at the first other token (northd logs it)."""
        taken: set[int] = set()
        tokens = _exclude_tokens(text or "")
        token = next(tokens)
        while token is not None:
            if not isinstance(token, int):
                break
            start, end = token, token + 1
            token = next(tokens)
            if token == "..":
                token = next(tokens)
                if not isinstance(token, int):
                    break
                end, token = token + 1, next(tokens)
            lo, hi = max(self.start, start), min(self.start + self.total, end)
            taken.update(range(lo - self.start, hi - self.start))
        return taken

    def insert(self, ip: int) -> None:
        if self.excluded is not None and self.start <= ip < self.start + self.total:
            self.excluded.add(ip - self.start)

    def taken(self, index: int) -> bool:
        return index in self.excluded

    def unused(self) -> int:
        """ipam_get_unused_ip(): the first free address but the last, else 0
        (within a run addresses are only taken, so the scan resumes where
        the last one stopped)."""
        if self.excluded is None:
            return 0
        while self.first_free < self.total - 1 and self.first_free in self.excluded:
            self.first_free += 1
        return self.start + self.first_free if self.first_free < self.total - 1 else 0


def _exclude_tokens(text: str):
    """The lexer's tokens as exclude_ips reads them: an IPv4 address (int),
    "..", anything else as itself, then None at the end."""
    pos = 0
    while True:
        pos = _WS.match(text, pos).end()
        if pos == len(text):
            yield None
            return
        if text.startswith("..", pos):
            pos += 2
            yield ".."
            continue
        end, saw_dot = pos, False
        while end < len(text) and (text[end].isalnum() or (text[end] == ":" and not saw_dot)
                                   or (text[end] == "." and text[end + 1:end + 2] != ".")):
            saw_dot |= text[end] == "."
            end += 1
        end = max(end, pos + 1)
        word, pos = text[pos:end], end
        ip = inet_pton(socket.AF_INET, word)
        yield word if ip is None else ip


@functools.lru_cache(maxsize=1 << 16)
def _parsed(spec: str):
    return parse_lsp_address(spec)


@functools.lru_cache(maxsize=1 << 16)
def is_dynamic(spec: str) -> bool:
    """is_dynamic_lsp_address()."""
    if spec.startswith("dynamic"):
        return spec == "dynamic" or _dynamic_forms(spec).any
    return _static_mac(spec) is not None


def _ip4(text: str) -> int:
    return int.from_bytes(socket.inet_aton(text), "big")


def _mac_int(mac: str) -> int:
    return int(mac.replace(":", ""), 16)


def _mac_str(value: int) -> str:
    return ":".join(f"{(value >> s) & 0xFF:02x}" for s in range(40, -8, -8))


@dataclass(frozen=True)
class _Forms:
    """What the scans of "dynamic IP", "dynamic IPV6" and "dynamic IP IPV6"
    (each to the end of the spec) find, each on its own."""
    ip4: int | None = None                 # "dynamic IP"
    ip6: str | None = None                 # "dynamic IPV6"
    pair: tuple[int, str] | None = None    # "dynamic IP IPV6"

    @property
    def any(self) -> bool:
        return self.ip4 is not None or self.ip6 is not None or self.pair is not None


def _dynamic_forms(spec: str) -> _Forms:
    if not spec.startswith("dynamic"):
        return _Forms()
    ip4 = ip6 = pair = None
    got = _scan_ipv4(spec, 7)
    if got is not None:
        if got[1] == len(spec):
            ip4 = got[0]
        else:
            m = _V6CHARS.match(spec, _WS.match(spec, got[1]).end())
            if m and m.end() == len(spec):
                pair = got[0], m.group(0)
    m = _V6CHARS.match(spec, _WS.match(spec, 7).end())
    if m and m.end() == len(spec):
        ip6 = m.group(0)
    return _Forms(ip4, ip6, pair)


def _static_mac(spec: str) -> int | None:
    """"MAC dynamic" (to the end): the MAC."""
    got = scan_mac(spec)
    if got is None:
        return None
    rest = spec[got[1]:]
    return _mac_int(got[0]) if re.fullmatch(r"\s*dynamic", rest) else None


@dataclass
class _Update:
    port: str
    info: _IpamInfo
    cur_mac: int = 0
    cur_ip4: int | None = None
    cur_ip6: int | None = None
    mac: str = "NONE"
    ipv4: str = "NONE"
    ipv6: str = "NONE"
    static_mac: int = 0
    static_ip: int = 0
    static_ip6: int = 0


class _Run:
    """One northd run of build_ipam over `dynamic` (port -> dynamic_addresses)."""

    def __init__(self, topo: _Topology, rows: dict, dynamic: dict, prefix: int):
        self.topo, self.rows, self.dynamic, self.prefix = topo, rows, dynamic, prefix
        self.macam: set[int] = set()
        self.ipam = {dp: info.fresh() for dp, info in topo.ipam.items()}

    def insert_mac(self, mac: int) -> None:
        if not (mac ^ self.prefix) >> 24:
            self.macam.add(mac)

    def unused_mac(self, ip4: int) -> int:
        base = ip4 & MAC_SPACE
        for i in range(MAC_SPACE - 1):
            mac = self.prefix | ((base + i) % (MAC_SPACE - 1) + 1)
            if mac not in self.macam:
                return mac
        return 0

    def add_port_addresses(self) -> None:
        """ipam_add_port_addresses() for every northd port."""
        for port in sorted(self.topo.ports):
            row = self.rows.get(port)
            if row is not None:
                info = self.ipam[self.topo.port_dp[port]]
                for spec in row["addresses"]:
                    if spec in ("unknown", "router") or is_dynamic(spec):
                        continue
                    parsed = _parsed(spec)
                    if parsed is None:
                        continue
                    self.insert_mac(_mac_int(parsed.mac))
                    for a in parsed.ipv4:
                        info.insert(_ip4(a.addr))
                continue
            net = self.topo.lrp_networks[port]
            self.insert_mac(_mac_int(net.mac))
            peer = self.topo.peer.get(port)
            if peer is None:
                continue
            info = self.ipam[self.topo.port_dp[peer]]
            if info.subnet_key:
                for a in net.ipv4:
                    if _ip4(a.addr) != info.start:
                        info.insert(_ip4(a.addr))

    def run(self) -> dict:
        self.add_port_addresses()
        new = dict(self.dynamic)
        updates: list[_Update] = []
        for switch in self.topo.switches:
            info = self.ipam[switch["_uuid"]]
            for port in switch["ports"]:
                row = self.rows.get(port)
                if row is None:
                    continue
                if not info.on:
                    new[port] = None
                    continue
                if port not in self.topo.ports or port in self.topo.peer:
                    continue
                spec = next((a for a in row["addresses"] if is_dynamic(a)), None)
                if spec is None:
                    new[port] = None
                    continue
                update = _Update(port, info)
                current = self.dynamic[port]
                if current is None:
                    self.set_dynamic_updates(spec, update)
                    updates.append(update)
                    continue
                parsed = _parsed(current)
                if parsed is not None:
                    update.cur_mac = _mac_int(parsed.mac)
                    update.cur_ip4 = _ip4(parsed.ipv4[0].addr) if parsed.ipv4 else None
                    update.cur_ip6 = _inet_pton6(parsed.ipv6[0].addr) if parsed.ipv6 else None
                update.mac = self.mac_changed(spec, update)
                update.ipv4 = self.ip4_changed(spec, update)
                update.ipv6 = self.ip6_changed(spec, update)
                if update.mac == "NONE":
                    self.insert_mac(update.cur_mac)
                if update.ipv4 == "NONE" and update.cur_ip4 is not None:
                    info.insert(update.cur_ip4)
                if (update.mac, update.ipv4, update.ipv6) != ("NONE",) * 3:
                    updates.append(update)
        for update in updates:
            new[update.port] = self.update_addresses(update)
        return new

    def mac_changed(self, spec: str, u: _Update) -> str:
        got = scan_mac(spec)
        if got is not None:
            if _mac_int(got[0]) == u.cur_mac:
                return "NONE"
            u.static_mac = _mac_int(got[0])
            return "STATIC"
        return "DYNAMIC" if (u.cur_mac ^ self.prefix) >> 24 else "NONE"

    def ip4_changed(self, spec: str, u: _Update) -> str:
        info = u.info
        if info.excluded is None:
            return "REMOVE" if u.cur_ip4 is not None else "NONE"
        if u.cur_ip4 is None or u.cur_ip4 < info.start:
            return "DYNAMIC"
        index = u.cur_ip4 - info.start
        if index >= info.total - 1 or info.taken(index):
            return "DYNAMIC"
        forms = _dynamic_forms(spec)
        new_ip = forms.ip4 if forms.ip4 is not None else forms.pair and forms.pair[0]
        if new_ip is not None:
            index = (new_ip - info.start) & 0xFFFFFFFF
            if new_ip < info.start or index > info.total or info.taken(index):
                return "DYNAMIC"
            if new_ip != u.cur_ip4:
                u.static_ip = new_ip
                return "STATIC"
        return "NONE"

    def ip6_changed(self, spec: str, u: _Update) -> str:
        prefix = u.info.prefix6
        if prefix is None:
            return "REMOVE" if u.cur_ip6 is not None else "NONE"
        if u.cur_ip6 is None or scan_mac(spec) is not None:
            return "DYNAMIC"
        forms = _dynamic_forms(spec)
        text = forms.ip6 if forms.ip6 is not None else forms.pair and forms.pair[1]
        if text is not None:
            ip6 = _inet_pton6(text)
            if ip6 is None or ip6 & prefix != prefix:
                return "DYNAMIC"
            if ip6 != u.cur_ip6:
                u.static_ip6 = ip6
                return "STATIC"
        elif u.mac != "NONE":
            return "DYNAMIC"
        return "NONE"

    def set_dynamic_updates(self, spec: str, u: _Update) -> None:
        mac = _static_mac(spec)
        if mac is not None:
            u.mac, u.static_mac = "STATIC", mac
        else:
            u.mac = "DYNAMIC"
        forms = _dynamic_forms(spec)
        ip4, text = forms.ip4, None
        if ip4 is None and forms.ip6 is not None:
            text = forms.ip6
        elif ip4 is None and forms.pair is not None:
            ip4, text = forms.pair
        if ip4 is not None:
            u.ipv4, u.static_ip = "STATIC", ip4
        else:
            u.ipv4 = "DYNAMIC" if u.info.excluded is not None else "NONE"
        ip6 = _inet_pton6(text) if text is not None else None
        if ip6 is not None:
            u.ipv6, u.static_ip6 = "STATIC", ip6
        else:
            u.ipv6 = "DYNAMIC" if u.info.prefix6 is not None else "NONE"

    def update_addresses(self, u: _Update) -> str:
        """update_dynamic_addresses(): the new dynamic_addresses string."""
        ip4 = {"NONE": u.cur_ip4 or 0, "REMOVE": 0, "STATIC": u.static_ip,
               "DYNAMIC": u.info.unused() if u.ipv4 == "DYNAMIC" else 0}[u.ipv4]
        if u.mac == "DYNAMIC":
            mac = self.unused_mac(ip4)
        else:
            mac = u.static_mac if u.mac == "STATIC" else u.cur_mac
        ip6 = {"NONE": u.cur_ip6 or 0, "REMOVE": 0, "STATIC": u.static_ip6,
               "DYNAMIC": _eui64(mac, u.info.prefix6) if u.ipv6 == "DYNAMIC" else 0}[u.ipv6]
        self.insert_mac(mac)
        text = _mac_str(mac)
        if ip4:
            u.info.insert(ip4)
            text += " " + socket.inet_ntoa(ip4.to_bytes(4, "big"))
        if ip6:
            text += " " + _ipv6_string_mapped(ip6)
        return text


def _eui64(mac: int, prefix: int) -> int:
    """in6_generate_eui64(): the prefix's first 64 bits and the MAC's EUI-64."""
    iid = ((mac >> 24) ^ 0x020000) << 40 | 0xFFFE << 24 | (mac & 0xFFFFFF)
    return prefix | iid


def _ipv6_string_mapped(value: int) -> str:
    if value >> 32 == 0xFFFF:
        return socket.inet_ntoa((value & 0xFFFFFFFF).to_bytes(4, "big"))
    return ntop6(value)


def _tags(topo: _Topology, rows: dict) -> dict[str, int | None]:
    """tag_alloc_create_new_tag(): tag_request 0 of a container port (with
    parent_name) takes the lowest free tag of its parent, 1..4095, in
    northd's port order once its Port_Binding exists (the next run for a new
    port); any other tag_request is copied."""
    allocated: dict[str, set[int]] = {}
    for row in rows.values():
        if row["_uuid"] in topo.ports and row["parent_name"] and row["tag"] is not None:
            allocated.setdefault(row["parent_name"], {0}).add(row["tag"])
    tags = {}
    for switch in topo.switches:
        for port in switch["ports"]:
            row = rows.get(port)
            if row is None or port not in topo.ports or row["tag_request"] is None:
                continue
            if row["parent_name"] and row["tag_request"] == 0:
                if row["tag"] is not None:
                    continue
                taken = allocated.setdefault(row["parent_name"], {0})
                tag = next((t for t in range(1, MAX_OVN_TAGS) if t not in taken), None)
                if tag is None:
                    continue
                taken.add(tag)
                tags[port] = tag
            elif row["tag_request"] != 0:
                tags[port] = row["tag_request"]
    return tags
