"""The NB_Global options northd writes back (ovnnb_db_run() in northd.c).

Before it computes, northd picks a random `mac_prefix` and `svc_monitor_mac`
when NB_Global has no valid one (flows print them): `with_random` puts them
in the NB snapshot relnorthd computes on. What it then writes to NB is the
options sql/sb/SB_Global.sql derives for SB (`max_tunid`,
`northd_internal_version`, ...), except that `lb_hairpin_use_ct_mark` is
SB's alone: `written`.
"""
from __future__ import annotations

import random
import re

import pyarrow as pa

from .ipam import nb_mac_prefix
from .mirror import Database

_ETH = re.compile(r"\s*(?:[0-9a-fA-F]{1,2}:){5}[0-9a-fA-F]{1,2}")
SB_ONLY = "lb_hairpin_use_ct_mark"


def random_mac() -> str:
    """eth_addr_random(): locally administered, unicast."""
    octets = [random.getrandbits(8) for _ in range(6)]
    octets[0] = (octets[0] & ~1) | 2
    return ":".join(f"{o:02x}" for o in octets)


def nb_options(nb: Database) -> dict[str, str]:
    rows = nb["NB_Global"].column("options").to_pylist()
    return dict(rows[0]) if rows else {}


def with_random(nb: Database, mac_prefix: str, monitor_mac: str) -> Database:
    """`nb` with `mac_prefix` ("xx:xx:xx") and `monitor_mac` in NB_Global's
    options where it has no valid ones."""
    options = nb_options(nb)
    table = nb["NB_Global"]
    if table.num_rows == 0 or (nb_mac_prefix(nb) and
                               _ETH.fullmatch(options.get("svc_monitor_mac", ""))):
        return nb
    if not nb_mac_prefix(nb):
        options["mac_prefix"] = mac_prefix
    if not _ETH.fullmatch(options.get("svc_monitor_mac", "")):
        options["svc_monitor_mac"] = monitor_mac
    index = table.schema.get_field_index("options")
    column = pa.array([sorted(options.items())], table.schema.field(index).type)
    return Database(nb.source, nb.schema, {**nb.tables,
                                           "NB_Global": table.set_column(index, "options",
                                                                         column)})


def written(nb: Database, sb_global: pa.Table) -> dict[str, str] | None:
    """The options northd writes to NB_Global: SB_Global's (the rows of
    sql/sb/SB_Global.sql, computed on `nb`) with NB's own SB_ONLY entry;
    None without an NB_Global row."""
    if nb["NB_Global"].num_rows == 0 or sb_global.num_rows == 0:
        return None
    options = {k: v for k, v in sb_global.column("options").to_pylist()[0] if k != SB_ONLY}
    own = nb_options(nb).get(SB_ONLY)
    if own is not None:
        options[SB_ONLY] = own
    return options
