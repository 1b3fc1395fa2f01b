"""Deployment-profile NBs (relnorthd.profiles, `relnorthd gen`): their object
counts, that ovsdb-server and the mirror read them, determinism by seed,
the unsupported features each reports, and the ovn-k8s-cluster and full
ovn-k8s profiles flow for flow against ovn-northd 23.03.1."""
import pytest
from typer.testing import CliRunner

from conftest import assert_matches_reference
from relnorthd import mirror, profiles
from relnorthd.cli import app
from relnorthd.reference import Sandbox
from relnorthd.support import unsupported

SCALE = 3
CLUSTER = {"Logical_Switch": 4,                   # 3 node switches and join
           "Logical_Switch_Port": 34,             # 30 pods, 4 router-type ports
           "Logical_Router": 1, "Logical_Router_Port": 4,
           "Logical_Router_Static_Route": 3,
           "Logical_Router_Policy": 4,            # one per node and the cluster one
           "Load_Balancer": 30, "Load_Balancer_Group": 1,
           "Address_Set": 3, "Port_Group": 9, "ACL": 18, "Meter": 1, "Meter_Band": 1}
GATEWAYS = {"Logical_Switch": 4 + 3,              # an external switch per node
            # per node: join and external router-type ports and a localnet port
            "Logical_Switch_Port": 34 + 3 * 3,
            "Logical_Router": 1 + 3, "Logical_Router_Port": 4 + 2 * 3,
            "Logical_Router_Static_Route": 3 + 2 * 3, "NAT": 3}
COUNTS = {   # at SCALE
    "l2": {"Logical_Switch": 3, "Logical_Switch_Port": 60},
    "ovn-k8s": {**CLUSTER, **GATEWAYS},
    "ovn-k8s-pods": {**CLUSTER, **GATEWAYS, "Logical_Switch_Port": 43 + 3 * 40},
    "ovn-k8s-services": {**CLUSTER, **GATEWAYS, "Load_Balancer": 150},
    "ovn-k8s-cluster": CLUSTER,
    "openstack": {"Logical_Switch": 4,            # 3 tenant networks and public
                  "Logical_Switch_Port": 37,      # 30 VMs, 6 router-type, 1 localnet
                  "Logical_Router": 3, "Logical_Router_Port": 6, "Gateway_Chassis": 1,
                  "Logical_Router_Static_Route": 3, "DHCP_Options": 3,
                  "NAT": 3 + 15,                  # an SNAT per router, floating IPs
                  "Port_Group": 4, "ACL": 14},    # a group per project and the drop group
}
K8S_SWITCHES = {"node0", "node1", "node2", "join"}
SWITCHES = {"l2": {"sw0", "sw1", "sw2"}, "ovn-k8s-cluster": K8S_SWITCHES,
            **{p: K8S_SWITCHES | {"ext_node0", "ext_node1", "ext_node2"}
               for p in ("ovn-k8s", "ovn-k8s-pods", "ovn-k8s-services")},
            "openstack": {"neutron-0", "neutron-1", "neutron-2", "public"}}
# what each profile has beyond the supported families, as support.py counts it
UNSUPPORTED = {
    "ovn-k8s": {},
    "openstack": {},
}
UNSUPPORTED["ovn-k8s-pods"] = UNSUPPORTED["ovn-k8s-services"] = UNSUPPORTED["ovn-k8s"]
all_profiles = pytest.mark.parametrize("profile", profiles.PROFILES)


@all_profiles
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


@all_profiles
@pytest.mark.usefixtures("reference_available")
def test_profile_loads_in_ovsdb_server(profile, tmp_path):
    profiles.generate(profile, SCALE, tmp_path / "nb.db")
    with Sandbox(nb_file=tmp_path / "nb.db") as box:
        names = box.nbctl("--bare", "--columns=name", "list", "Logical_Switch").split()
    assert set(names) == SWITCHES[profile]


@all_profiles
def test_same_seed_same_file_other_seed_other_file(profile, tmp_path):
    a, b, c = (tmp_path / f"{name}.db" for name in "abc")
    for path, seed in ((a, 1), (b, 1), (c, 2)):
        profiles.generate(profile, SCALE, path, seed)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


@all_profiles
def test_profile_reports_what_is_not_supported(profile, tmp_path):
    profiles.generate(profile, SCALE, tmp_path / "nb.db", seed=1)
    found = unsupported(mirror.load(str(tmp_path / "nb.db"), mirror.NB))
    expected = UNSUPPORTED.get(profile, {})
    assert len(found) == len(expected)
    for key, count in expected.items():
        assert [n for what, n in found if key in what] == [count]


def test_cli_names_no_unsupported_feature_for_the_profiles(tmp_path):
    out = tmp_path / "nb.db"
    for profile in ("openstack", "ovn-k8s"):
        res = CliRunner().invoke(app, ["gen", profile, "--scale", "2", "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert "does not generate flows for yet" not in res.output
        res = CliRunner().invoke(app, ["stats", "--nb", str(out)])
        assert res.exit_code == 0 and "lr_in_dnat" in res.output, res.output
        assert "does not generate flows for yet" not in res.output


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
def test_ovn_k8s_cluster_profile_matches_the_reference(tmp_path):
    profiles.generate("ovn-k8s-cluster", SCALE, tmp_path / "nb.db")
    d = assert_matches_reference(nb_file=tmp_path / "nb.db")
    owners = set(d.ours.flows.column("owner_table").to_pylist())
    assert {"ACL", "Load_Balancer", "Logical_Router_Port", "Logical_Router_Static_Route",
            "Logical_Router_Policy"} <= owners


@pytest.mark.parametrize("nodes", [3, 20, 120])
@pytest.mark.usefixtures("reference_available")
def test_ovn_k8s_profile_matches_the_reference(nodes, tmp_path):
    """Gateway routers (SNAT, lb_force_snat_ip=router_ip, the cluster LB
    group), node and join switches, the cluster router: every flow."""
    profiles.generate("ovn-k8s", nodes, tmp_path / "nb.db", seed=7)
    d = assert_matches_reference(nb_file=tmp_path / "nb.db")
    rules = set(d.ours.flows.column("rule").to_pylist())
    assert {"build_lrouter_in_unsnat_flow", "build_lrouter_out_snat_flow",
            "build_lrouter_force_snat_flows_op", "build_lrouter_nat_flows_for_lb"} <= rules


@pytest.mark.parametrize("projects", [3, 20, 100])
@pytest.mark.usefixtures("reference_available")
def test_openstack_profile_matches_the_reference(projects, tmp_path):
    """Tenant networks on DHCP, security groups, routers with a distributed
    gateway port, SNAT and floating IPs: every flow."""
    profiles.generate("openstack", projects, tmp_path / "nb.db", seed=7)
    d = assert_matches_reference(nb_file=tmp_path / "nb.db")
    rules = set(d.ours.flows.column("rule").to_pylist())
    assert {"build_dhcpv4_options_flows", "build_lrouter_in_dnat_flow",
            "build_lrouter_out_snat_flow", "build_gateway_redirect_flows_for_lrouter"} <= rules
