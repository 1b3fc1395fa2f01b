"""Port names used more than once: northd keeps the first port its datapath
hash order meets. Datapaths get chosen uuids (`ovsdb-client transact`) so
the hash buckets, and with them the winner, are known in advance."""
import pytest

from conftest import assert_matches_reference
from conftest import insert_datapath as datapath

pytestmark = pytest.mark.usefixtures("reference_available")


def nb(*args):
    return ["ovn-nbctl", *args]


def port(sw, name, address):
    """A switch port created by row, so its name may already be taken."""
    return nb("--id=@p", "create", "Logical_Switch_Port", f"name={name}",
              f'addresses="{address}"', "--", "add", "Logical_Switch", sw, "ports", "@p")


def router_port(lr, name, mac, network):
    return nb("lrp-add", lr, name, mac, network)


# The NB schema keeps names unique within Logical_Switch_Port and within
# Logical_Router_Port, so a name can only be shared by a switch port and a
# router port.
SCENARIOS = {
    "router_port_claims_the_name_first": [
        datapath("Logical_Router", "lr0", 0), datapath("Logical_Switch", "sw0", 1),
        router_port("lr0", "p", "00:00:00:00:ff:01", "10.0.0.254/24"),
        port("sw0", "p", "00:00:00:00:00:01 10.0.0.1"),
        port("sw0", "q", "00:00:00:00:00:02 10.0.0.2")],
    # 2 datapaths -> 4 buckets: uuid_hash 5 lands in bucket 1, 2 in bucket 2.
    "lower_bucket_wins_over_lower_uuid": [
        datapath("Logical_Router", "lr0", 2), datapath("Logical_Switch", "sw0", 5),
        router_port("lr0", "p", "00:00:00:00:ff:01", "10.0.0.254/24"),
        port("sw0", "p", "00:00:00:00:00:01 10.0.0.1")],
    "losing_router_port_is_no_peer": [
        datapath("Logical_Router", "lr0", 2), datapath("Logical_Switch", "sw0", 1),
        router_port("lr0", "p", "00:00:00:00:ff:01", "10.0.0.254/24"),
        port("sw0", "p", "00:00:00:00:00:01 10.0.0.1"),
        nb("lsp-add", "sw0", "rp"), nb("lsp-set-type", "rp", "router"),
        nb("lsp-set-options", "rp", "router-port=p"), nb("lsp-set-addresses", "rp", "router")],
    # 8 datapaths -> 8 buckets: 9 lands in bucket 1, before the router's 2.
    "eight_datapaths_grow_the_table": [
        *[datapath("Logical_Switch", f"sw{i}", h) for i, h in enumerate([9, 3, 4, 5, 6, 7, 8])],
        datapath("Logical_Router", "lr0", 2),
        router_port("lr0", "p", "00:00:00:00:ff:01", "10.0.0.254/24"),
        port("sw0", "p", "00:00:00:00:00:01 10.0.0.1")],
}


@pytest.mark.parametrize("commands", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_duplicate_port_names(commands):
    assert_matches_reference(commands, outside_scope=lambda f: f["stage"].startswith("lr_"))
