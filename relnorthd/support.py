"""Which NB features the rule set covers, and what an NB uses beyond it.

relnorthd computes exact flows only for what its differential tests cover.
`unsupported(nb)` counts the NB objects (or options) whose flows the rules do
not produce yet, so every command can say so up front instead of printing a
silently incomplete result. Shrink NOT_YET as families land.
"""
from __future__ import annotations


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
    checks = {
        "Logical_Switch_Port of an unknown type":
            lambda p: p["type"] not in SUPPORTED_LSP_TYPES,
        "Logical_Switch_Port QoS queue options (issue 4)":
            lambda p: any(k.startswith("qos_") for k, _ in p["options"]),
    }
    return [(what, n) for what, test in checks.items()
            if (n := sum(1 for p in ports if test(p)))]


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
    return found


def _dgp_routers(nb: Database) -> list[dict]:
    """Routers (not gateway routers) with a distributed gateway port."""
    gateway_ports = {p["_uuid"] for p in nb["Logical_Router_Port"].select(
        ["_uuid", "gateway_chassis", "ha_chassis_group"]).to_pylist()
        if p["gateway_chassis"] or p["ha_chassis_group"] is not None}
    return [r for r in nb["Logical_Router"].select(
                ["ports", "options"]).to_pylist()
            if not any(k == "chassis" for k, _ in r["options"])
            and any(p in gateway_ports for p in r["ports"])]
