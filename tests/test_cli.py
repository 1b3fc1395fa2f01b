"""The command line: compute's three formats, diff's verdicts, bad input."""
import dataclasses
import json
import shutil
import subprocess

import pyarrow
import pyarrow.compute
import pytest
from typer.testing import CliRunner

from relnorthd import output
from relnorthd.cli import app
from relnorthd.reference import run_reference

EXAMPLE = "examples/nb-basic.db"
runner = CliRunner()


def test_compute_lflow_list_on_the_example_needs_no_server():
    res = runner.invoke(app, ["compute", "--nb", EXAMPLE])
    assert res.exit_code == 0, res.output
    assert 'Datapath: "sw0" (' in res.stdout and "table=0 (ls_in_check_port_sec" in res.stdout


def test_compute_parquet_and_jsonl_files(tmp_path):
    pq, jl = tmp_path / "f.parquet", tmp_path / "f.jsonl"
    assert runner.invoke(app, ["compute", "--nb", EXAMPLE, "-o", str(pq)]).exit_code == 0
    assert runner.invoke(app, ["compute", "--nb", EXAMPLE, "-o", str(jl)]).exit_code == 0
    import pyarrow.parquet as parquet
    table = parquet.read_table(pq)
    lines = [json.loads(x) for x in jl.read_text().splitlines()]
    assert table.num_rows == len(lines) > 0
    assert list(lines[0]) == ["datapaths", "datapath_names", "pipeline", "table_id",
                              "stage_name", "priority", "match", "actions",
                              "controller_meter", "in_out_port", "stage_hint"]


def test_compute_rejects_bad_input(tmp_path):
    (tmp_path / "x.db").write_text("not a database\n")
    res = runner.invoke(app, ["compute", "--nb", str(tmp_path / "x.db")])
    assert res.exit_code == 2 and "not an OVSDB standalone database file" in res.output
    res = runner.invoke(app, ["compute", "--nb", EXAMPLE, "-f", "xml"])
    assert res.exit_code == 2 and "unknown format" in res.output


@pytest.mark.usefixtures("reference_available")
def test_jsonl_equals_what_the_reference_wrote_to_sb(tmp_path):
    ref = run_reference(nb_file=EXAMPLE)
    nb_left = tmp_path / "nb.db"                    # the NB as northd left it
    shutil.copyfile(EXAMPLE, nb_left)
    ours = tmp_path / "ours.jsonl"
    res = runner.invoke(app, ["compute", "--nb", str(nb_left), "-o", str(ours)])
    assert res.exit_code == 0, res.output
    theirs = tmp_path / "ref.jsonl"
    output.write(ref.as_result(), "jsonl", theirs)
    assert sorted(ours.read_text().splitlines()) == sorted(theirs.read_text().splitlines())
    assert len(ours.read_text().splitlines()) == ref.flows.num_rows


@pytest.mark.usefixtures("reference_available")
def test_diff_reports_equal_on_the_example():
    res = runner.invoke(app, ["diff", "--nb", EXAMPLE, "--json"])
    verdict = json.loads(res.stdout)
    assert res.exit_code == 0 and verdict["equal"], verdict["examples"]
    assert verdict["matched"] > 0 and verdict["only_reference"] == verdict["only_ours"] == 0


def test_unsupported_features_are_named_up_front(tmp_path):
    from relnorthd.mirror.dbwriter import write_db_file
    from relnorthd.generate import INSTALLED_NB_SCHEMA
    schema = json.loads(INSTALLED_NB_SCHEMA.read_text())
    lsp = "11111111-1111-1111-1111-111111111111"
    nb = write_db_file(tmp_path / "nb.db", schema, [{
        "Logical_Switch_Port": {lsp: {"name": "p1", "type": "chassisredirect"}},
        "Logical_Switch": {"22222222-2222-2222-2222-222222222222": {
            "name": "sw0", "ports": ["uuid", lsp]}},
        "Logical_Router": {"33333333-3333-3333-3333-333333333333": {
            "name": "gw",
            "options": ["map", [["chassis", "hv1"], ["lb_force_snat_ip", "1.1.1.1"]]]}},
    }])
    res = runner.invoke(app, ["compute", "--nb", str(nb), "-f", "jsonl"])
    assert res.exit_code == 0
    assert "1  Logical_Switch_Port of an unknown type" in res.stderr
    assert "lb_force_snat_ip" not in res.stderr       # exact on gateway routers


