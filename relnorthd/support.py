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


SUPPORTED_LSP_TYPES = ("", "localnet", "localport", "vtep", "virtual", "remote", "l2gateway",
                       "external", "router")


def _lsp_gaps(nb: Database) -> list[tuple[str, int]]:
    """Switch ports beyond what the switch rules cover (issue 3)."""
    ports = nb["Logical_Switch_Port"].to_pylist()
    ipam_ports = _ports_on_ipam_switches(nb)
    checks = {
        "Logical_Switch_Port of an unknown type":
            lambda p: p["type"] not in SUPPORTED_LSP_TYPES,
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
    return found

