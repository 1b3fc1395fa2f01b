"""A live OVSDB session: one JSON-RPC connection to an ovsdb-server that
monitors every column of the tables asked for, keeps a row store up to date
from the server's update notifications, and transacts.

`take_changes()` says which tables and columns updates changed since it was
last called, so a loop can wake on changes and tell which (`take_external()`:
those made by others than this session's transactions); `Database` snapshots
of the store go to rules: the Arrow tables are kept from one snapshot to the
next, and only the rows updated in between are converted again. The
updates that arrive during a transaction are applied after it returns, by
the next poll (so a caller can answer first: run tells NB its sb_cfg).
A lost connection raises ServerError, and so does a clustered server that
stops being its cluster's leader (the session monitors the server's own
status, as northd's IDL does); the caller reconnects with a new Session,
which starts from a fresh snapshot (nothing is lost: the server holds the
truth).
"""
from __future__ import annotations

import errno

import orjson
import ovs.jsonrpc
import ovs.poller
import pyarrow as pa
import pyarrow.compute as pc

from ..nogc import paused
from .live import SERVER_COLUMNS, ServerError, connect, unusable
from .rows import apply_row, to_arrow
from .schema import DbSchema

ALL = "*"     # a changed column set meaning: the whole row (insert, delete)
_META = {"_version"}    # what the server changes in every row a transaction writes
_MONITOR, _SERVER_MONITOR = "relnorthd", "relnorthd-server"    # monitor ids
_BULKY = "relnorthd-bulky"
# how the server's updates of these monitors start (it prints "id" first):
# those that arrive during a transaction are kept undecoded until it is over
_MONITOR_UPDATES = tuple(b'{"id":null,"method":"update","params":["' + m.encode() + b'",'
                     for m in (_MONITOR, _BULKY))


class TransactionError(RuntimeError):
    """The server refused a transaction (the message has its error)."""


