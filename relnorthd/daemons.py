"""Private daemons for tests and benchmarks: processes started in a temp dir
of their own, on unix sockets, and stopped only by the pids their pidfiles
recorded (reference.Sandbox: NB/SB servers and ovn-northd;
hypervisor.Hypervisor: Open vSwitch and ovn-controller)."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class Daemons:
    """A temp dir and the pidfiles of what was started in it; a context
    manager: `start()` on entry (what a subclass starts), everything
    stopped and the dir removed on exit."""

    env: dict[str, str] | None = None      # the environment of every command

    def __init__(self, prefix: str, timeout: float):
        self.timeout = timeout
        self.dir = Path(tempfile.mkdtemp(prefix=prefix))
        self._pidfiles: list[Path] = []

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """Stop the processes started here (by pid) and remove the dir."""
        for pidfile in reversed(self._pidfiles):
            terminate(pidfile)
        self._pidfiles.clear()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _run(self, argv: list[str], stdin: str | None = None) -> str:
        proc = subprocess.run(argv, capture_output=True, text=True, input=stdin,
                              env=self.env, timeout=self.timeout)
        if proc.returncode:
            raise RuntimeError(f"{' '.join(argv[:3])}... failed: {proc.stderr.strip()}")
        return proc.stdout


def alive(pid: int) -> bool:
    """True while `pid` runs; a zombie (not yet reaped by init) counts as gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def terminate(pidfile: Path, sig: int = signal.SIGTERM) -> None:
    """Send `sig` to the process a pidfile names; SIGKILL after 5 s."""
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    for _ in range(250):
        if not alive(pid):
            return
        time.sleep(0.02)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def free_ports(n: int) -> list[int]:
    """`n` loopback TCP ports free now (bound, then released for a server
    to take: the usual small race with other programs)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in socks]
    finally:
        for sock in socks:
            sock.close()
