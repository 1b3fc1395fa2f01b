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


def datapaths_nb(path: str | Path, switches: int, routers: int, ports: int = 0,
                 schema_file: str | Path = INSTALLED_NB_SCHEMA) -> Path:
    """An NB with `switches` logical switches (each with `ports` VIF ports
    addressed `MAC IPv4`, ovn-kubernetes style) and `routers` logical routers."""
    schema = json.loads(Path(schema_file).read_text())
    lsps, switch_rows = {}, {}
    for i in range(switches):
        members = []
        for j in range(ports):
            n = i * ports + j + 1
            mac = ":".join(f"{b:02x}" for b in (0x0A, 0x58, *n.to_bytes(4, "big")))
            ip = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
            uuid = _uuid("lsp", n)
            lsps[uuid] = {"name": f"sw{i}-p{j}", "addresses": f"{mac} {ip}",
                          "port_security": f"{mac} {ip}"}
            members.append(["uuid", uuid])
        switch_rows[_uuid("ls", i)] = {"name": f"sw{i}", "ports": ["set", members]}
    txn = {
        "Logical_Switch_Port": lsps,
        "Logical_Switch": switch_rows,
        "Logical_Router": {_uuid("lr", i): {"name": f"lr{i}"} for i in range(routers)},
        "NB_Global": {_uuid("nb_global", 0): {}},
    }
    return write_db_file(path, schema, [txn])
