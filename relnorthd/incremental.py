"""Which rules a change can affect: incremental compute at rule level.

`recompute(nb, sb, previous, changed)` brings the previous result's lib
relations up to the change (libstate.py: only the lib statements the
change reaches are replayed, and a relation replayed with the same content
changes nothing downstream), reruns only the rules that read a changed
column themselves or a relation whose content changed (some of them only
for the owners whose rows changed), and the sql/sb/ files the same way,
keeps the other rules' rows from `previous`, and regroups only the flow
keys whose rows changed (lflows.regroup; `Result.touched` tells the SB
plan which keys to sync).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from .contract import FLOW_KEY, FLOWS
from .dependencies import reads, rule_inputs, rule_reads, sb_row_reads
from .lflows import compact, group, regroup, touched_keys
from .mirror import Database
from .phases import Phases
from .pipeline import Result, compute
from .rules import evaluate, per_owner, rule_files


def affected(changed: dict[str, set[str]]) -> list[Path]:
    """The rule and sql/sb/ files that read a changed column, directly or
    through lib relations (`changed`: table -> its changed columns, ALL for
    inserted or deleted rows)."""
    return [path for path, deps in rule_inputs().items() if reads(deps, changed)]


@dataclass(frozen=True)
class Rerun:
    """What to run again: whole rule files, and rule files for some owners."""
    files: list[Path]
    scoped: list[Path]
    owners: frozenset[str]


def rerun(changed: dict[str, set[str]], before: dict[str, tuple], after: dict[str, tuple],
          keyed_before: dict[str, pa.Table] | None = None,
          keyed_after: dict[str, pa.Table] | None = None) -> Rerun:
    """The rule files to run again: those reading a changed column
    themselves, or a lib relation whose content changed (`before` /
    `after`: relation fingerprints, rules.fingerprints). A rule declaring
    per-owner relations, when those are the only inputs that changed, runs
    for the owners whose rows in them changed (`keyed_*`:
    rules.keyed_fingerprints) instead of in full."""
    moved = {r for r in after if before.get(r) != after[r]}
    files, scoped, owners = [], [], set()
    for path, (deps, relations) in rule_reads().items():
        if not (reads(deps, changed) or relations & moved):
            continue
        declared = dict(per_owner().get(path, ()))
        if (keyed_before is None or keyed_after is None or reads(deps, changed)
                or not relations & moved <= declared.keys()):
            files.append(path)
            continue
        scoped.append(path)
        for rel in relations & moved:
            name = f"{rel}({declared[rel]})"
            owners |= _changed_keys(keyed_before[name], keyed_after[name])
    return Rerun(files, scoped, frozenset(owners))


def _changed_keys(before: pa.Table, after: pa.Table) -> set[str]:
    """The keys whose rows differ between two keyed fingerprints (k, h)."""
    joined = before.join(after, "k", join_type="full outer", left_suffix="_b",
                         right_suffix="_a")
    differ = pc.fill_null(pc.not_equal(joined["h_b"], joined["h_a"]), True)  # or one side only
    return set(joined.filter(differ)["k"].to_pylist())


def recompute(nb: Database, sb: Database | None, previous: Result | None,
              changed: dict[str, set[str]] | None,
              timer: Phases | None = None) -> tuple[Result, str]:
    """The result for (nb, sb) and how it was reached: "recompute" (every
    rule) or "incremental" (the rules a change reaches, some of them only
    for the owners it reaches; the rest of the rows kept from `previous`).
    An incremental step moves `previous`'s lib relations on: a result can
    be stepped from once (a second step from it recomputes in full).
    `timer` collects the time of each phase."""
    timer = timer or Phases()
    if previous is not None and changed is not None and not affected(changed):
        return replace(previous, nb=nb, rules_run=(), scoped_run=(),   # nothing any rule
                       owners_run=frozenset(), touched=_NONE), "incremental"  # or SB row reads
    state = previous.state if previous is not None else None
    if changed is None or state is None or state.version != previous.state_version:
        return compute(nb, sb, track=True, timer=timer), "recompute"
    before, keyed_before = dict(state.prints), dict(state.keyed)
    with timer("lib"):
        moved = state.update(nb, sb, changed)
    pick = rerun(changed, before, state.prints, keyed_before, state.keyed)
    row_files = [path for path, (deps, relations) in sb_row_reads().items()
                 if reads(deps, changed) or relations & moved]
    c = evaluate(state.con, pick.files, pick.scoped, pick.owners,
                 [f for f in row_files if f.parent.name == "sb"], dp_sets="dp_sets" in moved,
                 timer=timer, nb_files=[f for f in row_files if f.parent.name == "nb"])
    dp_sets = previous.dp_sets if c.dp_sets is None else c.dp_sets
    sb_rows = {**previous.sb_rows, **c.sb_rows}
    nb_rows = {**previous.nb_rows, **c.nb_rows}
    run = tuple(f.stem for f in pick.files + pick.scoped)
    kept = {"nb": nb, "dp_sets": dp_sets, "sb_rows": sb_rows, "nb_rows": nb_rows,
            "rules_run": run,
            "owners_run": pick.owners, "scoped_run": tuple(f.stem for f in pick.scoped),
            "state_version": state.version}
    if not run and c.dp_sets is None:
        return replace(previous, touched=_NONE, **kept), "incremental"
    if len(pick.files) == len(rule_files()):
        with timer("group"):
            grouped = group(c.flows, dp_sets)
        return replace(previous, flows=c.flows, grouped=grouped, touched=None,
                       **kept), "recompute"
    old = previous.flows
    whole = pc.is_in(old["rule"], pa.array([f.stem for f in pick.files], pa.string()))
    some = pc.and_(pc.is_in(old["rule"], pa.array([f.stem for f in pick.scoped], pa.string())),
                   pc.is_in(old["owner"], pa.array(sorted(pick.owners), pa.string())))
    gone = pc.or_(whole, some)
    flows = compact(pa.concat_tables([old.filter(pc.invert(gone)), c.flows]))
    with timer("group"):
        touched = touched_keys(flows, old.filter(gone), c.flows, previous.dp_sets, dp_sets)
        grouped = regroup(previous.grouped, flows, dp_sets, touched)
    return replace(previous, flows=flows, grouped=grouped, touched=touched,
                   **kept), "incremental"


# no flow key touched
_NONE = FLOWS.empty_table().select(list(FLOW_KEY))
