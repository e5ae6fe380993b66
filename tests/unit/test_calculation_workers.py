"""How many processes calculate a month's runs (``PAYROLL_WORKERS``)."""

from __future__ import annotations

import os

import pytest

from payroll.config.settings import calculation_workers

PG = "postgresql+psycopg://payroll@db/payroll"
SQLITE = "sqlite:///payroll.db"


def test_by_default_postgresql_uses_every_core_and_sqlite_one_writer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PAYROLL_WORKERS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert calculation_workers(PG) == 6
    assert calculation_workers(SQLITE) == 1


def test_a_set_number_is_obeyed_on_either_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAYROLL_WORKERS", " 3 ")
    assert calculation_workers(PG) == calculation_workers(SQLITE) == 3
    monkeypatch.setenv("PAYROLL_WORKERS", "0")
    assert calculation_workers(PG) == 1  # never fewer than the command's own process


def test_a_setting_that_is_not_a_number_is_refused_in_korean(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PAYROLL_WORKERS", "two")
    with pytest.raises(ValueError, match="PAYROLL_WORKERS='two': 1 이상의 정수로 지정하세요"):
        calculation_workers(PG)
