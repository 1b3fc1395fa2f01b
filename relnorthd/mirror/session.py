"""A live OVSDB session: one JSON-RPC connection to an ovsdb-server that
monitors every column of the tables asked for, keeps a row store up to date
from the server's update notifications, and transacts.

`take_changes()` says which tables and columns updates changed since it was
last called, so a loop can wake on changes and tell which; `Database` snapshots of
the store go to rules (only tables updated since the last snapshot are
converted again).
A lost connection raises ServerError; the caller reconnects with a new
Session, which starts from a fresh snapshot (nothing is lost: the server
holds the truth).
"""
from __future__ import annotations

import errno

import ovs.jsonrpc
import ovs.poller

from .live import ServerError, _transact, connect
from .rows import apply_row, to_arrow
from .schema import DbSchema


class TransactionError(RuntimeError):
    """The server refused a transaction (the message has its error)."""


class Session:
    def __init__(self, remote: str, database: str, tables: list[str] | None = None):
        self.remote, self.database = remote, database
        self.conn = connect(remote)
        self.schema = DbSchema.from_json(_transact(self.conn, remote, "get_schema", [database]))
        self.tables = tables or list(self.schema.tables)
        self.store: dict = {name: {} for name in self.schema.tables}
        self.locked_names: set[str] = set()
        self.changes: dict[str, set[str]] = {}   # table -> columns ("*": whole rows)
        self._arrow: dict = {}
        self._stale: set[str] = set(self.schema.tables)
        initial = _transact(self.conn, remote, "monitor",
                            [database, "relnorthd", {name: {} for name in self.tables}])
        self._apply(initial)

    def close(self) -> None:
        self.conn.close()

    def database_snapshot(self, source: str | None = None):
        """The store as a mirror Database (Arrow tables)."""
        from . import Database
        for name in self._stale:
            self._arrow[name] = to_arrow(self.schema.tables[name], self.store[name])
        self._stale.clear()
        return Database(source or self.remote, self.schema, dict(self._arrow))

    def lock(self, name: str) -> bool:
        """Ask for lock `name`; True when granted now (else a `locked`
        notification grants it later, see `has_lock`)."""
        result = _transact(self.conn, self.remote, "lock", [name])
        if result.get("locked"):
            self.locked_names.add(name)
        return name in self.locked_names

    def take_changes(self) -> dict[str, set[str]]:
        """The tables (and their columns) changed since the last call."""
        changes, self.changes = self.changes, {}
        return changes

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

    def wait(self, poller: ovs.poller.Poller) -> None:
        self.conn.wait(poller)
        self.conn.recv_wait(poller)

    def transact(self, ops: list[dict]) -> list:
        """Commit `ops` (OVSDB operations) as one transaction; the results.
        Updates that arrive meanwhile are applied. Raises TransactionError
        when the server refuses it."""
        request = ovs.jsonrpc.Message.create_request("transact", [self.database, *ops])
        error = self.conn.send(request)
        if error:
            raise ServerError(f"{self.remote}: connection lost")
        while True:
            error, msg = self.conn.recv_block()
            if error:
                raise ServerError(f"{self.remote}: connection lost")
            if msg.type == ovs.jsonrpc.Message.T_REPLY and msg.id == request.id:
                break
            if msg.type == ovs.jsonrpc.Message.T_ERROR and msg.id == request.id:
                raise TransactionError(f"{self.remote}: transact failed: {msg.error}")
            self._handle(msg)
        results = msg.result
        failed = [r for r in results if isinstance(r, dict) and "error" in r]
        if failed or len(results) < len(ops):
            raise TransactionError(f"{self.remote}: transaction failed: "
                                   f"{failed[0] if failed else 'incomplete results'}")
        return results

    def _handle(self, msg) -> None:
        if msg.type == ovs.jsonrpc.Message.T_REQUEST and msg.method == "echo":
            self.conn.send(ovs.jsonrpc.Message.create_reply(msg.params, msg.id))
            return
        if msg.type != ovs.jsonrpc.Message.T_NOTIFY:
            return
        if msg.method == "update":
            self._apply(msg.params[1])
        elif msg.method == "locked":
            self.locked_names.add(msg.params[0])
        elif msg.method == "stolen":
            self.locked_names.discard(msg.params[0])

    def _apply(self, updates: dict) -> None:
        for tname, rows in updates.items():
            table = self.schema.tables[tname]
            columns = self.changes.setdefault(tname, set())
            for uuid, change in rows.items():
                apply_row(table, self.store[tname], uuid, change.get("new"), False)
                # a modified row names its changed columns in "old"
                both = "old" in change and "new" in change
                columns.update(change["old"] if both else ["*"])
            self._stale.add(tname)
