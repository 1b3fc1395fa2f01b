"""OVN address strings parsed and re-printed exactly as northd does.

northd scans addresses with sscanf formats (`%hhx:` MACs, `%hhu.` IPv4
octets, `%46[0-9a-fA-F:.]` IPv6) and prints them with `%02x` and glibc's
inet_ntop; these helpers follow the same rules, so normalised strings match
the reference byte for byte (lowercase MACs, RFC 5952 IPv6 with glibc's
dotted form for v4-mapped addresses).
"""
from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass, field

_HEX = re.compile(r"\s*([+-]?)(?:0[xX])?([0-9a-fA-F]+)")
_DEC = re.compile(r"\s*([+-]?)([0-9]+)")
_INT = re.compile(r"\s*([+-]?[0-9]+)")
_V6 = re.compile(r"[0-9a-fA-F:.]{1,46}")


def _scan_byte(pattern: re.Pattern, base: int, s: str, pos: int) -> tuple[int, int] | None:
    """One sscanf `%hhx` / `%hhu`: optional blanks and sign, digits, value
    truncated to 8 bits."""
    m = pattern.match(s, pos)
    if not m:
        return None
    value = int(m.group(2), base) * (-1 if m.group(1) == "-" else 1)
    return value & 0xFF, m.end()


def scan_mac(s: str, pos: int = 0) -> tuple[str, int] | None:
    """ETH_ADDR_SCAN_FMT at `pos`: (normalised MAC, end) or None."""
    octets = []
    for i in range(6):
        if i and (pos >= len(s) or s[pos] != ":"):
            return None
        pos += 1 if i else 0
        got = _scan_byte(_HEX, 16, s, pos)
        if got is None:
            return None
        octets.append(got[0])
        pos = got[1]
    return ":".join(f"{o:02x}" for o in octets), pos


def _scan_ipv4(s: str, pos: int) -> tuple[int, int] | None:
    value = 0
    for i in range(4):
        if i and (pos >= len(s) or s[pos] != "."):
            return None
        pos += 1 if i else 0
        got = _scan_byte(_DEC, 10, s, pos)
        if got is None:
            return None
        value = value << 8 | got[0]
        pos = got[1]
    return value, pos


def _cidr_bits(mask: int, width: int) -> int | None:
    """Prefix length of a CIDR mask, None when the mask is not CIDR."""
    inverted = ~mask & ((1 << width) - 1)
    if inverted & (inverted + 1):
        return None
    return width - inverted.bit_length()


@dataclass(frozen=True)
class Ipv4:
    addr: str
    plen: int
    network: str
    bcast: str


@dataclass(frozen=True)
class Ipv6:
    addr: str
    plen: int
    network: str
    sn_addr: str           # solicited-node multicast address


def parse_ipv4_cidr(s: str, pos: int) -> tuple[Ipv4, int] | None:
    """ip_parse_cidr_len at `pos`: IP, IP/plen or IP/mask (CIDR only)."""
    got = _scan_ipv4(s, pos)
    if got is None:
        return None
    ip, end = got
    plen = 32
    if end < len(s) and s[end] == "/":
        mask = _scan_ipv4(s, end + 1)
        if mask is not None:
            bits = _cidr_bits(mask[0], 32)
            if bits is None:
                return None
            plen, end = bits, mask[1]
        else:
            m = _INT.match(s, end + 1)
            if m:
                plen = int(m.group(1))
                if not 0 <= plen <= 32:
                    return None
                end = m.end()
    return ipv4_netaddr(ip, plen), end


def ipv4_netaddr(ip: int, plen: int) -> Ipv4:
    mask = ((1 << 32) - 1) ^ ((1 << (32 - plen)) - 1)
    fmt = lambda v: socket.inet_ntop(socket.AF_INET, v.to_bytes(4, "big"))  # noqa: E731
    return Ipv4(fmt(ip), plen, fmt(ip & mask), fmt(ip | (~mask & 0xFFFFFFFF)))


def parse_ipv6_cidr(s: str, pos: int) -> tuple[Ipv6, int] | None:
    """ipv6_parse_cidr_len at `pos`: IPv6, IPv6/plen or IPv6/mask (CIDR only)."""
    while pos < len(s) and s[pos].isspace():
        pos += 1
    m = _V6.match(s, pos)
    ip = _inet_pton6(m.group(0)) if m else None
    if ip is None:
        return None
    end, plen = m.end(), 128
    if end < len(s) and s[end] == "/":
        n = re.compile(r"\s*([+-]?[0-9]+)").match(s, end + 1)
        mask_m = _V6.match(s, end + 1)
        if n:
            plen = int(n.group(1))
            if not 0 <= plen <= 128:
                return None
            end = n.end()
        elif mask_m:
            mask = _inet_pton6(mask_m.group(0))
            if mask is None:
                return None
            bits = _cidr_bits(mask, 128)
            if bits is None:
                return None
            plen, end = bits, mask_m.end()
    return ipv6_netaddr(ip, plen), end


