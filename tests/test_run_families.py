"""`relnorthd run` across the scenario families of the flow tests (gateway
ports with HA, routable NAT and LB addresses, switch and router load
balancers, ACL fair meters, gateway routers, DHCP, router advertisements,
virtual ports, distributed floating IPs, QoS queues): each scenario
applied to a sandbox driven by ovn-northd 23.03.1 and to one driven by
relnorthd run, the flows and every other SB table run writes must be
equal (NB uuids in flows and rows named: test_run.named; the elements of a
`{...}` set in a match compared as a set: northd prints some in hash order
that depends on NB row uuids, e.g. the NAT MACs of
build_lswitch_rport_arp_req_self_orig_flow, and two sandboxes do not share
those; the flow tests check that order on one NB)."""
import re

import pytest

import test_diff_acls
import test_diff_dhcp
import test_diff_gateway_ports
import test_diff_lbs
import test_diff_lr_ports
import test_diff_qos_queues
import test_diff_router_lbs
from conftest import nb
from conftest import sample
from test_run import apply_transactions, named, reference_and_ours, sb_state, sb_tables

pytestmark = pytest.mark.usefixtures("reference_available")

FAMILIES = {
    "ha_chassis_group": test_diff_gateway_ports.SCENARIOS["ha_chassis_group"],
    "nat_and_lb_add_route": test_diff_gateway_ports.ROUTABLE_SCENARIOS["nat_and_lb_add_route"],
    "lb_group_on_many_switches": test_diff_lbs.SCENARIOS["lb_group_on_many_switches"],
    "router_lbs_on_gateway_ports": test_diff_router_lbs.SCENARIOS["distributed_gateway_ports"],
    "acl_fair_meters": test_diff_acls.SCENARIOS["fair_meter_names_per_acl"],
    "gateway_router": test_diff_lr_ports.SCENARIOS["gateway_router"],
    "dhcp_shared_options": [nb("ls-add", "sw0"), *test_diff_dhcp.SCENARIOS[
        "shared_options_on_several_ports_and_switches"]],
    "dhcpv6_stateful": [nb("ls-add", "sw0"),
                        *test_diff_dhcp.SCENARIOS["v6_stateful_every_option_kind"]],
    "router_advertisements": test_diff_lr_ports.SCENARIOS["router_advertisements"],
    "virtual_ports": test_diff_lr_ports.SCENARIOS["virtual_ports_claimed_by_a_parent"],
    "distributed_floating_ips": test_diff_gateway_ports.NAT_SCENARIOS["distributed_floating_ips"],
    "distributed_floating_ip_of_virtual_port": test_diff_gateway_ports.NAT_SCENARIOS[
        "distributed_floating_ip_of_virtual_port"],
    # bound one by one: northd gives the ports bound in one iteration their
    # queue ids in its port hash order, which follows NB uuids (no two
    # sandboxes share them); the flow tests check that order on one NB
    "qos_queues": [*test_diff_qos_queues.ONE_SWITCH_PORTS, *(
        test_diff_qos_queues.bind(pair) for pair in test_diff_qos_queues.ONE_SWITCH_BINDINGS)],
}

# what the reference's and relnorthd's SB flows must have alike
_FLOW = ("datapaths", "pipeline", "table_id", "stage", "priority", "match", "actions",
         "ctrl_meter", "io_port")

_SET = re.compile(r"\{([^{}]*)\}")


def _sets_sorted(flow: dict) -> dict:
    def ordered(m):
        return "{" + ", ".join(sorted(m[1].split(", "))) + "}"
    return {**flow, "match": _SET.sub(ordered, flow["match"])}


@pytest.mark.parametrize("name", sample(FAMILIES, "acl_fair_meters", "lb_group_on_many_switches"))
def test_run_writes_the_references_sb(name):
    def observe(box):
        apply_transactions(box, FAMILIES[name])
        flows, keys, _ = sb_state(box)
        flows = flows.select([c for c in flows.column_names if c in _FLOW])
        return [_sets_sorted(f) for f in named(box, flows.to_pylist())], keys, sb_tables(box)
    (ref_flows, ref_keys, ref), (flows, keys, ours) = reference_and_ours(observe)
    assert len(flows) == len(ref_flows)
    assert [f for f in flows if f not in ref_flows] == []
    assert keys == ref_keys
    for table in ref:
        assert ours[table] == ref[table], table
