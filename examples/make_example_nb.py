"""Rebuild examples/nb-basic.db: a small NB made with ovn-nbctl against a
reference sandbox, saved as the file ovsdb-server itself wrote (so it holds
`_is_diff` records and NB_Global as ovn-northd leaves it).

    python3 examples/make_example_nb.py
"""
import shutil
from pathlib import Path

from relnorthd.reference import Sandbox

COMMANDS = [
    "ls-add sw0", "ls-add sw1", "ls-add sw2",
    "set logical_switch sw2 other_config:vlan-passthru=true",
    "ls-add sw3 -- set logical_switch sw3 other_config:mcast_snoop=true",
    "lr-add lr0", "lr-add lr1",
    "lr-add gw0 -- set logical_router gw0 options:chassis=hv1",
    "set logical_router lr1 options:always_learn_from_arp_request=false",
]

if __name__ == "__main__":
    dest = Path(__file__).with_name("nb-basic.db")
    with Sandbox() as box:
        for line in COMMANDS:
            box.nbctl(*line.split())
        box.sync()
        shutil.copyfile(box.dir / "nb.db", dest)
    print(f"wrote {dest}")
