"""Write OVSDB standalone database files (the framing ovsdb-server reads):
used to hand generated NBs to both relnorthd and the reference."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path


def record(doc) -> bytes:
    """One `OVSDB JSON <len> <sha1>` record."""
    body = json.dumps(doc, separators=(",", ":")).encode() + b"\n"   # length covers the \n
    digest = hashlib.sha1(body).hexdigest().encode()
    return b"OVSDB JSON %d %s\n" % (len(body), digest) + body


def write_db_file(path: str | Path, schema: dict, txns: list[dict]) -> Path:
    """Write the schema record then one record per transaction dict
    ({table: {uuid: row}}, values in OVSDB JSON form)."""
    path = Path(path)
    with path.open("wb") as f:
        for doc in [schema, *txns]:
            f.write(record(doc))
    return path
