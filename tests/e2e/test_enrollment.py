"""Enrollment through the service and ``payroll enroll``: limits at their boundaries, overrides."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import typer
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from payroll.cli import common, roster
from payroll.db.engine import transaction
from payroll.db.models import AuditLog, EnrollmentRow, LimitRuleRow, Participant
from payroll.db.uow import SqlUnitOfWork
from payroll.services.enrollment.enroll import EnrollmentRefused, EnrollResult, Override, enroll
from payroll.services.people.participants import participant_report


@pytest.fixture
def cli(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setattr(common.console, "_width", 200)
    monkeypatch.setattr(common.err_console, "_width", 400)
    app = typer.Typer()
    app.command("enroll")(roster.enroll)
    app.add_typer(roster.participant_app, name="participant")
    return app


def add_participant(
    engine: Engine, pid: str, born: date = date(1970, 5, 1), household: str | None = None
) -> None:
    with transaction(engine) as s:
        s.add(
            # An enrollment needs a stored number; its person key stands for it here.
            Participant(participant_id=pid, name=f"참여자 {pid}", birth_date=born,
                        household=household, district_code="11110", rrn_encrypted=b"-",
                        person_key=f"person-{pid}", created_at=datetime.now(UTC))
        )  # fmt: skip


def add_past(engine: Engine, pid: str, program: str, start: str, end: str, term: str) -> int:
    with transaction(engine) as s:
        p = s.scalars(select(Participant).where(Participant.participant_id == pid)).one()
        row = EnrollmentRow(
            participant_pk=p.id, program_code=program, term_code=term,
            start=date.fromisoformat(start), end=date.fromisoformat(end), source="history",
            created_at=datetime.now(UTC),
        )  # fmt: skip
        s.add(row)
        s.flush()
        return row.id


def enroll_now(engine: Engine, pid: str, program: str, term: str, **kw: Any) -> EnrollResult:
    return enroll(SqlUnitOfWork(engine), pid, program, term, **kw)


def count(engine: Engine, model: type) -> int:
    with transaction(engine) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def dongheng_2024(engine: Engine, pid: str) -> list[int]:
    return [
        add_past(engine, pid, "dongheng", "2024-01-10", "2024-06-28", "2024-H1"),
        add_past(engine, pid, "dongheng", "2024-07-01", "2024-12-20", "2024-H2"),
    ]


def test_third_consecutive_term_allowed_fourth_refused_naming_the_enrollments(
    engine: Engine,
) -> None:
    add_participant(engine, "P1")
    first, second = dongheng_2024(engine, "P1")
    third = enroll_now(engine, "P1", "dongheng", "2025-H1")
    assert third.created
    before = count(engine, EnrollmentRow)

    with pytest.raises(EnrollmentRefused) as refused:
        enroll_now(engine, "P1", "dongheng", "2025-H2")

    message = str(refused.value)
    assert "max_consecutive_terms: " in message
    assert "이미 dongheng 3기 연속 참여(2024-H1, 2024-H2, 2025-H1)" in message
    for ref in (first, second, third.enrollment_id):
        assert f"#{ref} dongheng" in message
    assert count(engine, EnrollmentRow) == before


def test_a_skipped_term_breaks_the_chain(engine: Engine) -> None:
    add_participant(engine, "P1")
    add_past(engine, "P1", "dongheng", "2023-01-10", "2023-06-30", "2023-H1")
    add_past(engine, "P1", "dongheng", "2023-07-01", "2023-12-20", "2023-H2")
    add_past(engine, "P1", "dongheng", "2024-01-10", "2024-06-28", "2024-H1")
    # 2024-H2 skipped: 2025-H1 and 2025-H2 start a new run of two.
    assert enroll_now(engine, "P1", "dongheng", "2025-H1").created
    assert enroll_now(engine, "P1", "dongheng", "2025-H2").created


def test_maeryeok_18_months_reached_exactly_allowed_one_day_more_refused(
    engine: Engine,
) -> None:
    for pid in ("EXACT", "OVER"):
        add_participant(engine, pid)
        add_past(engine, pid, "maeryeok", "2023-03-01", "2023-12-31", "2023-H2")  # 10 months
    # 2025-05-01..2025-12-31 is 8 months: 18 in all.
    exact = enroll_now(engine, "EXACT", "maeryeok", "2025", start=date(2025, 5, 1))
    assert exact.created
    # One day earlier is a started 9th month: 19.
    with pytest.raises(EnrollmentRefused) as refused:
        enroll_now(engine, "OVER", "maeryeok", "2025", start=date(2025, 4, 30))
    assert "max_cumulative_months" in str(refused.value)
    assert "이미 10개월 참여" in str(refused.value)


def test_override_is_stored_audited_and_shown(engine: Engine, cli: typer.Typer) -> None:
    add_participant(engine, "P1")
    dongheng_2024(engine, "P1")
    enroll_now(engine, "P1", "dongheng", "2025-H1")

    result = enroll_now(
        engine, "P1", "dongheng", "2025-H2", override=Override("구청장 승인 2025-117", "박주무관")
    )

    with transaction(engine) as s:
        row = s.get(EnrollmentRow, result.enrollment_id)
        assert row is not None
        assert (row.override_reason, row.override_by) == ("구청장 승인 2025-117", "박주무관")
        assert row.override_at is not None
        assert row.override_rules == "max_consecutive_terms"
        entry = s.scalars(
            select(AuditLog).where(AuditLog.entity_id == str(row.id),
                                   AuditLog.action == "enrollment.add")
        ).one()  # fmt: skip
        assert entry.actor == "박주무관"
        assert entry.detail["override_reason"] == "구청장 승인 2025-117"
        assert "max_consecutive_terms" in entry.detail["override_rules"][0]
    report = participant_report(SqlUnitOfWork(engine), "P1")
    assert report["overrides"][0]["reason"] == "구청장 승인 2025-117"
    assert report["overrides"][0]["rules"] == ["max_consecutive_terms"]
    [used] = [u for u in report["limits"] if u["rule"] == "max_consecutive_terms"]
    assert (used["used"], used["limit"], used["remaining"]) == (4, 3, 0)

    shown = CliRunner().invoke(cli, ["participant", "show", "P1"])
    assert shown.exit_code == 0, shown.output
    assert "구청장 승인 2025-117" in shown.output and "박주무관" in shown.output


def test_enroll_command_refuses_with_every_rule_and_needs_by_for_override(
    engine: Engine, cli: typer.Typer
) -> None:
    add_participant(engine, "P1")
    dongheng_2024(engine, "P1")
    runner = CliRunner()
    ok = runner.invoke(cli, ["enroll", "P1", "--program", "동행일자리", "--term", "2025-H1"])
    assert ok.exit_code == 0, ok.output
    assert "참여 등록: P1, dongheng 2025-H1 (2025-01-10..2025-06-30) → #" in ok.output

    refused = runner.invoke(cli, ["enroll", "P1", "--program", "dongheng", "--term", "2025-H2"])
    assert refused.exit_code == 1
    assert "오류: P1: dongheng 2025-H2 참여 불가" in refused.output
    assert "2024-H1, 2024-H2, 2025-H1" in refused.output

    no_by = runner.invoke(
        cli, ["enroll", "P1", "--program", "dongheng", "--term", "2025-H2", "--override", "x"]
    )
    assert no_by.exit_code == 1 and "--by" in no_by.output
    assert count(engine, EnrollmentRow) == 3

    forced = runner.invoke(
        cli,
        ["enroll", "P1", "--program", "dongheng", "--term", "2025-H2",
         "--override", "approved", "--by", "kim"],
    )  # fmt: skip
    assert forced.exit_code == 0, forced.output
    assert "max_consecutive_terms 예외 승인 (kim): approved" in forced.output


def test_pay_cut_rule_enrolls_with_the_cut(engine: Engine, cli: typer.Typer) -> None:
    with transaction(engine) as s:
        rule = s.scalars(
            select(LimitRuleRow).where(LimitRuleRow.code == "max_participations_in_window")
        ).one()
        rule.enabled = True
        rule.settings = {"max": 2, "years": 5, "action": "pay_cut", "pay_cut_percent": "10"}
    add_participant(engine, "P1")
    add_past(engine, "P1", "maeryeok", "2022-03-01", "2022-06-30", "2022-H1")
    add_past(engine, "P1", "dongheng", "2023-01-10", "2023-06-30", "2023-H1")

    result = CliRunner().invoke(cli, ["enroll", "P1", "--program", "dongheng", "--term", "2025-H1"])

    assert result.exit_code == 0, result.output
    assert "급여 10 % 감액" in result.output
    with transaction(engine) as s:
        row = s.scalars(select(EnrollmentRow).where(EnrollmentRow.source == "roster")).one()
        assert row.pay_cut_percent == Decimal("10")
        assert row.override_reason is None


def test_one_per_household_refuses_a_second_member(engine: Engine) -> None:
    with transaction(engine) as s:
        rule = s.scalars(select(LimitRuleRow).where(LimitRuleRow.code == "one_per_household")).one()
        rule.enabled = True
    add_participant(engine, "A", household="H-7")
    add_participant(engine, "B", household="H-7")
    enroll_now(engine, "A", "dongheng", "2025-H1")
    with pytest.raises(EnrollmentRefused) as refused:
        enroll_now(engine, "B", "dongheng", "2025-H1", start=date(2025, 3, 1))
    assert "one_per_household" in str(refused.value) and "of A" in str(refused.value)
    assert enroll_now(engine, "B", "dongheng", "2025-H2").created


def test_same_enrollment_twice_is_unchanged_and_dates_must_lie_in_the_term(
    engine: Engine,
) -> None:
    add_participant(engine, "P1")
    first = enroll_now(engine, "P1", "maeryeok", "2025")
    again = enroll_now(engine, "P1", "서울 매력일자리", "2025")
    assert not again.created
    assert again.enrollment_id == first.enrollment_id
    assert count(engine, EnrollmentRow) == 1
    with pytest.raises(Exception, match=r"2025 기간\(2025-03-01\.\.2025-12-31\) 밖입니다"):
        enroll_now(engine, "P1", "maeryeok", "2025", start=date(2025, 2, 1))
