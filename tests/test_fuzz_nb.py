"""Fuzz: malformed values in the NB columns relnorthd parses (addresses,
networks, MACs, VIPs and backends, NAT IPs and port ranges, route prefixes
and nexthops, DHCP options, typed options, dangling references), written
past ovn-nbctl's checks with `ovsdb-client transact`. Whatever northd
23.03.1 skips, warns about or still turns into flows, relnorthd's flows
equal the reference's, and computing never fails. Where the reference
itself crashes (23.03.1 aborts on some values, e.g. a prefix in
options:dnat_force_snat_ip), there is nothing to compare: relnorthd must
still compute, and the example counts as rejected.

The same values also go, one change at a time, to a live NB that
`relnorthd run` keeps SB in sync with: run logs no error, SB ends as a
from-scratch compute says, and its flows equal the reference's for the
final NB.

Bounded for CI; RELNORTHD_HYPOTHESIS_EXAMPLES (compute) and
RELNORTHD_RUN_EXAMPLES (run) raise the number of examples.
"""
import json
import logging
import os

import pytest
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st

from conftest import assert_matches_reference, differential_examples, link, nb
from relnorthd import mirror
from relnorthd.compare import compare
from relnorthd.pipeline import compute
from relnorthd.reference import ReferenceCrashed, Sandbox, run_reference
from relnorthd.sbflows import read_sb_flows
from test_run import from_scratch_ops, running

pytestmark = pytest.mark.usefixtures("reference_available")

RUN_EXAMPLES = int(os.environ.get("RELNORTHD_RUN_EXAMPLES", "2"))

BASE = [
    nb("ls-add", "inside"), nb("ls-add", "outside"), nb("lr-add", "lr0"),
    nb("set", "logical_router", "lr0", "options:chassis=hv1"),
    *link("inside", "lr0", "lrp-in", "00:00:00:00:ff:01", "10.0.0.1/24", "fd00::1/64"),
    *link("outside", "lr0", "lrp-out", "00:00:00:00:ff:02", "172.16.0.1/24"),
    nb("lsp-add", "inside", "vm1"),
    nb("lsp-set-addresses", "vm1", "0a:00:00:00:00:05 10.0.0.5 fd00::5"),
    nb("lsp-set-port-security", "vm1", "0a:00:00:00:00:05 10.0.0.5"),
    nb("lsp-add", "inside", "vm2"),
    nb("lsp-set-addresses", "vm2", "0a:00:00:00:00:06 10.0.0.6"),
    nb("lr-nat-add", "lr0", "snat", "172.16.0.10", "10.0.0.0/24"),
    nb("lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.11", "10.0.0.5"),
    nb("lb-add", "lb0", "172.16.0.100:80", "10.0.0.5:80,10.0.0.6:80", "tcp"),
    nb("ls-lb-add", "inside", "lb0"), nb("lr-lb-add", "lr0", "lb0"),
    nb("lr-route-add", "lr0", "0.0.0.0/0", "172.16.0.254"),
    nb("lr-policy-add", "lr0", "100", "ip4.src == 10.0.0.6", "reroute", "172.16.0.253"),
    nb("set", "logical_switch", "outside", "other_config:subnet=172.16.0.0/24"),
    nb("lsp-add", "outside", "ext1"), nb("lsp-set-addresses", "ext1", "dynamic"),
    ["ovn-nbctl", "--", "--id=@d", "create", "DHCP_Options", "cidr=10.0.0.0/24",
     'options={server_id=10.0.0.1, server_mac="00:00:00:00:ff:01", lease_time=3600, '
     'router=10.0.0.1}', "--", "set", "logical_switch_port", "vm1", "dhcpv4_options=@d"],
]

# (table, the row: (column, value), column, kind, map key): kind is how the
# fuzzed value goes in: "string", "set" (one or two values), "key" (a map
# key whose value stays valid), "value" (the value at the map key)
TARGETS = [
    ("Logical_Switch_Port", ("name", "vm1"), "addresses", "set", None),
    ("Logical_Switch_Port", ("name", "vm1"), "port_security", "set", None),
    ("Logical_Switch_Port", ("name", "vm2"), "addresses", "set", None),
    ("Logical_Switch_Port", ("name", "ext1"), "addresses", "set", None),
    ("Logical_Switch_Port", ("name", "inside-lrp-in"), "options", "value", "router-port"),
    ("Logical_Router_Port", ("name", "lrp-in"), "mac", "string", None),
    ("Logical_Router_Port", ("name", "lrp-in"), "networks", "set", None),
    ("Logical_Router_Port", ("name", "lrp-out"), "networks", "set", None),
    ("Load_Balancer", ("name", "lb0"), "vips", "key", "10.0.0.5:80,10.0.0.6:80"),
    ("Load_Balancer", ("name", "lb0"), "vips", "value", "172.16.0.100:80"),
    ("Load_Balancer", ("name", "lb0"), "options", "value", "hairpin_snat_ip"),
    ("NAT", ("external_ip", "172.16.0.11"), "external_ip", "string", None),
    ("NAT", ("external_ip", "172.16.0.11"), "logical_ip", "string", None),
    ("NAT", ("external_ip", "172.16.0.11"), "external_mac", "set", None),
    ("NAT", ("external_ip", "172.16.0.11"), "external_port_range", "string", None),
    ("NAT", ("external_ip", "172.16.0.10"), "logical_ip", "string", None),
    ("Logical_Router_Static_Route", ("ip_prefix", "0.0.0.0/0"), "ip_prefix", "string", None),
    ("Logical_Router_Static_Route", ("ip_prefix", "0.0.0.0/0"), "nexthop", "string", None),
    ("Logical_Router_Policy", ("priority", 100), "nexthops", "set", None),
    ("DHCP_Options", ("cidr", "10.0.0.0/24"), "cidr", "string", None),
    ("DHCP_Options", ("cidr", "10.0.0.0/24"), "options", "value", "router"),
    ("DHCP_Options", ("cidr", "10.0.0.0/24"), "options", "value", "lease_time"),
    ("DHCP_Options", ("cidr", "10.0.0.0/24"), "options", "value", "server_id"),
    ("Logical_Router", ("name", "lr0"), "options", "value", "lb_force_snat_ip"),
    ("Logical_Router", ("name", "lr0"), "options", "value", "dnat_force_snat_ip"),
    ("Logical_Switch", ("name", "outside"), "other_config", "value", "subnet"),
    ("Logical_Switch", ("name", "outside"), "other_config", "value", "exclude_ips"),
]

