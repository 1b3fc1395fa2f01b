"""ACLs on switches and port groups: every action x direction, stateless and
stateful switches, logging with names/severities/meters (fair and not),
labels and log-related, apply-after-lb, reject with CoPP, chassis features
and NB_Global options, compared flow for flow with ovn-northd 23.03.1."""
import itertools

import pytest

from conftest import assert_matches_reference

pytestmark = pytest.mark.usefixtures("reference_available")

ACTIONS = ["allow", "allow-related", "allow-stateless", "drop", "reject"]
DIRECTIONS = ["from-lport", "to-lport"]


def nb(*args):
    return ["ovn-nbctl", *args]


def vif(sw, name, mac_ip):
    return [nb("lsp-add", sw, name), nb("lsp-set-addresses", name, mac_ip)]


def acl_row(target_table, target, direction, priority, match, action, **columns):
    """An ACL created as a row, so any column (options, label, log) can be set."""
    cols = [f"direction={direction}", f"priority={priority}", f'match="{match}"',
            f"action={action}", *[f"{k}={v}" for k, v in columns.items()]]
    return nb("--id=@a", "create", "ACL", *cols, "--", "add", target_table, target, "acls", "@a")


BASE = [nb("ls-add", "sw0"), nb("ls-add", "sw1"), *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
        *vif("sw1", "p2", "00:00:00:00:00:02 10.0.0.2")]


@pytest.mark.parametrize(("action", "direction", "stateful"),
                         list(itertools.product(ACTIONS, DIRECTIONS, [False, True])))
def test_action_direction_matrix(action, direction, stateful):
    commands = [*BASE, nb("acl-add", "sw0", direction, "100", "ip4.src == 10.0.0.1", action),
                nb("acl-add", "sw1", direction, "200", "tcp.dst == 80", action)]
    if stateful:
        commands.append(nb("acl-add", "sw0", "from-lport", "1", "ip", "allow-related"))
    assert_matches_reference(commands)


