"""Flow-explosion analysis: where a Result's flows come from, how datapath
groups compress them, which NB rows a flow comes from and what an NB change
does to SB, as Polars DataFrames (for notebooks and `relnorthd stats`,
`explain` and `snapshot-diff`).

`rows` counts flow-contract rows (one per datapath and flow, before
grouping); `sb_flows` counts SB Logical_Flow rows (after grouping). Counts
weigh a dp_set row by its datapaths instead of expanding it (an LB group's
flows on hundreds of switches would be millions of rows).
"""
from __future__ import annotations

import polars as pl

from .contract import FLOW_KEY
from .pipeline import Result

DATAPATH_KINDS = {"Logical_Switch": "switch", "Logical_Router": "router"}
SB_KEY = ("pipeline", "table_id", *FLOW_KEY)
# a flow-contract row of a snapshot, as snapshot_diff compares them
ROW_KEY = ("datapath", *SB_KEY, "rule", "owner_table", "owner")
CHANGES = ("added", "removed", "changed")
# northd's stage order: switch ingress, switch egress, router ingress, router egress
STAGE_ORDER = (pl.col("stage").str.starts_with("lr_"), pl.col("pipeline") == "egress",
               "table_id")


def by_stage(result: Result) -> pl.DataFrame:
    """pipeline, table_id, stage, rows, sb_flows; in STAGE_ORDER."""
    key = ["pipeline", "table_id", "stage"]
    rows = _weighted(result).group_by(key).agg(rows=pl.col("n").sum())
    sb = pl.from_arrow(result.grouped.flows).group_by(key).agg(sb_flows=pl.len())
    return (rows.join(sb, on=key, how="left")
            .with_columns(pl.col("sb_flows").fill_null(0))
            .sort(*STAGE_ORDER))


def by_rule(result: Result) -> pl.DataFrame:
    """rule, rows, sb_flows (distinct flow keys the rule produced); most rows first."""
    return (_weighted(result).group_by("rule")
            .agg(rows=pl.col("n").sum(), sb_flows=pl.struct(FLOW_KEY).n_unique())
            .sort(["rows", "rule"], descending=[True, False]))


def by_owner_type(result: Result) -> pl.DataFrame:
    """owner_table, owners (distinct objects), rows; most rows first."""
    return (_weighted(result).group_by("owner_table")
            .agg(owners=pl.col("owner").n_unique(), rows=pl.col("n").sum())
            .sort(["rows", "owner_table"], descending=[True, False]))


def top_owners(result: Result, top: int = 10) -> pl.DataFrame:
    """owner_table, owner (uuid), name (from the NB table's `name`, else null),
    rows: the `top` NB objects with the most rows."""
    counts = _weighted(result).group_by("owner_table", "owner").agg(rows=pl.col("n").sum())
    return (counts.join(_owner_names(result, counts), on=["owner_table", "owner"], how="left")
            .select("owner_table", "owner", "name", "rows")
            .sort(["rows", "owner_table", "name", "owner"],
                  descending=[True, False, False, False], nulls_last=True)
            .head(top))


def by_datapath(result: Result) -> pl.DataFrame:
    """datapath (NB uuid), name, kind (switch | router), rows; most rows first."""
    datapaths = _names(result, DATAPATH_KINDS).select(
        datapath="uuid", name="name", kind=pl.col("table").replace_strict(DATAPATH_KINDS))
    return (pl.from_arrow(result.flow_rows).group_by("datapath").agg(rows=pl.len())
            .join(datapaths, on="datapath", how="left")
            .select("datapath", "name", "kind", "rows")
            .sort(["rows", "name", "datapath"], descending=[True, False, False]))


