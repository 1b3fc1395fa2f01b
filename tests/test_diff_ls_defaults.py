"""Logical switches with no ports: every default flow, each option and
feature variant, compared flow for flow with ovn-northd 23.03.1."""
import pytest

from conftest import assert_matches_reference, nbctl, sbctl

pytestmark = pytest.mark.usefixtures("reference_available")

# Every proto a switch's default flows meter (svc-monitor, igmp, dns), protos
# they do not use (arp, reject), and a policy naming a missing meter.
COPP = ["meter-add m1 drop 10 pktps", "meter-add m2 drop 5 kbps",
        "copp-add cp1 svc-monitor m1", "copp-add cp1 igmp m2", "copp-add cp1 dns m1",
        "copp-add cp1 arp m1", "copp-add cp1 reject m2",
        "copp-add cp2 svc-monitor m-missing", "copp-add cp2 igmp m1"]
DNS = ["--", "--id=@d", "create", "DNS", "records:vm1=10.0.0.1", "--", "add",
       "logical_switch", "sw0", "dns_records", "@d"]

SCENARIOS = {
    "one_switch": ["ls-add sw0"],
    "three_switches_share_a_group": ["ls-add sw0", "ls-add sw1", "ls-add sw2"],
    "vlan_passthru": ["ls-add sw0", "ls-add sw1",
                      "set logical_switch sw0 other_config:vlan-passthru=true"],
    "vlan_passthru_not_true": [
        "ls-add sw0 -- set logical_switch sw0 other_config:vlan-passthru=yes"],
    "mcast_snoop": ["ls-add sw0 -- set logical_switch sw0 other_config:mcast_snoop=true"],
    "mcast_snoop_flood_unregistered": [
        "ls-add sw0 -- set logical_switch sw0 other_config:mcast_snoop=TRUE "
        "other_config:mcast_flood_unregistered=true"],
    "mcast_flood_unregistered_without_snoop": [
        "ls-add sw0 -- set logical_switch sw0 other_config:mcast_flood_unregistered=true"],
    "mcast_querier_options_add_no_flows": [
        "ls-add sw0 -- set logical_switch sw0 other_config:mcast_snoop=true "
        "other_config:mcast_querier=false other_config:mcast_eth_src=0a:00:00:00:00:05 "
        "other_config:mcast_ip4_src=10.0.0.1 other_config:mcast_ip6_src=fe80::1 "
        "other_config:mcast_idle_timeout=10 other_config:mcast_table_size=5"],
    "interconn_ts_without_ports": [
        "ls-add sw0 -- set logical_switch sw0 other_config:interconn-ts=ts0 "
        "other_config:mcast_snoop=true"],
    "acl_options_without_acls": ["ls-add sw0", "set nb_global . options:default_acl_drop=true "
                                 "options:use_ct_inv_match=false"],
    "debug_drop_sampling": ["ls-add sw0", "set nb_global . options:debug_drop_collector_set=5 "
                            "options:debug_drop_domain_id=7"],
    "debug_drop_domain_out_of_range": ["ls-add sw0", "set nb_global . "
                                       "options:debug_drop_collector_set=5 "
                                       "options:debug_drop_domain_id=300"],
    "debug_drop_collector_not_a_number": ["ls-add sw0", "set nb_global . "
                                          "options:debug_drop_collector_set=5x"],
    # str_to_uint() takes a sign and leading zeros; printed with %d, a
    # collector set above INT_MAX comes out negative.
    "debug_drop_ids_parsed_like_strtoll": ["ls-add sw0", "set nb_global . "
                                           "options:debug_drop_collector_set=+4294967295 "
                                           "options:debug_drop_domain_id=007"],
    "copp_meters": ["ls-add sw0 -- set logical_switch sw0 other_config:mcast_snoop=true",
                    "ls-add sw1", "ls-add sw2", *COPP, "ls-copp-add cp1 sw0",
                    "ls-copp-add cp1 sw1", "ls-copp-add cp2 sw2"],
    "dns_records": ["ls-add sw0", DNS, "ls-add sw1"],
    "dns_records_with_copp": ["ls-add sw0", DNS, *COPP, "ls-copp-add cp1 sw0"],
    "mix_of_switches_options_and_chassis": [
        sbctl("chassis-add ch1 geneve 127.0.0.1"),
        "ls-add sw0 -- set logical_switch sw0 other_config:vlan-passthru=true",
        "ls-add sw1 -- set logical_switch sw1 other_config:mcast_snoop=true",
        "ls-add sw2", DNS, "ls-add sw3", *COPP, "ls-copp-add cp1 sw1", "ls-copp-add cp2 sw2",
        "set nb_global . options:default_acl_drop=true options:debug_drop_collector_set=3"],
}

