"""A unit-of-work factory whose runs of one district fail after writing the run row:
what a worker process of the parallel calculation opens in the pool-failure test."""

from __future__ import annotations

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
