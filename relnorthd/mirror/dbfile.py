"""Read an OVSDB standalone database file with our own code.

Layout: records of `OVSDB JSON <length> <sha1>\\n<json>\\n`; the first JSON is
the schema, every later one a transaction ({table: {uuid: row|null}}, with
`"_is_diff": true` when set/map columns hold diffs). A truncated or unreadable
last record is ignored with a warning, as ovsdb-server does; a bad record with
more after it is an error.
"""
from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

import orjson

from ..nogc import paused
from .rows import DatumError, apply_row
from .schema import DbSchema

log = logging.getLogger(__name__)
HEADER = re.compile(rb"OVSDB JSON (\d+) ([0-9a-f]{40})\n")


class DbFileError(ValueError):
    """The file is not a readable OVSDB standalone database."""


def _records(path: Path, data: bytes):
    """Yield (offset, json document) for each record; warn on a bad tail."""
    pos = 0
    while pos < len(data):
        m = HEADER.match(data, pos)
        problem = None
        if m is None:
            problem = "bad record header"
        else:
            length, digest = int(m.group(1)), m.group(2).decode()
            start, end = m.end(), m.end() + int(length)
            body = data[start:end]
            if end > len(data):
                problem = "truncated record"
            elif hashlib.sha1(body).hexdigest() != digest:
                problem = "checksum mismatch"
        if problem is None:
            try:
                with paused():
                    doc = orjson.loads(body)
            except ValueError:
                problem = "invalid JSON"
        if problem is not None:
            if pos == 0:
                raise DbFileError(f"{path}: not an OVSDB standalone database file ({problem})")
            if m is not None and _is_last(data, m.end() + int(m.group(1))):
                log.warning("%s: ignoring %s at offset %d (incomplete last transaction)",
                            path, problem, pos)
                return
            raise DbFileError(f"{path}: corrupt record at offset {pos}: {problem}")
        yield pos, doc
        pos = end


def _is_last(data: bytes, end: int) -> bool:
    """True when no further record header follows a damaged record."""
    return HEADER.search(data, min(end, len(data))) is None


def read_db_file(path: str | Path) -> tuple[DbSchema, dict]:
    """Parse a standalone db file into (schema, row store)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DbFileError(f"{path}: cannot read: {e.strerror}") from None
    if data.startswith(b"OVSDB CLUSTER"):
        raise DbFileError(f"{path}: clustered databases are not supported; "
                          "convert with `ovsdb-tool cluster-to-standalone`")
    records = _records(path, data)
    first = next(records, None)
    if first is None:
        raise DbFileError(f"{path}: empty file, not an OVSDB database")
    try:
        schema = DbSchema.from_json(first[1])
    except (KeyError, TypeError, AttributeError):
        raise DbFileError(f"{path}: first record is not an OVSDB schema") from None
    store: dict = {name: {} for name in schema.tables}
    for offset, txn in records:
        try:
            _apply_txn(schema, store, txn)
        except (DatumError, AttributeError, TypeError, ValueError) as e:
            raise DbFileError(f"{path}: corrupt record at offset {offset}: {e}") from None
    return schema, store


def _apply_txn(schema: DbSchema, store: dict, txn: dict) -> None:
    is_diff = bool(txn.get("_is_diff", False))
    for tname, rows in txn.items():
        if tname.startswith("_"):
            continue
        table = schema.tables.get(tname)
        if table is None:
            raise DatumError(f"unknown table {tname!r}")
        for uuid, row in rows.items():
            apply_row(table, store[tname], uuid, row, is_diff)
