"""Cycle collection paused for one bulk step (a run's calculation and storage).

A run allocates a few hundred thousand small records (lines, Decimals, ORM rows) and
keeps most of them until it is stored; Python's cycle collector kept scanning them all
the same and took a tenth of the run's time. Nothing a run builds needs the collector
(its records hold no cycles that must be freed before the run ends), so it is paused for
the run and resumed, with whatever was pending, afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause the cycle collector for the block (reference counting still frees)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
