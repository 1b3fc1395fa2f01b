"""Mirror: an OVN NB or SB database as Arrow tables, one per OVSDB table.

`load(source, database)` accepts a standalone db file path, `unix:PATH` or
`tcp:HOST:PORT` (comma-separated remotes are tried in order, as OVN tools do).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from .dbfile import DbFileError, read_db_file
from .live import ServerError, read_server
from .rows import store_to_arrow
from .schema import DbSchema

NB, SB = "OVN_Northbound", "OVN_Southbound"
DEFAULT_REMOTES = {NB: "unix:/var/run/ovn/ovnnb_db.sock", SB: "unix:/var/run/ovn/ovnsb_db.sock"}
ENV_VARS = {NB: "OVN_NB_DB", SB: "OVN_SB_DB"}
REMOTE_PREFIXES = ("unix:", "tcp:", "ssl:")


class MirrorError(ValueError):
    """A source cannot be mirrored; the message names the source and the problem."""


@dataclass(frozen=True)
class Database:
    """One mirrored database: its schema and an Arrow table per OVSDB table."""
    source: str
    schema: DbSchema
    tables: dict[str, pa.Table]

    @property
    def name(self) -> str:
        return self.schema.name

    def __getitem__(self, table: str) -> pa.Table:
        return self.tables[table]


def default_source(database: str) -> str:
    """The source OVN's own tools would use: $OVN_NB_DB / $OVN_SB_DB or the default socket."""
    return os.environ.get(ENV_VARS[database]) or DEFAULT_REMOTES[database]


def load(source: str | Path | None, database: str = NB) -> Database:
    """Mirror `database` from `source` (None: the environment default)."""
    source = str(source) if source is not None else default_source(database)
    try:
        if source.startswith(REMOTE_PREFIXES):
            schema, store = read_server(source, database)
        else:
            schema, store = read_db_file(source)
    except (DbFileError, ServerError) as e:
        raise MirrorError(str(e)) from None
    if schema.name != database:
        raise MirrorError(f"{source}: holds {schema.name}, not the {database} database")
    return Database(source, schema, store_to_arrow(schema, store))


def empty(schema_file: str | Path) -> Database:
    """A database with every table empty, from an .ovsschema file."""
    import json
    schema = DbSchema.from_json(json.loads(Path(schema_file).read_text()))
    return Database(str(schema_file), schema, store_to_arrow(schema, {}))
