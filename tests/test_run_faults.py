"""Faults under `relnorthd run`: the NB or the SB ovsdb-server killed
(SIGKILL, maybe mid-transaction: right after a change that makes SB
rewrite many flows) and started again on its database file. run must
reconnect, resync from fresh snapshots and leave SB as a from-scratch
compute of NB and SB would (nothing left to write); what others wrote to
SB (a chassis, a port's binding and `up`, a Service_Monitor's status) is
kept. Likewise when relnorthd itself is killed and started again, when the
standby of two instances takes over, and when the leader of a clustered
NB or SB is killed."""
import signal
import subprocess
import threading
import time

import pytest

from conftest import lb_group, nb, sample, sb, sb_set_monitor_status
from relnorthd.reference import Sandbox
from test_run import CONVERGED_WITHIN, apply, converged, from_scratch_ops, run_process, running

pytestmark = pytest.mark.usefixtures("reference_available")

SETUP = [nb(*[arg for i in range(12) for arg in ("--", "ls-add", f"sw{i}")][1:],
            "--", "lsp-add", "sw0", "p1", "--", "lsp-set-addresses", "p1",
            "00:00:00:00:00:01 10.0.0.2"),
         nb("lb-add", "lb0", "10.0.0.10:80", "10.0.0.2:80", "--", "ls-lb-add", "sw0", "lb0",
            "--", "set", "load_balancer", "lb0", "ip_port_mappings:10.0.0.2=p1:10.0.0.254",
            "--", "--id=@hc", "create", "Load_Balancer_Health_Check", 'vip="10.0.0.10:80"',
            "--", "add", "Load_Balancer", "lb0", "health_check", "@hc"),
         # what ovn-controller writes
         sb("chassis-add", "hv1", "geneve", "127.0.0.1"), sb("lsp-bind", "p1", "hv1"),
         sb("set", "Port_Binding", "p1", "up=true"), sb_set_monitor_status("10.0.0.2", "online")]
# a change that rewrites a flow per VIP on every switch
BIG = [nb("lb-add", f"lb{i}", f"10.0.0.{i}:80", "10.1.0.1:80") for i in range(1, 40)] + [
    lb_group("g", [f"lb{i}" for i in range(1, 40)], switches=[f"sw{i}" for i in range(12)])]


# (server killed, seconds after the change); None: SB down while NB changes
CASES = {"sb-at-once": ("sb", 0.0), "sb-later": ("sb", 0.3),
         "nb-at-once": ("nb", 0.0), "nb-later": ("nb", 0.3), "sb-down-a-while": ("sb", None)}


@pytest.mark.parametrize("case", sample(CASES, "sb-at-once"))
def test_killed_server_restarts_and_run_converges(case, caplog):
    server, delay = CASES[case]
    with Sandbox(northd=False) as box, running(box) as northd:
        apply(box, SETUP)
        if delay is None:                    # unreachable while NB changes, then back
            box.stop_daemon(server)
            box.run_script(BIG)
            time.sleep(3)
            box.start_server(server)
        else:
            box.run_script(BIG)              # no wait: run is at work on it
            time.sleep(delay)
            box.restart_server(server, signal.SIGKILL)
        deadline = time.monotonic() + CONVERGED_WITHIN
        while time.monotonic() < deadline:
            try:
                box.sync()
                if not from_scratch_ops(box):
                    break
            except RuntimeError:             # the server not up yet, or run reconnecting
                pass
            time.sleep(0.2)
        assert not from_scratch_ops(box)
        lost = [r.getMessage() for r in caplog.records if "reconnecting" in r.getMessage()]
        assert lost and f"{server}.sock: connection lost" in lost[0], lost   # then a line a
        assert all(f"{server}.sock" in m for m in lost), lost               # try while down
        assert _waits(lost) == [min(2 ** i, 8) for i in range(len(lost))], lost   # backing off
        assert_others_kept(box)
        assert northd.iterations


