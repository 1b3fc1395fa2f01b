"""Deterministic NB databases for examples and benchmarks, written as
standalone OVSDB files (readable by ovsdb-server and by our mirror)."""
from __future__ import annotations

import json
import uuid as uuidlib
from pathlib import Path

from .mirror.dbwriter import write_db_file

INSTALLED_NB_SCHEMA = Path("/usr/share/ovn/ovn-nb.ovsschema")


def _uuid(kind: str, i: int) -> str:
    return str(uuidlib.uuid5(uuidlib.NAMESPACE_OID, f"relnorthd/{kind}/{i}"))


def datapaths_nb(path: str | Path, switches: int, routers: int,
                 schema_file: str | Path = INSTALLED_NB_SCHEMA) -> Path:
    """An NB with `switches` logical switches and `routers` logical routers,
    no ports: the scope every rule set so far covers."""
    schema = json.loads(Path(schema_file).read_text())
    txn = {
        "Logical_Switch": {_uuid("ls", i): {"name": f"sw{i}"} for i in range(switches)},
        "Logical_Router": {_uuid("lr", i): {"name": f"lr{i}"} for i in range(routers)},
        "NB_Global": {_uuid("nb_global", 0): {}},
    }
    return write_db_file(path, schema, [txn])
