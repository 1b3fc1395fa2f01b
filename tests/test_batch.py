"""Many NBs in one set of statements (batch.py, nbkeyed.py): each NB's
flows, datapath sets and groups equal what computing it alone gives."""
from pathlib import Path

import pyarrow as pa
import pytest

from relnorthd import batch, engine, mirror, nbkeyed, output, pipeline, profiles

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "nb-basic.db"
PROFILES = ["ovn-k8s", "openstack", "l2"]


@pytest.fixture(scope="module")
def nbs(tmp_path_factory) -> dict[str, mirror.Database]:
    out = {"example": mirror.load(EXAMPLE)}
    for profile in PROFILES:
        path = tmp_path_factory.mktemp("nb") / f"{profile}.db"
        profiles.generate(profile, 3, path)
        out[profile] = mirror.load(path)
    return out


def assert_each_nb_as_alone(con: batch.KeyedConnection, nbs: dict) -> None:
    """Each NB's flows, sets, groups and Parquet rows (batch.output) as
    computing it alone gives."""
    batch.output(con)
    for name, nb in nbs.items():
        alone = pipeline.compute(nb, None, sb_rows=False)
        rows = con.inner.sql(f"SELECT * FROM out WHERE nb = '{name}'").to_arrow_table()
        assert _rows(rows.drop_columns(["nb"])) == _rows(output.parquet_table(alone)), name
        flows, sets, grouped = batch.grouped(con, name)
        assert grouped.flows.equals(alone.grouped.flows), name
        assert grouped.dp_groups.equals(alone.grouped.dp_groups), name
        assert _rows(flows) == _rows(alone.flows), name
        assert _rows(sets) == _rows(alone.dp_sets), name
        assert alone.grouped.flows.num_rows > 100


def _rows(table: pa.Table) -> list[str]:
    return sorted(map(repr, table.to_pylist()))


def test_nbs_computed_together_on_duckdb_each_get_their_own_flows(nbs):
    con = batch.KeyedConnection(engine.connect())
    con.load((name, nb, None) for name, nb in nbs.items())
    batch.compute(con)
    assert_each_nb_as_alone(con, nbs)


def test_a_global_aggregate_gives_every_nb_its_row():
    """count(*) over no rows is one row (0) per NB, as over one NB alone."""
    con = engine.connect()
    con.register("Logical_Switch", pa.table({"name": ["a", "b"], "nb": ["n1", "n1"]}))
    con.register(nbkeyed.SPINE, pa.table({"nb": ["n0", "n1"]}))
    query = nbkeyed.keyed("SELECT count(*) AS n, coalesce(bool_and(name = 'a'), true) AS all_a "
                          "FROM Logical_Switch WHERE name <> 'z'")
    assert sorted(con.sql(query).fetchall()) == [(0, True, "n0"), (2, False, "n1")]


def test_rows_of_one_nb_never_meet_another_nbs():
    con = engine.connect()
    con.register("a", pa.table({"k": [1, 1], "nb": ["n0", "n1"]}))
    con.register("b", pa.table({"k": [1], "v": ["x"], "nb": ["n1"]}))
    con.register(nbkeyed.SPINE, pa.table({"nb": ["n0", "n1"]}))
    query = nbkeyed.keyed("SELECT a.k, b.v, (SELECT count(*) FROM b) AS nb_b, "
                          "a.k IN (SELECT k FROM b) AS in_b FROM a LEFT JOIN b USING (k)")
    assert set(con.sql(query).fetchall()) == {(1, None, 0, False, "n0"), (1, "x", 1, True, "n1")}
