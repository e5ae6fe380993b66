"""명세서 발송 on the run page: the clerk sends a finalized run's payslips through a real
SMTP server on 127.0.0.1; states and the print list on the page; other districts 404."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from tests.e2e.web.conftest import OTHER, OWN
from tests.support.factories import add_enrolled
from tests.support.smtp_server import Inbox, smtp_server

pytestmark = pytest.mark.usefixtures("users")


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    with smtp_server() as (found, port):
        for name, value in {
            "PAYROLL_SMTP_HOST": "127.0.0.1",
            "PAYROLL_SMTP_PORT": str(port),
            "PAYROLL_SMTP_SECURITY": "none",
            "PAYROLL_SMTP_FROM": "payroll@jongno.example.kr",
            "PAYROLL_SEND_RATE": "1000",
        }.items():
            monkeypatch.setenv(name, value)
        yield found


@pytest.fixture
def finalized(engine: Engine) -> dict[str, int]:
    """A finalized March run in each district: J-001 chose 이메일, J-002 종이."""
    uow = SqlUnitOfWork(engine)
    add_enrolled(engine, "J-001", district=OWN)
    add_enrolled(engine, "J-002", name="박하늘", district=OWN)
    add_enrolled(engine, "C-001", name="박비밀", district=OTHER)
    with uow:
        person = uow.participants.get("J-001")
        assert person is not None
        uow.participants.update(
            person.id, {"email": "j1@example.kr", "phone": "01012345678", "delivery": "email"}
        )
    ids = {}
    for run in calculate_runs(uow, "2025-03", actor="clerk"):
        approve_run(uow, str(run.id), "manager")
        finalize_run(uow, str(run.id), "manager2")
        ids["own" if run.district == OWN else "other"] = run.id
    return ids


def wait_done(b: Any, page: Any) -> str:
    progress_url = page.url.path + "/progress"
    for _ in range(300):
        fragment = b.get(progress_url, headers={"HX-Request": "true"}).text
        if 'data-state="done"' in fragment or 'data-state="failed"' in fragment:
            return str(fragment)
        time.sleep(0.1)
    raise AssertionError("the job did not end")


def test_the_clerk_sends_and_the_run_page_shows_states_and_the_print_list(
    browser: Any, finalized: dict[str, int], inbox: Inbox
) -> None:
    b = browser()
    b.login("clerk")
    before = b.get(f"/runs/{finalized['own']}").text
    assert 'id="send-payslips"' in before and "아직 보내지 않았습니다" in before

    page = b.post(f"/runs/{finalized['own']}/send")
    assert page.url.path.startswith("/jobs/")
    assert "명세서 1건 보냄" in wait_done(b, page)
    assert [m["To"] for m in inbox.messages] == ["j1@example.kr"]

    after = b.get(f"/runs/{finalized['own']}").text
    states = after.split('id="delivery-states"', 1)[1].split("</table>", 1)[0]
    assert "J-001" in states and "보냄" in states
    printed = after.split('id="print-list"', 1)[1].split("</table>", 1)[0]
    assert "J-002" in printed and "수령방법 종이" in printed and "J-001" not in printed

    again = b.post(f"/runs/{finalized['own']}/send")  # pressed twice: nobody gets two
    assert "명세서 0건 보냄" in wait_done(b, again)
    assert len(inbox.messages) == 1


def test_other_districts_and_roles_without_the_right_cannot_send(
    browser: Any, finalized: dict[str, int], inbox: Inbox
) -> None:
    b = browser()
    b.login("clerk2")
    assert b.post(f"/runs/{finalized['own']}/send").status_code == 404
    m = browser()
    m.login("manager")
    page = m.get(f"/runs/{finalized['own']}").text
    assert 'id="delivery-states"' in page and 'id="send-payslips"' not in page
    refused = m.post(f"/runs/{finalized['own']}/send")
    assert "권한이 없습니다" in refused.text
    assert inbox.messages == []