SCENARIOS = {
    "logging_every_form": [
        *BASE, nb("meter-add", "acl-meter", "drop", "10", "pktps"),
        nb("acl-add", "sw1", "to-lport", "5", "ip", "allow-related"),
        *[nb(*opts, "acl-add", "sw0", "from-lport", str(100 + i), f"udp.dst == {i}", action)
          for i, (opts, action) in enumerate([
              (["--log"], "allow"),
              (["--log", "--name=web", "--severity=alert"], "drop"),
              (["--log", "--severity=debug", "--meter=acl-meter"], "reject"),
              (["--log", "--name=n1", "--meter=nope"], "allow-stateless"),
              (["--name=quiet"], "drop")])],
        *[nb(*opts, "acl-add", "sw1", "from-lport", str(100 + i), f"udp.dst == {i}", action)
          for i, (opts, action) in enumerate([
              (["--log", "--severity=warning"], "allow-related"),
              (["--log", "--name=web", "--meter=acl-meter"], "drop"),
              (["--log"], "reject")])]],
    "fair_meter_names_per_acl": [
        *BASE, nb("--fair", "meter-add", "fair-m", "drop", "1", "pktps"),
        nb("--log", "--meter=fair-m", "acl-add", "sw0", "to-lport", "100", "ip4", "drop"),
        nb("--log", "--meter=fair-m", "acl-add", "sw0", "from-lport", "100", "ip6", "allow")],
    "labels_and_log_related": [
        *BASE,
        acl_row("Logical_Switch", "sw0", "from-lport", 100, "ip4", "allow-related",
                label=7, log="true", **{"options:log-related": "true"}),
        acl_row("Logical_Switch", "sw0", "to-lport", 100, "tcp", "allow",
                label=4294967295, log="true", name="big", **{"options:log-related": "true"}),
        acl_row("Logical_Switch", "sw0", "to-lport", 90, "udp", "allow-related", label=3,
                **{"options:log-related": "true"}),    # no log: no related flows
        acl_row("Logical_Switch", "sw1", "from-lport", 100, "ip4", "allow", label=9,
                log="true", **{"options:log-related": "true"})],   # stateless switch
    "apply_after_lb": [
        *BASE, nb("--apply-after-lb", "acl-add", "sw0", "from-lport", "100", "ip4", "drop"),
        nb("--apply-after-lb", "acl-add", "sw0", "from-lport", "101", "ip4", "allow-related"),
        nb("--apply-after-lb", "acl-add", "sw0", "to-lport", "102", "ip4", "reject"),
        acl_row("Logical_Switch", "sw1", "from-lport", 100, "ip4", "allow-related", label=5,
                log="true", **{"options:log-related": "true", "options:apply-after-lb": "true"})],
    "reject_with_copp_meter": [
        *BASE, nb("meter-add", "rm", "drop", "10", "pktps"),
        nb("copp-add", "cp", "reject", "rm"), nb("ls-copp-add", "cp", "sw0"),
        nb("acl-add", "sw0", "from-lport", "100", "ip4", "reject"),
        nb("acl-add", "sw1", "from-lport", "100", "ip4", "reject"),
        nb("acl-add", "sw1", "to-lport", "100", "ip", "allow-related")],
    "port_group_spanning_switches": [
        *BASE, nb("ls-add", "sw2"), *vif("sw2", "p3", "00:00:00:00:00:03 10.0.0.3"),
        nb("pg-add", "pg1", "p1", "p2"), nb("pg-add", "pg2", "p2", "p3"),
        nb("--type=port-group", "acl-add", "pg1", "to-lport", "1001",
           "outport == @pg1 && ip4.src == $pg1_ip4", "allow-related"),
        nb("--type=port-group", "acl-add", "pg1", "to-lport", "1000", "outport == @pg1",
           "drop"),
        nb("--type=port-group", "acl-add", "pg2", "from-lport", "1000",
           "inport == @pg2 && ip4", "allow-stateless"),
        nb("acl-add", "sw2", "from-lport", "10", "arp", "allow")],
    "same_acl_on_switch_and_port_group": [
        *BASE, nb("pg-add", "pg1", "p1"),
        nb("--id=@a", "create", "ACL", "direction=to-lport", "priority=50", 'match="ip4"',
           "action=drop", "--", "add", "Logical_Switch", "sw0", "acls", "@a",
           "--", "add", "Port_Group", "pg1", "acls", "@a")],
    "port_group_without_switch_ports": [
        *BASE, nb("pg-add", "pg_empty"),
        nb("--type=port-group", "acl-add", "pg_empty", "to-lport", "1000", "ip", "drop")],
    "address_sets_in_matches": [
        *BASE, nb("create", "Address_Set", "name=as1", 'addresses="10.0.0.1","10.0.0.2"'),
        nb("acl-add", "sw0", "to-lport", "100", "ip4.src == $as1", "allow-related")],
    "stateless_filters_with_lb_vip": [
        *BASE, nb("lb-add", "lb0", "10.0.0.10:80", "10.0.0.3:80"), nb("ls-lb-add", "sw0", "lb0"),
        nb("acl-add", "sw0", "from-lport", "100", "tcp", "allow-stateless"),
        nb("acl-add", "sw0", "to-lport", "100", "udp", "allow-stateless")],
    "default_drop_debug_sampling_no_ct_inv": [
        *BASE, nb("set", "nb_global", ".", "options:default_acl_drop=true",
                  "options:debug_drop_collector_set=5", "options:debug_drop_domain_id=2",
                  "options:use_ct_inv_match=false"),
        nb("--log", "acl-add", "sw0", "from-lport", "100", "ip4", "drop"),
        nb("acl-add", "sw0", "to-lport", "100", "ip4", "reject"),
        nb("acl-add", "sw1", "to-lport", "100", "ip4", "drop"),
        acl_row("Logical_Switch", "sw0", "from-lport", 200, "tcp", "allow-related", label=2,
                log="true", **{"options:log-related": "true"})],
    "chassis_without_features": [
        ["ovn-sbctl", "chassis-add", "ch1", "geneve", "127.0.0.1"],
        *BASE, nb("acl-add", "sw0", "to-lport", "100", "ip4", "drop"),
        nb("acl-add", "sw0", "to-lport", "101", "ip4", "reject"),
        nb("acl-add", "sw0", "from-lport", "100", "ip", "allow-related"),
        acl_row("Logical_Switch", "sw0", "from-lport", 200, "tcp", "allow-related", label=2,
                log="true", **{"options:log-related": "true"})],
    "match_and_name_strings_kept_verbatim": [
        *BASE, nb("--log", "--name=a b\\c", "acl-add", "sw0", "to-lport", "100",
                  'ip4.src == {10.0.0.1, 10.0.0.2} && inport == "p1"', "drop")],
}


@pytest.mark.parametrize("commands", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_acl_scenarios(commands):
    assert_matches_reference(commands)


QOS = {
    "dscp_and_meters_both_directions": [
        *BASE,
        nb("qos-add", "sw0", "from-lport", "100", "ip4.src == 10.0.0.1", "dscp=12"),
        nb("qos-add", "sw0", "to-lport", "200", "tcp", "rate=1000", "burst=200"),
        nb("qos-add", "sw0", "from-lport", "150", "udp", "dscp=63", "rate=50"),
        nb("qos-add", "sw1", "to-lport", "100", "ip4", "dscp=0"),
        nb("qos-add", "sw1", "from-lport", "100", "ip4.src == 10.0.0.1", "dscp=12")],
    "burst_without_rate_meters_nothing": [
        *BASE, nb("--", "--id=@q", "create", "QoS", "direction=to-lport", "priority=10",
                  'match="ip"', "bandwidth:burst=100", "--", "add", "Logical_Switch", "sw0",
                  "qos_rules", "@q")],
}


@pytest.mark.parametrize("commands", QOS.values(), ids=QOS.keys())
def test_qos_rules(commands):
    assert_matches_reference(commands)