CHASSIS = {
    "chassis_without_features": [sbctl("chassis-add ch1 geneve 127.0.0.1")],
    "chassis_with_features": [sbctl("chassis-add ch1 geneve 127.0.0.1 -- set chassis ch1 "
                                    "other_config:ct-no-masked-label=true "
                                    "other_config:ovn-ct-lb-related=true")],
    "remote_chassis_is_ignored": [sbctl("chassis-add ch1 geneve 127.0.0.1 -- set chassis ch1 "
                                        "other_config:is-remote=true")],
    "one_chassis_lacking_a_feature": [
        sbctl("chassis-add ch1 geneve 127.0.0.1 -- set chassis ch1 "
              "other_config:ct-no-masked-label=true other_config:ovn-ct-lb-related=true"),
        sbctl("chassis-add ch2 geneve 127.0.0.2 -- set chassis ch2 "
              "other_config:ct-no-masked-label=true")],
}


def _commands(lines):
    return [line if isinstance(line, list) and line[0].startswith("ovn-")
            else ["ovn-nbctl", *line] if isinstance(line, list) else nbctl(line)
            for line in lines]


@pytest.mark.parametrize("lines", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_switch_defaults(lines):
    assert_matches_reference(_commands(lines))


@pytest.mark.parametrize("chassis", CHASSIS.values(), ids=CHASSIS.keys())
def test_switch_defaults_with_chassis_features(chassis):
    assert_matches_reference([*chassis, nbctl("ls-add sw0"), nbctl("ls-add sw1")])


# The conntrack skeleton as ACLs and LB VIPs switch it on.


SKELETON = {
    "stateful_acl": ["acl-add sw0 to-lport 100 ip allow-related"],
    "stateless_acl_only": ["acl-add sw0 to-lport 100 ip drop"],
    "stateful_acl_no_ct_inv": ["acl-add sw0 to-lport 100 ip allow-related",
                               "set nb_global . options:use_ct_inv_match=false"],
    "acl_with_default_drop": ["acl-add sw0 from-lport 100 ip allow-related",
                              "set nb_global . options:default_acl_drop=true"],
    "lb_vip": ["lb-add lb0 10.0.0.10:80 10.0.0.3:80", "ls-lb-add sw0 lb0"],
    "lb_vip_via_group": ["lb-add lb0 10.0.0.10:80 10.0.0.3:80",
                         ["ovn-nbctl", "--", "--id=@lb", "get", "Load_Balancer", "lb0",
                          "--", "--id=@g", "create", "Load_Balancer_Group", "name=g",
                          "load_balancer=@lb", "--", "add", "logical_switch", "sw0",
                          "load_balancer_group", "@g"]],
    "lb_vip_and_acl_with_dns": ["lb-add lb0 10.0.0.10:80 10.0.0.3:80", "ls-lb-add sw0 lb0",
                                "acl-add sw0 to-lport 100 ip allow", DNS],
}


@pytest.mark.parametrize("lines", SKELETON.values(), ids=SKELETON.keys())
def test_conntrack_skeleton_switched_on(lines):
    assert_matches_reference(_commands(["ls-add sw0", "ls-add sw1", *lines]))
