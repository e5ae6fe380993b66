"""A calculation for the pool's own tests: it records which process calculated each run
(module-level, so that worker processes can unpickle it by name)."""

from __future__ import annotations

import os
import time
from typing import Any

RUN_SECONDS = 0.05


def slow_start(seconds: float) -> str:
    """A unit-of-work factory whose workers take ``seconds`` to start (a cold forkserver)."""
    time.sleep(seconds)
    return "worker"


def recorded(uow: Any, district: str, program: str, *shared: Any) -> tuple[str, int, str]:
    """Which unit of work and process calculated the run of ``district``."""
    time.sleep(RUN_SECONDS)
    return uow, os.getpid(), district
