"""A live OVSDB session: one JSON-RPC connection to an ovsdb-server that
monitors every column of the tables asked for, keeps a row store up to date
from the server's update notifications, and transacts.

`take_changes()` says which tables and columns updates changed since it was
last called, so a loop can wake on changes and tell which (`take_external()`:
those made by others than this session's transactions); `Database` snapshots
of the store go to rules: the Arrow tables are kept from one snapshot to the
next, and only the rows updated in between are converted again.
A lost connection raises ServerError, and so does a clustered server that
stops being its cluster's leader (the session monitors the server's own
status, as northd's IDL does); the caller reconnects with a new Session,
which starts from a fresh snapshot (nothing is lost: the server holds the
truth).
"""
from __future__ import annotations

import errno

import ovs.jsonrpc
import ovs.poller
import pyarrow as pa
import pyarrow.compute as pc

from ..nogc import paused
from .live import SERVER_COLUMNS, ServerError, _transact, connect, unusable
from .rows import apply_row, to_arrow
from .schema import DbSchema

ALL = "*"     # a changed column set meaning: the whole row (insert, delete)
_META = {"_version"}    # what the server changes in every row a transaction writes
_MONITOR, _SERVER_MONITOR = "relnorthd", "relnorthd-server"    # monitor ids


class TransactionError(RuntimeError):
    """The server refused a transaction (the message has its error)."""


class Session:
    def __init__(self, remote: str, database: str, tables: list[str] | None = None):
        self.conn = connect(remote, database, leader=True)
        self.remote, self.database = self.conn.name, database
        self.lost: str | None = None    # why the server can no longer serve the session
        self.schema = DbSchema.from_json(_transact(self.conn, self.remote, "get_schema",
                                                   [database]))
        self.tables = tables or list(self.schema.tables)
        self.store: dict = {name: {} for name in self.schema.tables}
        self.locked_names: set[str] = set()
        self.changes: dict[str, set[str]] = {}   # table -> columns ("*": whole rows)
        self.external: dict[str, set[str]] = {}  # ... changed by others (not in `transact`)
        self._pending: list | None = None   # updates during a transaction
        self._arrow: dict[str, pa.Table] = {}
        self._dirty: dict[str, set[str]] = {}     # table -> uuids updated since the snapshot
        initial = _transact(self.conn, self.remote, "monitor",
                            [database, _MONITOR, {name: {} for name in self.tables}])
        self._apply(initial)
        self._server(_transact(self.conn, self.remote, "monitor", [
            "_Server", _SERVER_MONITOR, {"Database": {"columns": SERVER_COLUMNS}}]))

    def close(self) -> None:
        self.conn.close()

    def database_snapshot(self, source: str | None = None):
        """The store as a mirror Database (Arrow tables)."""
        from . import Database
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
        changes, self.changes = self.changes, {}
        return changes

    def take_external(self) -> dict[str, set[str]]:
        """The same, leaving out the changes of this session's own
        transactions (the server sends their updates before the reply)."""
        external, self.external = self.external, {}
        return external

    def has_lock(self, name: str) -> bool:
        return name in self.locked_names

    def poll(self) -> None:
        """Handle every message the server has sent (non-blocking)."""
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
        self.conn.wait(poller)
        self.conn.recv_wait(poller)

    def transact(self, ops: list[dict], inserts: str = "") -> list:
        """Commit `ops` (OVSDB operations), then `inserts` (insert
        operations as JSON text, joined by commas), as one transaction; the
        results. Updates that arrive meanwhile are applied; those of rows
        the transaction wrote (by `_uuid`) are its own, the rest count as
        external. Raises TransactionError when the server refuses it."""
        self._pending, own = [], {}
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
            pending, self._pending = self._pending, None
            with paused():
                for tname, uuid, columns in pending or ():
                    mine = own.get(uuid)
                    if mine is None or not (mine == ALL or columns - _META <= mine):
                        self.external.setdefault(tname, set()).update(columns)
        return results

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
            if msg.type in (ovs.jsonrpc.Message.T_REPLY, ovs.jsonrpc.Message.T_ERROR) \
                    and msg.id == request.id:
                return msg
            self._handle(msg)
            if self.lost:
                raise ServerError(f"{self.remote}: {self.lost}")

    def _handle(self, msg) -> None:
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

    def _apply(self, updates: dict) -> None:
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
                if self._pending is not None:       # during a transaction: sorted
                    self._pending.append((tname, uuid, changed))    # out after it
                else:
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