def grouping(result: Result) -> pl.DataFrame:
    """One row: rows, sb_flows, logical_datapath_flows, dp_group_flows, dp_groups
    (distinct groups) and compression (rows per SB flow; null without flows)."""
    rows = result.n_flow_rows()
    return pl.from_arrow(result.grouped.flows.select(["logical_datapath", "dp_group"])).select(
        rows=pl.lit(rows, pl.Int64),
        sb_flows=pl.len(),
        logical_datapath_flows=pl.col("logical_datapath").is_not_null().sum(),
        dp_group_flows=pl.col("dp_group").is_not_null().sum(),
        dp_groups=pl.lit(result.grouped.dp_groups.num_rows, pl.Int64),
        compression=pl.when(pl.len() > 0).then(rows / pl.len()),
    )


def group_sizes(result: Result) -> pl.DataFrame:
    """group_size (datapaths in the group), dp_groups (distinct groups of that
    size), sb_flows (SB flows using one of them); by size."""
    sizes = pl.from_arrow(result.grouped.dp_groups).select(
        "dp_group", group_size=pl.col("datapaths").list.len())
    return (pl.from_arrow(result.grouped.flows.select(["dp_group"]))
            .join(sizes, on="dp_group")
            .group_by("group_size")
            .agg(dp_groups=pl.col("dp_group").n_unique(), sb_flows=pl.len())
            .sort("group_size"))


def stats(result: Result, top: int = 10) -> dict[str, pl.DataFrame]:
    """All of the above by name; owners and datapaths limited to the `top` first."""
    return {
        "by_stage": by_stage(result),
        "by_rule": by_rule(result),
        "by_owner_type": by_owner_type(result),
        "top_owners": top_owners(result, top),
        "top_datapaths": by_datapath(result).head(top),
        "grouping": grouping(result),
        "group_sizes": group_sizes(result),
    }


def explain(result: Result, match: str | None = None, stage: str | None = None,
            priority: int | None = None) -> pl.DataFrame:
    """The SB flows whose match contains `match`, in `stage`, at `priority`
    (each filter given applies; none: every flow): SB_KEY, rows, datapaths
    (sorted names) and sources, the sorted distinct {rule, owner_table, name,
    owner} behind the flow; in STAGE_ORDER, highest priority first."""
    flows = pl.from_arrow(result.flow_rows)
    if match is not None:
        flows = flows.filter(pl.col("match").str.contains(match, literal=True))
    if stage is not None:
        flows = flows.filter(stage=stage)
    if priority is not None:
        flows = flows.filter(priority=priority)
    return _in_flow_order(
        _labelled(result, flows).group_by(SB_KEY)
        .agg(rows=pl.len(), datapaths=pl.col("dp_name").unique().sort(),
             sources=pl.struct("rule", "owner_table", "name", "owner").unique().sort()))


def snapshot_diff(before: Result, after: Result) -> dict[str, pl.DataFrame]:
    """What going from NB snapshot `before` to `after` does to SB (datapaths
    compared by name):

    - by_stage: pipeline, table_id, stage and how many flows were added,
      removed, changed there (stages with changes only, in STAGE_ORDER);
    - by_owner: owner_table, owner, name, rows_added, rows_removed: flow rows
      (ROW_KEY) only in `after` / only in `before`, by their NB owner; most first;
    - added, removed: SB_KEY, datapaths (sorted names) of the flows only in one;
    - changed: SB_KEY, datapaths_added, datapaths_removed of the flows in both
      whose datapath set differs.

    Every frame is empty when both snapshots give the same flows."""
    old, new = (_labelled(r, pl.from_arrow(r.flow_rows)) for r in (before, after))
    sets = [f.group_by(SB_KEY).agg(datapaths=pl.col("dp_name").unique().sort())
            for f in (old, new)]
    flows = _in_flow_order(
        sets[0].join(sets[1], on=SB_KEY, how="full", nulls_equal=True, coalesce=True,
                     suffix="_after")
        .with_columns(change=pl.when(pl.col("datapaths").is_null()).then(pl.lit("added"))
                      .when(pl.col("datapaths_after").is_null()).then(pl.lit("removed"))
                      .when(pl.col("datapaths") != pl.col("datapaths_after"))
                      .then(pl.lit("changed")))
        .filter(pl.col("change").is_not_null()))
    old_rows, new_rows = (f.select(*ROW_KEY, "name").unique() for f in (old, new))
    owner_rows = pl.concat([
        new_rows.join(old_rows, on=ROW_KEY, how="anti", nulls_equal=True).with_columns(added=True),
        old_rows.join(new_rows, on=ROW_KEY, how="anti", nulls_equal=True).with_columns(added=False),
    ])
    return {
        "by_stage": (flows.group_by("pipeline", "table_id", "stage")
                     .agg(**{c: (pl.col("change") == c).sum() for c in CHANGES})
                     .sort(*STAGE_ORDER)),
        "by_owner": (owner_rows.group_by("owner_table", "owner", "name")
                     .agg(rows_added=pl.col("added").sum(), rows_removed=(~pl.col("added")).sum())
                     .sort(pl.col("rows_added") + pl.col("rows_removed"), "owner_table", "name",
                           "owner", descending=[True, False, False, False], nulls_last=True)),
        "added": flows.filter(change="added").select(*SB_KEY, datapaths="datapaths_after"),
        "removed": flows.filter(change="removed").select(*SB_KEY, "datapaths"),
        "changed": flows.filter(change="changed").select(
            *SB_KEY,
            datapaths_added=pl.col("datapaths_after").list.set_difference("datapaths").list.sort(),
            datapaths_removed=pl.col("datapaths").list.set_difference("datapaths_after")
            .list.sort()),
    }


