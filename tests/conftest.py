"""Shared test helpers. Differential tests need the reference binaries; when
they are missing the tests fail (CI installs them), unless
RELNORTHD_ALLOW_NO_REFERENCE=1 turns that into an explicit skip for a quick
local run."""
from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, settings

from relnorthd.differential import differential
from relnorthd.reference import ReferenceUnavailable, check_reference


@pytest.fixture(scope="session")
def reference_available():
    try:
        check_reference()
    except ReferenceUnavailable as e:
        if os.environ.get("RELNORTHD_ALLOW_NO_REFERENCE") == "1":
            pytest.skip(str(e))
        raise


@pytest.fixture(scope="session")
def spark_connection():
    """A local Spark session (2 cores) for the Spark engine's tests."""
    from relnorthd.spark import SparkConnection, session
    return SparkConnection(session("local[2]"))


# one DuckDB thread per connection: xdist already runs a process per core
os.environ.setdefault("RELNORTHD_THREADS", "1")

# Property-based differential tests: a few examples in CI, more with
# RELNORTHD_HYPOTHESIS_EXAMPLES=N (the full job).
differential_examples = settings(
    max_examples=int(os.environ.get("RELNORTHD_HYPOTHESIS_EXAMPLES", "6")),
    deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pytest_addoption(parser):
    parser.addoption("--all-cases", action="store_true",
                     help="also run the cases marked slow (the full end-to-end job)")


def pytest_collection_modifyitems(config, items):
    """Without --all-cases, the cases marked slow are deselected: the
    default suite runs a sample of the heavy end-to-end cases."""
    if config.getoption("--all-cases"):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


def sample(names, *kept):
    """Parameters `names`, all but `kept` marked slow (run with --all-cases)."""
    assert set(kept) <= set(names), set(kept) - set(names)
    return [pytest.param(n, id=n, marks=() if n in kept else pytest.mark.slow) for n in names]


def nbctl(line: str) -> list[str]:
    """'ls-add sw0 -- set ...' -> an ovn-nbctl argv list."""
    return ["ovn-nbctl", *line.split()]


def sbctl(line: str) -> list[str]:
    return ["ovn-sbctl", *line.split()]


def nb(*args: str) -> list[str]:
    """An ovn-nbctl argv list from its arguments."""
    return ["ovn-nbctl", *args]


def sb(*args: str) -> list[str]:
    return ["ovn-sbctl", *args]


def sb_set_monitor_status(ip: str, status: str) -> list[str]:
    """What ovn-controller reports for the Service_Monitor of backend `ip`."""
    op = {"op": "update", "table": "Service_Monitor", "where": [["ip", "==", ip]],
          "row": {"status": status}}
    return ["ovsdb-client", "transact", json.dumps(["OVN_Southbound", op])]


def link(sw: str, lr: str, lrp: str, mac: str, *networks: str) -> list[list[str]]:
    """A router port and the router-type switch port that peers with it."""
    lsp = f"{sw}-{lrp}"
    return [nb("lrp-add", lr, lrp, mac, *networks), nb("lsp-add", sw, lsp),
            nb("lsp-set-type", lsp, "router"), nb("lsp-set-options", lsp, f"router-port={lrp}"),
            nb("lsp-set-addresses", lsp, "router")]


def lb_group(group: str, lbs, routers=(), switches=()) -> list[str]:
    """One transaction: a Load_Balancer_Group of the load balancers named
    `lbs`, applied to `routers` and `switches`."""
    args = []
    for i, name in enumerate(lbs):
        args += ["--", f"--id=@lb{i}", "get", "Load_Balancer", name]
    refs = ",".join(f"@lb{i}" for i in range(len(lbs)))
    args += ["--", "--id=@g", "create", "Load_Balancer_Group", f"name={group}",
             f"load_balancer=[{refs}]"]
    for table, names in (("Logical_Router", routers), ("Logical_Switch", switches)):
        for name in names:
            args += ["--", "add", table, name, "load_balancer_group", "@g"]
    return nb(*args)


def insert_datapath(table: str, name: str, uuid_hash: int) -> list[str]:
    """Insert a switch/router whose uuid starts with `uuid_hash` (8 hex
    digits), where northd's hash order depends on it."""
    row = {"op": "insert", "table": table, "row": {"name": name},
           "uuid": f"{uuid_hash:08x}-0000-4000-8000-000000000000"}
    return ["ovsdb-client", "transact", json.dumps(["OVN_Northbound", row])]


def assert_matches_reference(commands=(), outside_scope=None, nb_file=None, sb_rows=False):
    """Run `commands` (or an `nb_file`) through the reference and relnorthd;
    demand equal flows (with `sb_rows`, relnorthd's result also has the
    other SB tables' rows).

    `outside_scope(flow) -> bool` names flows of a family not implemented yet
    (e.g. an ACL's own flows while testing the conntrack skeleton it switches
    on); they are dropped from both sides before comparing, and the test
    still demands that the reference produced some."""
    d = differential(commands, nb_file=nb_file, sb_rows=sb_rows)
    if outside_scope is not None:
        d = _without(d, outside_scope)
    c = d.comparison
    t = c.totals
    detail = "\n".join(
        [f"only in reference: {r['stage']} {r['priority']} {r['match']!r} -> {r['actions']!r}"
         f" meter={r['ctrl_meter']} dps={len(r['datapaths'])}" for r in c.only_reference[:15]]
        + [f"only in relnorthd: {r['stage']} {r['priority']} {r['match']!r} -> {r['actions']!r}"
           f" meter={r['ctrl_meter']} dps={len(r['datapaths'])}" for r in c.only_ours[:15]])
    assert c.equal, (f"{t.matched} matched, {t.only_reference} only in reference, "
                     f"{t.only_ours} only in relnorthd\n{detail}")
    assert t.matched == d.reference.flows.num_rows > 0
    return d


def _without(d, outside_scope):
    import pyarrow as pa

    from relnorthd.compare import compare

    def keep(table):
        rows = [r for r in table.to_pylist() if not outside_scope(r)]
        return pa.Table.from_pylist(rows, schema=table.schema), table.num_rows - len(rows)

    ours, _ = keep(d.ours.grouped.expanded())
    ref, dropped = keep(d.reference.flows)
    assert dropped > 0, "outside_scope matched no reference flow: the scenario tests nothing extra"
    d.reference.flows = ref
    return type(d)(d.reference, d.ours, compare(ours, ref))
