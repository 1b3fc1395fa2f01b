"""Differential runs: the same scenario through the reference and through
relnorthd, compared flow for flow."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .compare import Comparison, compare
from .pipeline import Result, compute
from .reference import ReferenceRun, run_reference


@dataclass(frozen=True)
class Differential:
    reference: ReferenceRun
    ours: Result
    comparison: Comparison


def differential(commands: list[list[str]] = (), nb_file: str | Path | None = None,
                 sb_file: str | Path | None = None, sb_rows: bool = False) -> Differential:
    """Run `commands` (ovn-nbctl/ovn-sbctl argv lists) or `nb_file` through the
    reference, then compute on the NB and SB exactly as the reference left them:
    the flows, and with `sb_rows` the other SB tables' rows too."""
    ref = run_reference(commands, nb_file=nb_file, sb_file=sb_file)
    ours = compute(ref.nb, ref.sb, sb_rows=sb_rows)
    return Differential(ref, ours, compare(ours.grouped.expanded(), ref.flows))
