"""A private reference sandbox: NB and SB ovsdb-servers plus ovn-northd 23.03.1.

Everything lives in a temp dir on unix sockets; only the processes this
sandbox started are stopped, by the pids their pidfiles recorded.
"""
from __future__ import annotations

import json
import shutil
import signal
import statistics
import subprocess
import time
from pathlib import Path

from .daemons import Daemons, alive, terminate

REFERENCE_VERSION = "23.03.1"
NB_SCHEMA = Path("/usr/share/ovn/ovn-nb.ovsschema")
SB_SCHEMA = Path("/usr/share/ovn/ovn-sb.ovsschema")
BINARIES = ("ovsdb-server", "ovsdb-tool", "ovsdb-client", "ovn-northd", "ovn-nbctl", "ovn-sbctl")
INSTALL_HINT = "install the reference with: apt-get update && apt-get install -y ovn-central"


class ReferenceUnavailable(RuntimeError):
    """The reference binaries are missing or are not ovn-northd 23.03.1."""


class ReferenceCrashed(RuntimeError):
    """ovn-northd exited while the sandbox waited for it (a reference bug:
    some malformed NB values crash 23.03.1)."""


def check_reference() -> None:
    """Raise ReferenceUnavailable unless every reference binary is installed."""
    missing = [b for b in BINARIES if shutil.which(b) is None]
    if missing:
        raise ReferenceUnavailable(f"missing {', '.join(missing)}; {INSTALL_HINT}")
    version = subprocess.run(["ovn-northd", "--version"], capture_output=True, text=True).stdout
    if REFERENCE_VERSION not in version.splitlines()[0]:
        raise ReferenceUnavailable(
            f"ovn-northd is {version.splitlines()[0]!r}, need {REFERENCE_VERSION}; {INSTALL_HINT}")