TRICKY = ["", " ", "10.0.0.256", "10.0.0.1/33", "10.0.0.0/8", "1.2.3", "::", "::g",
          "fd00::1/129", "0a:00:00:00:00", "zz:zz:zz:zz:zz:zz", "00:00:00:00:00:00",
          "ff:ff:ff:ff:ff:ff", "dynamic", "unknown", "router", "10.0.0.5 10.0.0.5",
          "0a:00:00:00:00:05 10.0.0.5 10.0.0.5", "0a:00:00:00:00:05 10.0.0.300",
          "172.16.0.100:0", "172.16.0.100:65536", "[fd20::1]:80", "10.0.0.5:80,", ",",
          "1000-", "2000-1000", "-1", "0", "99999999999", "nonexistent", "lrp-in",
          "10.0.0.1", "fd00::1", "172.16.0.0/24", "10.0.0.1..10.0.0.9"]
VALUES = st.sampled_from(TRICKY) | st.text(alphabet="0123456789abcdef.:/[]- ,", max_size=24)


def _update(table: str, where: tuple, column: str, kind: str, key, value, other) -> list[str]:
    """An `ovsdb-client transact` writing the fuzzed `value` (and for a set,
    maybe a second one, `other`)."""
    if kind == "string":
        datum = value
    elif kind == "set":
        datum = ["set", [value] + ([other] if other is not None and other != value else [])]
    elif kind == "key":
        datum = ["map", [[value, key]]]
    else:
        datum = None
    op = {"op": "update" if datum is not None else "mutate", "table": table,
          "where": [[where[0], "==", where[1]]]}
    if datum is not None:
        op["row"] = {column: datum}
    else:
        op["mutations"] = [[column, "delete", ["set", [key]]],
                           [column, "insert", ["map", [[key, value]]]]]
    return ["ovsdb-client", "transact", json.dumps(["OVN_Northbound", op])]


@differential_examples
@given(targets=st.lists(st.sampled_from(TARGETS), min_size=1, max_size=3, unique=True),
       values=st.lists(VALUES, min_size=6, max_size=6))
def test_malformed_nb_values_give_the_reference_flows(targets, values):
    commands = list(BASE)
    for i, (table, where, column, kind, key) in enumerate(targets):
        other = values[2 * i + 1] if kind == "set" else None
        commands.append(_update(table, where, column, kind, key, values[2 * i], other))
    try:
        assert_matches_reference(commands)
    except ReferenceCrashed:
        assert compute(_nb_without_northd(commands)).grouped.flows.num_rows > 0
        event("the reference crashed")
        reject()


def _nb_without_northd(commands) -> mirror.Database:
    with Sandbox(northd=False) as box:
        box.run_script(commands)
        return mirror.load(box.backup("nb", box.dir / "nb.db"), mirror.NB)


def test_a_reference_crash_is_reported_and_relnorthd_computes():
    """northd 23.03.1 aborts on a prefix as dnat_force_snat_ip; the sandbox
    says so (not a sync timeout) and relnorthd skips the option with a
    warning, as northd's log says before it dies."""
    commands = [*BASE, _update("Logical_Router", ("name", "lr0"), "options", "value",
                               "dnat_force_snat_ip", "10.0.0.0/8", None)]
    with pytest.raises(ReferenceCrashed, match="bad ip 10.0.0.0/8"):
        assert_matches_reference(commands)
    assert compute(_nb_without_northd(commands)).grouped.flows.num_rows > 0


class _Errors(logging.Handler):
    """The error records (a failed iteration) logged while attached."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@settings(max_examples=RUN_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(TARGETS), VALUES, VALUES), min_size=2,
                      max_size=5))
def test_run_takes_malformed_nb_values_in_stride(steps, tmp_path_factory):
    errors, logger = _Errors(), logging.getLogger("relnorthd")
    logger.addHandler(errors)
    try:
        with Sandbox(northd=False) as box, running(box):
            box.run_script(BASE)
            box.sync()
            for (table, where, column, kind, key), value, other in steps:
                box.run_script([_update(table, where, column, kind, key, value,
                                        other if kind == "set" else None)])
                box.sync()
            assert not from_scratch_ops(box)
            nb_file = box.backup("nb", tmp_path_factory.mktemp("nb") / "nb.db")
            ours = read_sb_flows(mirror.load(box.sb_remote, mirror.SB))
    finally:
        logger.removeHandler(errors)
    assert not errors.records, [r.getMessage() for r in errors.records]
    try:
        reference = run_reference(nb_file=nb_file).flows
    except ReferenceCrashed:
        event("the reference crashed")
        reject()
    c = compare(ours, reference)
    assert c.equal, (c.totals, c.only_reference[:2], c.only_ours[:2])
