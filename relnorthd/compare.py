"""Compare two sets of SB flows (ours vs the reference's) on what must be
equal: datapath set, pipeline, table_id, stage, priority, match, actions,
controller_meter and in_out_port."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa
from .engine import connect

COMPARED = ("datapaths", "pipeline", "table_id", "stage", "priority", "match",
            "actions", "ctrl_meter", "io_port")


@dataclass
class StageDiff:
    stage: str
    matched: int = 0
    only_reference: int = 0
    only_ours: int = 0


@dataclass
class Comparison:
    stages: dict[str, StageDiff]
    only_reference: list[dict] = field(default_factory=list)
    only_ours: list[dict] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not self.only_reference and not self.only_ours

    @property
    def totals(self) -> StageDiff:
        t = StageDiff("total")
        for s in self.stages.values():
            t.matched += s.matched
            t.only_reference += s.only_reference
            t.only_ours += s.only_ours
        return t

    def to_json(self, examples: int = 5) -> dict:
        t = self.totals
        return {
            "equal": self.equal,
            "matched": t.matched, "only_reference": t.only_reference, "only_ours": t.only_ours,
            "stages": [vars(s) for s in self.stages.values()],
            "examples": {"only_reference": self.only_reference[:examples],
                         "only_ours": self.only_ours[:examples]},
        }


def compare(ours: pa.Table, reference: pa.Table) -> Comparison:
    """Multiset comparison of the COMPARED columns, broken down by stage."""
    con = connect()
    cols = ", ".join(COMPARED)
    con.register("ours", ours.select(list(COMPARED)))
    con.register("ref", reference.select(list(COMPARED)))
    only_ref = con.sql(f"SELECT {cols} FROM ref EXCEPT ALL SELECT {cols} FROM ours "
                       "ORDER BY stage, priority DESC, match").to_arrow_table().to_pylist()
    only_ours = con.sql(f"SELECT {cols} FROM ours EXCEPT ALL SELECT {cols} FROM ref "
                        "ORDER BY stage, priority DESC, match").to_arrow_table().to_pylist()
    totals = con.sql("""
        SELECT stage, sum(n_ours) AS ours, sum(n_ref) AS ref FROM (
            SELECT stage, 1 AS n_ours, 0 AS n_ref FROM ours
            UNION ALL SELECT stage, 0, 1 FROM ref)
        GROUP BY stage ORDER BY stage""").fetchall()
    con.close()
    n_only_ref = Counter(r["stage"] for r in only_ref)
    n_only_ours = Counter(r["stage"] for r in only_ours)
    stages = {}
    for stage, n_ours, _ in totals:
        stages[stage] = StageDiff(stage, n_ours - n_only_ours[stage],
                                  n_only_ref[stage], n_only_ours[stage])
    return Comparison(stages, only_ref, only_ours)