def masked_bits_pattern(ip: int, mask: int, width: int) -> str:
    """A SQL LIKE pattern over ip_bits() strings matching the addresses
    that agree with `ip` wherever `mask` is set: ip's bit there, '_' elsewhere."""
    bits = format(ip, f"0{width}b")
    return "".join(b if mask >> (width - 1 - i) & 1 else "_" for i, b in enumerate(bits))


def inet_pton(family: int, text: str) -> int | None:
    """inet_pton() of `text` as an int, or None when it does not parse."""
    try:
        return int.from_bytes(socket.inet_pton(family, text), "big")
    except OSError:
        return None


def _inet_pton6(text: str) -> int | None:
    return inet_pton(socket.AF_INET6, text)


def ntop6(value: int) -> str:
    """glibc inet_ntop for IPv6 (RFC 5952; v4-mapped as ::ffff:a.b.c.d)."""
    return socket.inet_ntop(socket.AF_INET6, value.to_bytes(16, "big"))


def solicited_node(value: int) -> int:
    """ff02::1:ffXX:XXXX for the low 24 bits of `value`."""
    return int(ipaddress.IPv6Address("ff02::1:ff00:0")) | (value & 0xFFFFFF)


def ipv6_netaddr(ip: int, plen: int) -> Ipv6:
    mask = ((1 << 128) - 1) ^ ((1 << (128 - plen)) - 1)
    return Ipv6(ntop6(ip), plen, ntop6(ip & mask), ntop6(solicited_node(ip)))


def parse_ip(text: str) -> dict | None:
    """A whole option string as one address, the way northd reads
    virtual-ip: IPv4 (inet_pton) when it contains a dot, else IPv6."""
    family = socket.AF_INET if "." in text else socket.AF_INET6
    try:
        packed = socket.inet_pton(family, text)
    except OSError:
        return None
    if family == socket.AF_INET:
        return {"family": "ipv4", "addr": socket.inet_ntop(family, packed), "sn_addr": None}
    value = int.from_bytes(packed, "big")
    return {"family": "ipv6", "addr": ntop6(value), "sn_addr": ntop6(solicited_node(value))}


def eui64_lla(mac: str) -> str:
    """fe80::/64 link-local address derived from a MAC (in6_generate_lla)."""
    o = [int(x, 16) for x in mac.split(":")]
    iid = bytes([o[0] ^ 0x02, o[1], o[2], 0xFF, 0xFE, o[3], o[4], o[5]])
    return ntop6(0xFE80 << 112 | int.from_bytes(iid, "big"))


def parse_lrp_networks(mac: str, networks: list[str]) -> LspAddress | None:
    """extract_lrp_networks(): a router port's MAC (the whole string) and
    networks (each a whole `IP/plen`), with the EUI-64 link-local address
    appended last; None when the MAC is invalid. Bad networks are skipped."""
    got = scan_mac(mac)
    if got is None or got[1] != len(mac):
        return None
    v4: list[Ipv4] = []
    v6: list[Ipv6] = []
    for net in networks:
        a4 = parse_ipv4_cidr(net, 0)
        if a4 is not None and a4[1] == len(net):
            if a4[0].addr != "0.0.0.0":
                v4.append(a4[0])
            continue
        a6 = parse_ipv6_cidr(net, 0)
        if a6 is not None and a6[1] == len(net):
            v6.append(a6[0])
    lla = _inet_pton6(eui64_lla(got[0]))
    v6.append(ipv6_netaddr(lla, 64))
    return LspAddress(got[0], v4, v6)


@dataclass(frozen=True)
class LspAddress:
    """One parsed `MAC [IP ...]` entry (extract_lsp_addresses)."""
    mac: str
    ipv4: list[Ipv4] = field(default_factory=list)
    ipv6: list[Ipv6] = field(default_factory=list)
    trailing: str = ""     # unparsed rest: northd logs it and ignores it


def parse_lsp_address(s: str) -> LspAddress | None:
    """`MAC [IP...]`; None without a leading MAC. Parsing stops at the
    first token that is neither an IPv4 nor an IPv6 address."""
    got = scan_mac(s)
    if got is None:
        return None
    mac, pos = got
    v4, v6, pos = _scan_ips(s, pos)
    return LspAddress(mac, v4, v6, s[pos:])