def to_json(frames: dict[str, pl.DataFrame]) -> dict:
    """`stats()` or `snapshot_diff()` as plain data: each frame a list of row
    dicts, `grouping` one dict."""
    return {name: df.row(0, named=True) if name == "grouping" else df.to_dicts()
            for name, df in frames.items()}


def _weighted(result: Result) -> pl.DataFrame:
    """The flow-contract rows of `result` with `n`, the flow rows each stands
    for: 1, or a dp_set row's datapath count (rows of empty sets dropped)."""
    sizes = pl.from_arrow(result.dp_sets).group_by("dp_set").agg(n=pl.len())
    return (pl.from_arrow(result.flows).join(sizes, on="dp_set", how="left")
            .with_columns(n=pl.when(pl.col("dp_set").is_null()).then(1).otherwise("n"))
            .filter(pl.col("n") > 0))


def _in_flow_order(flows: pl.DataFrame) -> pl.DataFrame:
    """Sorted in STAGE_ORDER, highest priority first, then by match and actions."""
    return flows.sort(*STAGE_ORDER, "priority", "match", "actions",
                      descending=[False, False, False, True, False, False])


def _names(result: Result, tables) -> pl.DataFrame:
    """table, uuid, name of the rows of those NB `tables` that have a `name` column."""
    frames = [pl.from_arrow(result.nb[t].select(["_uuid", "name"]))
              .select(table=pl.lit(t), uuid=pl.col("_uuid").cast(pl.String),
                      name=pl.col("name").cast(pl.String))
              for t in tables if t in result.nb.tables and "name" in result.nb[t].column_names]
    return pl.concat(frames) if frames else pl.DataFrame(
        schema={"table": pl.String, "uuid": pl.String, "name": pl.String})


def _owner_names(result: Result, flows: pl.DataFrame) -> pl.DataFrame:
    """owner_table, owner, name of the owners in `flows` whose table has names."""
    return _names(result, flows["owner_table"].unique()).select(
        owner_table="table", owner="uuid", name="name")


def _labelled(result: Result, flows: pl.DataFrame) -> pl.DataFrame:
    """Flow rows of `result` plus dp_name (the datapath's name, else its uuid)
    and name (the owner's; null when its table has no names)."""
    datapaths = _names(result, DATAPATH_KINDS).select(
        datapath="uuid", dp_name=pl.when(pl.col("name") != "").then("name").otherwise("uuid"))
    return (flows.join(datapaths, on="datapath", how="left")
            .join(_owner_names(result, flows), on=["owner_table", "owner"], how="left"))
