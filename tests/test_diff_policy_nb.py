"""A Kubernetes-network-policy-shaped NB (generate.policy_nb: 200 namespaces,
600 port groups, 1400 ACLs over 20 node switches), compared flow for flow
with ovn-northd 23.03.1."""
import pytest

from conftest import assert_matches_reference
from relnorthd.generate import policy_nb

pytestmark = pytest.mark.usefixtures("reference_available")


def test_policy_nb_matches_the_reference(tmp_path):
    nb = policy_nb(tmp_path / "policy.db", namespaces=200, nodes=20, pods_per_namespace=3)
    d = assert_matches_reference(nb_file=nb)
    owners = d.ours.flows.column("owner_table").to_pylist()
    assert owners.count("ACL") > 1400   # the ACL family carries this NB