class Session:
    def __init__(self, remote: str, database: str, tables: list[str] | None = None,
                 bulky: tuple[str, ...] = ()):
        """Monitor `tables` (default: all); `bulky` ones by a monitor of
        their own, which a large transaction may drop while it commits
        (transact's `unwatch`)."""
        self.conn = connect(remote, database, leader=True)
        self.remote, self.database = self.conn.name, database
        self.lost: str | None = None    # why the server can no longer serve the session
        self.schema = DbSchema.from_json(self._server_call("get_schema", [database]))
        self.tables = tables or list(self.schema.tables)
        self.store: dict = {name: {} for name in self.schema.tables}
        self.locked_names: set[str] = set()
        self.changes: dict[str, set[str]] = {}   # table -> columns ("*": whole rows)
        self.external: dict[str, set[str]] = {}  # ... changed by others (not in `transact`)
        self._during: list | None = None    # updates that arrive during a transaction
        self._deferred: list = []           # ... kept for later, with what it wrote
        self.bulky = [t for t in bulky if t in self.tables]
        self._rewatch: dict | None = None   # bulky unwatched: what the transaction wrote
        self._arrow: dict[str, pa.Table] = {}
        self._dirty: dict[str, set[str]] = {}     # table -> uuids updated since the snapshot
        # (once a monitor is set up, its updates may come before the next
        # reply: _request applies them, where ovs.jsonrpc's would drop them)
        self._apply(self._server_call("monitor", [
            database, _MONITOR, {t: {} for t in self.tables if t not in self.bulky}]))
        if self.bulky:
            self._apply(self._server_call("monitor", [
                database, _BULKY, {t: {} for t in self.bulky}]))
        self._server(self._server_call("monitor", [
            "_Server", _SERVER_MONITOR, {"Database": {"columns": SERVER_COLUMNS}}]))

    def close(self) -> None:
        self.conn.close()

    def database_snapshot(self, source: str | None = None):
        """The store as a mirror Database (Arrow tables)."""
        from . import Database
        self._flush()
        for name in self.schema.tables:
            if name not in self._arrow or name in self._dirty:
                self._arrow[name] = self._patched(name, self._dirty.pop(name, None))
        return Database(source or self.remote, self.schema, dict(self._arrow))

    def _patched(self, name: str, dirty: set[str] | None) -> pa.Table:
        """Table `name` as Arrow: the last snapshot's rows that were not
        updated, plus the updated rows converted again (sorted by uuid, as
        to_arrow sorts); all rows converted when most of them changed."""
        table, rows = self.schema.tables[name], self.store[name]
        old = self._arrow.get(name)
        if old is None or dirty is None or 2 * len(dirty) > old.num_rows:
            return to_arrow(table, rows)
        keep = old.filter(pc.invert(pc.is_in(old["_uuid"], pa.array(list(dirty), pa.string()))))
        fresh = to_arrow(table, {u: rows[u] for u in dirty if u in rows})
        return pa.concat_tables([keep, fresh]).sort_by("_uuid").combine_chunks()

    def lock(self, name: str) -> bool:
        """Ask for lock `name`; True when granted now (else a `locked`
        notification grants it later, see `has_lock`)."""
        if self._request("lock", [name]).result.get("locked"):
            self.locked_names.add(name)
        return name in self.locked_names

    def take_changes(self) -> dict[str, set[str]]:
        """The tables (and their columns) changed since the last call."""
        self._flush()
        changes, self.changes = self.changes, {}
        return changes

    def take_external(self) -> dict[str, set[str]]:
        """The same, leaving out the changes of this session's own
        transactions (the server sends their updates before the reply)."""
        self._flush()
        external, self.external = self.external, {}
        return external

    def has_lock(self, name: str) -> bool:
        return name in self.locked_names

    def poll(self) -> None:
        """Handle every message the server has sent (non-blocking)."""
        self._flush()
        while True:
            error, msg = self.conn.recv()
            if error == errno.EAGAIN:
                break
            if error:
                raise ServerError(f"{self.remote}: connection lost")
            self._handle(msg)
        self.conn.run()
        if self.conn.get_status():
            raise ServerError(f"{self.remote}: connection lost")
        if self.lost:
            raise ServerError(f"{self.remote}: {self.lost}")

    def wait(self, poller: ovs.poller.Poller) -> None:
        if self._deferred:              # updates to apply: the next poll has work
            poller.immediate_wake()
        self.conn.wait(poller)
        self.conn.recv_wait(poller)

    def transact(self, ops: list[dict], inserts: str = "", unwatch: bool = False) -> list:
        """Commit `ops` (OVSDB operations), then `inserts` (insert
        operations as JSON text, joined by commas), as one transaction; the
        results. Raises TransactionError when the server refuses it.
        The updates that arrive meanwhile (the server sends the
        transaction's own before its reply) are applied later, by the next
        poll, snapshot or take_*: `store` lags until then, and a large
        transaction's caller is not kept waiting on them. Those of rows the
        transaction wrote (by `_uuid`) are its own; the rest count as
        external. `unwatch` (a transaction that writes much of the bulky
        tables): their monitor is dropped while it commits, so that the
        server does not echo it all back on the critical path; the next
        flush monitors them again and takes their rows as they are then."""
        self._flush()
        if unwatch and self.bulky:
            self._server_call("monitor_cancel", [_BULKY])
            self._rewatch = {}
        self._during, own = [], {}
        self.conn.raw_prefix = _MONITOR_UPDATES
        try:
            msg = self._request("transact", [self.database, *ops], inserts)
            if msg.type == ovs.jsonrpc.Message.T_ERROR:
                raise TransactionError(f"{self.remote}: transact failed: {msg.error}")
            results = msg.result
            failed = [r for r in results if isinstance(r, dict) and "error" in r]
            if failed or len(results) < len(ops):
                raise TransactionError(f"{self.remote}: transaction failed: "
                                       f"{failed[0] if failed else 'incomplete results'}")
            with paused():
                own = _written(ops, results)
        finally:
            self.conn.raw_prefix = ()
            self._deferred += [(updates, own) for updates in self._during]
            self._during = None
            if self._rewatch is not None:
                self._rewatch.update(own)
        return results

    def _flush(self) -> None:
        """Apply the updates kept during the last transaction (as the
        server sent them: JSON, decoded only now), and monitor the bulky
        tables again if a transaction unwatched them."""
        deferred, self._deferred = self._deferred, []
        with paused():
            for raw, own in deferred:
                try:
                    updates = orjson.loads(raw)["params"][1]
                except (orjson.JSONDecodeError, KeyError, IndexError, TypeError):
                    raise ServerError(f"{self.remote}: a malformed update") from None
                self._apply(updates, own)
        if self._rewatch is not None:
            own, self._rewatch = self._rewatch, None
            initial = self._server_call("monitor", [self.database, _BULKY,
                                                    {t: {} for t in self.bulky}])
            with paused():
                self._reconcile(initial, own)

    def _reconcile(self, initial: dict, own: dict) -> None:
        """Take the bulky tables' rows as a new monitor's `initial` has
        them: what differs from the store changed, by `own` writes or
        others'."""
        for tname in self.bulky:
            table, before, after = self.schema.tables[tname], self.store[tname], {}
            for uuid, change in initial.get(tname, {}).items():
                apply_row(table, after, uuid, change["new"], False)
            self.store[tname] = after
            columns = self.changes.setdefault(tname, set())
            dirty = self._dirty.setdefault(tname, set())
            for uuid in before.keys() | after.keys():
                old, new = before.get(uuid), after.get(uuid)
                if old == new:
                    continue
                changed = ({c for c in new if new[c] != old[c]} if old and new else {ALL})
                dirty.add(uuid)
                columns.update(changed)
                self._classify(tname, uuid, changed, own)

    def _server_call(self, method: str, params: list):
        """A request's result; ServerError when the server answers with an
        error."""
        msg = self._request(method, params)
        if msg.error is not None:
            raise ServerError(f"{self.remote}: {method} failed: {msg.error}")
        return msg.result

    def _request(self, method: str, params: list, tail: str = "") -> ovs.jsonrpc.Message:
        """Send a request (params, then `tail`: more of them as JSON text)
        and wait for its reply (or error), handling the notifications that
        arrive meanwhile (ovs.jsonrpc's transact_block would drop them)."""
        request = ovs.jsonrpc.Message.create_request(method, params)
        if self.conn.send(request, tail):
            raise ServerError(f"{self.remote}: connection lost")
        while True:
            error, msg = self.conn.recv_block()
            if error:
                raise ServerError(f"{self.remote}: connection lost")
            if not isinstance(msg, bytes) and msg.id == request.id \
                    and msg.type in (ovs.jsonrpc.Message.T_REPLY, ovs.jsonrpc.Message.T_ERROR):
                return msg
            self._handle(msg)
            if self.lost:
                raise ServerError(f"{self.remote}: {self.lost}")

    def _handle(self, msg) -> None:
        if isinstance(msg, bytes):      # an update during a transaction (raw_prefix)
            self._during.append(msg)
            return
        if msg.type == ovs.jsonrpc.Message.T_REQUEST and msg.method == "echo":
            self.conn.send(ovs.jsonrpc.Message.create_reply(msg.params, msg.id))
            return
        if msg.type != ovs.jsonrpc.Message.T_NOTIFY:
            return
        if msg.method == "update" and msg.params[0] == _SERVER_MONITOR:
            self._server(msg.params[1])
        elif msg.method == "update":
            with paused():
                self._apply(msg.params[1])
        elif msg.method == "locked":
            self.locked_names.add(msg.params[0])
        elif msg.method == "stolen":
            self.locked_names.discard(msg.params[0])

    def _server(self, updates: dict) -> None:
        """Note in `lost` when the server's status row for the database
        says it may no longer serve it (e.g. it lost the leadership)."""
        for change in updates.get("Database", {}).values():
            row = change.get("new")
            if row and row["name"] == self.database:
                self.lost = self.lost or unusable(row, self.database, leader=True)

    def _apply(self, updates: dict, own: dict | None = None) -> None:
        """Apply an update; its changes are external unless `own` (a
        transaction's writes, _written) covers them."""
        for tname, rows in updates.items():
            table = self.schema.tables[tname]
            columns = self.changes.setdefault(tname, set())
            dirty = self._dirty.setdefault(tname, set())
            for uuid, change in rows.items():
                apply_row(table, self.store[tname], uuid, change.get("new"), False)
                dirty.add(uuid)
                # a modified row names its changed columns in "old"
                both = "old" in change and "new" in change
                changed = set(change["old"]) if both else {ALL}
                columns.update(changed)
                self._classify(tname, uuid, changed, own)

    def _classify(self, tname: str, uuid: str, changed: set[str], own: dict | None) -> None:
        """Note a row's change as external unless `own` writes cover it."""
        mine = own.get(uuid) if own else None
        if mine is None or not (mine == ALL or changed - _META <= mine):
            self.external.setdefault(tname, set()).update(changed)


def _written(ops: list[dict], results: list) -> dict[str, set[str] | str]:
    """uuid -> the columns a committed transaction wrote in that row (ALL:
    inserted or deleted), from its operations (rows named by `_uuid`) and
    results (inserted uuids: also those of operations sent as text, whose
    results follow those of `ops`)."""
    out: dict[str, set[str] | str] = {r["uuid"][1]: ALL for r in results
                                      if isinstance(r, dict) and "uuid" in r}
    for op in ops:
        kind = op.get("op")
        where = op.get("where") or []
        uuids = [w[2][1] for w in where if w[:2] == ["_uuid", "=="]]
        columns = (ALL if kind == "delete" else set(op.get("row", {})) if kind == "update"
                   else {m[0] for m in op.get("mutations", ())} if kind == "mutate" else None)
        for uuid in uuids if columns is not None else ():
            mine = out.get(uuid)
            out[uuid] = ALL if ALL in (columns, mine) else columns | (mine or set())
    return out
