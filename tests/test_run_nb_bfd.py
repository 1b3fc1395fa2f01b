"""What `relnorthd run` writes back to NB BFD.status and
Logical_Router_Port.ipv6_prefix, step by step as ovn-northd 23.03.1 does:
a new session's default, SB's status (ovn-controller's) copied unless
either says admin_down, a tracked session's admin_down turned down, an
unused one turned admin_down, and the prefix ovn-controller delegated to a
router port with options:prefix. The routes BFD holds back are compared too
(their lr_in_ip_routing flows)."""
import json

import pytest

from relnorthd import mirror
from relnorthd.sbflows import read_sb_flows
from conftest import nb
from test_run import apply, reference_and_ours

pytestmark = pytest.mark.usefixtures("reference_available")


def controller_sets_bfd(dst_ip: str, status: str) -> list[str]:
    """What ovn-controller writes when the session to `dst_ip` changes."""
    op = {"op": "update", "table": "BFD", "where": [["dst_ip", "==", dst_ip]],
          "row": {"status": status}}
    return ["ovsdb-client", "transact", json.dumps(["OVN_Southbound", op])]


def controller_delegates(port: str, pd_list: str) -> list[str]:
    """What ovn-controller writes when it got a prefix for router `port`."""
    op = {"op": "mutate", "table": "Port_Binding", "where": [["logical_port", "==", port]],
          "mutations": [["options", "delete", ["set", ["ipv6_ra_pd_list"]]],
                        ["options", "insert", ["map", [["ipv6_ra_pd_list", pd_list]]]]]}
    return ["ovsdb-client", "transact", json.dumps(["OVN_Southbound", op])]


def routed_bfd(dst_ip: str, nexthop: str, prefix: str, status: str) -> list[str]:
    """A BFD row and a static route it tracks on r0, made together."""
    return nb("--id=@b", "create", "BFD", "logical_port=lrp0", f"dst_ip={dst_ip}",
              f"status={status}", "--", "--id=@r", "create", "Logical_Router_Static_Route",
              f"ip_prefix={prefix}", f"nexthop={nexthop}", "bfd=@b",
              "--", "add", "Logical_Router", "r0", "static_routes", "@r")


def uuid_of(table: str, condition: str) -> tuple[str, str]:
    """Stands for the uuid of the row of `table` matching `condition`."""
    return ("uuid", f"{table}:{condition}")


STEPS = [
    nb("lr-add", "r0",
       "--", "lrp-add", "r0", "lrp0", "00:00:00:00:00:01", "10.0.0.1/24",
       "--", "lrp-add", "r0", "lrp1", "00:00:00:00:00:02", "2001:db8::1/64",
       "--", "set", "Logical_Router_Port", "lrp1", "options:prefix=true",
       "--", "lrp-add", "r0", "lrp2", "00:00:00:00:00:03", "2001:db9::1/64",
       "--", "set", "Logical_Router_Port", "lrp2", "options:prefix_delegation=true"),
    nb("create", "BFD", "logical_port=lrp0", "dst_ip=10.0.0.50"),          # no status
    nb("--bfd", "lr-route-add", "r0", "192.168.1.0/24", "10.0.0.2", "lrp0"),
    controller_sets_bfd("10.0.0.2", "up"),
    controller_sets_bfd("10.0.0.2", "down"),
    controller_sets_bfd("10.0.0.2", "up"),
    nb("set", "BFD", uuid_of("BFD", "dst_ip=10.0.0.2"), "status=admin_down"),
    nb("set", "BFD", uuid_of("BFD", "dst_ip=10.0.0.50"), "status=up"),     # unused
    controller_sets_bfd("10.0.0.50", "up"),
    controller_sets_bfd("10.0.0.2", "up"),
    nb("clear", "Logical_Router_Static_Route",
       uuid_of("Logical_Router_Static_Route", "nexthop=10.0.0.2"), "bfd"),
    routed_bfd("10.0.0.60", "10.0.0.3", "192.168.2.0/24", "up"),      # nexthop not dst_ip
    routed_bfd("172.16.0.9", "172.16.0.9", "192.168.3.0/24", "up"),   # no port to it
    routed_bfd("10.0.0.4", "10.0.0.4", "192.168.4.0/24", "up"),
    nb("create", "BFD", "logical_port=lrp0", "dst_ip=10.0.0.70", "status=down"),
    controller_delegates("lrp1", "1:2001:db8:1::/64"),
    controller_delegates("lrp2", "1:2001:db9:1::/64"),       # prefix_delegation only
    controller_delegates("lrp1", "x:2001:db8:2::/64"),       # no aid: kept as it was
    controller_delegates("lrp1", " 7: 2001:db8:3::/64 and more"),
]


def observe(box):
    """After each step: NB's BFD rows, router ports' ipv6_prefix and the
    routes to 192.168.0.0/16 SB has."""
    seen = []
    for step in STEPS:
        apply(box, [[box.nbctl("--bare", "--columns=_uuid", "find", *a[1].split(":", 1)).strip()
                     if isinstance(a, tuple) else a for a in step]])
        nb_db = mirror.load(box.nb_remote, mirror.NB)
        flows = read_sb_flows(mirror.load(box.sb_remote, mirror.SB)).to_pylist()
        seen.append((
            sorted((r["logical_port"], r["dst_ip"], r["status"]) for r in nb_db["BFD"].to_pylist()),
            sorted((r["name"], r["ipv6_prefix"])
                   for r in nb_db["Logical_Router_Port"].to_pylist()),
            sorted(f["match"] for f in flows
                   if f["stage"] == "lr_in_ip_routing" and "192.168." in f["match"])))
    return seen


def test_bfd_status_and_ipv6_prefix_written_back_as_the_reference_does():
    expected, got = reference_and_ours(observe)
    for step, want, have in zip(STEPS, expected, got, strict=True):
        assert have == want, step
    statuses = {}
    for bfd, _, _ in expected:          # every rule shows in the reference's steps
        for _, dst_ip, status in bfd:
            statuses.setdefault(dst_ip, []).append(status)
    assert statuses["10.0.0.50"][0] == "admin_down"
    assert {"down", "up", "admin_down"} <= set(statuses["10.0.0.2"])
    assert statuses["10.0.0.4"][-1] == "up" and statuses["10.0.0.60"][-1] == "admin_down"
    assert statuses["10.0.0.70"][-1] == "admin_down"
    prefixes = {tuple(dict(lrps)["lrp1"]) for _, lrps, _ in expected}
    assert len(prefixes) == 3 and all(not dict(lrps)["lrp2"] for _, lrps, _ in expected)
    assert len({tuple(routes) for _, _, routes in expected}) > 2
