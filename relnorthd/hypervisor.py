"""A private hypervisor for end-to-end tests: ovsdb-server with the local
Open vSwitch DB, ovs-vswitchd on the dummy (userspace) datapath as OVN's
own tests run it (no kernel module), and ovn-controller 23.03.1 bound to a
given SB.

Everything lives in a temp dir on unix sockets; only the processes this
hypervisor started are stopped, by the pids their pidfiles recorded.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from .daemons import Daemons

VSWITCH_SCHEMA = Path("/usr/share/openvswitch/vswitch.ovsschema")
BINARIES = ("ovs-vswitchd", "ovs-vsctl", "ovs-ofctl", "ovs-appctl", "ovn-controller")
INSTALL_HINT = ("install ovn-controller and ovs-vswitchd with: "
                "apt-get update && apt-get install -y ovn-host openvswitch-switch")


class HypervisorUnavailable(RuntimeError):
    """ovn-controller or Open vSwitch is not installed."""


def check_hypervisor() -> None:
    missing = [b for b in BINARIES if shutil.which(b) is None]
    if missing or not VSWITCH_SCHEMA.exists():
        raise HypervisorUnavailable(f"missing {', '.join(missing) or VSWITCH_SCHEMA}; "
                                    f"{INSTALL_HINT}")


class Hypervisor(Daemons):
    """Use as a context manager: `Hypervisor(sb_remote, chassis="hv1")`.
    `bind(port)` plugs a dummy interface into br-int for the logical port
    of the same name; `dump_flows()` and `trace(flow)` read what
    ovn-controller installed."""

    def __init__(self, sb_remote: str, chassis: str = "hv1", timeout: float = 30.0,
                 ports: tuple[str, ...] = ()):
        """`ports`: bound before ovn-controller starts."""
        check_hypervisor()
        super().__init__("relnorthd-hv-", timeout)
        self.ports = ports
        self.sb_remote, self.chassis = sb_remote, chassis
        self.db_sock = self.dir / "db.sock"
        self.env = {**os.environ, **{v: str(self.dir) for v in (
            "OVS_RUNDIR", "OVS_DBDIR", "OVS_LOGDIR", "OVS_SYSCONFDIR",
            "OVN_RUNDIR", "OVN_DBDIR", "OVN_LOGDIR", "OVN_SYSCONFDIR")}}

    def start(self) -> None:
        conf = self.dir / "conf.db"
        self._run(["ovsdb-tool", "create", str(conf), str(VSWITCH_SCHEMA)])
        self._daemon("ovsdb-server", [str(conf), f"--remote=punix:{self.db_sock}"])
        self.vsctl("--no-wait", "init")
        self._daemon("ovs-vswitchd", [f"unix:{self.db_sock}", "--enable-dummy=override",
                                      "--disable-system"])
        self.vsctl("set", "Open_vSwitch", ".", f"external-ids:system-id={self.chassis}",
                   f"external-ids:hostname={self.chassis}",
                   f"external-ids:ovn-remote={self.sb_remote}",
                   "external-ids:ovn-encap-type=geneve", "external-ids:ovn-encap-ip=127.0.0.1",
                   "--", "add-br", "br-int",
                   "--", "set", "bridge", "br-int", "fail-mode=secure",
                   "other-config:disable-in-band=true")
        for port in self.ports:
            self.bind(port)
        self._daemon("ovn-controller", [f"unix:{self.db_sock}"])

    def _daemon(self, name: str, args: list[str]) -> None:
        pidfile = self.dir / f"{name}.pid"
        self._pidfiles.append(pidfile)
        # ovn-controller has no --unixctl: its socket is OVN_RUNDIR/<name>.<pid>.ctl
        ctl = [] if name == "ovn-controller" else [f"--unixctl={self.dir / (name + '.ctl')}"]
        self._run([name, *args, "--detach", "--no-chdir", f"--pidfile={pidfile}",
                   f"--log-file={self.dir / (name + '.log')}", *ctl])

    def vsctl(self, *args: str) -> str:
        return self._run(["ovs-vsctl", f"--db=unix:{self.db_sock}",
                          f"--timeout={int(self.timeout)}", *args])

    def bind(self, port: str) -> None:
        """A dummy interface on br-int bound to logical port `port`."""
        self.vsctl("add-port", "br-int", port, "--", "set", "interface", port, "type=dummy",
                   f"external_ids:iface-id={port}")

    def ofport(self, port: str) -> int:
        return int(self.vsctl("get", "interface", port, "ofport"))

    def dump_flows(self) -> str:
        return self._ofctl("dump-flows")

    def dump_groups(self) -> str:
        """br-int's OpenFlow groups (load balancer backends, ECMP)."""
        return self._ofctl("dump-groups")

    def _ofctl(self, command: str) -> str:
        return self._run(["ovs-ofctl", "-O", "OpenFlow15", command,
                          f"unix:{self.dir / 'br-int.mgmt'}"])

    def trace(self, flow: str) -> str:
        return self._run(["ovs-appctl", "-t", str(self.dir / "ovs-vswitchd.ctl"),
                          "ofproto/trace", "br-int", flow])

    def ct_zones(self) -> dict[int, str]:
        """ovn-controller's conntrack zones: zone -> user (a logical port
        name or "<SB datapath uuid>_dnat" / "_snat")."""
        return {int(zone): user for user, zone in
                (line.split() for line in self.controller("ct-zone-list").splitlines())}

    def controller(self, *command: str) -> str:
        """An ovn-appctl command to ovn-controller, e.g. "connection-status"."""
        pid = (self.dir / "ovn-controller.pid").read_text().strip()
        return self._run(["ovs-appctl", "-t", str(self.dir / f"ovn-controller.{pid}.ctl"),
                          *command])
