"""`relnorthd compute` on several NBs: one Parquet dataset whose rows per
`nb` are those of a `compute -o X.parquet` run on that NB alone; glob
patterns; unique names; a corrupt NB reported while the others are written."""
import shutil
from collections import Counter
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as parquet
import pytest
from typer.testing import CliRunner

from relnorthd import many, profiles
from relnorthd.cli import app

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "nb-basic.db"
runner = CliRunner()


@pytest.fixture(scope="module")
def snaps(tmp_path_factory) -> Path:
    """snaps/: the example NB and ovn-k8s NBs at 1 and 2 nodes."""
    snaps = tmp_path_factory.mktemp("many") / "snaps"
    snaps.mkdir()
    shutil.copyfile(EXAMPLE, snaps / "basic.db")
    for nodes in (1, 2):
        profiles.generate("ovn-k8s", nodes, snaps / f"k8s-{nodes}.db", seed=nodes)
    return snaps


def rows(table) -> list[str]:
    """The rows of `table` as a sorted list (the written order is not total)."""
    return sorted(map(repr, table.to_pylist()))


def compute(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, ["compute", *args])
    return res.exit_code, res.output


def test_a_glob_makes_a_dataset_equal_to_per_file_runs(snaps, tmp_path):
    code, out = compute("--nb", str(snaps / "*.db"), "-o", str(tmp_path / "all.parquet"))
    assert code == 0, out
    dataset = parquet.read_table(tmp_path / "all.parquet")
    assert dataset.column_names[0] == "nb"
    assert set(dataset["nb"].to_pylist()) == {"basic", "k8s-1", "k8s-2"}
    meta = parquet.ParquetFile(tmp_path / "all.parquet").metadata    # no row group mixes NBs
    nb_stats = [meta.row_group(i).column(0).statistics for i in range(meta.num_row_groups)]
    assert all(s.min == s.max for s in nb_stats)
    for name in ("basic", "k8s-1", "k8s-2"):
        alone = tmp_path / f"{name}.parquet"
        code, out = compute("--nb", str(snaps / f"{name}.db"), "-o", str(alone))
        assert code == 0, out
        single = parquet.read_table(alone)
        part = dataset.filter(pc.equal(dataset["nb"], name)).drop_columns("nb")
        assert part.schema == single.schema
        assert single.num_rows and rows(part) == rows(single), name


def test_a_corrupt_nb_is_reported_and_the_others_written(snaps, tmp_path):
    (tmp_path / "corrupt.db").write_text("OVSDB JSON 12 0\nnot json\n")
    other = tmp_path / "other"
    other.mkdir()
    shutil.copyfile(snaps / "k8s-1.db", other / "basic.db")    # the same stem as snaps/basic
    dest = tmp_path / "out.parquet"
    code, out = compute(str(snaps / "basic.db"), str(tmp_path / "corrupt.db"),
                        "--nb", str(other / "basic.db"), "-o", str(dest))
    assert code == 2
    assert "corrupt.db: not an OVSDB standalone database file" in out and "1 failed" in out
    dataset = parquet.read_table(dest)
    counts = Counter(dataset["nb"].to_pylist())
    # stems collide: the names are the paths, one per NB
    assert set(counts) == {str(snaps / "basic.db"), str(other / "basic.db")}
    assert counts[str(other / "basic.db")] != counts[str(snaps / "basic.db")]


def test_names_are_unique_and_each_file_is_computed_once(snaps):
    files = many.expand([str(snaps / "k8s-1.db"), str(snaps / "k8s-*.db"),
                         str(snaps / ".." / "snaps" / "basic.db")])
    assert files == [str(snaps / "k8s-1.db"), str(snaps / "k8s-2.db"), str(snaps / "basic.db")]
    assert many.names(files) == ["k8s-1", "k8s-2", "basic"]
    assert many.names(["a/nb.db", "b/nb.db"]) == ["a/nb.db", "b/nb.db"]


@pytest.mark.parametrize("args, message", [
    (["-o", "x.jsonl"], "jsonl output takes one NB"),
    (["-f", "lflow-list"], "lflow-list output takes one NB"),
    ([], "parquet output needs -o FILE"),
])
def test_several_nbs_need_a_parquet_file(snaps, args, message):
    code, out = compute(str(snaps / "basic.db"), str(snaps / "k8s-1.db"), *args)
    assert code == 2 and message in out


def test_a_pattern_matching_nothing_is_an_error(tmp_path):
    code, out = compute("--nb", str(tmp_path / "*.db"), "-o", str(tmp_path / "x.parquet"))
    assert code == 2 and "matches no file" in out
    assert not (tmp_path / "x.parquet").exists()
