"""Portable SQL (issue 20): the rules with sql/lib's macros expanded in
place return what they return with the macros, and print as Spark SQL."""
from pathlib import Path

import pytest
import sqlglot

from relnorthd import mirror, profiles, portable
from relnorthd.libstate import connect
from relnorthd.rules import nb_row_files, rule_files, sb_row_files

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "nb-basic.db"
QUERIES = [*rule_files(), *sb_row_files(), *nb_row_files()]


@pytest.fixture(scope="module", params=["example", "ovn-k8s", "openstack"])
def lib_connection(request, tmp_path_factory):
    """sql/lib loaded over the bundled example NB or a small generated one."""
    path = EXAMPLE
    if request.param != "example":
        path = tmp_path_factory.mktemp("nb") / f"{request.param}.db"
        profiles.generate(request.param, 3, path)
    return connect(mirror.load(path))


def test_every_macro_of_sql_lib_is_known():
    defined = [s for s in portable.lib_statements() if s.kind == "macro"]
    assert len(portable.macros()) == len(defined) > 40


def test_expanded_queries_return_what_the_macros_return(lib_connection):
    rows, calls = 0, 0
    for path in QUERIES:
        sql = path.read_text()
        expanded = portable.expand(sql)
        assert not portable.macro_calls(expanded), path.name
        want = sorted(map(repr, lib_connection.sql(sql).fetchall()))
        assert sorted(map(repr, lib_connection.sql(expanded).fetchall())) == want, path.name
        rows += len(want)
        calls += len(portable.macro_calls(sql))
    assert rows > 100 and calls > 100


# What does not print as Spark SQL yet (sql/sb/ rows only; the flows and
# lib all do): issue 20's next macro-layer work
SPARK_GAPS = {"sb/DNS", "sb/Load_Balancer"}


def test_statements_print_as_spark_sql_but_the_known_gaps():
    """Every rule, sql/sb/, sql/nb/ and lib statement, macros expanded,
    prints as SQL that sqlglot's Spark parser reads back (syntax only:
    what it computes on Spark is not checked here)."""
    statements = [(f"{p.parent.name}/{p.stem}", p.read_text()) for p in QUERIES]
    statements += [(f"lib/{s.defines or s.kind}", s.text)
                   for s in portable.lib_statements() if s.kind != "macro"]
    failing = set()
    for name, sql in statements:
        try:
            sqlglot.parse_one(portable.to_dialect(sql, "spark"), read="spark")
        except (sqlglot.errors.ParseError, portable.PortableError):
            failing.add(name)
    assert failing == SPARK_GAPS
    assert len(statements) > 200
