"""The month ledger kept on disk: served from the file until a run of the month changes.

Both backends; March 2026, 종로구's 동행일자리 finalized first, 중구's later."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.formats.ledger_files import csv_bytes
from payroll.services.ledger import cache as ledger_cache
from payroll.services.ledger.build import ScopeError, build_ledger, resolve_scope
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from tests.support.attack import finalize_month
from tests.support.factories import add_enrolled

MONTH = "2026-03"
TERM = {"start": date(2026, 1, 5), "end": date(2026, 6, 30), "term": "2026-H1"}


def _finalize(engine: Engine, district: str) -> None:
    [run] = calculate_runs(SqlUnitOfWork(engine), MONTH, district=district)
    approve_run(SqlUnitOfWork(engine), str(run.id), "이팀장")
    finalize_run(SqlUnitOfWork(engine), str(run.id), "박과장")


def test_the_ledger_is_built_once_and_rebuilt_when_a_run_changes(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uow = SqlUnitOfWork(engine)
    add_enrolled(engine, "P-1", **TERM)  # type: ignore[arg-type]
    finalize_month(engine, MONTH)
    first = ledger_cache.month_ledger_bytes(uow, MONTH, "xlsx", tmp_path)
    [kept] = tmp_path.glob("ledger-2026-03-*.xlsx")
    assert kept.read_bytes() == first and first[:2] == b"PK"

    def no_build(*_args: object) -> None:
        raise AssertionError("the ledger was built again although no run changed")

    with monkeypatch.context() as patch:
        patch.setattr(ledger_cache, "build_ledger", no_build)
        assert ledger_cache.month_ledger_bytes(uow, MONTH, "xlsx", tmp_path) == first

    # 중구's run of the same month is finalized: the next download is a new file
    add_enrolled(engine, "P-3", name="박하늘", district="11140", **TERM)  # type: ignore[arg-type]
    _finalize(engine, "11140")
    second = ledger_cache.month_ledger_bytes(uow, MONTH, "xlsx", tmp_path)
    [now] = tmp_path.glob("ledger-2026-03-*.xlsx")
    assert second != first and now != kept and not kept.exists()


def test_the_kept_csv_is_the_ledger_of_the_database(engine: Engine, tmp_path: Path) -> None:
    uow = SqlUnitOfWork(engine)
    add_enrolled(engine, "P-1", **TERM)  # type: ignore[arg-type]
    add_enrolled(engine, "P-3", name="박하늘", district="11140", **TERM)  # type: ignore[arg-type]
    finalize_month(engine, MONTH)
    kept = ledger_cache.month_ledger_bytes(uow, MONTH, "csv", tmp_path)
    with uow:
        fresh = csv_bytes(build_ledger(uow, resolve_scope(uow, month=MONTH)))
    assert kept == fresh
    assert "11110" in kept.decode("utf-8-sig") or "종로구" in kept.decode("utf-8-sig")
    assert "11140" in kept.decode("utf-8-sig") or "중구" in kept.decode("utf-8-sig")


def test_a_bad_month_writes_no_file(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "kept"
    with pytest.raises((ScopeError, ValueError)):
        ledger_cache.month_ledger_bytes(SqlUnitOfWork(engine), "../../2026-03", "csv", folder)
    assert not folder.exists() and not (tmp_path / "2026-03.csv").exists()
