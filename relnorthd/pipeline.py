"""The whole batch job: mirror -> rules -> datapath groups."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pyarrow as pa

from . import mirror
from .contract import DP_SETS, FLOWS
from .engine import connect
from .lflows import Grouped, group
from .mirror import Database
from .phases import Phases
from .libstate import LibState
from .libstate import connect as connect_lib
from .rules import Computed, evaluate, rule_files


@dataclass(frozen=True)
class Result:
    nb: Database
    flows: pa.Table        # flow contract: rows per datapath or per datapath set
    grouped: Grouped       # SB-shaped flows and datapath groups
    dp_sets: pa.Table = field(default_factory=DP_SETS.empty_table)  # what dp_set rows name
    sb_rows: dict[str, pa.Table] = field(default_factory=dict)  # other SB rows (sql/sb/)
    nb_rows: dict[str, pa.Table] = field(default_factory=dict)  # NB write-backs (sql/nb/)
    rules_run: tuple[str, ...] = ()   # the rule files this result ran (the rest kept)
    owners_run: frozenset[str] = frozenset()  # ... of them, these ran for these owners only
    scoped_run: tuple[str, ...] = ()
    state: LibState | None = None     # the lib relations it was computed from (tracking) ...
    state_version: int = 0            # ... as they were then (LibState.version)
    touched: pa.Table | None = None   # the flow keys regrouped since the result it was
                                      # stepped from (FLOW_KEY columns; None: all)

    @cached_property
    def flow_rows(self) -> pa.Table:
        """The flows with one row per (datapath, flow): dp_set rows expanded
        to their members (what northd's per-datapath view counts)."""
        con = connect()
        con.register("flows", self.flows)
        con.register("dp_sets", self.dp_sets)
        rows = con.sql("""
            SELECT * FROM flows WHERE dp_set IS NULL
            UNION ALL
            SELECT f.* REPLACE (s.datapath AS datapath)
            FROM flows f JOIN dp_sets s ON s.dp_set = f.dp_set""").to_arrow_table()
        con.close()
        return rows.cast(FLOWS)

    def n_flow_rows(self) -> int:
        """flow_rows.num_rows, without expanding."""
        con = connect()
        con.register("flows", self.flows)
        con.register("dp_sets", self.dp_sets)
        ((n,),) = con.sql("""
            SELECT count(*) FILTER (WHERE f.dp_set IS NULL) + coalesce(sum(s.n), 0)
            FROM flows f
            LEFT JOIN (SELECT dp_set, count(*) AS n FROM dp_sets GROUP BY dp_set) s
                   ON s.dp_set = f.dp_set""").fetchall()
        con.close()
        return int(n)


def compute_flows(nb: Database, sb: Database | None = None, timer: Phases | None = None,
                  sb_rows: bool = True) -> Computed:
    """Mirror in, flow contract out, on a connection of its own: the flows
    of every rule file, the datapath sets they name and, with `sb_rows`,
    the rows of sql/sb/ and sql/nb/."""
    timer = timer or Phases()
    with timer("lib"):
        con = connect_lib(nb, sb)
    try:
        return evaluate(con, sb_files=None if sb_rows else [], timer=timer,
                        nb_files=None if sb_rows else [])
    finally:
        con.close()


def compute_sb_rows(nb: Database, sb: Database | None = None) -> dict[str, pa.Table]:
    """The rows of every sql/sb/ file (SB table -> rows), without flows."""
    con = connect_lib(nb, sb)
    try:
        return evaluate(con, files=[], dp_sets=False, nb_files=[]).sb_rows
    finally:
        con.close()


def compute(nb: Database, sb: Database | None = None, track: bool = False,
            timer: Phases | None = None, sb_rows: bool = True) -> Result:
    """Every rule; with `track`, keeping the lib relations and their
    fingerprints (LibState) for incremental.recompute to start from;
    `timer` collects the time of each phase; without `sb_rows`, flows only
    (no rows of sql/sb/)."""
    timer = timer or Phases()
    state = None
    if track:
        state = LibState()
        with timer("lib"):
            state.update(nb, sb, None)
        c = evaluate(state.con, timer=timer)
    else:
        c = compute_flows(nb, sb, timer, sb_rows)
    with timer("group"):
        grouped = group(c.flows, c.dp_sets)
    return Result(nb, c.flows, grouped, c.dp_sets, c.sb_rows, c.nb_rows,
                  tuple(f.stem for f in rule_files()), state=state,
                  state_version=state.version if state else 0)


def compute_from(nb_source, sb_source=None) -> Result:
    nb = mirror.load(nb_source, mirror.NB)
    sb = mirror.load(sb_source, mirror.SB) if sb_source is not None else None
    return compute(nb, sb)
