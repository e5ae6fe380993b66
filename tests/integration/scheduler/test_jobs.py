"""The batch jobs call their service with the month or day of the firing (Asia/Seoul).

The services are tested on their own; here they are replaced by recording stand-ins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import District, PayrollRun, ProgramRow
from payroll.db.uow import SqlUnitOfWork
from payroll.scheduler import history, locks
from payroll.scheduler.execution import execute
from payroll.scheduler.lease import new_holder


@dataclass
class Report:
    ok: bool = True
    problems: list[str] = field(default_factory=list)


@dataclass
class Output:
    rendered: int = 3
    skipped: int = 1
    failed: list[str] = field(default_factory=list)


@dataclass
class Closed:
    closed: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)


class FakeServices:
    """Stand-ins for ``payroll.services.*``, recording their calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self.integrity = Report()
        self.output = Output()
        self._install(monkeypatch, "runs.lifecycle", "calculate_runs", lambda *a, **k: ["r1", "r2"])
        self._install(monkeypatch, "payslips.output", "write_payslips", lambda *a, **k: self.output)
        ledgers = [Path("x")]
        self._install(monkeypatch, "ledger.output", "write_month_ledgers", lambda *a, **k: ledgers)
        self._install(
            monkeypatch,
            "runs.terms",
            "close_ended_terms",
            lambda *a, **k: Closed(["dongheng 2025-H1"]),
        )
        self._install(
            monkeypatch, "ledger.integrity", "integrity_check", lambda *a, **k: self.integrity
        )

    def _install(self, monkeypatch: pytest.MonkeyPatch, module: str, name: str, result) -> None:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args[1:], kwargs))
            return result(*args, **kwargs)

        monkeypatch.setattr(f"payroll.services.{module}.{name}", call)


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeServices:
    monkeypatch.setenv("PAYROLL_OUTPUT_DIR", str(tmp_path / "out"))
    return FakeServices(monkeypatch)


def fire(engine: Engine, job: str, when: datetime, trigger: str = "schedule"):
    return execute(engine, job, f"payroll.scheduler.jobs:{job}", when, trigger, new_holder())


def test_calculation_takes_the_month_before_the_firing_in_seoul(
    engine: Engine, services: FakeServices
) -> None:
    # 2025-02-28 17:00 UTC is 2025-03-01 02:00 in Seoul: February is calculated
    result = fire(engine, "calculate_previous_month", datetime(2025, 2, 28, 17, 0, tzinfo=UTC))
    assert result.outcome == "success", result.message
    [(name, args, kwargs)] = services.calls
    assert (name, args, kwargs["actor"]) == ("calculate_runs", ("2025-02",), "scheduler")
    # the runs go to PAYROLL_WORKERS processes, each opening its own unit of work
    assert kwargs["workers"] >= 1 and kwargs["uow_factory"]().engine.url == engine.url
    assert result.message == "2025-02: calculated 2 run(s)"

    fire(engine, "calculate_previous_month", pendulum.datetime(2026, 1, 1, 2, tz="Asia/Seoul"))
    name, args, kwargs = services.calls[-1]
    assert (name, args, kwargs["actor"]) == ("calculate_runs", ("2025-12",), "scheduler")


def test_calculation_already_in_progress_is_skipped(engine: Engine, services: FakeServices) -> None:
    locks.acquire(SqlUnitOfWork(engine), "calculate:2025-02", "other-host:1:abc (manual)")
    result = fire(
        engine, "calculate_previous_month", pendulum.datetime(2025, 3, 1, 2, tz="Asia/Seoul")
    )
    assert result.outcome == "skipped"
    assert "other-host:1:abc" in result.message
    assert services.calls == []


def test_ledgers_of_the_previous_month(
    engine: Engine, services: FakeServices, tmp_path: Path
) -> None:
    result = fire(
        engine, "write_previous_month_ledgers", pendulum.datetime(2024, 3, 5, 6, tz="Asia/Seoul")
    )
    assert result.outcome == "success", result.message
    assert services.calls == [
        ("write_month_ledgers", ("2024-02", tmp_path / "out" / "ledgers" / "2024-02"), {})
    ]


def test_terms_are_closed_as_of_the_firing_day_in_seoul(
    engine: Engine, services: FakeServices
) -> None:
    # 2028-02-28 16:00 UTC is 2028-02-29 01:00 in Seoul
    result = fire(engine, "close_ended_terms", datetime(2028, 2, 28, 16, 0, tzinfo=UTC))
    assert services.calls == [("close_ended_terms", (pendulum.date(2028, 2, 29),), {})]
    assert result.message == "2028-02-29: closed=['dongheng 2025-H1'] waiting=[]"


def test_integrity_problems_fail_the_job_and_are_listed(
    engine: Engine, services: FakeServices
) -> None:
    when = pendulum.datetime(2025, 4, 2, 4, 30, tz="Asia/Seoul")
    assert fire(engine, "integrity_check", when).outcome == "success"
    services.integrity = Report(ok=False, problems=["P-001 has no run for 2025-03", "totals"])
    result = fire(engine, "integrity_check", when)
    assert result.outcome == "failed"
    assert "2 integrity problem(s)" in result.message
    assert "- P-001 has no run for 2025-03" in result.message
    assert history.recent(SqlUnitOfWork(engine), "integrity_check")[0].outcome == "failed"


def add_run(engine: Engine, month: str, state: str, finalized_at: datetime | None) -> None:
    with transaction(engine) as session:
        district = session.scalars(select(District.code)).first()
        programs = session.scalars(select(ProgramRow.code)).all()
        taken = session.scalars(select(PayrollRun.program_code).where(PayrollRun.month == month))
        program = next(p for p in programs if p not in set(taken))
        run = PayrollRun(
            month=month,
            district_code=district,
            program_code=program,
            state="approved" if state == "finalized" else state,
            finalized_at=finalized_at,
        )
        session.add(run)
        session.flush()
        run.state = state  # an empty run: its payee snapshot is empty too


def test_payslips_are_rendered_for_months_with_newly_finalized_runs(
    engine: Engine, services: FakeServices, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    add_run(engine, "2025-01", "finalized", now - timedelta(days=90))  # long done
    add_run(engine, "2025-02", "finalized", now - timedelta(days=2))
    add_run(engine, "2025-03", "approved", None)
    result = fire(engine, "render_finalized_payslips", now)
    assert result.outcome == "success", result.message
    out = tmp_path / "out" / "payslips"
    assert services.calls == [("write_payslips", ("2025-02", out), {"only_finalized": True})]
    assert result.message == "2025-02: rendered=3 skipped=1 failed=[]"

    # next time only runs finalized since (about) the previous success are looked at
    services.calls.clear()
    assert fire(engine, "render_finalized_payslips", now).message == "no newly finalized runs"
    assert services.calls == []


def test_payslips_that_fail_to_render_fail_the_job(engine: Engine, services: FakeServices) -> None:
    add_run(engine, "2025-02", "finalized", datetime.now(UTC))
    services.output = Output(rendered=2, failed=["P-007: template error"])
    result = fire(engine, "render_finalized_payslips", datetime.now(UTC))
    assert result.outcome == "failed"
    assert "1 payslip(s) not rendered:\n- 2025-02: P-007: template error" in result.message