class Sandbox(Daemons):
    """NB + SB ovsdb-server and ovn-northd in a temp dir.

    Use as a context manager. `nb_file` starts the NB server on a copy of an
    existing NB database file instead of an empty one; `northd=False` starts
    the two servers only (for another northd, e.g. `relnorthd run`).
    """

    def __init__(self, nb_file: str | Path | None = None, timeout: float = 60.0,
                 northd: bool = True):
        check_reference()
        super().__init__("relnorthd-ref-", timeout)
        self.nb_sock = self.dir / "nb.sock"
        self.sb_sock = self.dir / "sb.sock"
        self._nb_file = Path(nb_file) if nb_file else None
        self._with_northd = northd

    def start(self) -> None:
        nb_db, sb_db = self.dir / "nb.db", self.dir / "sb.db"
        if self._nb_file:
            shutil.copyfile(self._nb_file, nb_db)
            self._run(["ovsdb-tool", "convert", str(nb_db), str(NB_SCHEMA)])
        else:
            self._run(["ovsdb-tool", "create", str(nb_db), str(NB_SCHEMA)])
        self._run(["ovsdb-tool", "create", str(sb_db), str(SB_SCHEMA)])
        self._daemon("nb", ["ovsdb-server", str(nb_db), f"--remote=punix:{self.nb_sock}"])
        self._daemon("sb", ["ovsdb-server", str(sb_db), f"--remote=punix:{self.sb_sock}"])
        if self._with_northd:
            self.start_northd()

    def start_northd(self) -> None:
        self._daemon("northd", ["ovn-northd", f"--ovnnb-db=unix:{self.nb_sock}",
                                f"--ovnsb-db=unix:{self.sb_sock}"])

    def _daemon(self, name: str, argv: list[str]) -> None:
        pidfile = self.dir / f"{name}.pid"
        self._pidfiles.append(pidfile)
        self._run(argv + ["--detach", "--no-chdir", f"--pidfile={pidfile}",
                          f"--log-file={self.dir / (name + '.log')}",
                          f"--unixctl={self.dir / (name + '.ctl')}"])

    def stop_daemon(self, name: str, sig: int = signal.SIGTERM) -> None:
        """Stop one of the sandbox's processes: "nb", "sb" or "northd"
        (`sig` SIGKILL: as a crash, mid-write maybe)."""
        pidfile = self.dir / f"{name}.pid"
        terminate(pidfile, sig)
        self._pidfiles.remove(pidfile)
        pidfile.unlink(missing_ok=True)

    def restart_server(self, name: str, sig: int = signal.SIGTERM) -> None:
        """Stop the "nb" or "sb" ovsdb-server and start it again on the same
        database file and socket (clients see the connection drop; after a
        SIGKILL the server drops a last record cut short, as it does)."""
        self.stop_daemon(name, sig)
        self.start_server(name)

    def start_server(self, name: str) -> None:
        """Start the stopped "nb" or "sb" ovsdb-server again."""
        sock = {"nb": self.nb_sock, "sb": self.sb_sock}[name]
        for stale in (sock, self.dir / f"{name}.ctl"):     # left by a SIGKILL
            stale.unlink(missing_ok=True)
        self._daemon(name, ["ovsdb-server", str(self.dir / f"{name}.db"),
                            f"--remote=punix:{sock}"])

    # -- commands ----------------------------------------------------------
    def nbctl(self, *args: str) -> str:
        """Run one ovn-nbctl command line (use `--` between commands)."""
        return self._run(["ovn-nbctl", f"--db=unix:{self.nb_sock}", *args])

    def sbctl(self, *args: str) -> str:
        return self._run(["ovn-sbctl", f"--db=unix:{self.sb_sock}", *args])

    def transact(self, request: str) -> str:
        """`ovsdb-client transact` against the NB or SB (the request's first
        element names the database), e.g. to insert rows with chosen uuids
        or to set what only ovn-controller writes (Service_Monitor status)."""
        sock = self.sb_sock if json.loads(request)[0] == "OVN_Southbound" else self.nb_sock
        return self._run(["ovsdb-client", "transact", f"unix:{sock}", request])

    def run_script(self, commands: list[list[str]]) -> None:
        """Run ovn-nbctl / ovn-sbctl / `ovsdb-client transact` argument
        lists, e.g. [["ovn-nbctl", "ls-add", "sw0"]]."""
        tools = {"ovn-nbctl": self.nbctl, "ovn-sbctl": self.sbctl,
                 "ovsdb-client": lambda verb, request: self.transact(request)}
        for cmd in commands:
            tool, *args = cmd
            if tool == "ovsdb-client" and args[:1] != ["transact"]:
                raise ValueError(f"only 'ovsdb-client transact' runs in a sandbox: {cmd}")
            tools[tool](*args)

    def sync(self) -> None:
        """Wait until northd has processed every NB change into SB; raise
        ReferenceCrashed as soon as the sandbox's northd has exited."""
        if not self._with_northd or not (self.dir / "northd.pid").exists():
            self.nbctl(f"--timeout={int(self.timeout)}", "--wait=sb", "sync")
            return
        argv = ["ovn-nbctl", f"--db=unix:{self.nb_sock}", f"--timeout={int(self.timeout)}",
                "--wait=sb", "sync"]
        with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) as proc:
            while proc.poll() is None:
                if not alive(self.northd_pid()):
                    proc.kill()
                    log = (self.dir / "northd.log").read_text().strip().splitlines()
                    raise ReferenceCrashed(f"ovn-northd exited; its last log line: "
                                           f"{log[-1] if log else '(none)'}")
                time.sleep(0.05)
            if proc.returncode:
                raise RuntimeError(f"ovn-nbctl sync failed: {proc.stderr.read().strip()}")

    def backup(self, which: str, dest: str | Path) -> Path:
        """Write a standalone snapshot of the NB or SB database to `dest`."""
        sock, name = {"nb": (self.nb_sock, "OVN_Northbound"),
                      "sb": (self.sb_sock, "OVN_Southbound")}[which]
        dest = Path(dest)
        dest.write_text(self._run(["ovsdb-client", "backup", f"unix:{sock}", name]))
        return dest

    def restore_sb(self, sb_file: str | Path) -> None:
        """Replace the SB contents with those of a standalone db file."""
        self._run(["ovsdb-client", "restore", f"unix:{self.sb_sock}"],
                  stdin=Path(sb_file).read_text())

    def northd_stopwatch(self) -> str:
        return self._appctl("stopwatch/show")

    def northd_pid(self) -> int:
        return int((self.dir / "northd.pid").read_text().strip())

    def _appctl(self, *command: str) -> str:
        return self._run(["ovs-appctl", "-t", str(self.dir / "northd.ctl"), *command])


