"""`relnorthd run`: relnorthd as a running northd.

Connects to the NB and SB ovsdb-servers, takes the SB lock `ovn_northd` (a
second instance waits as standby, as northd does) and, whenever either
database changes in a way that can alter flows, recomputes the flows of
the rules the changed tables feed (incremental.py) and commits the delta
engine's transaction (sbsync.plan) to SB, then completes the `nb_cfg` ->
SB_Global -> `sb_cfg` handshake so `ovn-nbctl --wait=sb` works. Lost connections are
re-established from fresh snapshots; a refused transaction is retried on
the state that follows it.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import duckdb
import ovs.poller

from .mirror import NB, SB
from .mirror.live import ServerError
from .mirror.session import ALL, Session, TransactionError
from .dependencies import rule_inputs, rule_reads, sb_row_reads
from .incremental import recompute
from .ipam import allocate, nb_mac_prefix, random_mac_prefix
from .nbglobal import random_mac, with_random, written
from .phases import Phases
from .phases import text as phases_text
from .sbinputs import SB_INPUTS
from .sbsync import OWNED, WRITTEN, plan

log = logging.getLogger("relnorthd.run")

LOCK = "ovn_northd"
RECONNECT_SECONDS = 1.0     # the first wait before reconnecting, doubled
MAX_BACKOFF_SECONDS = 8.0   # ... up to this while the servers stay away (as OVSDB clients)
# SB tables whose rows, once the plan inserted them, change what the next
# iteration computes (a BFD session SB has may go admin_down: sql/nb/BFD.sql):
# northd runs again on its own echo before NB sees sb_cfg, and so does run
REREAD_INSERTS = ("BFD",)
# a transaction that writes more SB rows than this (a first sync) commits
# with the SB tables relnorthd writes unwatched: the server does not echo
# them all back before its reply (half its work on a first sync); relnorthd
# reads them back after telling NB (Session.transact's unwatch)
UNWATCH_ROWS = 10_000


@dataclass
class Iteration:
    """What one iteration did: engine mode, rule files run, time, SB rows
    written."""
    mode: str
    seconds: float
    sb_rows: dict[str, dict[str, int]] = field(default_factory=dict)
    rules_run: int = 0          # rule files run ...
    scoped_run: int = 0         # ... of them for some owners only,
    owners_run: int = 0         # ... these many
    phases: dict[str, float] = field(default_factory=dict)  # phase -> seconds
    at: float = field(default_factory=time.time)            # wall clock when it ended

    def summary(self) -> str:
        written = ", ".join(f"{table} {'/'.join(f'{k} {v}' for k, v in steps.items())}"
                            for table, steps in sorted(self.sb_rows.items())) or "nothing"
        scoped = (f", {self.scoped_run} of them for {self.owners_run} owners"
                  if self.scoped_run else "")
        phases = phases_text(self.phases)
        return (f"{self.mode} ({self.rules_run} rule files{scoped}) in {self.seconds:.2f}s, "
                f"SB: {written}; {phases}")


class Northd:
    def __init__(self, nb_remote: str, sb_remote: str):
        self.nb_remote, self.sb_remote = nb_remote, sb_remote
        self.nb: Session | None = None
        self.sb: Session | None = None
        self.iterations: list[Iteration] = []
        self.cur_cfg = 0          # the NB nb_cfg of the last committed SB state
        self._nb_seen: dict = {}  # NB_Global as the last recompute saw it
        self._result = None       # the last iteration's flows (None: run every rule)
        self.force_recompute = False   # the next step runs every rule
        self._mac_prefix: str | None = None   # the prefix in use while NB_Global has none
        self._monitor_mac: str | None = None  # svc_monitor_mac while NB_Global has none
        self._nb_cfg_stamp = 0         # when SB took a new nb_cfg (NB's nb_cfg_timestamp)
        self._allocated = False        # the last iteration wrote allocations to NB
        self._sb_edited = True         # SB rows relnorthd writes were written by others
        self._sb_read: dict[str, set[str]] = {}  # SB input columns changed, echoes included
        self._synced: dict | None = None  # the desired SB rows SB last took (None: unknown)
        self._synced_nb: dict = {}        # ... and NB rows (sql/nb/)
        self._sb_changed: set[str] = set()  # SB tables others wrote since
        self._reread = False           # the last iteration inserted REREAD_INSERTS rows

    def run(self, stop=lambda: False) -> None:
        """Keep SB in sync until `stop()` says so."""
        backoff = RECONNECT_SECONDS
        while not stop():
            try:
                self._connect()
                backoff = RECONNECT_SECONDS
                self.nb.poll()
                self.sb.poll()
                if self.sb.has_lock(LOCK):
                    self.step()
                    _parse_dependencies()
                else:                       # standby: start from scratch when it comes
                    self._result = None
                poller = ovs.poller.Poller()
                self.nb.wait(poller)
                self.sb.wait(poller)
                poller.timer_wait(0 if self._reread else 1000)
                poller.block()
            except ServerError as e:
                log.warning("%s; reconnecting in %g s", e, backoff)
                self._disconnect()
                _sleep(backoff, stop)
                backoff = min(2 * backoff, MAX_BACKOFF_SECONDS)
            except TransactionError as e:
                log.warning("%s; retrying on fresh state", e)
                self.force_recompute = True
                self._synced = None
                time.sleep(RECONNECT_SECONDS)
            except duckdb.InterruptException:   # SIGINT during a query (run's second signal)
                raise KeyboardInterrupt from None
            except Exception:               # a bug: keep running, recompute in full
                log.exception("iteration failed; recomputing everything on the next change")
                self.force_recompute = True
                time.sleep(RECONNECT_SECONDS)
        self._disconnect()

    def step(self) -> Iteration | None:
        """React to what changed since the last step (the caller holds the
        lock): an iteration when a rule input changed (any NB table but
        NB_Global's sequence numbers, any SB column relnorthd does not
        write, or writes and reads when another client wrote it (BFD.status
        from ovn-controller)), or when another client wrote what it writes
        (repaired at once, as northd recomputes on such changes; its own
        echoes do not count), or when every
        rule must run again (first step, a new lock, a retry,
        `force_recompute`), or after inserting REREAD_INSERTS rows; else,
        if anything changed, only the nb_cfg handshake (e.g. `ovn-nbctl
        --wait=sb sync`)."""
        sb_changes = self.sb.take_changes()
        external = self.sb.take_external()
        self._sb_edited |= any(_owned(t, c) for t, c in external.items())
        self._sb_changed |= external.keys()
        for table, columns in sb_changes.items():   # the rules read some of what relnorthd
            if table in SB_INPUTS:                   # writes (keys kept from SB): its echoes
                self._sb_read.setdefault(f"sb_{table}", set()).update(columns)  # go in too
        changed = {**self.nb.take_changes(), **{f"sb_{t}": c for t, c in sb_changes.items()}}
        inputs = {k: v for k, v in changed.items() if not k.startswith("sb_")}
        if _significant(self._nb_global()) == self._nb_seen:
            inputs.pop("NB_Global", None)
        for table, columns in sb_changes.items():
            if table != "SB_Global":
                columns = _inputs(table, columns)
                if columns:
                    inputs[f"sb_{table}"] = columns
        for table, columns in external.items():
            read = columns & set(SB_INPUTS[table].names) if table in SB_INPUTS else set()
            if read:
                inputs[f"sb_{table}"] = {*inputs.get(f"sb_{table}", ()), *read}
        log.debug("changed: %s", inputs)
        if self._result is None or self.force_recompute:
            return self.iterate(None)
        if inputs or self._reread or self._sb_edited:
            return self.iterate(inputs)
        if changed:
            start = time.perf_counter()
            self._commit([])
            self._update_nb_global()
            return Iteration("handshake", time.perf_counter() - start)
        return None

    def iterate(self, changed: dict[str, set[str]] | None) -> Iteration:
        """Recompute the rules `changed` tables and columns feed
        (incremental.py; None: every rule) and sync SB."""
        start = time.perf_counter()
        timer = Phases()
        self._nb_seen = _significant(self._nb_global())
        with timer("snapshot"):
            nb_db = self._settle(self.nb.database_snapshot())
            sb_db = self.sb.database_snapshot()
        if changed is not None and self._allocated:
            changed = {**changed, "Logical_Switch_Port": {
                *changed.get("Logical_Switch_Port", ()), "dynamic_addresses", "tag"}}
        if changed is not None:
            for table, columns in self._sb_read.items():
                changed = {**changed, table: {*changed.get(table, ()), *columns}}
        self._sb_read = {}
        self.force_recompute = False
        result, mode = recompute(nb_db, sb_db, self._result if changed is not None else None,
                                 changed, timer)
        self._result = result
        with timer("plan"):     # flows: only the keys the change touched, unless others
            p = plan(result.grouped, result.sb_rows, nb_db, sb_db,   # wrote SB's flows
                     touched=None if self._sb_edited else result.touched,
                     changed=self._changed_tables(result.sb_rows, changed),
                     nb_rows=self._changed_nb(result.nb_rows, changed))
        with timer("commit"):
            rows = sum(n for steps in p.counts.values() for n in steps.values())
            self._commit(p.ops, p.inserts, unwatch=rows > UNWATCH_ROWS)
        self._sb_edited = False
        self._synced, self._sb_changed = result.sb_rows, set()
        self._synced_nb = result.nb_rows
        it = Iteration(mode, time.perf_counter() - start, p.counts, len(result.rules_run),
                       len(result.scoped_run), len(result.owners_run), timer.seconds)
        self.iterations.append(it)
        log.info("iteration %d: %s", len(self.iterations), it.summary())
        nb_ops = p.nb_ops + self._options_ops(nb_db, result.sb_rows["SB_Global"])
        self._reread = any(p.counts.get(t, {}).get("insert") for t in REREAD_INSERTS)
        if self._reread:                   # again, on these rows, before the handshake
            if nb_ops:
                self.nb.transact(nb_ops)
        else:
            self._update_nb_global(nb_ops)     # only now may `--wait=sb` callers see it
        return it

    def _changed_tables(self, sb_rows: dict, changed: dict | None) -> set[str] | None:
        """The SB tables whose desired rows changed since SB last took
        them, or which others wrote since (None: all, after a full
        recompute or a refused transaction); Port_Binding also when NB's
        switch ports changed (their `up` follows it, sbsync._LSP_UP)."""
        if changed is None or self._synced is None:
            return None
        out = {t for t, rows in sb_rows.items()
               if not _same(rows, self._synced.get(t))}
        if "Logical_Switch_Port" in changed:
            out.add("Port_Binding")
        return out | self._sb_changed

    def _changed_nb(self, nb_rows: dict, changed: dict | None) -> dict:
        """The sql/nb/ tables whose NB values may differ from NB's: values
        changed since the last plan, or NB's table changed (all after a
        full recompute or a refused transaction)."""
        if changed is None or self._synced is None:
            return nb_rows
        return {t: rows for t, rows in nb_rows.items()
                if t in changed or not _same(rows, self._synced_nb.get(t))}

    def _settle(self, nb_db):
        """What northd settles in NB before it computes (ovnnb_db_run): a
        random mac_prefix and svc_monitor_mac where NB_Global has none
        (nbglobal.py), then build_ipam's dynamic_addresses and container
        tags, written to NB (ipam.py). Returns the NB the iteration
        computes on."""
        self._mac_prefix = nb_mac_prefix(nb_db) or self._mac_prefix or random_mac_prefix()
        self._monitor_mac = self._monitor_mac or random_mac()
        alloc = allocate(nb_db, self._mac_prefix)
        ops = [{"op": "update", "table": "Logical_Switch_Port", "where": _where(uuid),
                "row": {"dynamic_addresses": ["set", [value] if value else []]}}
               for uuid, value in alloc.dynamic_addresses.items()]
        ops += [{"op": "update", "table": "Logical_Switch_Port", "where": _where(uuid),
                 "row": {"tag": tag}} for uuid, tag in alloc.tags.items()]
        self._allocated = bool(ops)
        if ops:
            self.nb.transact(ops)
            log.info("IPAM: wrote dynamic_addresses of %d and tag of %d switch ports to NB",
                     len(alloc.dynamic_addresses), len(alloc.tags))
        return with_random(alloc.nb, self._mac_prefix, self._monitor_mac)

    def _options_ops(self, nb_db, sb_global) -> list[dict]:
        """The NB_Global options northd writes back (nbglobal.written), as
        northd writes them: verified (a wait that fails at once when others
        changed them meanwhile: the transaction is then retried on their
        values), then set."""
        options = written(nb_db, sb_global)
        rows = self.nb.store["NB_Global"]
        if options is None or not rows:
            return []
        uuid, row = next(iter(rows.items()))
        self._nb_seen = _significant({**row, "options": options})   # not an input change
        if row["options"] == options:
            return []
        return [{"op": "wait", "table": "NB_Global", "where": _where(uuid), "timeout": 0,
                 "columns": ["options"], "until": "==",
                 "rows": [{"options": ["map", sorted(row["options"].items())]}]},
                {"op": "update", "table": "NB_Global", "where": _where(uuid),
                 "row": {"options": ["map", sorted(options.items())]}}]

    def _commit(self, ops: list[dict], inserts: str = "", unwatch: bool = False) -> None:
        """Commit `ops` and `inserts` (sbsync.Plan) with SB_Global.nb_cfg
        following NB under the lock; the caller then tells NB
        (_update_nb_global)."""
        nb_cfg = self._nb_global().get("nb_cfg", 0)
        sb_global = self._sb_global_ops(nb_cfg)
        if sb_global:           # a new nb_cfg reached SB: NB notes when
            self._nb_cfg_stamp = int(time.time() * 1000)
        inserted = [op for op in ops if op["op"] == "insert" and op["table"] == "SB_Global"]
        if inserted:            # the sync makes the row (sql/sb/SB_Global.sql): with nb_cfg
            inserted[0]["row"]["nb_cfg"] = nb_cfg
            sb_global = []
        ops = ops + sb_global
        if ops or inserts:
            self.sb.transact([{"op": "assert", "lock": LOCK}, *ops], inserts, unwatch)
        self.cur_cfg = nb_cfg

    def _connect(self) -> None:
        if self.nb is None or self.sb is None:
            self._result = None            # fresh snapshots: run every rule
            self._sb_edited = True
        if self.nb is None:
            self.nb = Session(self.nb_remote, NB)
        if self.sb is None:
            self.sb = Session(self.sb_remote, SB, bulky=OWNED)
            if not self.sb.lock(LOCK):
                log.info("%s: lock %s held by another instance; standing by",
                         self.sb_remote, LOCK)

    def _disconnect(self) -> None:
        for session in (self.nb, self.sb):
            if session is not None:
                session.close()
        self.nb = self.sb = None

    def _nb_global(self) -> dict:
        rows = self.nb.store["NB_Global"]
        return next(iter(rows.values()), {})

    def _sb_global_ops(self, nb_cfg: int) -> list[dict]:
        """update_sequence_numbers(), SB side: SB_Global.nb_cfg follows NB."""
        rows = self.sb.store["SB_Global"]
        if not rows:
            return [{"op": "insert", "table": "SB_Global", "row": {"nb_cfg": nb_cfg}}]
        uuid, row = next(iter(rows.items()))
        if row["nb_cfg"] == nb_cfg:
            return []
        return [{"op": "update", "table": "SB_Global", "where": _where(uuid),
                 "row": {"nb_cfg": nb_cfg}}]

    def _update_nb_global(self, nb_ops: list[dict] = ()) -> None:
        """update_sequence_numbers(), NB side: sb_cfg once SB committed,
        hv_cfg the smallest nb_cfg a (non-remote) chassis reports; in one
        transaction with `nb_ops` (what NB takes from SB: sbsync.Plan)."""
        rows = self.nb.store["NB_Global"]
        now = int(time.time() * 1000)
        ops = list(nb_ops)
        if not rows:
            self.nb.transact([{"op": "insert", "table": "NB_Global", "row": {}}, *ops])
            return
        uuid, row = next(iter(rows.items()))
        hv_cfg, hv_cfg_ts = _hv_cfg(self.sb.store, row["nb_cfg"])
        change = {}
        if self._nb_cfg_stamp:
            change.update(nb_cfg_timestamp=self._nb_cfg_stamp)
            self._nb_cfg_stamp = 0
        if self.cur_cfg and row["sb_cfg"] != self.cur_cfg:
            change.update(sb_cfg=self.cur_cfg, sb_cfg_timestamp=now)
        if row["hv_cfg"] != hv_cfg:
            change.update(hv_cfg=hv_cfg, hv_cfg_timestamp=hv_cfg_ts)
        if change:
            ops.append({"op": "update", "table": "NB_Global", "where": _where(uuid),
                        "row": change})
        if ops:
            self.nb.transact(ops)


# NB_Global columns the handshake writes or bumps: no flow depends on them
_SEQUENCE_COLUMNS = ("nb_cfg", "nb_cfg_timestamp", "sb_cfg", "sb_cfg_timestamp", "hv_cfg",
                     "hv_cfg_timestamp")


def _parse_dependencies() -> None:
    """Parse the rules' dependencies (cached): after the first sync, which
    runs every rule, so that it does not wait on them, and before the
    first change does."""
    rule_inputs()
    rule_reads()
    sb_row_reads()


def _sleep(seconds: float, stop) -> None:
    """Wait `seconds`, or less when `stop()` says so."""
    deadline = time.monotonic() + seconds
    while not stop() and time.monotonic() < deadline:
        time.sleep(0.1)


def _inputs(table: str, columns: set[str]) -> set[str]:
    """The changed columns of an SB table that are not relnorthd's own
    writes (inserts and deletes in the tables it writes are its own)."""
    foreign = WRITTEN.get(table)
    return columns if foreign is None else columns & foreign


def _owned(table: str, columns: set[str]) -> bool:
    """Whether changed `columns` of SB `table` are rows or columns relnorthd
    writes."""
    foreign = WRITTEN.get(table)
    return foreign is not None and (ALL in columns
                                    or bool(columns - foreign - {"_version"}))


def _same(rows, before) -> bool:
    return before is not None and (rows is before or rows.equals(before))


def _significant(nb_global: dict) -> dict:
    return {k: v for k, v in nb_global.items() if k not in _SEQUENCE_COLUMNS}


def _where(uuid: str) -> list:
    return [["_uuid", "==", ["uuid", uuid]]]


def _hv_cfg(store: dict, nb_cfg: int) -> tuple[int, int]:
    """The smallest nb_cfg a (non-remote) chassis reports, at most NB's,
    and the latest time a chassis reported it."""
    hv_cfg, stamp = nb_cfg, 0
    for p in store["Chassis_Private"].values():
        if _remote_chassis(store, p) or p["nb_cfg"] > hv_cfg:
            continue
        stamp = p["nb_cfg_timestamp"] if p["nb_cfg"] < hv_cfg else max(stamp,
                                                                         p["nb_cfg_timestamp"])
        hv_cfg = p["nb_cfg"]
    return hv_cfg, stamp


def _remote_chassis(store: dict, chassis_private: dict) -> bool:
    chassis = store["Chassis"].get(chassis_private.get("chassis") or "")
    return bool(chassis) and chassis["other_config"].get("is-remote", "").lower() == "true"
