"""The Spark engine (issue 20): the same SQL files on Spark SQL give what
they give on DuckDB, and so what the reference gives.

A Spark compute takes one to two minutes on 2 cores whatever the number of
NBs (Spark runs each of ~200 statements as its own job), so CI runs two NBs
through the CLI (and tests/test_spark_families.py a sample of the
differential scenarios); the rest is marked slow (--all-cases)."""
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as parquet
import pytest

from typer.testing import CliRunner

from relnorthd import batch, mirror, pipeline, profiles
from relnorthd.cli import app
from test_batch import assert_each_nb_as_alone
from relnorthd.compare import compare
from relnorthd.reference import run_reference

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "nb-basic.db"
NBS = ["example", "ovn-k8s", "openstack"]


def _nb_file(name: str, tmp_path: Path) -> Path:
    if name == "example":
        return EXAMPLE
    path = tmp_path / f"{name}.db"
    profiles.generate(name, 3, path)
    return path


@pytest.mark.slow
@pytest.mark.usefixtures("reference_available")
@pytest.mark.parametrize("name", NBS)
def test_spark_computes_what_duckdb_and_the_reference_compute(name, tmp_path,
                                                               spark_connection):
    """One NB on Spark (a batch of one, as `compute --engine spark` runs it)."""
    ref = run_reference(nb_file=_nb_file(name, tmp_path))
    duck = pipeline.compute(ref.nb, ref.sb, sb_rows=False)
    con = batch.KeyedConnection(spark_connection)
    con.load([(name, ref.nb, ref.sb)])
    batch.compute(con)
    spark = batch.result(con, name, ref.nb)
    # the SB flows and datapath groups, row for row and in order
    assert spark.grouped.flows.equals(duck.grouped.flows)
    assert spark.grouped.dp_groups.equals(duck.grouped.dp_groups)
    # the flow contract rows each rule gave, as multisets
    assert _rows(spark.flows) == _rows(duck.flows)
    assert len(set(spark.flows["rule"].to_pylist())) > 25
    c = compare(spark.grouped.expanded(), ref.flows)
    assert c.equal and c.totals.matched == ref.flows.num_rows > 100


def _rows(table: pa.Table) -> list[str]:
    return sorted(map(repr, table.to_pylist()))


@pytest.mark.slow
def test_nbs_computed_together_on_spark_each_get_their_own_flows(tmp_path, spark_connection):
    """One Spark job for several NBs (batch.py): each NB's flows and groups
    as computing it alone gives, in about the time of one NB."""
    nbs = {name: mirror.load(_nb_file(name, tmp_path)) for name in NBS}
    con = batch.KeyedConnection(spark_connection)
    con.load((name, nb, None) for name, nb in nbs.items())
    batch.compute(con)
    assert_each_nb_as_alone(con, nbs)


@pytest.mark.slow
def test_compute_engine_spark_writes_what_duckdb_writes(tmp_path, spark_connection):
    outputs = []
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"{engine}.jsonl"
        res = CliRunner().invoke(app, ["compute", str(EXAMPLE), "--engine", engine,
                                       "-o", str(out)])
        assert res.exit_code == 0, res.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") > 100


def test_compute_on_spark_writes_the_dataset_duckdb_writes(tmp_path, spark_connection):
    """Several NBs: one Spark job writes a Parquet folder with the rows and
    columns of DuckDB's one-file dataset."""
    sources = [str(EXAMPLE), str(_nb_file("ovn-k8s", tmp_path))]
    tables = []
    for engine, dest in (("duckdb", tmp_path / "flows.parquet"), ("spark", tmp_path / "flows")):
        res = CliRunner().invoke(app, ["compute", *sources, "--engine", engine, "-o", str(dest)])
        assert res.exit_code == 0, res.output
        tables.append(parquet.read_table(dest))
    duck, spark = tables
    assert spark.schema.names == duck.schema.names and spark.schema.names[0] == "nb"
    assert _rows(spark) == _rows(duck)
    assert set(duck["nb"].to_pylist()) == {"nb-basic", "ovn-k8s"}


@pytest.mark.parametrize("args, says", [
    (["--engine", "flink"], "unknown engine 'flink'"),
    (["--spark-master", "local[1]"], "--spark-master goes with --engine spark"),
    (["--engine", "spark", "--sb-out", "sbdir"], "--sb-out takes --engine duckdb"),
])
def test_compute_engine_arguments_are_checked_before_spark_starts(args, says):
    res = CliRunner().invoke(app, ["compute", str(EXAMPLE), *args])
    assert res.exit_code == 2
    assert says in " ".join(res.output.split())
