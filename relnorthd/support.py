"""Which NB features the rule set covers, and what an NB uses beyond it.

relnorthd computes exact flows only for what its differential tests cover.
`unsupported(nb)` counts the NB objects (or options) whose flows the rules do
not produce yet, so every command can say so up front instead of printing a
silently incomplete result. Shrink NOT_YET as families land.
"""
from __future__ import annotations


from .derive import ipam_switches
from .mirror import Database

# NB table -> what it brings that has no rule yet (and the issue it belongs to).
NOT_YET: dict[str, str] = {}

# Router options whose flows on routers with distributed gateway ports have
# no rule yet (gateway routers and routers without gateway are covered).
ROUTER_OPTIONS_NOT_YET = ("dnat_force_snat_ip", "lb_force_snat_ip")


SUPPORTED_LSP_TYPES = ("", "localnet", "localport", "vtep", "virtual", "remote", "l2gateway",
                       "external", "router")


def _lsp_gaps(nb: Database) -> list[tuple[str, int]]:
    """Switch ports beyond what the switch rules cover (issue 3)."""
    ports = nb["Logical_Switch_Port"].to_pylist()
    ipam_ports = _ports_on_ipam_switches(nb)
    checks = {
        "Logical_Switch_Port of an unknown type":
            lambda p: p["type"] not in SUPPORTED_LSP_TYPES,
        "Logical_Switch_Port QoS queue options (issue 4)":
            lambda p: any(k.startswith("qos_") for k, _ in p["options"]),
        "Logical_Switch_Port dynamic address not allocated yet (IPAM is northd's job)":
            lambda p: p["_uuid"] in ipam_ports and p["dynamic_addresses"] is None
            and p["type"] != "router" and any(_is_dynamic(a) for a in p["addresses"]),
    }
    return [(what, n) for what, test in checks.items()
            if (n := sum(1 for p in ports if test(p)))]


def _is_dynamic(address: str) -> bool:
    return address == "dynamic" or address.startswith("dynamic ") or address.endswith(" dynamic")


def _ports_on_ipam_switches(nb: Database) -> set[str]:
    on = set(ipam_switches(nb)["datapath"].to_pylist())
    return {p for sw in nb["Logical_Switch"].select(["_uuid", "ports"]).to_pylist()
            if sw["_uuid"] in on for p in sw["ports"]}


def unsupported(nb: Database) -> list[tuple[str, int]]:
    """(feature, number of NB objects using it) for everything not covered."""
    found = [(f"{table}: {what}", nb[table].num_rows)
             for table, what in NOT_YET.items() if nb[table].num_rows]
    found += _lsp_gaps(nb)
    multi_fg = sum(1 for fgs in nb["Logical_Switch"].column("forwarding_groups").to_pylist()
                   if len(fgs) > 1)
    if multi_fg:
        found.append(("Logical_Switch with several forwarding groups "
                      "(northd 23.03.1 mishandles them; README)", multi_fg))
    templates = sum(1 for opts in nb["Load_Balancer"].column("options").to_pylist()
                    if any(k == "template" and v.lower() == "true" for k, v in opts))
    if templates:
        found.append(("Load_Balancer options:template (template LBs, later issue)", templates))
    dgp_routers = _dgp_routers(nb)
    for key in ROUTER_OPTIONS_NOT_YET:
        n = sum(1 for r in dgp_routers if any(k == key for k, _ in r["options"]))
        if n:
            found.append((f"Logical_Router options:{key} with distributed gateways: "
                          "force SNAT (later issue)", n))
    routable = _routable_lbs(nb, dgp_routers)
    if routable:
        found.append(("Load_Balancer options:add_route on routers with distributed gateways: "
                      "routes on the other routers of the switch (later issue)", routable))
    routable_nats = _routable_nats(nb, dgp_routers)
    if routable_nats:
        found.append(("NAT options:add_route on routers with distributed gateways: "
                      "routes on the other routers of the switch (later issue)", routable_nats))
    return found


def _routable_nats(nb: Database, dgp_routers: list[dict]) -> int:
    """dnat / dnat_and_snat NATs with options:add_route=true on a router with
    a gateway port."""
    on_dgp = {n for r in dgp_routers for n in r["nat"]}
    return sum(1 for n in nb["NAT"].select(["_uuid", "type", "options"]).to_pylist()
               if n["_uuid"] in on_dgp and n["type"] != "snat"
               and any(k == "add_route" and v.lower() == "true" for k, v in n["options"]))


def _routable_lbs(nb: Database, dgp_routers: list[dict]) -> int:
    """LBs with options:add_route=true on a router with a gateway port."""
    groups = {g["_uuid"]: g["load_balancer"] for g in
              nb["Load_Balancer_Group"].select(["_uuid", "load_balancer"]).to_pylist()}
    on_dgp = {lb for r in dgp_routers
              for lb in [*r["load_balancer"],
                         *(m for g in r["load_balancer_group"] for m in groups.get(g, []))]}
    return sum(1 for lb in nb["Load_Balancer"].select(["_uuid", "options"]).to_pylist()
               if lb["_uuid"] in on_dgp
               and any(k == "add_route" and v.lower() == "true" for k, v in lb["options"]))


def _dgp_routers(nb: Database) -> list[dict]:
    """Routers (not gateway routers) with a distributed gateway port."""
    gateway_ports = {p["_uuid"] for p in nb["Logical_Router_Port"].select(
        ["_uuid", "gateway_chassis", "ha_chassis_group"]).to_pylist()
        if p["gateway_chassis"] or p["ha_chassis_group"] is not None}
    return [r for r in nb["Logical_Router"].select(
                ["ports", "nat", "options", "load_balancer", "load_balancer_group"]).to_pylist()
            if not any(k == "chassis" for k, _ in r["options"])
            and any(p in gateway_ports for p in r["ports"])]