@pytest.mark.usefixtures("reference_available")
def test_diff_exits_1_and_shows_what_differs(monkeypatch):
    import relnorthd.pipeline as pipeline
    real = pipeline.compute_flows

    def without_fdb_defaults(nb, sb=None, timer=None, sb_rows=True):   # sabotage a rule
        c = real(nb, sb, timer, sb_rows)
        kept = pyarrow.compute.not_equal(c.flows["rule"], "build_lswitch_learn_fdb_od")
        return dataclasses.replace(c, flows=c.flows.filter(kept))

    monkeypatch.setattr(pipeline, "compute_flows", without_fdb_defaults)
    res = runner.invoke(app, ["diff", "--nb", EXAMPLE])
    assert res.exit_code == 1
    assert "only in reference: ls_in_lookup_fdb priority=0 match=(1)" in res.stdout
    assert "different" in res.stdout


def test_diff_without_the_reference_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))     # no OVN binaries on PATH
    res = runner.invoke(app, ["diff", "--nb", EXAMPLE])
    assert res.exit_code == 2
    assert "apt-get install -y ovn-central" in res.stderr


def test_compute_sb_out_writes_every_other_sb_table_northd_writes(tmp_path):
    from relnorthd import mirror
    from relnorthd.pipeline import compute
    from relnorthd.rules import sb_row_files
    res = runner.invoke(app, ["compute", "--nb", EXAMPLE, "-o", str(tmp_path / "f.jsonl"),
                              "--sb-out", str(tmp_path / "sb")])
    assert res.exit_code == 0, res.output
    from relnorthd.sbtables import TABLES
    rows = compute(mirror.load(EXAMPLE, mirror.NB)).sb_rows
    assert sorted(rows) == sorted(f.stem for f in sb_row_files())
    expected = {n: t for n, t in rows.items() if not TABLES[n].prune}   # not FDB, IGMP_Group
    assert sorted(p.stem for p in (tmp_path / "sb").glob("*.parquet")) == sorted(expected)
    assert len(expected) < len(rows)
    import pyarrow.parquet as parquet
    for name, table in expected.items():
        assert parquet.read_table(tmp_path / "sb" / f"{name}.parquet").equals(table), name
    (tmp_path / "file").write_text("")
    res = runner.invoke(app, ["compute", "--nb", EXAMPLE, "--sb-out", str(tmp_path / "file")])
    assert res.exit_code == 2 and "not a directory" in res.output


def _bad_inputs(tmp_path):
    """name -> (an --nb value, what its one-line error says)."""
    good = open(EXAMPLE, "rb").read()
    header_cut = tmp_path / "header-cut.db"          # cut inside the first record
    header_cut.write_bytes(good[:40])
    (tmp_path / "garbage.db").write_bytes(b"\x00\xff" * 64)
    (tmp_path / "empty.db").write_bytes(b"")
    sb_schema_file = tmp_path / "sb.db"
    subprocess.run(["ovsdb-tool", "create", str(sb_schema_file),
                    "/usr/share/ovn/ovn-sb.ovsschema"], check=True)
    return {
        "missing": (str(tmp_path / "none.db"), "No such file"),
        "garbage": (str(tmp_path / "garbage.db"), "not an OVSDB standalone database file"),
        "empty": (str(tmp_path / "empty.db"), "empty"),
        "cut header": (str(header_cut), str(header_cut)),
        "wrong schema": (str(sb_schema_file), "not the OVN_Northbound database"),
        "unreachable unix": (f"unix:{tmp_path / 'no.sock'}", "no.sock"),
        "unreachable tcp": ("tcp:127.0.0.1:1", "127.0.0.1:1"),
    }


@pytest.mark.usefixtures("reference_available")
@pytest.mark.parametrize("command", [["compute"], ["stats"], ["explain", "--stage", "x"],
                                     ["snapshot-diff", "--nb2", EXAMPLE]])
def test_bad_nb_input_is_one_line_and_exit_2(tmp_path, command):
    """Every batch command, every kind of bad --nb: one error line, exit 2."""
    for name, (nb, says) in _bad_inputs(tmp_path).items():
        res = runner.invoke(app, [command[0], "--nb", nb, *command[1:]])
        lines = [line for line in res.stderr.splitlines() if line.strip()]
        assert res.exit_code == 2, (name, res.output)
        assert len(lines) == 1 and lines[0].startswith("error:") and says in lines[0], \
            (name, lines)
