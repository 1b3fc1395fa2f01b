"""The pipeline end to end on the smallest NB: one empty switch."""
import pytest

from conftest import nbctl

pytestmark = pytest.mark.usefixtures("reference_available")


def test_one_empty_switch_fdb_defaults_present():
    from relnorthd.differential import differential
    d = differential([nbctl("ls-add sw0")])
    stages = set(d.ours.grouped.flows.column("stage").to_pylist())
    assert {"ls_in_lookup_fdb", "ls_in_put_fdb"} <= stages
