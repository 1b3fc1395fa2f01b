"""Shared test helpers. Differential tests need the reference binaries; when
they are missing the tests fail (CI installs them), unless
RELNORTHD_ALLOW_NO_REFERENCE=1 turns that into an explicit skip for a quick
local run."""
from __future__ import annotations

import os

import pytest

from relnorthd.differential import differential
from relnorthd.reference import ReferenceUnavailable, check_reference


@pytest.fixture(scope="session")
def reference_available():
    try:
        check_reference()
    except ReferenceUnavailable as e:
        if os.environ.get("RELNORTHD_ALLOW_NO_REFERENCE") == "1":
            pytest.skip(str(e))
        raise


def nbctl(line: str) -> list[str]:
    """'ls-add sw0 -- set ...' -> an ovn-nbctl argv list."""
    return ["ovn-nbctl", *line.split()]


def sbctl(line: str) -> list[str]:
    return ["ovn-sbctl", *line.split()]


def assert_matches_reference(commands):
    """Run `commands` through the reference and relnorthd; demand equal flows."""
    d = differential(commands)
    c = d.comparison
    t = c.totals
    detail = "\n".join(
        [f"only in reference: {r['stage']} {r['priority']} {r['match']!r} -> {r['actions']!r}"
         f" meter={r['ctrl_meter']} dps={len(r['datapaths'])}" for r in c.only_reference[:15]]
        + [f"only in relnorthd: {r['stage']} {r['priority']} {r['match']!r} -> {r['actions']!r}"
           f" meter={r['ctrl_meter']} dps={len(r['datapaths'])}" for r in c.only_ours[:15]])
    assert c.equal, (f"{t.matched} matched, {t.only_reference} only in reference, "
                     f"{t.only_ours} only in relnorthd\n{detail}")
    assert t.matched == d.reference.flows.num_rows > 0
    return d
