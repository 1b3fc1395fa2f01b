"""What `relnorthd run` writes back to NB_Global, as ovn-northd 23.03.1
does: the options northd settles (mac_prefix and svc_monitor_mac, random
when unset; max_tunid; northd_internal_version) and the nb_cfg timestamps.
The random values differ between the two runs by nature: they are checked
for form, and the flows that print svc_monitor_mac are compared with each
side's own MAC put back to one placeholder."""
import re

import pytest

from conftest import nb, sb
from relnorthd import mirror
from relnorthd.mirror.session import Session
from relnorthd.reference import Sandbox
from relnorthd.sbflows import read_sb_flows
from test_run import apply, reference_and_ours, running

pytestmark = pytest.mark.usefixtures("reference_available")

MAC = re.compile(r"([0-9a-f]{2}:){5}[0-9a-f]{2}")
RANDOM = ("mac_prefix", "svc_monitor_mac")

HEALTH_CHECKED_LB = [
    nb("ls-add", "sw0"),
    nb("lsp-add", "sw0", "p1", "--", "lsp-set-addresses", "p1", "00:00:00:00:00:01 10.0.0.2"),
    nb("lb-add", "lb0", "10.0.0.10:80", "10.0.0.2:80"),
    nb("ls-lb-add", "sw0", "lb0"),
    nb("set", "load_balancer", "lb0", "ip_port_mappings:10.0.0.2=p1:10.0.0.254"),
    nb("--id=@hc", "create", "Load_Balancer_Health_Check", 'vip="10.0.0.10:80"',
       "--", "add", "Load_Balancer", "lb0", "health_check", "@hc"),
]


def nb_global_view(commands):
    """Apply `commands`; -> for the reference and for relnorthd: (NB_Global
    options without the random ones, whether nb_cfg_timestamp is set,
    hv_cfg, the flows naming svc_monitor_mac with it replaced by a
    placeholder, svc_monitor_mac)."""
    def observe(box):
        apply(box, commands)
        row = mirror.load(box.nb_remote, mirror.NB)["NB_Global"].to_pylist()[0]
        options = dict(row["options"])
        monitor_mac = options.get("svc_monitor_mac", "")
        assert MAC.fullmatch(options.get("mac_prefix", "") + ":00:00:00")
        assert MAC.fullmatch(monitor_mac)
        flows = read_sb_flows(mirror.load(box.sb_remote, mirror.SB)).to_pylist()
        marked = sorted((f["stage"], f["priority"], f["match"].replace(monitor_mac, "MAC"),
                         f["actions"].replace(monitor_mac, "MAC"))
                        for f in flows if monitor_mac in f["match"] + f["actions"])
        return ({k: v for k, v in options.items() if k not in RANDOM},
                row["nb_cfg_timestamp"] > 0, row["hv_cfg"], marked, monitor_mac)
    return reference_and_ours(observe)


USER_OPTIONS = nb("set", "NB_Global", ".", "options:svc_monitor_mac=0a:00:00:00:00:01",
                  "options:mac_prefix=0a:bb:cc", "options:use_logical_dp_groups=true")


@pytest.mark.parametrize("commands", [
    pytest.param([nb("ls-add", "sw0")], id="switch"),
    pytest.param(HEALTH_CHECKED_LB, id="health_checked_lb"),
    pytest.param([*HEALTH_CHECKED_LB, sb("chassis-add", "ch1", "vxlan", "127.0.0.2"),
                  USER_OPTIONS], id="vxlan_chassis_and_user_options"),
])
def test_nb_global_written_back_as_the_reference_does(commands):
    expected, got = nb_global_view(commands)
    assert got[:4] == expected[:4]
    if USER_OPTIONS in commands:        # the user's MAC is kept, and flows print it
        assert got[4] == expected[4] == "0a:00:00:00:00:01" and got[3]


def test_nb_global_options_changed_by_others_while_run_writes_them(monkeypatch):
    """Someone sets an NB_Global option between relnorthd's read of the
    options and its write of them: the write, verified against what was
    read, fails at once and is retried on the new options (it used to wait
    for the old options to come back: forever)."""
    box = Sandbox(northd=False)
    transact, meddled = Session.transact, []

    def meddling(session, ops, *args):
        if not meddled and any(op["op"] == "wait" for op in ops):
            meddled.append(box.nbctl("set", "NB_Global", ".", "options:use_ct_inv_match=false"))
        return transact(session, ops, *args)

    monkeypatch.setattr(Session, "transact", meddling)
    with box, running(box):
        apply(box, [nb("ls-add", "sw0")])
        options = mirror.load(box.nb_remote, mirror.NB)["NB_Global"].to_pylist()[0]["options"]
    assert meddled
    assert dict(options)["use_ct_inv_match"] == "false" and "mac_prefix" in dict(options)
