"""Sending a finalized run's payslips through a real SMTP server on 127.0.0.1, on SQLite and
PostgreSQL: a crash mid-send resumed without a second message to anyone, a busy server
tried again with backoff, a refused mailbox recorded as a bounce."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.domain.delivery import DeliveryFailure, DeliveryState, PayslipMail
from payroll.domain.report_records import RunRecord
from payroll.notify.smtp import MailSettingsError, SmtpMailer, SmtpSettings
from payroll.services.payslips.delivery import (
    INTERRUPTED,
    SendOptions,
    delivery_status,
    send_run,
)
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from tests.support.factories import add_enrolled
from tests.support.smtp_server import Inbox, self_signed, smtp_server

PEOPLE = {
    "P-1": ("김가람", "ga@example.kr"),
    "P-2": ("박하늘", "ha@example.kr"),
    "P-3": ("이서준", "seo@example.kr"),
}


@pytest.fixture
def server() -> Iterator[tuple[Inbox, SmtpSettings]]:
    with smtp_server() as (inbox, port):
        yield inbox, SmtpSettings("127.0.0.1", port, "none", "payroll@example.kr")


def finalized(engine: Engine, emails: dict[str, str] | None = None) -> RunRecord:
    """A finalized March 2025 run of three participants who chose 이메일."""
    uow = SqlUnitOfWork(engine)
    for pid, (name, email) in PEOPLE.items():
        add_enrolled(engine, pid, name=name)
        with uow:
            person = uow.participants.get(pid)
            assert person is not None
            address = (emails or {}).get(pid, email)
            uow.participants.update(
                person.id, {"email": address, "phone": "01012345678", "delivery": "email"}
            )
    [run] = calculate_runs(uow, "2025-03")
    approve_run(uow, str(run.id), "lee")
    finalize_run(uow, str(run.id), "park")
    with uow:
        found = uow.runs.get(run.id)
    assert found is not None
    return found


class CrashAfter:
    """Hands ``limit`` messages to the server, then the job dies (as a killed process
    would) right after the next one left, before its state is written."""

    def __init__(self, inner: SmtpMailer, limit: int) -> None:
        self.inner, self.limit, self.count = inner, limit, 0

    def send(self, mail: PayslipMail) -> None:
        self.inner.send(mail)
        self.count += 1
        if self.count > self.limit:
            raise KeyboardInterrupt("power cut")


def test_a_crash_mid_send_is_resumed_without_sending_anyone_twice(
    engine: Engine, server: tuple[Inbox, SmtpSettings]
) -> None:
    inbox, settings = server
    run = finalized(engine)
    fast = SendOptions(rate=1000, attempts=3, backoff=0)
    with SmtpMailer(settings) as mailer, pytest.raises(KeyboardInterrupt):
        send_run(SqlUnitOfWork(engine), run, CrashAfter(mailer, 1), options=fast)
    assert len(inbox.messages) == 2  # the second left; the job died before writing so

    with SmtpMailer(settings) as mailer:
        report = send_run(SqlUnitOfWork(engine), run, mailer, options=fast)

    assert Counter(m["To"] for m in inbox.messages) == {e: 1 for _, e in PEOPLE.values()}
    states = {d.participant_id: (d.state, d.reason) for d in report.deliveries}
    # sorted by name: 김가람 (P-1) then 박하늘 (P-2) left before the crash
    assert states["P-1"] == (DeliveryState.SENT, None)
    assert states["P-2"] == (DeliveryState.FAILED, INTERRUPTED)  # may have left: not resent
    assert states["P-3"] == (DeliveryState.SENT, None)
    assert report.sent_now == 1
    assert [u.participant_id for u in report.to_print] == ["P-2"]


class BusyFirst:
    """A server that is busy (421) for the first try of each message."""

    def __init__(self, inner: SmtpMailer, always: bool = False) -> None:
        self.inner, self.always = inner, always
        self.tried: set[str] = set()

    def send(self, mail: PayslipMail) -> None:
        if self.always or mail.to not in self.tried:
            self.tried.add(mail.to)
            raise DeliveryFailure("메일 서버가 거부함 (421 busy)", permanent=False)
        self.inner.send(mail)


def test_a_busy_server_is_tried_again_after_a_pause_and_at_most_attempts_times(
    engine: Engine, server: tuple[Inbox, SmtpSettings]
) -> None:
    inbox, settings = server
    run = finalized(engine)
    pauses: list[float] = []
    options = SendOptions(rate=4, attempts=2, backoff=30)
    with SmtpMailer(settings) as mailer:
        report = send_run(
            SqlUnitOfWork(engine), run, BusyFirst(mailer), options=options, sleep=pauses.append
        )
    assert Counter(m["To"] for m in inbox.messages) == {e: 1 for _, e in PEOPLE.values()}
    assert {(d.state, d.attempts) for d in report.deliveries} == {(DeliveryState.SENT, 2)}
    assert 30 in pauses and pauses.count(0.25) == 6  # 4 a second: 0.25 s after each try

    with SmtpMailer(settings) as mailer:  # every delivery is done: nothing is tried again
        again = send_run(SqlUnitOfWork(engine), run, BusyFirst(mailer, always=True))
    assert again.sent_now == 0 and len(inbox.messages) == 3


def test_an_always_busy_server_fails_each_payslip_after_its_attempts(
    engine: Engine, server: tuple[Inbox, SmtpSettings]
) -> None:
    inbox, settings = server
    run = finalized(engine)
    with SmtpMailer(settings) as mailer:
        report = send_run(
            SqlUnitOfWork(engine),
            run,
            BusyFirst(mailer, always=True),
            options=SendOptions(rate=1000, attempts=3, backoff=1),
            sleep=lambda _: None,
        )
    assert inbox.messages == []
    assert {(d.state, d.attempts) for d in report.deliveries} == {(DeliveryState.FAILED, 3)}
    assert all("421 busy" in (d.reason or "") for d in report.deliveries)
    assert len(report.to_print) == 3


def test_a_refused_mailbox_is_a_bounce_and_listed_for_printing(
    engine: Engine, server: tuple[Inbox, SmtpSettings]
) -> None:
    inbox, settings = server
    run = finalized(engine, {"P-3": "bounce-seo@example.kr"})
    with SmtpMailer(settings) as mailer:
        send_run(SqlUnitOfWork(engine), run, mailer, options=SendOptions(rate=1000))
    status = delivery_status(SqlUnitOfWork(engine), run)
    by_id = {d.participant_id: d for d in status.deliveries}
    assert by_id["P-3"].state == DeliveryState.BOUNCED and by_id["P-3"].attempts == 1
    assert "550" in (by_id["P-3"].reason or "")
    assert [u.participant_id for u in status.to_print] == ["P-3"]
    assert sorted(m["To"] for m in inbox.messages) == ["ga@example.kr", "ha@example.kr"]


def test_a_wrong_mail_server_stops_the_job_before_anything_is_marked(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from payroll.notify.channels import open_channels
    from tests.support.smtp_server import free_port

    run = finalized(engine)
    monkeypatch.setenv("PAYROLL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PAYROLL_SMTP_PORT", str(free_port()))  # nobody listens there
    monkeypatch.setenv("PAYROLL_SMTP_FROM", "payroll@example.kr")
    with pytest.raises(MailSettingsError, match="연결할 수 없습니다"), open_channels():
        pass
    assert delivery_status(SqlUnitOfWork(engine), run).deliveries == []


def test_a_local_relay_without_starttls_is_used_under_the_default_setting(
    engine: Engine, server: tuple[Inbox, SmtpSettings]
) -> None:
    inbox, settings = server
    run = finalized(engine)
    default = SmtpSettings("127.0.0.1", settings.port, "starttls", "payroll@example.kr")
    with SmtpMailer(default) as mailer:
        report = send_run(SqlUnitOfWork(engine), run, mailer, options=SendOptions(rate=1000))
    assert report.sent_now == 3 and len(inbox.messages) == 3


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_payslips_leave_over_starttls_or_smtps_with_the_certificate_checked(
    engine: Engine, tmp_path: Path, security: str
) -> None:
    cert = self_signed(tmp_path)
    run = finalized(engine)
    with smtp_server(security, cert) as (inbox, port):
        untrusted = SmtpMailer(SmtpSettings("127.0.0.1", port, security, "payroll@example.kr"))
        with pytest.raises(MailSettingsError, match="연결할 수 없습니다"):
            untrusted.connect()  # a certificate nobody vouches for is refused
        trusted = SmtpSettings(
            "127.0.0.1", port, security, "payroll@example.kr", ca_file=str(cert[0])
        )
        with SmtpMailer(trusted) as mailer:
            mailer.connect()
            report = send_run(SqlUnitOfWork(engine), run, mailer, options=SendOptions(rate=1000))
    assert report.sent_now == 3 and len(inbox.messages) == 3
