"""The scheduled 명세서 발송 job: newly finalized runs' payslips leave once, through a real
SMTP server on 127.0.0.1; a second firing sends nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.scheduler.execution import execute
from payroll.scheduler.lease import new_holder
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from tests.support.factories import add_enrolled
from tests.support.smtp_server import smtp_server

JOB = "payroll.scheduler.jobs:send_finalized_payslips"


def test_newly_finalized_runs_are_sent_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    uow = SqlUnitOfWork(engine)
    add_enrolled(engine, "S-1")
    with uow:
        person = uow.participants.get("S-1")
        assert person is not None
        uow.participants.update(
            person.id, {"email": "s1@example.kr", "phone": "01099998888", "delivery": "email"}
        )
    [run] = calculate_runs(uow, "2025-03")
    approve_run(uow, str(run.id), "lee")
    finalize_run(uow, str(run.id), "park")
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("PAYROLL_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("PAYROLL_SMTP_PORT", str(port))
        monkeypatch.setenv("PAYROLL_SMTP_SECURITY", "none")
        monkeypatch.setenv("PAYROLL_SMTP_FROM", "payroll@example.kr")
        monkeypatch.setenv("PAYROLL_SEND_RATE", "1000")
        first = execute(engine, "send-finalized-payslips", JOB, datetime.now(UTC), "schedule",
                        new_holder())  # fmt: skip
        assert first.outcome == "success", first.message
        assert first.message == f"run {run.id}: sent 1, to print 0"
        assert [m["To"] for m in inbox.messages] == ["s1@example.kr"]
        by_hand = execute(engine, "send-finalized-payslips", JOB, datetime.now(UTC), "manual",
                          new_holder())  # fmt: skip
        assert by_hand.outcome == "success", by_hand.message
        assert len(inbox.messages) == 1
