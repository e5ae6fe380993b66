"""The scheduled filings take the previous month (and the day) of the firing in Seoul."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from payroll.services.filings.jobs import FilingsWritten
from tests.integration.scheduler.test_jobs import fire


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, tuple[Any, ...]]]:
    monkeypatch.setenv("PAYROLL_OUTPUT_DIR", str(tmp_path / "out"))
    seen: list[tuple[str, tuple[Any, ...]]] = []

    def month(engine: Engine, *args: Any) -> FilingsWritten:
        seen.append(("month", args))
        return FilingsWritten(["w.xlsx", "t.xlsx"])

    def term(engine: Engine, *args: Any) -> FilingsWritten:
        seen.append(("term", args))
        return FilingsWritten([], ["dongheng-2025-H1 losses: 2025-06 not finalized"])

    monkeypatch.setattr("payroll.services.filings.jobs.write_month_filings", month)
    monkeypatch.setattr("payroll.services.filings.jobs.write_term_insurance", term)
    return seen


def test_monthly_filings_of_the_previous_month(
    engine: Engine, calls: list[tuple[str, tuple[Any, ...]]], tmp_path: Path
) -> None:
    # 2025-04-05 21:00 UTC is 2025-04-06 06:00 in Seoul: March's filings
    result = fire(engine, "write_previous_month_filings", datetime(2025, 4, 5, 21, tzinfo=UTC))
    assert result.outcome == "success", result.message
    assert calls == [("month", ("2025-03", tmp_path / "out" / "filings" / "2025-03"))]
    assert result.message.startswith("2025-03: wrote 2 file(s)")


def test_term_insurance_reports_on_the_day_in_seoul(
    engine: Engine, calls: list[tuple[str, tuple[Any, ...]]], tmp_path: Path
) -> None:
    result = fire(engine, "write_term_insurance_reports", datetime(2025, 6, 30, 21, 30, tzinfo=UTC))
    assert result.outcome == "success", result.message
    [(kind, (day, folder))] = calls
    assert (kind, str(day), folder) == (
        "term",
        "2025-07-01",
        tmp_path / "out" / "filings" / "insurance",
    )
    assert "waiting: dongheng-2025-H1 losses" in result.message