def parse_ip_list(s: str) -> tuple[list[Ipv4], list[Ipv6]] | None:
    """`IP[/plen] ...` the way extract_ip_addresses() reads an option
    (arp_proxy): parsing stops at the first bad token; None when no IP."""
    v4, v6, _ = _scan_ips(s, 0)
    return (v4, v6) if v4 or v6 else None


def _scan_ips(s: str, pos: int) -> tuple[list[Ipv4], list[Ipv6], int]:
    """IPv4/IPv6 CIDRs from `pos` until the first token that is neither."""
    v4: list[Ipv4] = []
    v6: list[Ipv6] = []
    while pos < len(s):
        a4 = parse_ipv4_cidr(s, pos)
        if a4 is not None:
            v4.append(a4[0])
            pos = a4[1]
            continue
        a6 = parse_ipv6_cidr(s, pos)
        if a6 is None:
            break
        v6.append(a6[0])
        pos = a6[1]
    return v4, v6, pos


def ipam_subnet(s: str) -> Ipv4 | None:
    """other_config:subnet as init_ipam_ipv4() accepts it: IP/plen or
    IP/mask, CIDR, shorter than /32."""
    got = parse_ipv4_cidr(s, 0)
    return got[0] if got is not None and got[1] == len(s) and got[0].plen < 32 else None


def ipam_ipv6_prefix(s: str) -> int | None:
    """other_config:ipv6_prefix as init_ipam_ipv6_prefix() reads it: an IPv6
    address, or a prefix (ipv6_parse_masked) of length 64 -> its first 64
    bits; None when it is not accepted."""
    if "/" in s:
        addr, _, plen = s.partition("/")
        value, mask = _inet_pton6(addr), None
        if plen.isdigit():
            mask = int(plen)
        elif (m := _inet_pton6(plen)) is not None:
            inverted = ~m & ((1 << 128) - 1)
            mask = None if inverted & (inverted + 1) else 128 - inverted.bit_length()
        if value is None or mask != 64:
            return None
    else:
        value = _inet_pton6(s)
        if value is None:
            return None
    return value & ~((1 << 64) - 1)


@dataclass(frozen=True)
class Endpoint:
    """An LB VIP or backend `IP[:port]` (port 0: none), as northd reads it."""
    family: str      # ipv4 | ipv6
    ip: str          # normalised, without brackets
    port: int


def parse_endpoint(s: str) -> Endpoint | None:
    """ip_address_and_port_from_lb_key() (OVS inet_parse_active): `IPv4`,
    `IPv4:port`, `IPv6`, `[IPv6]`, `[IPv6]:port`; a port must be a whole
    decimal number 0-65535. IPv6 scope ids are not accepted."""
    colons = [i for i, depth in _outside_brackets(s) if s[i] == ":" and not depth]
    if len(colons) > 1:
        host, port_s = s, None
    elif colons:
        host, port_s = _unbracket(s[:colons[0]]), _unbracket(s[colons[0] + 1:])
    else:
        host, port_s = _unbracket(s), None
    port = 0
    if port_s:
        m = re.fullmatch(r"\s*([+-]?[0-9]+)", port_s)
        if not m or not 0 <= int(m.group(1)) <= 65535:
            return None
        port = int(m.group(1))
    parsed = _parse_host(host)
    return None if parsed is None else Endpoint(*parsed, port)


def _outside_brackets(s: str):
    depth = False
    for i, c in enumerate(s):
        if c == "[":
            depth = True
        elif c == "]":
            depth = False
        yield i, depth


def _unbracket(s: str) -> str:
    if s.startswith("["):
        s = s[1:]
        if s.endswith("]"):
            s = s[:-1]
    return s


def parse_lb_backends(value: str, vip: Endpoint) -> list[Endpoint] | None:
    """A VIP's backends (ovn_lb_backends_init_explicit): comma separated
    endpoints of the VIP's family, with a port exactly when the VIP has one.
    One bad backend makes the whole VIP invalid (None): northd logs it and
    skips the VIP."""
    backends = []
    for token in (t for t in value.split(",") if t):
        b = parse_endpoint(token)
        if b is None or b.family != vip.family or bool(b.port) != bool(vip.port):
            return None
        backends.append(b)
    return backends


