"""Cyclic garbage collection paused while bulk data is built: decoded
JSON messages, row stores, transaction operations. These are millions of
acyclic objects, and the collector's passes over them and the heap around
them cost several times the work itself (plain reference counting still
frees everything)."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    """No cyclic collection in the block (it runs as usual afterwards)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
