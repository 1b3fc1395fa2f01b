"""What an NB uses that relnorthd cannot give exact flows for.

relnorthd computes exact flows only for what its differential tests cover.
`unsupported(nb)` counts the NB objects outside that, so every command can
say so up front instead of printing a silently incomplete result: switch
ports of a type northd does not know, and switches with several forwarding
groups, whose flows northd 23.03.1 itself gets wrong (README).
"""
from __future__ import annotations

from .mirror import Database

SUPPORTED_LSP_TYPES = ("", "localnet", "localport", "vtep", "virtual", "remote", "l2gateway",
                       "external", "router")


def unsupported(nb: Database) -> list[tuple[str, int]]:
    """(feature, number of NB objects using it) for everything not covered."""
    found = []
    unknown = sum(1 for t in nb["Logical_Switch_Port"].column("type").to_pylist()
                  if t not in SUPPORTED_LSP_TYPES)
    if unknown:
        found.append(("Logical_Switch_Port of an unknown type", unknown))
    multi_fg = sum(1 for fgs in nb["Logical_Switch"].column("forwarding_groups").to_pylist()
                   if len(fgs) > 1)
    if multi_fg:
        found.append(("Logical_Switch with several forwarding groups "
                      "(northd 23.03.1 mishandles them; README)", multi_fg))
    return found
