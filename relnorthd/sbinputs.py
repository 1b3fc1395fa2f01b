"""The Southbound inputs northd reads while building flows.

Only these SB tables and columns are visible to rules (as sb_<Table>). With
no SB source they are empty, which is what northd sees against a fresh SB.
"""
from __future__ import annotations

import pyarrow as pa

from .mirror import Database

_SMAP = pa.map_(pa.string(), pa.string())

# table -> the columns rules may read, with their mirror types
SB_INPUTS: dict[str, pa.Schema] = {
    "Chassis": pa.schema([("_uuid", pa.string()), ("name", pa.string()),
                          ("hostname", pa.string()), ("other_config", _SMAP),
                          ("encaps", pa.list_(pa.string()))]),
    # a chassis with a VXLAN encapsulation narrows the tunnel keys
    "Encap": pa.schema([("_uuid", pa.string()), ("type", pa.string())]),
    # which NB datapath an SB datapath stands for (a port binding on another
    # datapath is replaced, not kept), and the tunnel key it keeps
    "Datapath_Binding": pa.schema([("_uuid", pa.string()), ("external_ids", _SMAP),
                                   ("tunnel_key", pa.int64())]),
    # LB health checks: backends count only while their monitor is online
    "Service_Monitor": pa.schema([("ip", pa.string()), ("protocol", pa.string()),
                                  ("port", pa.int64()), ("logical_port", pa.string()),
                                  ("status", pa.string())]),
    # ... and a monitor of a port that is not up counts as offline; a virtual
    # port claimed by a parent (virtual_parent + chassis) resolves to it;
    # ports keep their tunnel keys (and their bindings, when the datapath
    # and kind of port stay); the options ovn-controller adds are kept
    "Port_Binding": pa.schema([("_uuid", pa.string()), ("logical_port", pa.string()),
                               ("datapath", pa.string()), ("type", pa.string()),
                               ("parent_port", pa.string()), ("up", pa.bool_()),
                               ("virtual_parent", pa.string()), ("chassis", pa.string()),
                               ("tunnel_key", pa.int64()), ("options", _SMAP),
                               ("requested_additional_chassis", pa.list_(pa.string()))]),
    # a learnt multicast group keeps the tunnel key its SB row has
    "Multicast_Group": pa.schema([("datapath", pa.string()), ("name", pa.string()),
                                  ("tunnel_key", pa.int64())]),
    # northd never clears a multicast query source it once wrote
    "IP_Multicast": pa.schema([("datapath", pa.string()), ("eth_src", pa.string()),
                               ("ip4_src", pa.string()), ("ip6_src", pa.string())]),
    # a port's mirror_rules name only mirrors SB already has; BFD sessions
    # keep their discriminator and source port, and northd's status
    "Mirror": pa.schema([("_uuid", pa.string()), ("name", pa.string())]),
    "BFD": pa.schema([("_uuid", pa.string()), ("logical_port", pa.string()),
                      ("dst_ip", pa.string()), ("src_port", pa.int64()),
                      ("disc", pa.int64()), ("status", pa.string())]),
    # multicast groups ovn-controller learnt (IGMP/MLD), per chassis
    # MACs ovn-controller learnt, by datapath and port tunnel key
    "FDB": pa.schema([("_uuid", pa.string()), ("dp_key", pa.int64()),
                      ("port_key", pa.int64())]),
    "IGMP_Group": pa.schema([("_uuid", pa.string()), ("address", pa.string()),
                             ("datapath", pa.string()), ("chassis", pa.string()),
                             ("ports", pa.list_(pa.string()))]),
}


# table -> (the SB table it was taken from, the input table): a running
# northd's snapshots keep an unchanged table's object, and so does this, so
# that what is made from it (libstate, derive) is not made again
_LAST: dict[str, tuple[pa.Table, pa.Table]] = {}


def sb_input_tables(sb: Database | None) -> dict[str, pa.Table]:
    """The SB input tables, taken from `sb` or empty."""
    out = {}
    for name, schema in SB_INPUTS.items():
        if sb is None:
            out[name] = schema.empty_table()
            continue
        last = _LAST.get(name)
        if last is None or last[0] is not sb[name]:
            _LAST[name] = last = (sb[name], sb[name].select(schema.names).cast(schema))
        out[name] = last[1]
    return out
