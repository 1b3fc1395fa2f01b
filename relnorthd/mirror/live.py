"""Read a live ovsdb-server (`unix:PATH` or `tcp:HOST:PORT`) over JSON-RPC.

One `get_schema` and one `monitor` of every column of every table; the
monitor's initial contents are applied to a row store exactly as file
records are.
"""
from __future__ import annotations

import errno
import os
import re

import orjson
import ovs.jsonrpc
import ovs.stream

from ..nogc import paused
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


_SEVERAL = "unexpected content after document"     # orjson, on one message and more
_NEXT = b'}{"id":'                                   # one message's end, the next's start
_KEPT = b'"[]{}'                                     # what the bracket count looks at
_DROPPED = bytes(b for b in range(256) if b not in _KEPT)
_QUOTED = re.compile(rb'"[^"]*"')                    # a string, once reduced


class _Depth:
    """The bracket depth of JSON received in pieces (bytes), strings left
    out: `complete` after whole messages. Linear, in C (bytes methods, re):
    escapes go first (an escaped backslash, then an escaped quote), then
    every byte but quotes and brackets; two adjacent quotes are then an
    empty string, or the end of one string and the start of the next with
    nothing between them, and either way can go too; what is left between
    quotes is inside strings. UTF-8 never puts these ASCII bytes inside a
    multi-byte character."""

    def __init__(self):
        self.depth = 0
        self.in_string = False    # the last piece ended inside a string
        self.held = b""           # trailing backslashes: their escape goes on

    @property
    def complete(self) -> bool:
        return self.depth == 0 and not self.in_string and not self.held

    def feed(self, data: bytes) -> None:
        data = self.held + data
        kept = data.rstrip(b"\\")
        self.held = data[len(kept):]
        reduced = kept.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _DROPPED)
        reduced = (b'"' + reduced if self.in_string else reduced).replace(b'""', b"")
        rest = _QUOTED.sub(b"", reduced)
        cut = rest.find(b'"')
        self.in_string = cut >= 0
        if self.in_string:
            rest = rest[:cut]
        self.depth += rest.count(b"{") + rest.count(b"[") - rest.count(b"}") - rest.count(b"]")


def _encode(msg, tail: str = "") -> bytes:
    """`msg` as JSON, with `tail` appended to its params."""
    if not tail:
        return orjson.dumps(msg.to_json())
    params = orjson.dumps(msg.params)[:-1] + (b"," if msg.params else b"")
    return (orjson.dumps({"id": msg.id, "method": msg.method})[:-1] + b',"params":'
            + params + tail.encode() + b"]}")


