"""Read a live ovsdb-server (`unix:PATH` or `tcp:HOST:PORT`) over JSON-RPC.

One `get_schema` and one `monitor` of every column of every table; the
monitor's initial contents are applied to a row store exactly as file
records are.
"""
from __future__ import annotations

import codecs
import errno
import json
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


class Connection(ovs.jsonrpc.Connection):
    """ovs.jsonrpc's connection, receiving with the standard library's JSON
    decoder: the ovs package's pure-Python parser takes seconds for the
    megabytes of a monitor snapshot or a large transaction's reply."""

    _json = json.JSONDecoder()

    def __init__(self, stream):
        super().__init__(stream)
        self._utf8 = codecs.getincrementaldecoder("utf-8")()

    def recv(self):
        if self.status:
            return self.status, None
        while True:
            text = self.input.lstrip()
            # a message ends with "}": only then try to decode, so a large
            # message arriving in chunks is not parsed again and again
            if text.rstrip().endswith("}"):
                try:
                    doc, end = self._json.raw_decode(text)
                except ValueError:
                    doc = None              # not complete yet
                if doc is not None:
                    self.input = text[end:]
                    msg = ovs.jsonrpc.Message.from_json(doc)
                    if not isinstance(msg, ovs.jsonrpc.Message):
                        self.error(errno.EPROTO)
                        return self.status, None
                    return 0, msg
            error, data = self.stream.recv(1 << 16)
            if error == errno.EAGAIN:
                return error, None
            if error or not data:
                self.error(error or ovs.jsonrpc.EOF)
                return self.status, None
            try:
                self.input += self._utf8.decode(data)
            except UnicodeError:
                self.error(errno.EILSEQ)
                return self.status, None
            self.received_bytes += len(data)


def connect(remote: str, timeout_ms: int = 10_000) -> Connection:
    """A connection to the first reachable of the comma-separated remotes."""
    errors = []
    for one in remote.split(","):
        if one.startswith("ssl:"):
            errors.append(f"{one}: ssl remotes are not supported")
            continue
        error, stream = ovs.stream.Stream.open_block(ovs.stream.Stream.open(one), timeout_ms)
        if not error:
            return Connection(stream)
        reason = "timed out" if error == errno.ETIMEDOUT else os.strerror(error)
        errors.append(f"{one}: cannot connect ({reason})")
    raise ServerError("; ".join(errors))


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
