"""The NB_Global options northd writes back before it computes
(ovnnb_db_run() in northd.c): `mac_prefix` and `svc_monitor_mac` (random
when unset or invalid), `max_tunid` (the largest datapath tunnel key:
smaller when a chassis uses VXLAN) and `northd_internal_version`."""
from __future__ import annotations

import random
import re

import pyarrow as pa
import pyarrow.compute as pc

from .mirror import Database
from .reference import REFERENCE_VERSION

MAX_TUNID = 16711680         # OVN_MAX_DP_KEY - OVN_MAX_DP_GLOBAL_NUM
MAX_TUNID_VXLAN = 4095       # OVN_MAX_DP_VXLAN_KEY
# ovn_get_internal_version(): package version, SB schema version, then the
# number of logical actions and the internal minor version of 23.03.1
ACTIONS_VERSION = "70.6"
_ETH = re.compile(r"\s*(?:[0-9a-fA-F]{1,2}:){5}[0-9a-fA-F]{1,2}")


def random_mac() -> str:
    """eth_addr_random(): locally administered, unicast."""
    octets = [random.getrandbits(8) for _ in range(6)]
    octets[0] = (octets[0] & ~1) | 2
    return ":".join(f"{o:02x}" for o in octets)


def vxlan_mode(sb: Database | None) -> bool:
    """is_vxlan_mode(): some chassis has a VXLAN encap (Encap rows live only
    while a chassis references them)."""
    return sb is not None and sb["Encap"].num_rows > 0 and \
        pc.any(pc.equal(sb["Encap"]["type"], "vxlan")).as_py()


def northd_options(nb: Database, sb: Database | None, mac_prefix: str,
                   monitor_mac: str) -> dict[str, str]:
    """NB_Global options as northd leaves them: `mac_prefix` the prefix in
    use ("xx:xx:xx"), `monitor_mac` the MAC to write when NB has no valid
    svc_monitor_mac."""
    rows = nb["NB_Global"].column("options").to_pylist()
    options = dict(rows[0]) if rows else {}
    options["mac_prefix"] = mac_prefix
    if not _ETH.fullmatch(options.get("svc_monitor_mac", "")):
        options["svc_monitor_mac"] = monitor_mac
    options["max_tunid"] = str(MAX_TUNID_VXLAN if vxlan_mode(sb) else MAX_TUNID)
    sb_version = sb.schema.version if sb is not None else ""
    options["northd_internal_version"] = f"{REFERENCE_VERSION}-{sb_version}-{ACTIONS_VERSION}"
    return options


def with_options(nb: Database, options: dict[str, str]) -> Database:
    """`nb` with NB_Global's options replaced (the snapshot northd computes
    on after writing them)."""
    table = nb["NB_Global"]
    if table.num_rows == 0:
        return nb
    index = table.schema.get_field_index("options")
    column = pa.array([sorted(options.items())], table.schema.field(index).type)
    return Database(nb.source, nb.schema, {**nb.tables,
                                           "NB_Global": table.set_column(index, "options",
                                                                         column)})
