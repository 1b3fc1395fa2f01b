"""Flow-explosion analysis: where a Result's flows come from and how datapath
groups compress them, as Polars DataFrames (for notebooks and `relnorthd stats`).

`rows` counts flow-contract rows (one per datapath and flow, before
grouping); `sb_flows` counts SB Logical_Flow rows (after grouping).
"""
from __future__ import annotations

import polars as pl

from .contract import FLOW_KEY
from .pipeline import Result

DATAPATH_KINDS = {"Logical_Switch": "switch", "Logical_Router": "router"}


def by_stage(result: Result) -> pl.DataFrame:
    """pipeline, table_id, stage, rows, sb_flows; in northd's stage order (switch
    ingress, switch egress, router ingress, router egress)."""
    key = ["pipeline", "table_id", "stage"]
    rows = pl.from_arrow(result.flows).group_by(key).agg(rows=pl.len())
    sb = pl.from_arrow(result.grouped.flows).group_by(key).agg(sb_flows=pl.len())
    return (rows.join(sb, on=key, how="left")
            .with_columns(pl.col("sb_flows").fill_null(0))
            .sort(pl.col("stage").str.starts_with("lr_"), pl.col("pipeline") == "egress",
                  "table_id"))


def by_rule(result: Result) -> pl.DataFrame:
    """rule, rows, sb_flows (distinct flow keys the rule produced); most rows first."""
    return (pl.from_arrow(result.flows).group_by("rule")
            .agg(rows=pl.len(), sb_flows=pl.struct(FLOW_KEY).n_unique())
            .sort(["rows", "rule"], descending=[True, False]))


def by_owner_type(result: Result) -> pl.DataFrame:
    """owner_table, owners (distinct objects), rows; most rows first."""
    return (pl.from_arrow(result.flows).group_by("owner_table")
            .agg(owners=pl.col("owner").n_unique(), rows=pl.len())
            .sort(["rows", "owner_table"], descending=[True, False]))


def top_owners(result: Result, top: int = 10) -> pl.DataFrame:
    """owner_table, owner (uuid), name (from the NB table's `name`, else null),
    rows: the `top` NB objects with the most rows."""
    counts = pl.from_arrow(result.flows).group_by("owner_table", "owner").agg(rows=pl.len())
    names = [_names(result, t).rename({"uuid": "owner"}).with_columns(owner_table=pl.lit(t))
             for t in counts["owner_table"].unique()
             if t in result.nb.tables and "name" in result.nb[t].column_names]
    names = pl.concat(names) if names else pl.DataFrame(
        schema={"owner": pl.String, "name": pl.String, "owner_table": pl.String})
    return (counts.join(names, on=["owner_table", "owner"], how="left")
            .select("owner_table", "owner", "name", "rows")
            .sort(["rows", "owner_table", "name", "owner"],
                  descending=[True, False, False, False], nulls_last=True)
            .head(top))


def by_datapath(result: Result) -> pl.DataFrame:
    """datapath (NB uuid), name, kind (switch | router), rows; most rows first."""
    datapaths = pl.concat([_names(result, t).with_columns(kind=pl.lit(kind))
                           for t, kind in DATAPATH_KINDS.items()])
    return (pl.from_arrow(result.flows).group_by("datapath").agg(rows=pl.len())
            .join(datapaths.rename({"uuid": "datapath"}), on="datapath", how="left")
            .select("datapath", "name", "kind", "rows")
            .sort(["rows", "name", "datapath"], descending=[True, False, False]))


def grouping(result: Result) -> pl.DataFrame:
    """One row: rows, sb_flows, logical_datapath_flows, dp_group_flows, dp_groups
    (distinct groups) and compression (rows per SB flow; null without flows)."""
    rows = result.flows.num_rows
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
    return (pl.from_arrow(result.grouped.flows.select(["dp_group", "datapaths"]))
            .filter(pl.col("dp_group").is_not_null())
            .group_by(group_size=pl.col("datapaths").list.len())
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


def to_json(stats: dict[str, pl.DataFrame]) -> dict:
    """`stats()` as plain data: each frame a list of row dicts, `grouping` one dict."""
    return {name: df.row(0, named=True) if name == "grouping" else df.to_dicts()
            for name, df in stats.items()}


def _names(result: Result, table: str) -> pl.DataFrame:
    """uuid, name of an NB table's rows."""
    return (pl.from_arrow(result.nb[table].select(["_uuid", "name"]))
            .select(uuid=pl.col("_uuid").cast(pl.String), name=pl.col("name").cast(pl.String)))
