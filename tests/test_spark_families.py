"""Spark on the differential-test families: the NB and SB of every scenario
of tests/test_diff_*.py, as the reference left them, computed together in
one Spark job (batch.py); each NB's SB flows and groups equal DuckDB's, and
so the reference's. Only scenarios that stand alone are taken (some build
on commands their test adds). CI runs the first of each test module;
--all-cases runs every one."""
import importlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from relnorthd import batch, pipeline
from relnorthd.compare import compare
from relnorthd.reference import run_reference

pytestmark = pytest.mark.usefixtures("reference_available")

MODULES = sorted(p.stem for p in Path(__file__).parent.glob("test_diff_*.py"))


def scenarios() -> list[tuple[str, list[list[str]]]]:
    """(module/table/name, commands) of every scenario table (upper-case
    dicts of ovn-nbctl/ovn-sbctl argv lists) of the differential tests."""
    out = []
    for name in MODULES:
        module = importlib.import_module(name)
        found = [(f"{name[10:]}/{table}/{key}", commands)
                 for table in sorted(dir(module)) if table.isupper()
                 and isinstance(getattr(module, table), dict)
                 for key, commands in getattr(module, table).items() if _commands(commands)]
        out += found
    return out


def _commands(value) -> bool:
    return isinstance(value, (list, tuple)) and bool(value) and all(
        isinstance(c, list) and c and all(isinstance(a, str) for a in c) for c in value)


def _alone(commands):
    """The reference's run of a scenario that stands alone; None for one
    that builds on commands its test adds (ovn-nbctl then fails)."""
    try:
        return run_reference(commands)
    except RuntimeError as e:
        if "ovn-nbctl" in str(e) or "ovn-sbctl" in str(e):
            return None
        raise


def test_the_differential_families_on_spark(request, spark_connection):
    every = request.config.getoption("--all-cases")
    found = scenarios()
    with ThreadPoolExecutor(2) as pool:
        if every:
            runs = list(pool.map(_alone, [commands for _, commands in found]))
        else:       # the first scenario of each module that stands alone
            runs, done = [], set()
            for name, commands in found:
                module = name.split("/")[0]
                runs.append(None if module in done else _alone(commands))
                if runs[-1] is not None:
                    done.add(module)
    cases = [(name, ref) for (name, _), ref in zip(found, runs, strict=True) if ref is not None]
    if every:   # most scenarios stand alone; the rest build on their test's commands
        assert len(cases) > len(found) // 2
    con = batch.KeyedConnection(spark_connection)
    con.load((name, ref.nb, ref.sb) for name, ref in cases)
    batch.compute(con)
    as_reference = 0
    for name, ref in cases:
        duck = pipeline.compute(ref.nb, ref.sb, sb_rows=False)
        _, _, spark = batch.grouped(con, name)
        assert spark.flows.equals(duck.grouped.flows), name
        assert spark.dp_groups.equals(duck.grouped.dp_groups), name
        # where the differential test needs no outside_scope filter
        if compare(duck.grouped.expanded(), ref.flows).equal:
            assert compare(spark.expanded(), ref.flows).equal, name
            as_reference += 1
    print(f"\n{len(cases)} of {len(found)} scenarios stand alone; all equal DuckDB's on Spark; "
          f"{as_reference} compared with the reference too")
    assert len({name.split("/")[0] for name, _ in cases}) >= 12    # test modules
    assert as_reference > len(cases) // 2
