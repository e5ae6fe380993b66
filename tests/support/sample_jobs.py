"""Job functions for the scheduler tests (``tests.support.sample_jobs:…`` in TOML)."""

from __future__ import annotations

import os
import threading
import time

from payroll.domain.model import PayrollError
from payroll.scheduler.execution import JobContext

calls: list[tuple[str, str, str]] = []  # (job id, fired_at ISO, trigger), in-process runs
_lock = threading.Lock()
SLOW_SECONDS = 0.5


def record(ctx: JobContext) -> str:
    """Remember the call; report the month before the firing."""
    with _lock:
        calls.append((ctx.job_id, ctx.fired_at.isoformat(), ctx.trigger))
    return f"month {ctx.previous_month}"


def slow_locked(ctx: JobContext) -> str:
    """Take the work lock of the previous month, then work for a while."""
    with ctx.lock(f"sample:{ctx.previous_month}"):
        time.sleep(SLOW_SECONDS)
        return record(ctx)


def tick(ctx: JobContext) -> str:
    """Append ``pid fired_at`` to the file ``PAYROLL_TEST_MARKER`` (subprocess tests)."""
    line = f"{os.getpid()} {ctx.fired_at.isoformat()}\n"
    with open(os.environ["PAYROLL_TEST_MARKER"], "a", encoding="utf-8") as marker:
        marker.write(line)
    return "tick"


def boom(ctx: JobContext) -> str:
    """Always fails."""
    raise PayrollError(f"boom at {ctx.fired_at.isoformat()}")


NOT_CALLABLE = 42


def sleepy(ctx: JobContext) -> str:
    """Outlasts a one-second schedule."""
    time.sleep(1.6)
    return record(ctx)
