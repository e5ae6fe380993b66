"""Unit-of-work factories for the worker processes of the parallel calculation's tests:
one whose runs of a district fail after writing the run row, one whose runs stall."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from payroll.db.uow import SqlUnitOfWork, unit_of_work


class _FailingRuns:
    def __init__(self, runs: Any, district: str) -> None:
        self._runs, self._district = runs, district

    def add(self, month: str, district: str, program: str) -> int:
        run_id = self._runs.add(month, district, program)  # written, then the run fails
        if district == self._district:
            raise RuntimeError(f"disk full while storing {district}")
        return int(run_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._runs, name)


class FailingUow(SqlUnitOfWork):
    def __init__(self, url: str, district: str) -> None:
        super().__init__(unit_of_work(url).engine)
        self._failing_district = district

    def _open_stores(self, session: Any) -> None:
        super()._open_stores(session)
        self.runs = _FailingRuns(self.runs, self._failing_district)  # type: ignore[assignment]


class FailingFactory:
    """Picklable: ``FailingFactory(url, district)()`` is a new :class:`FailingUow`."""

    def __init__(self, url: str, district: str) -> None:
        self.url, self.district = url, district

    def __call__(self) -> FailingUow:
        return FailingUow(self.url, self.district)


class _SlowRuns(_FailingRuns):
    def __init__(self, runs: Any, pid_file: str) -> None:
        super().__init__(runs, "")
        self._pid_file = pid_file

    def add(self, month: str, district: str, program: str) -> int:
        run_id = self._runs.add(month, district, program)
        with open(self._pid_file + ".started", "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        time.sleep(30)  # killed meanwhile
        return int(run_id)


class SlowUow(SqlUnitOfWork):
    def __init__(self, url: str, pid_file: str) -> None:
        super().__init__(unit_of_work(url).engine)
        self._pid_file = pid_file

    def _open_stores(self, session: Any) -> None:
        super()._open_stores(session)
        self.runs = _SlowRuns(self.runs, self._pid_file)  # type: ignore[assignment]


class SlowFactory:
    """Picklable: each worker notes its pid in ``pid_file``; every run writes its row,
    notes the pid in ``pid_file.started`` and then stalls, to be killed."""

    def __init__(self, url: str, pid_file: str) -> None:
        self.url, self.pid_file = url, pid_file

    def __call__(self) -> SlowUow:
        with open(self.pid_file, "a", encoding="utf-8") as out:  # a worker starts
            out.write(f"{os.getpid()}\n")
        return SlowUow(self.url, self.pid_file)


def calculate_slowly(url: str, pid_file: str) -> None:
    """``python -m tests.support.failing_uow URL PID_FILE``: a calculation in three
    processes (the command and two workers) that stalls in every run."""
    from payroll.services.runs.lifecycle import calculate_runs

    calculate_runs(
        SlowUow(url, pid_file),  # the runs the command takes itself stall too
        "2025-03",
        workers=3,
        uow_factory=SlowFactory(url, pid_file),
    )


if __name__ == "__main__":
    calculate_slowly(sys.argv[1], sys.argv[2])
