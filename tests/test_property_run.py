"""Property-based test of `relnorthd run`: random sequences of NB changes
applied to a live NB while the daemon runs. After every step SB holds
exactly what a from-scratch compute of the NB says, and a forced full
recompute then writes nothing (the incremental iteration left nothing
behind); after the last step, SB also equals ovn-northd 23.03.1's flows for
the same NB. A step is one to three changes, each valid for the NB as the
model knows it (ovn-nbctl accepts it; test_drawn_commands_are_valid checks
that cheaply on many more examples).

NB tables the changes cover (relnorthd reads them: incremental.rule_inputs):
Logical_Switch, Logical_Switch_Port (VM ports and their addresses, router
and localnet ports), Logical_Router (gateway routers: options:chassis),
Logical_Router_Port (linked to switches through router-type ports; options;
distributed gateway ports through Gateway_Chassis or an HA_Chassis_Group),
Logical_Router_Static_Route (ECMP, src-ip, route tables, discard),
Logical_Router_Policy (allow, drop, reroute to one or two hops), NAT (snat,
dnat, dnat_and_snat, distributed with logical_port, stateless, port range,
allowed/exempted ext ips), Address_Set (through those NATs), Load_Balancer
(and its options) on switches and routers, Load_Balancer_Group, ACL (with log
and meter), Port_Group, QoS, Meter, Copp (on switches and routers),
DHCP_Options (v4 and v6), DNS, Forwarding_Group, Static_MAC_Binding,
BFD (sessions on router ports), Chassis_Template_Var and NB_Global (options
that change flows, and external_ids that change none).

Not covered: Load_Balancer_Health_Check (its flows follow the SB
Service_Monitor rows northd creates and `relnorthd run` does not:
test_diff_lbs); static routes tracked by BFD (they follow the BFD status
ovn-controller reports: test_diff_lr_ports); template load balancers (their
VIPs need chassis-specific values: test_diff_template_lbs;
Chassis_Template_Var rows are still drawn, for the SB table relnorthd writes
from them); switch options such as multicast snooping, IPAM, virtual and
external ports (budget: test_diff_multicast, test_ipam, test_diff_ls_ports).

The model and its changes are in nbchanges.py (the soak draws from them
too). RUN_EXAMPLES is the number of examples; RELNORTHD_RUN_EXAMPLES raises it."""
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbchanges import HypothesisDraw, Model, change, topology
from relnorthd import mirror
from relnorthd.compare import compare
from relnorthd.pipeline import compute
from relnorthd.reference import Sandbox, run_reference
from relnorthd.sbflows import read_sb_flows
from test_run import _named, running, sb_state

pytestmark = pytest.mark.usefixtures("reference_available")

# examples of the SB-follows test in CI (~45 s each on a loaded 2-core machine)
RUN_EXAMPLES = int(os.environ.get("RELNORTHD_RUN_EXAMPLES", "2"))


@st.composite
def scenarios(draw):
    """Steps of one to three changes; the first builds a topology."""
    d, m = HypothesisDraw(draw), Model()
    first = topology(d, m)
    return [first] + [[c for _ in range(d.integer(1, 3)) for c in change(d, m)]
                      for _ in range(d.integer(2, 5))]


@settings(max_examples=5 * RUN_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios())
def test_drawn_commands_are_valid(steps):
    """The model keeps every drawn command valid: ovn-nbctl accepts them all."""
    with Sandbox(northd=False) as box:
        for commands in steps:
            box.run_script(commands)


@settings(max_examples=RUN_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios())
def test_sb_follows_random_nb_changes(tmp_path_factory, steps):
    with Sandbox(northd=False) as box, running(box) as northd:
        for commands in steps:
            box.run_script(commands)
            box.sync()
            flows, _, _ = sb_state(box)
            nb_db = mirror.load(box.nb_remote, mirror.NB)
            c = compare(flows, _named(compute(nb_db).grouped.expanded(), box))
            assert c.equal, (commands, c.totals, c.only_reference[:2], c.only_ours[:2])
            # no change after recompute: every rule run again writes nothing
            northd.force_recompute = True
            box.sync()
            assert northd.iterations[-1].mode == "recompute"
            assert northd.iterations[-1].sb_rows == {}, commands
        nb_file = box.backup("nb", tmp_path_factory.mktemp("nb") / "nb.db")
        ours = read_sb_flows(mirror.load(box.sb_remote, mirror.SB))
    # the SB relnorthd wrote, against the flows the reference writes for that NB
    c = compare(ours, run_reference(nb_file=nb_file).flows)
    assert c.equal, (c.totals, c.only_reference[:2], c.only_ours[:2])
