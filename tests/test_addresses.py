"""Address parsing and printing helpers (RFC 5952, EUI-64, solicited-node,
northd's sscanf scanning rules)."""
import pytest

from relnorthd.addresses import (eui64_lla, parse_ip, parse_lsp_address, scan_mac,
                                 solicited_node)


@pytest.mark.parametrize("text, expected", [
    ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),           # lowercase, longest zero run
    ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),     # first of equal runs
    ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  # no :: for a single zero group
    ("fe80::0:ABCD", "fe80::abcd"),
    ("::ffff:10.0.0.1", "::ffff:10.0.0.1"),           # glibc keeps v4-mapped dotted
])
def test_ipv6_is_printed_rfc5952(text, expected):
    (ip,) = parse_lsp_address(f"00:00:00:00:00:01 {text}").ipv6
    assert ip.addr == expected


def test_ipv6_network_and_solicited_node():
    (ip,) = parse_lsp_address("00:00:00:00:00:01 fd00::abcd:1234/64").ipv6
    assert (ip.plen, ip.network, ip.sn_addr) == (64, "fd00::", "ff02::1:ffcd:1234")
    assert solicited_node(0x1234_5678) == int.from_bytes(
        bytes.fromhex("ff0200000000000000000001ff345678"), "big")


def test_ipv4_cidr_forms():
    a, b, c = parse_lsp_address("00:00:00:00:00:01 10.0.0.5/24 10.1.0.1/255.255.0.0 1.2.3.4").ipv4
    assert (a.addr, a.plen, a.network, a.bcast) == ("10.0.0.5", 24, "10.0.0.0", "10.0.0.255")
    assert (b.plen, b.network) == (16, "10.1.0.0")
    assert (c.plen, c.network) == (32, "1.2.3.4")


def test_non_cidr_mask_stops_parsing():
    parsed = parse_lsp_address("00:00:00:00:00:01 10.0.0.1/255.0.255.0 10.0.0.2")
    assert parsed.ipv4 == [] and parsed.trailing.startswith(" 10.0.0.1/")


def test_macs_are_lowercased_and_padded_like_printf():
    assert scan_mac("0A:B:0c:00:00:FF")[0] == "0a:0b:0c:00:00:ff"
    assert scan_mac("00:00:00:00:00") is None
    assert scan_mac("not a mac") is None
    assert parse_lsp_address("unknown") is None


def test_scanning_stops_at_the_first_bad_token():
    parsed = parse_lsp_address("00:00:00:00:00:01 10.0.0.1 junk fd00::1")
    assert [a.addr for a in parsed.ipv4] == ["10.0.0.1"] and parsed.ipv6 == []
    assert parsed.trailing == " junk fd00::1"


def test_eui64_link_local():
    assert eui64_lla("00:00:00:00:00:01") == "fe80::200:ff:fe00:1"
    assert eui64_lla("0a:58:0a:f4:00:01") == "fe80::858:aff:fef4:1"


def test_whole_string_ips_for_options():
    assert parse_ip("10.0.0.10") == {"family": "ipv4", "addr": "10.0.0.10", "sn_addr": None}
    assert parse_ip("FD00::A")["addr"] == "fd00::a"
    assert parse_ip("10.0.0") is None and parse_ip("::ffff:1.2.3.4") is None


def test_vectorised_fast_path_agrees_with_the_parser():
    import pyarrow as pa

    from relnorthd.derive import _CANONICAL_MAC_IPV4, _canonical_mac_ipv4
    strings = ["0a:58:0a:00:00:01 10.0.0.1", "0a:58:0a:00:00:02 255.255.255.0",
               "0A:58:0a:00:00:03 10.0.0.3", "0a:58:0a:00:00:04 10.0.0.04",
               "0a:58:0a:00:00:05 10.0.0.5/24", "0a:58:0a:00:00:06 256.0.0.1"]
    import pyarrow.compute as pc
    canonical = pc.match_substring_regex(pa.array(strings), _CANONICAL_MAC_IPV4).to_pylist()
    assert canonical == [True, True, False, False, False, False]
    for row in _canonical_mac_ipv4(pa.array(strings[:2])).to_pylist():
        parsed = parse_lsp_address(row["address"])
        (ip,) = parsed.ipv4
        assert (row["mac"], row["addr"], row["plen"], row["network"], row["bcast"]) == \
            (parsed.mac, ip.addr, ip.plen, ip.network, ip.bcast)