def parse_template_lb_vip(key: str, value: str, family: str
                          ) -> tuple[str, str | None, list[tuple[str, int, str | None]]] | None:
    """A VIP of a template LB of `family` (ovn_lb_vip_init_template): the key
    is `VIP[:PORT]` as text, and the backends are all `IP[:PORT]` texts (both
    split at ':' as strtok does: one or two non-empty parts, so no IPv6
    literal), or else explicit backends of `family` with a port exactly when
    the VIP has one. (VIP, PORT or None, [(IP, port number (0 for a text),
    PORT or None)]), or None when the VIP is invalid (northd skips it)."""
    vip = _template_parts(key)
    if vip is None:
        return None
    vip_port = vip[1] if len(vip) > 1 else None
    texts = [_template_parts(t) for t in value.split(",") if t]
    if all(t is not None for t in texts):
        return vip[0], vip_port, [(t[0], 0, t[1] if len(t) > 1 else None) for t in texts]
    explicit = parse_lb_backends(value, Endpoint(family, "", 1 if vip_port else 0))
    if explicit is None:
        return None
    return vip[0], vip_port, [(b.ip, b.port, str(b.port) if b.port else None) for b in explicit]


def _template_parts(s: str) -> list[str] | None:
    parts = [p for p in s.split(":") if p]
    return parts if 1 <= len(parts) <= 2 else None


def ip_bits(ip: str) -> str:
    """An IPv4 (32) or IPv6 (128) address as a string of bits, so that
    "in this network" is a prefix comparison any SQL engine can do."""
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    packed = socket.inet_pton(family, ip)
    return format(int.from_bytes(packed, "big"), f"0{len(packed) * 8}b")


def parse_inet_address(s: str) -> str | None:
    """OVS inet_parse_address(): an IPv4 or IPv6 address, optionally in
    brackets, printed normalised; None when it does not parse."""
    parsed = _parse_host(_unbracket(s))
    return parsed and parsed[1]


def _parse_host(host: str) -> tuple[str, str] | None:
    """(family, normalised IP) of a host part: IPv6 when it has a ':'."""
    if ":" in host:
        value = _inet_pton6(host)
        return None if value is None else ("ipv6", ntop6(value))
    try:
        packed = socket.inet_pton(socket.AF_INET, host)
    except OSError:
        return None
    return "ipv4", socket.inet_ntop(socket.AF_INET, packed)


@dataclass(frozen=True)
class Masked:
    """ip_parse_masked / ipv6_parse_masked of a whole string."""
    family: str      # ipv4 | ipv6
    cidr_bits: int   # ip_count_cidr_bits / ipv6_count_cidr_bits of the mask
    exact: bool      # the mask is all ones (a host address)


def parse_masked(s: str, family: str) -> Masked | None:
    """`IP`, `IP/plen` or `IP/mask` (any mask) of one family, the whole
    string; None when it does not parse."""
    got = scan_masked(s, family)
    if got is None:
        return None
    mask = got[1]
    if family == "ipv4":
        trailing_zeros = (mask & -mask).bit_length() - 1 if mask else 32
        return Masked("ipv4", 32 - trailing_zeros, mask == 0xFFFFFFFF)
    bits = 0
    for byte in mask.to_bytes(16, "big"):
        if byte != 0xFF:      # up to the lowest one bit of the first partial byte
            bits += 8 - ((byte & -byte).bit_length() - 1) if byte else 0
            break
        bits += 8
    return Masked("ipv6", bits, mask == (1 << 128) - 1)


def scan_masked(s: str, family: str) -> tuple[int, int] | None:
    """ip_parse_masked / ipv6_parse_masked: (address, mask) as integers of
    `IP`, `IP/plen` or `IP/mask` (any mask), the whole string; None when it
    does not parse."""
    if family == "ipv4":
        got = _scan_ipv4(s, 0)
        if got is None:
            return None
        ip, end, mask = got[0], got[1], 0xFFFFFFFF
        if end < len(s) and s[end] == "/":
            dotted = _scan_ipv4(s, end + 1)
            n = _INT.match(s, end + 1)
            if dotted is not None:
                mask, end = dotted
            elif n and 0 <= int(n.group(1)) <= 32:
                mask, end = 0xFFFFFFFF ^ ((1 << (32 - int(n.group(1)))) - 1), n.end()
            else:
                return None
        return (ip, mask) if end == len(s) else None
    m = re.compile(r"\s*([0-9a-fA-F:.]{1,46})").match(s)
    ip = _inet_pton6(m.group(1)) if m else None
    if ip is None:
        return None
    end, mask = m.end(), (1 << 128) - 1
    if end < len(s) and s[end] == "/":
        n = _INT.match(s, end + 1)
        m6 = _V6.match(s, end + 1)
        if n:
            if not 0 <= int(n.group(1)) <= 128:
                return None
            mask, end = (1 << 128) - (1 << (128 - int(n.group(1)))), n.end()
        elif m6 and _inet_pton6(m6.group(0)) is not None:
            mask, end = _inet_pton6(m6.group(0)), m6.end()
        else:
            return None
    return (ip, mask) if end == len(s) else None