def recompute_timing(nb_file: str | Path, repeat: int = 3, timeout: float = 60.0) -> dict:
    """How long the reference takes to recompute `nb_file`'s flows: a sandbox
    loads it; after the first sync northd is told `inc-engine/recompute`
    and we wait for `--wait=sb sync`, `repeat` times. The median wall
    `seconds`, northd's stopwatch averages (`build_lflows_ms`,
    `ovnnb_db_run_ms`) and its peak RSS (`peak_rss_mb`, VmHWM); `timeout`:
    of each sandbox command (the first sync of a big NB takes long)."""
    with Sandbox(nb_file=nb_file, timeout=timeout) as box:
        box.sync()
        box._appctl("stopwatch/reset")
        walls = []
        for _ in range(repeat):
            start = time.perf_counter()
            box._appctl("inc-engine/recompute")
            box.sync()
            walls.append(time.perf_counter() - start)
        watch = box.northd_stopwatch()
        status = Path(f"/proc/{box.northd_pid()}/status").read_text()
    return {"seconds": statistics.median(walls),
            "build_lflows_ms": _stopwatch_avg(watch, "build_lflows"),
            "ovnnb_db_run_ms": _stopwatch_avg(watch, "ovnnb_db_run"),
            "peak_rss_mb": int(status.split("VmHWM:")[1].split()[0]) / 1024}


def _stopwatch_avg(text: str, name: str) -> float | None:
    """The long-term average of one of northd's stopwatches, in ms."""
    block = text.split(f"Statistics for '{name}'")[1:]
    for line in block[0].splitlines() if block else []:
        if "Long term average" in line:
            return float(line.split(":")[1].split()[0])
    return None


class ReferenceRun:
    """What the reference produced for a scenario: the NB as northd left it,
    the SB it wrote, and that SB's flows in SB_FLOWS form."""

    def __init__(self, nb, sb, flows):
        self.nb, self.sb, self.flows = nb, sb, flows

    def as_result(self):
        """The reference's flows shaped like a relnorthd Result, so every
        output writer (jsonl, lflow-list, parquet) can print them too."""
        from .lflows import DP_GROUPS, Grouped
        from .pipeline import Result
        return Result(self.nb, None, Grouped(self.flows, DP_GROUPS.empty_table()))


def run_reference(commands: list[list[str]] = (), nb_file: str | Path | None = None,
                  sb_file: str | Path | None = None) -> ReferenceRun:
    """Run a scenario through ovn-northd 23.03.1 and snapshot the result.

    `commands` are ovn-nbctl / ovn-sbctl argument lists applied in order.
    `sb_file`, when given, is restored as the starting SB (e.g. with Chassis).
    """
    from . import mirror
    from .sbflows import read_sb_flows

    with Sandbox(nb_file=nb_file) as box:
        if sb_file is not None:
            box.restore_sb(sb_file)
        box.run_script(list(commands))
        box.sync()
        nb_path = box.backup("nb", box.dir / "nb.snapshot")
        sb_path = box.backup("sb", box.dir / "sb.snapshot")
        nb, sb = mirror.load(nb_path, mirror.NB), mirror.load(sb_path, mirror.SB)
    return ReferenceRun(nb, sb, read_sb_flows(sb))
