"""Property: random gateway configurations — gateway routers and routers with
distributed gateway ports, NAT entries of every type (stateless, with
external MACs and logical ports, ext-ip address sets, port ranges), force
SNAT options and load balancers on the routers — relnorthd == ovn-northd
23.03.1.

Bounded for CI; RELNORTHD_HYPOTHESIS_EXAMPLES raises the number of examples.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import assert_matches_reference, differential_examples, link, nb

pytestmark = pytest.mark.usefixtures("reference_available")

EXTERNAL_IPS = ["172.16.0.10", "172.16.0.11", "172.16.0.1", "fd20::10", "fd20::11"]
LOGICAL_IPS = {"ipv4": ["10.0.0.5", "10.0.0.6", "10.0.0.0/24"],
               "ipv6": ["fd00::5", "fd00::6", "fd00::/64"]}
VIPS = ["172.16.0.100:80", "172.16.0.10:8080", "10.0.0.100", "[fd20::100]:80", "fd20::101"]


@st.composite
def gateway_nbs(draw):
    gateway_router = draw(st.booleans())
    cmds = [nb("ls-add", "inside"), nb("ls-add", "outside"), nb("lr-add", "lr0"),
            *link("inside", "lr0", "lrp-in", "00:00:00:00:ff:01", "10.0.0.1/24", "fd00::1/64"),
            *link("outside", "lr0", "lrp-out", "00:00:00:00:ff:02", "172.16.0.1/24",
                  "fd20::1/64"),
            nb("lsp-add", "inside", "vm1"),
            nb("lsp-set-addresses", "vm1", "0a:00:00:00:00:05 10.0.0.5 fd00::5"),
            nb("lsp-add", "inside", "vm2"),
            nb("lsp-set-addresses", "vm2", "0a:00:00:00:00:06 10.0.0.6 fd00::6")]
    if gateway_router:
        cmds.append(nb("set", "logical_router", "lr0", "options:chassis=hv1"))
    else:
        cmds.append(nb("lrp-set-gateway-chassis", "lrp-out", "hv1", "10"))
        if draw(st.booleans()):
            cmds += [nb("lsp-add", "outside", "ln"), nb("lsp-set-type", "ln", "localnet"),
                     nb("lsp-set-addresses", "ln", "unknown"),
                     nb("lsp-set-options", "ln", "network_name=phys")]
    for i in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["snat", "dnat", "dnat_and_snat"]))
        ext = draw(st.sampled_from(EXTERNAL_IPS))
        logical = draw(st.sampled_from(LOGICAL_IPS["ipv6" if ":" in ext else "ipv4"]))
        cols = [f"type={kind}", f'external_ip="{ext}"', f'logical_ip="{logical}"']
        if kind == "dnat_and_snat" and not gateway_router and draw(st.booleans()):
            cols += [f"logical_port={'vm1' if logical.endswith('5') else 'vm2'}",
                     f'external_mac="0a:00:00:00:01:{i:02x}"']
        if kind == "dnat_and_snat" and draw(st.integers(0, 3)) == 0:
            cols.append("options:stateless=true")
        if kind != "snat" and draw(st.integers(0, 3)) == 0:
            cols.append(f'external_port_range="{draw(st.sampled_from(["1000-2000", "80"]))}"')
        ext_ips = []
        if draw(st.integers(0, 3)) == 0:
            column = draw(st.sampled_from(["allowed_ext_ips", "exempted_ext_ips"]))
            ext_ips = ["--id=@as", "create", "Address_Set", f"name=as{i}",
                       'addresses="172.16.0.77"', "--"]
            cols.append(f"{column}=@as")
        cmds.append(nb(*ext_ips, "--id=@n", "create", "NAT", *cols, "--",
                       "add", "logical_router", "lr0", "nat", "@n"))
    options = draw(st.lists(st.sampled_from(["lb_force_snat_ip=router_ip",
                                             "lb_force_snat_ip=172.16.0.1",
                                             "dnat_force_snat_ip=172.16.0.1"]),
                            unique=True, max_size=2))
    if gateway_router and options:
        cmds.append(nb("set", "logical_router", "lr0", *[f"options:{o}" for o in options]))
    for i, vip in enumerate(draw(st.lists(st.sampled_from(VIPS), unique=True, max_size=3))):
        backends = ("[fd00::5]:80" if vip.endswith(":80") else "fd00::5") if "[" in vip or \
            vip.startswith("fd") else ("10.0.0.5:80,10.0.0.6:80" if ":" in vip else "10.0.0.6")
        lb = f"lb{i}"
        cmds.append(nb("lb-add", lb, vip, backends))
        for opt in draw(st.lists(st.sampled_from(["skip_snat=true", "reject=true",
                                                   "affinity_timeout=60",
                                                   "hairpin_snat_ip=172.16.0.200"]),
                                 unique=True, max_size=2)):
            cmds.append(nb("set", "load_balancer", lb, f"options:{opt}"))
        cmds.append(nb("lr-lb-add", "lr0", lb))
        if draw(st.booleans()):
            cmds.append(nb("ls-lb-add", "inside", lb))
    return cmds


@differential_examples
@given(commands=gateway_nbs())
def test_random_gateway_nbs_match_the_reference(commands):
    assert_matches_reference(commands)