class Connection(ovs.jsonrpc.Connection):
    """ovs.jsonrpc's connection with a C JSON encoder and decoder (orjson),
    linear message framing and a byte output buffer: the ovs package parses
    and prints JSON in pure Python (seconds for the megabytes of a monitor
    snapshot or a large transaction), and re-encodes and copies its whole
    output string on every partial send (minutes for a transaction of 100 K
    rows)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._chunks: list[bytes] = []  # received, not yet decoded
        self._depth = _Depth()          # ... and its bracket depth
        self.raw_prefix: tuple[bytes, ...] = ()   # messages that start so stay undecoded
        self.output, self._sent = b"", 0   # to send, and how much of it is sent

    def send(self, msg, tail: str = ""):
        """Queue `msg` (a request: its params, then `tail`, more of them
        as JSON text) and send what the socket takes."""
        if self.status:
            return self.status
        pending = self._pending()
        self._sent = 0
        self.output = pending + _encode(msg, tail)
        if not pending:
            self.run()
        return self.status

    def run(self):
        """Send what the socket takes of `output` from offset `_sent` on."""
        if self.status:
            return
        if isinstance(self.output, str):        # the base class reset it
            self.output, self._sent = self.output.encode(), 0
        view = memoryview(self.output)
        while self._sent < len(view):
            retval = self.stream.send(view[self._sent:])
            if retval < 0:
                if retval != -errno.EAGAIN:
                    self.error(-retval)
                break
            self._sent += retval
        if self._sent == len(view):
            self.output, self._sent = b"", 0

    def _pending(self) -> bytes:
        """What is still to send (the base class resets `output` to a str)."""
        out = self.output.encode() if isinstance(self.output, str) else self.output
        return out[self._sent:] if self._sent else out

    def recv(self):
        """The next message, or EAGAIN: ovs.jsonrpc.Message, or the bytes of
        a message that starts with one of `raw_prefix` (its caller decodes
        it later)."""
        if self.status:
            return self.status, None
        while True:
            error, data = self.stream.recv(1 << 22)
            if error == errno.EAGAIN:
                break
            if error or not data:
                self.error(error or ovs.jsonrpc.EOF)
                return self.status, None
            self._chunks.append(data)
            self._depth.feed(data)
            self.received_bytes += len(data)
        # decoded only once every message received is whole (depth 0), so
        # a large message arriving in pieces is parsed once
        if not self._chunks or not self._depth.complete:
            return errno.EAGAIN, None
        data = b"".join(self._chunks).strip()
        # ovsdb-server prints messages back to back, each starting with its
        # "id": `}{"id":` is where one ends (never inside one: a string's
        # quotes are escaped, and in JSON no `{` follows a `}`)
        end = data.find(_NEXT) + 1 or len(data)
        first, rest = data[:end], data[end:]
        if first.startswith(self.raw_prefix):
            self._chunks = [rest] if rest else []
            return 0, first
        with paused():
            try:
                doc = orjson.loads(first)
            except orjson.JSONDecodeError as e:
                if e.msg != _SEVERAL:       # (else whitespace between messages)
                    self.error(errno.EPROTO)
                    return self.status, None
                text = first.decode()        # (its pos counts characters)
                doc = orjson.loads(text[:e.pos])
                rest = text[e.pos:].encode() + rest
        rest = rest.strip()
        self._chunks = [rest] if rest else []
        msg = ovs.jsonrpc.Message.from_json(doc)
        if not isinstance(msg, ovs.jsonrpc.Message):
            self.error(errno.EPROTO)
            return self.status, None
        return 0, msg

    def recv_wait(self, poller):
        """Wake at once when a buffered message is whole, else when data
        arrives."""
        if self.status or (self._chunks and self._depth.complete):
            poller.immediate_wake()
        else:
            self.stream.recv_wait(poller)


def connect(remote: str, database: str, leader: bool = False,
            timeout_ms: int = 10_000) -> Connection:
    """A connection to the first of the comma-separated remotes that can
    be reached and serves `database` up to date: a clustered server only
    while connected to its cluster, and only its leader when `leader` (as
    northd connects: locks and writes belong on the leader). The
    connection's `name` is the one remote it reached."""
    errors = []
    for one in remote.split(","):
        if one.startswith("ssl:"):
            errors.append(f"{one}: ssl remotes are not supported")
            continue
        error, stream = ovs.stream.Stream.open_block(ovs.stream.Stream.open(one), timeout_ms)
        if error:
            reason = "timed out" if error == errno.ETIMEDOUT else os.strerror(error)
            errors.append(f"{one}: cannot connect ({reason})")
            continue
        conn = Connection(stream)
        try:
            why = unusable(_server_row(conn, one, database), database, leader)
        except ServerError as e:
            why = str(e)
        if not why:
            return conn
        conn.close()
        errors.append(f"{one}: {why}")
    raise ServerError("; ".join(errors))


SERVER_COLUMNS = ["name", "model", "connected", "leader"]   # of _Server's Database table


def _server_row(conn: Connection, remote: str, database: str) -> dict | None:
    """The server's own status row for `database` (its _Server database)."""
    rows = _transact(conn, remote, "transact", [
        "_Server", {"op": "select", "table": "Database", "columns": SERVER_COLUMNS,
                    "where": [["name", "==", database]]}])[0].get("rows", [])
    return rows[0] if rows else None


def unusable(row: dict | None, database: str, leader: bool) -> str | None:
    """Why a server whose _Server status row for a database is `row` must
    not serve it (None: it may)."""
    if row is None:
        return f"does not serve {database}"
    if row["model"] != "clustered":
        return None
    if not row["connected"]:
        return "not connected to its cluster"
    if leader and not row["leader"]:
        return "not the cluster leader"
    return None


def read_server(remote: str, database: str) -> tuple[DbSchema, dict]:
    """Snapshot `database` on the server at `remote` into (schema, row store)."""
    conn = connect(remote, database)
    try:
        schema = DbSchema.from_json(_transact(conn, conn.name, "get_schema", [database]))
        requests = {name: {} for name in schema.tables}
        updates = _transact(conn, conn.name, "monitor", [database, None, requests])
    finally:
        conn.close()
    store: dict = {name: {} for name in schema.tables}
    for tname, rows in updates.items():
        for uuid, change in rows.items():
            apply_row(schema.tables[tname], store[tname], uuid, change.get("new"), False)
    return schema, store
