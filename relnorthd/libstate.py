"""The sql/lib relations, kept between the iterations of a running northd.

A LibState is one DuckDB connection holding the NB tables (with northd's
IPAM allocations), the SB input tables and the Python relations registered,
and every sql/lib relation materialized. `update(nb, sb, changed)`
registers the tables whose Arrow objects are new and replays, in load
order, only the lib statements that read a changed column themselves or a
relation whose content changed; a replayed relation whose content is the
same as before stops the change there (early cutoff, by fingerprint). A
SET VARIABLE whose value changes, or a change to what the macros read,
replays everything after it. Fingerprints are taken only of what was
replayed, so an iteration pays for the relations its change reaches.
"""
from __future__ import annotations

import time

import pyarrow as pa

from . import engine, ipam
from .dependencies import LibStatement, lib_graph, reads
from .derive import python_relations
from .mirror import Database
from .rules import per_owner
from .sbinputs import sb_input_tables


class LibState:
    """One connection's inputs and lib relations, and their fingerprints."""

    def __init__(self):
        self.con = engine.connect()
        self.tables: dict[str, pa.Table] = {}    # registered name -> its Arrow table
        self.prints: dict[str, tuple] = {}       # relation -> (rows, sum of row hashes)
        self.keyed: dict[str, pa.Table] = {}     # "rel(key)" -> per-key fingerprints (k, h)
        self.version = 0                         # updates so far
        self.moved: frozenset[str] = frozenset()  # relations the last update changed
        self.replayed: dict[str, float] = {}     # what the last update replayed -> seconds

    def load(self, nb: Database, sb: Database | None = None) -> None:
        """Every table registered and every lib statement run (no
        fingerprints: for a one-off compute)."""
        self._register(nb, sb)
        self._run_all()

    def _run_all(self) -> None:
        for step in _steps():
            for statement in step:
                self.con.execute(statement.text)
        self.replayed = {}

    def update(self, nb: Database, sb: Database | None,
               changed: dict[str, set[str]] | None) -> frozenset[str]:
        """Bring the relations up to (nb, sb); `changed`: the tables and
        columns changed since the last update (None: everything). Returns
        the relations whose content changed (all of them when `changed` is
        None) and keeps the fingerprints of every relation."""
        self.version += 1
        new = self._register(nb, sb)
        graph = lib_graph()
        if changed is None or not self.prints or reads(graph.everywhere_own, changed):
            self._run_all()
            self._fingerprint(_relations(), full=True)
            self.moved = frozenset(self.prints)
            return self.moved
        python = [name for name in new if name in graph.relations]
        moved = self._fingerprint(python)
        everywhere, self.replayed = False, {}
        for step in _steps():
            first = step[0]
            if first.kind == "macro" or not (    # macros: defined on load, and what they
                    everywhere or any(reads(s.own, changed) or s.reads & moved  # read is
                                      for s in step)):                         # everywhere_own
                continue
            start = time.perf_counter()
            if first.kind == "set":
                everywhere |= self._set_changes(first)
            else:
                if first.kind != "view":
                    for statement in step:
                        self.con.execute(statement.text)
                moved |= self._fingerprint([first.defines])
                everywhere |= bool(moved & graph.everywhere_relations)
            self.replayed[first.defines or first.text[:40]] = time.perf_counter() - start
        self.moved = frozenset(moved)
        return self.moved

    def _register(self, nb: Database, sb: Database | None) -> list[str]:
        """Register the input and Python relation tables whose objects are
        new; their names."""
        tables = input_tables(nb, sb)
        new = [name for name, table in tables.items() if self.tables.get(name) is not table]
        for name in new:
            self.con.register(name, tables[name])
        self.tables = tables
        return new

    def _set_changes(self, statement: LibStatement) -> bool:
        """Run a SET VARIABLE statement again; whether its value changed."""
        name = statement.text.split("VARIABLE", 1)[1].split("=", 1)[0].strip()
        before = self.con.sql(f"SELECT getvariable('{name}')").fetchall()
        self.con.execute(statement.text)
        return self.con.sql(f"SELECT getvariable('{name}')").fetchall() != before

    def _fingerprint(self, relations: list[str], full: bool = False) -> set[str]:
        """Take the fingerprints of `relations` (and of their per-owner
        keys); those that changed."""
        if not relations:
            return set()
        query = " UNION ALL ".join(
            f"SELECT '{r}', count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {r} t"
            for r in relations)
        moved = set()
        for name, n, h in self.con.sql(query).fetchall():
            if self.prints.get(name) != (n, int(h)):
                moved.add(name)
                self.prints[name] = (n, int(h))
        for rel, key in _keyed():
            if full or rel in moved:
                self.keyed[f"{rel}({key})"] = self.con.sql(
                    f"SELECT CAST({key} AS VARCHAR) AS k, sum(hash(t)::HUGEINT)::VARCHAR AS h "
                    f"FROM {rel} t GROUP BY ALL").to_arrow_table()
        return moved


def input_tables(nb: Database, sb: Database | None) -> dict[str, pa.Table]:
    """What the lib reads, by registered name: the NB tables (with northd's
    IPAM allocations), the SB input tables as sb_<Table> and the Python
    relations."""
    nb = ipam.settle(nb)
    sb_tables = sb_input_tables(sb)
    return {**nb.tables, **{f"sb_{name}": t for name, t in sb_tables.items()},
            **python_relations(nb, sb_tables)}


def _steps() -> tuple[tuple[LibStatement, ...], ...]:
    return lib_graph().steps


def _relations() -> list[str]:
    """Every lib and Python relation."""
    return sorted(lib_graph().relations)


def _keyed() -> list[tuple[str, str]]:
    """The (relation, key) pairs rules declare per owner."""
    return sorted({p for pairs in per_owner().values() for p in pairs})


def connect(nb: Database, sb: Database | None = None):
    """A DuckDB connection with the NB (with northd's IPAM allocations) and
    SB input tables registered and sql/lib loaded, for a one-off compute."""
    state = LibState()
    state.load(nb, sb)
    return state.con