def assert_others_kept(box: Sandbox) -> None:
    """What SETUP had others (ovn-controller) write to SB is still there."""
    assert box.sbctl("--bare", "--columns=name", "list", "Chassis").strip() == "hv1"
    assert box.sbctl("--bare", "--columns=chassis,up", "find", "Port_Binding",
                     "logical_port=p1").split()[1:] == ["true"]
    assert box.sbctl("--bare", "--columns=status", "list", "Service_Monitor").strip() == "online"


def _waits(lines: list[str]) -> list[float]:
    """The seconds each "...; reconnecting in N s" line says run waits."""
    return [float(line.rsplit(" in ", 1)[1].split()[0]) for line in lines]


def _run_process(box) -> subprocess.Popen:
    return run_process(box, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("delay", sample(["0.5", "1.5"], "0.5"))
def test_killed_relnorthd_starts_again_and_converges(delay):
    """relnorthd itself killed (SIGKILL) while it works on a large change,
    maybe mid-commit, then started again: an SB transaction is all or
    nothing, so the new process finds either SB state and completes it."""
    with Sandbox(northd=False) as box:
        proc = _run_process(box)
        try:
            apply(box, SETUP)
            box.run_script(BIG)
            time.sleep(float(delay))
            proc.kill()
            proc.communicate(timeout=30)
            proc = _run_process(box)
            box.sync()
            assert not from_scratch_ops(box)
            assert_others_kept(box)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.communicate(timeout=30)


@pytest.mark.slow
def test_standby_takes_over_a_stream_of_changes_when_the_active_one_is_killed():
    """Two instances: the second stands by on the SB lock; the active one is
    killed (SIGKILL) in the middle of a stream of NB changes, and the
    standby takes the lock and brings SB to what NB says."""
    with Sandbox(northd=False) as box:
        active = _run_process(box)
        apply(box, SETUP)
        standby = _run_process(box)
        lines = []
        threading.Thread(target=lambda: lines.extend(standby.stderr), daemon=True).start()
        deadline = time.monotonic() + CONVERGED_WITHIN
        while not any("standing" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.1)
        try:
            for i in range(16):
                box.run_script([nb("lsp-add", f"sw{i % 12}", f"q{i}")])     # no wait
                if i == 8:
                    active.kill()
                time.sleep(0.1)
            box.sync()
            assert not from_scratch_ops(box)
            assert_others_kept(box)
        finally:
            for proc in (active, standby):
                proc.send_signal(signal.SIGINT)
                proc.wait(timeout=30)
        log = " ".join("".join(lines).split())        # (rich wraps lines)
        assert "standing by" in log and "iteration 1: recompute" in log, log


@pytest.mark.parametrize("db", sample(["sb", "nb"], "sb"))
def test_cluster_leader_killed_in_a_stream_of_changes(db, caplog):
    """NB and SB each a 3-server RAFT cluster; run connects to the leaders
    (as northd does) through the comma-separated remotes. The leader of one
    is killed (SIGKILL) in the middle of a stream of NB changes and started
    again later: run finds the new leader and brings SB to what NB says."""
    with Sandbox(northd=False, cluster=3) as box, running(box) as northd:
        apply(box, SETUP)
        killed = box.leader(db)
        for i in range(16):
            box.run_script([nb("lsp-add", f"sw{i % 12}", f"q{i}")])     # no wait
            if i == 6:
                box.stop_daemon(killed, signal.SIGKILL)
            if i == 12:
                box.start_server(killed)          # back as a follower
            time.sleep(0.1)
        assert not converged(box)
        box.sync()
        lost = [r.getMessage() for r in caplog.records if "reconnecting" in r.getMessage()]
        assert lost and f"{killed}.sock: connection lost" in lost[0], lost
        assert _waits(lost) == [min(2 ** i, 8) for i in range(len(lost))], lost
        assert getattr(northd, db).remote == f"unix:{box.sock(box.leader(db))}"
        assert northd.iterations
        assert_others_kept(box)
