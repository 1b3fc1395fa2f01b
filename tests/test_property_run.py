"""Property-based test of `relnorthd run`: random sequences of NB changes
(switches, ports and addresses, load balancers and their switches, ACLs,
port groups, changes that alter no flow) applied to a live NB while the
daemon runs. After every step SB holds exactly what a from-scratch compute
of the NB says, and a forced full recompute then writes nothing (the
incremental iteration left nothing behind); after the last step, SB also
equals ovn-northd 23.03.1's flows for the same NB. Bounded for CI;
RELNORTHD_RUN_EXAMPLES raises it."""
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relnorthd import mirror
from relnorthd.compare import compare
from relnorthd.pipeline import compute
from relnorthd.reference import Sandbox, run_reference
from relnorthd.sbflows import read_sb_flows
from test_run import _named, running, sb_state

pytestmark = pytest.mark.usefixtures("reference_available")

SWITCHES = [f"sw{i}" for i in range(3)]
PORTS = [f"p{j}" for j in range(6)]
LBS = ["lb0", "lb1"]
VIPS = ["10.0.0.10:80", "10.0.0.11:8080", "[fd00::10]:80"]


class Model:
    """What the NB holds, so every drawn command is valid."""

    def __init__(self):
        self.switches: set[str] = set()
        self.ports: dict[str, str] = {}          # port -> switch
        self.lbs: set[str] = set()
        self.attached: set[tuple[str, str]] = set()
        self.groups: set[str] = set()


def addresses(port: str, kind: int) -> list[str]:
    j = int(port[1:]) + 2
    mac = f"00:00:00:00:00:{j:02x}"
    return [[], [f"{mac} 10.0.0.{j}"], [f"{mac} 10.0.0.{j} fd00::{j}"], ["unknown"],
            [mac]][kind]


@st.composite
def step(draw, m: Model) -> list[list[str]]:
    """One NB change the model allows (and the model updated for it)."""
    nb = lambda *a: ["ovn-nbctl", *a]     # noqa: E731
    choices = ["ls-add", "noop"]
    if m.switches:
        choices += ["ls-del", "lsp-add", "lb-add", "acl-add", "pg-add"]
    if m.ports:
        choices += ["lsp-del", "lsp-set-addresses"]
    if m.lbs and m.switches:
        choices += ["ls-lb-add", "lb-clear"]
    if m.attached:
        choices += ["ls-lb-del"]
    op = draw(st.sampled_from(choices))
    if op == "ls-add":
        sw = draw(st.sampled_from([s for s in SWITCHES if s not in m.switches] or [None]))
        if sw is None:
            return []
        m.switches.add(sw)
        return [nb("ls-add", sw)]
    if op == "ls-del":
        sw = draw(st.sampled_from(sorted(m.switches)))
        m.switches.discard(sw)
        m.ports = {p: s for p, s in m.ports.items() if s != sw}
        m.attached = {(s, lb) for s, lb in m.attached if s != sw}
        return [nb("ls-del", sw)]
    if op == "lsp-add":
        free = [p for p in PORTS if p not in m.ports]
        if not free:
            return []
        port, sw = draw(st.sampled_from(free)), draw(st.sampled_from(sorted(m.switches)))
        m.ports[port] = sw
        return [nb("lsp-add", sw, port, "--", "lsp-set-addresses", port,
                   *addresses(port, draw(st.integers(0, 4))))]
    if op == "lsp-del":
        port = draw(st.sampled_from(sorted(m.ports)))
        del m.ports[port]
        return [nb("lsp-del", port)]
    if op == "lsp-set-addresses":
        port = draw(st.sampled_from(sorted(m.ports)))
        return [nb("lsp-set-addresses", port, *addresses(port, draw(st.integers(0, 4))))]
    if op == "lb-add":
        lb, vip = draw(st.sampled_from(LBS)), draw(st.sampled_from(VIPS))
        backend = "[fd00::3]:80" if vip.startswith("[") else "10.0.0.3:80"
        m.lbs.add(lb)
        return [nb("--may-exist", "lb-add", lb, vip, backend)]
    if op == "lb-clear":
        return [nb("clear", "load_balancer", draw(st.sampled_from(sorted(m.lbs))), "vips")]
    if op == "ls-lb-add":
        sw, lb = draw(st.sampled_from(sorted(m.switches))), draw(st.sampled_from(sorted(m.lbs)))
        m.attached.add((sw, lb))
        return [nb("--may-exist", "ls-lb-add", sw, lb)]
    if op == "ls-lb-del":
        sw, lb = draw(st.sampled_from(sorted(m.attached)))
        m.attached.discard((sw, lb))
        return [nb("ls-lb-del", sw, lb)]
    if op == "acl-add":
        sw = draw(st.sampled_from(sorted(m.switches)))
        action = draw(st.sampled_from(["allow", "allow-related", "drop", "reject"]))
        prio = str(draw(st.integers(1000, 1003)))
        return [nb("--may-exist", "acl-add", sw, draw(st.sampled_from(["to-lport", "from-lport"])),
                   prio, f"ip4.src == 10.0.0.{draw(st.integers(2, 5))}", action)]
    if op == "pg-add":
        members = [p for p in sorted(m.ports) if draw(st.booleans())]
        group = f"pg{len(m.groups)}"
        m.groups.add(group)
        return [nb("pg-add", group, *members),
                nb("acl-add", group, "to-lport", "1001", f"outport == @{group} && ip4", "drop")]
    # an NB change that alters no flow
    return [nb("set", "NB_Global", ".", f"external_ids:step={draw(st.integers(0, 99))}")]


@st.composite
def scenarios(draw):
    m = Model()
    return [draw(step(m)) for _ in range(draw(st.integers(3, 7)))]


@settings(max_examples=int(os.environ.get("RELNORTHD_RUN_EXAMPLES", "3")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios())
def test_sb_follows_random_nb_changes(tmp_path_factory, steps):
    with Sandbox(northd=False) as box, running(box) as northd:
        for commands in steps:
            box.run_script(commands)
            box.sync()
            flows, _, _ = sb_state(box)
            nb = mirror.load(f"unix:{box.nb_sock}", mirror.NB)
            c = compare(flows, _named(compute(nb).grouped.flows, box))
            assert c.equal, (commands, c.totals, c.only_reference[:2], c.only_ours[:2])
            # no change after recompute: every rule run again writes nothing
            northd.force_recompute = True
            box.sync()
            assert northd.iterations[-1].mode == "recompute"
            assert northd.iterations[-1].sb_rows == {}, commands
        nb_file = box.backup("nb", tmp_path_factory.mktemp("nb") / "nb.db")
        ours = read_sb_flows(mirror.load(f"unix:{box.sb_sock}", mirror.SB))
    # the SB relnorthd wrote, against the flows the reference writes for that NB
    c = compare(ours, run_reference(nb_file=nb_file).flows)
    assert c.equal, (c.totals, c.only_reference[:2], c.only_ours[:2])
