"""``payroll run calculate --month 2025-03`` in its own process, with a pause between
looking the run up and storing it, so that two of them race every time."""

from __future__ import annotations

import time

from payroll.cli.main import app
from payroll.services.runs import lifecycle as runs

_find_run = runs._find_run


def _slow_find_run(*args, **kwargs):  # type: ignore[no-untyped-def]
    found = _find_run(*args, **kwargs)
    time.sleep(1.5)
    return found


if __name__ == "__main__":
    runs._find_run = _slow_find_run  # type: ignore[assignment]
    app(["run", "calculate", "--month", "2025-03"], prog_name="payroll")
