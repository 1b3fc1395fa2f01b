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

from .daemons import Daemons, alive, free_ports, terminate

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


DATABASES = {"nb": ("OVN_Northbound", NB_SCHEMA), "sb": ("OVN_Southbound", SB_SCHEMA)}


class Sandbox(Daemons):
    """NB + SB ovsdb-server and ovn-northd in a temp dir.

    Use as a context manager. `nb_file` starts the NB server on a copy of an
    existing NB database file instead of an empty one; `northd=False` starts
    the two servers only (for another northd, e.g. `relnorthd run`);
    `cluster=3` runs each database as a RAFT cluster of three servers
    ("nb1".."nb3", "sb1".."sb3") instead of one standalone server ("nb", "sb").
    """

    def __init__(self, nb_file: str | Path | None = None, timeout: float = 60.0,
                 northd: bool = True, cluster: int = 1):
        check_reference()
        super().__init__("relnorthd-ref-", timeout)
        self.servers = {db: [db] if cluster == 1 else [f"{db}{i}" for i in range(1, cluster + 1)]
                        for db in DATABASES}
        self.nb_sock = self.sock(self.servers["nb"][0])
        self.sb_sock = self.sock(self.servers["sb"][0])
        self._nb_file = Path(nb_file) if nb_file else None
        self._with_northd = northd

    def sock(self, server: str) -> Path:
        return self.dir / f"{server}.sock"

    def remote(self, db: str, running: bool = False) -> str:
        """The "nb" or "sb" database's remotes, comma-separated (clustered:
        all three; `running`: those of servers running now, as the sandbox's
        tools need: ovn-nbctl gives up on a remote that refuses)."""
        servers = self._running(db) if running else self.servers[db]
        return ",".join(f"unix:{self.sock(server)}" for server in servers)

    def _ctl(self, db: str) -> list[str]:
        """ovn-nbctl / ovn-sbctl's database options: the running servers,
        any member (a follower passes writes on to the leader, waiting out
        an election, where a leader-only tool would give up)."""
        return [f"--db={self.remote(db, running=True)}", "--no-leader-only"]

    @property
    def nb_remote(self) -> str:
        return self.remote("nb")

    @property
    def sb_remote(self) -> str:
        return self.remote("sb")

    def start(self) -> None:
        for db in DATABASES:
            self._create(db)
            for server in self.servers[db]:
                self.start_server(server)
        for db, servers in self.servers.items():
            for server in servers[1:]:          # clustered: every member has joined
                self._run(["ovsdb-client", "wait", f"unix:{self.sock(server)}",
                           DATABASES[db][0], "connected"])
        # NB_Global and SB_Global made up front, as ovn-ctl makes them: a
        # northd and a first ovn-nbctl (ovn-sbctl) command that both find
        # the table empty insert one each, and the later of the two fails
        self.nbctl("init")
        self.sbctl("init")
        if self._with_northd:
            self.start_northd()

    def _create(self, db: str) -> None:
        """The database files of `db`'s servers: a standalone file, or a
        cluster created on the first and joined by the others (RAFT on
        loopback TCP ports)."""
        name, schema = DATABASES[db]
        first = self.dir / f"{self.servers[db][0]}.db"
        contents = self.dir / f"{db}-contents.db" if len(self.servers[db]) > 1 else first
        if db == "nb" and self._nb_file:
            shutil.copyfile(self._nb_file, contents)
            self._run(["ovsdb-tool", "convert", str(contents), str(schema)])
        else:
            self._run(["ovsdb-tool", "create", str(contents), str(schema)])
        if contents == first:
            return
        addresses = [f"tcp:127.0.0.1:{port}" for port in free_ports(len(self.servers[db]))]
        self._run(["ovsdb-tool", "create-cluster", str(first), str(contents), addresses[0]])
        for server, address in zip(self.servers[db][1:], addresses[1:], strict=True):
            self._run(["ovsdb-tool", "join-cluster", str(self.dir / f"{server}.db"), name,
                       address, addresses[0]])

    def start_northd(self) -> None:
        self._daemon("northd", ["ovn-northd", f"--ovnnb-db={self.nb_remote}",
                                f"--ovnsb-db={self.sb_remote}"])

    def _daemon(self, name: str, argv: list[str]) -> None:
        pidfile = self.dir / f"{name}.pid"
        self._pidfiles.append(pidfile)
        self._run(argv + ["--detach", "--no-chdir", f"--pidfile={pidfile}",
                          f"--log-file={self.dir / (name + '.log')}",
                          f"--unixctl={self.dir / (name + '.ctl')}"])

    def stop_daemon(self, name: str, sig: int = signal.SIGTERM) -> None:
        """Stop one of the sandbox's processes: a server ("nb", "sb", "nb2"...)
        or "northd" (`sig` SIGKILL: as a crash, mid-write maybe)."""
        pidfile = self.dir / f"{name}.pid"
        terminate(pidfile, sig)
        self._pidfiles.remove(pidfile)
        pidfile.unlink(missing_ok=True)

    def restart_server(self, name: str, sig: int = signal.SIGTERM) -> None:
        """Stop a server and start it again on the same database file and
        socket (clients see the connection drop; after a SIGKILL the server
        drops a last record cut short, as it does)."""
        self.stop_daemon(name, sig)
        self.start_server(name)

    def start_server(self, server: str) -> None:
        """Start a server ("nb", "sb", "nb2"...) on its database file."""
        sock = self.sock(server)
        for stale in (sock, self.dir / f"{server}.ctl"):     # left by a SIGKILL
            stale.unlink(missing_ok=True)
        self._daemon(server, ["ovsdb-server", str(self.dir / f"{server}.db"),
                              f"--remote=punix:{sock}"])

    def leader(self, db: str) -> str | None:
        """The running server of a clustered "nb" or "sb" that is its leader now."""
        for server in self._running(db):
            status = self._run(["ovs-appctl", "-t", str(self.dir / f"{server}.ctl"),
                                "cluster/status", DATABASES[db][0]])
            if "Role: leader" in status:
                return server
        return None

    def _running(self, db: str) -> list[str]:
        return [s for s in self.servers[db] if (self.dir / f"{s}.pid").exists()]

    # -- commands ----------------------------------------------------------
    def nbctl(self, *args: str) -> str:
        """Run one ovn-nbctl command line (use `--` between commands)."""
        return self._run(["ovn-nbctl", *self._ctl("nb"), *args])

    def sbctl(self, *args: str) -> str:
        return self._run(["ovn-sbctl", *self._ctl("sb"), *args])

    def transact(self, request: str) -> str:
        """`ovsdb-client transact` against the NB or SB (the request's first
        element names the database), e.g. to insert rows with chosen uuids
        or to set what only ovn-controller writes (Service_Monitor status)."""
        db = "sb" if json.loads(request)[0] == "OVN_Southbound" else "nb"
        return self._run(["ovsdb-client", "transact", f"unix:{self._any(db)}", request])

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
        argv = ["ovn-nbctl", *self._ctl("nb"), f"--timeout={int(self.timeout)}", "--wait=sb",
                "sync"]
        if not self._with_northd or not (self.dir / "northd.pid").exists():
            self._run(argv)
            return
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
        dest = Path(dest)
        dest.write_text(self._run(["ovsdb-client", "backup", f"unix:{self._any(which)}",
                                   DATABASES[which][0]]))
        return dest

    def restore_sb(self, sb_file: str | Path) -> None:
        """Replace the SB contents with those of a standalone db file."""
        self._run(["ovsdb-client", "restore", f"unix:{self._any('sb')}"],
                  stdin=Path(sb_file).read_text())

    def _any(self, db: str) -> Path:
        """The socket of a running server of `db` (a cluster's followers
        pass transactions on to the leader)."""
        return self.sock(self._running(db)[0])

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
