"""The whole batch job: mirror -> rules -> datapath groups."""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from . import mirror
from .lflows import Grouped, group
from .mirror import Database
from .rules import compute_flows


@dataclass(frozen=True)
class Result:
    nb: Database
    flows: pa.Table        # flow contract, one row per (datapath, flow)
    grouped: Grouped       # SB-shaped flows and datapath groups


def compute(nb: Database, sb: Database | None = None) -> Result:
    flows = compute_flows(nb, sb)
    return Result(nb, flows, group(flows))


def compute_from(nb_source, sb_source=None) -> Result:
    nb = mirror.load(nb_source, mirror.NB)
    sb = mirror.load(sb_source, mirror.SB) if sb_source is not None else None
    return compute(nb, sb)
