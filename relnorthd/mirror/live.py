"""Read a live ovsdb-server (`unix:PATH` or `tcp:HOST:PORT`) over JSON-RPC.

One `get_schema` and one `monitor` of every column of every table; the
monitor's initial contents are applied to a row store exactly as file
records are.
"""
from __future__ import annotations

import errno
import os

import ovs.jsonrpc
import ovs.stream

from .rows import apply_row
from .schema import DbSchema


class ServerError(ConnectionError):
    """The server could not be reached or answered with an error."""


def _transact(conn: ovs.jsonrpc.Connection, remote: str, method: str, params: list):
    request = ovs.jsonrpc.Message.create_request(method, params)
    error, reply = conn.transact_block(request)
    if error:
        raise ServerError(f"{remote}: connection lost ({os.strerror(error)})")
    if reply.error:
        raise ServerError(f"{remote}: {method} failed: {reply.error}")
    return reply.result


def connect(remote: str, timeout_ms: int = 10_000) -> ovs.jsonrpc.Connection:
    error, stream = ovs.stream.Stream.open_block(ovs.stream.Stream.open(remote), timeout_ms)
    if error:
        reason = "timed out" if error == errno.ETIMEDOUT else os.strerror(error)
        raise ServerError(f"{remote}: cannot connect ({reason})")
    return ovs.jsonrpc.Connection(stream)


def read_server(remote: str, database: str) -> tuple[DbSchema, dict]:
    """Snapshot `database` on the server at `remote` into (schema, row store)."""
    conn = connect(remote)
    try:
        schema = DbSchema.from_json(_transact(conn, remote, "get_schema", [database]))
        requests = {name: {} for name in schema.tables}
        updates = _transact(conn, remote, "monitor", [database, None, requests])
    finally:
        conn.close()
    store: dict = {name: {} for name in schema.tables}
    for tname, rows in updates.items():
        for uuid, change in rows.items():
            apply_row(schema.tables[tname], store[tname], uuid, change.get("new"), False)
    return schema, store
