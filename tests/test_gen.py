"""Deployment-profile NBs (relnorthd.profiles, `relnorthd gen`): their object
counts, that ovsdb-server and the mirror read them, determinism by seed,
supported features only, and the ovn-k8s profile flow for flow against
ovn-northd 23.03.1."""
import pytest
from typer.testing import CliRunner

from conftest import assert_matches_reference
from relnorthd import mirror, profiles
from relnorthd.cli import app
from relnorthd.reference import Sandbox
from relnorthd.support import unsupported

SCALE = 3
COUNTS = {   # at SCALE
    "l2": {"Logical_Switch": 3, "Logical_Switch_Port": 60},
    "ovn-k8s": {"Logical_Switch": 4,              # 3 node switches and join
                "Logical_Switch_Port": 34,        # 30 pods, 4 router-type ports
                "Logical_Router": 1, "Logical_Router_Port": 4,
                "Logical_Router_Static_Route": 3,
                "Logical_Router_Policy": 4,       # one per node and the cluster one
                "Load_Balancer": 30, "Load_Balancer_Group": 1,
                "Address_Set": 3, "Port_Group": 9, "ACL": 18, "Meter": 1, "Meter_Band": 1},
}
SWITCHES = {"l2": {"sw0", "sw1", "sw2"}, "ovn-k8s": {"node0", "node1", "node2", "join"}}
both_profiles = pytest.mark.parametrize("profile", profiles.PROFILES)


@both_profiles
def test_profile_loads_in_the_mirror_with_its_object_counts(profile, tmp_path):
    sizes = profiles.generate(profile, SCALE, tmp_path / "nb.db")
    nb = mirror.load(str(tmp_path / "nb.db"), mirror.NB)
    assert sizes == COUNTS[profile]
    assert {t: nb[t].num_rows for t in nb.tables if nb[t].num_rows} == {**sizes, "NB_Global": 1}
    assert set(nb["Logical_Switch"].column("name").to_pylist()) == SWITCHES[profile]


def test_l2_profile_mixes_unknown_addresses_and_port_security(tmp_path):
    profiles.generate("l2", 10, tmp_path / "nb.db")
    ports = mirror.load(str(tmp_path / "nb.db"), mirror.NB)["Logical_Switch_Port"].to_pylist()
    unknown = [p for p in ports if "unknown" in p["addresses"]]
    assert 0 < len(unknown) < len(ports) / 4
    assert not any(p["port_security"] for p in unknown)
    assert all(p["port_security"] == p["addresses"] for p in ports if p not in unknown)


@both_profiles
@pytest.mark.usefixtures("reference_available")
def test_profile_loads_in_ovsdb_server(profile, tmp_path):
    profiles.generate(profile, SCALE, tmp_path / "nb.db")
    with Sandbox(nb_file=tmp_path / "nb.db") as box:
        names = box.nbctl("--bare", "--columns=name", "list", "Logical_Switch").split()
    assert set(names) == SWITCHES[profile]


@both_profiles
def test_same_seed_same_file_other_seed_other_file(profile, tmp_path):
    a, b, c = (tmp_path / f"{name}.db" for name in "abc")
    for path, seed in ((a, 1), (b, 1), (c, 2)):
        profiles.generate(profile, SCALE, path, seed)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


@both_profiles
def test_profile_uses_only_supported_features(profile, tmp_path):
    profiles.generate(profile, SCALE, tmp_path / "nb.db")
    assert unsupported(mirror.load(str(tmp_path / "nb.db"), mirror.NB)) == []


def test_cli_gen_writes_the_profile_and_prints_its_sizes(tmp_path):
    out = tmp_path / "nb.db"
    res = CliRunner().invoke(app, ["gen", "ovn-k8s", "--scale", str(SCALE), "--seed", "7",
                                   "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "      30  Load_Balancer\n" in res.output and f"wrote {out}" in res.output
    profiles.generate("ovn-k8s", SCALE, tmp_path / "same.db", seed=7)
    assert out.read_bytes() == (tmp_path / "same.db").read_bytes()


def test_cli_gen_rejects_an_unknown_profile(tmp_path):
    res = CliRunner().invoke(app, ["gen", "k8s", "--scale", "1", "-o", str(tmp_path / "nb.db")])
    assert res.exit_code == 2 and "unknown profile 'k8s'" in res.output


@pytest.mark.usefixtures("reference_available")
def test_ovn_k8s_profile_matches_the_reference(tmp_path):
    profiles.generate("ovn-k8s", SCALE, tmp_path / "nb.db")
    d = assert_matches_reference(nb_file=tmp_path / "nb.db")
    owners = set(d.ours.flows.column("owner_table").to_pylist())
    assert {"ACL", "Load_Balancer", "Logical_Router_Port", "Logical_Router_Static_Route",
            "Logical_Router_Policy"} <= owners
