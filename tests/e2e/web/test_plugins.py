"""The console's plug-ins over HTTP: review workbook, early end, templates, filings,
severance review. Each: the allowed role gets the file or the change, another district's
clerk 404, a role without the right 403; the early-end form needs the CSRF token."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import AuditLog, EnrollmentRow, PayrollRun
from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from tests.e2e.web.conftest import OTHER, OWN
from tests.support.factories import add_enrolled

pytestmark = pytest.mark.usefixtures("users")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def runs(engine: Engine) -> dict[str, int]:
    """Calculated March runs of 종로구 (own, J-001 김민지) and 중구 (other, C-001 박비밀)."""
    add_enrolled(engine, "J-001", district=OWN)
    add_enrolled(engine, "C-001", name="박비밀", district=OTHER)
    calculate_runs(SqlUnitOfWork(engine), "2025-03", actor="clerk")
    with transaction(engine) as session:
        return {
            "own" if r.district_code == OWN else "other": r.id
            for r in session.scalars(select(PayrollRun))
        }


def finalize(engine: Engine, run_id: int) -> None:
    approve_run(SqlUnitOfWork(engine), str(run_id), "팀장A")
    finalize_run(SqlUnitOfWork(engine), str(run_id), "팀장B")


def cells(content: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(content))
    return [tuple(row) for sheet in book for row in sheet.iter_rows(values_only=True)]


def audited(engine: Engine, action: str) -> list[tuple[str, str]]:
    with transaction(engine) as session:
        return [
            (a.actor, a.actor_kind)
            for a in session.scalars(select(AuditLog).where(AuditLog.action == action))
        ]


def enrollment_end(engine: Engine, participant_id: str) -> tuple[date, str | None]:
    from payroll.db.models import Participant

    with transaction(engine) as session:
        row = session.scalars(
            select(EnrollmentRow)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(Participant.participant_id == participant_id)
        ).one()
        return row.end, row.end_reason


# --- 1. review workbook ----------------------------------------------------------------


def test_review_workbook_for_the_districts_clerk_and_manager(
    browser: Any, engine: Engine, runs: dict[str, int]
) -> None:
    url = f"/runs/{runs['own']}/review.xlsx"
    for who in ("clerk", "manager"):
        b = browser()
        b.login(who)
        assert 'id="review-workbook"' in b.get(f"/runs/{runs['own']}").text
        got = b.get(url)
        assert got.status_code == 200 and got.headers["content-type"] == XLSX
        assert "review-2025-03-11110-dongheng.xlsx" in got.headers["content-disposition"]
        rows = cells(got.content)
        assert rows[0][0].startswith("급여 검토표")
        assert any(r[:2] == ("김민지", "J-001") for r in rows)
        assert not any("박비밀" in str(r) for r in rows)  # the other district's person
    assert audited(engine, "review.downloaded") == [("clerk", "user"), ("manager", "user")]
    other = browser()
    other.login("clerk2")
    assert other.get(url).status_code == 404
    finance = browser()
    finance.login("finance")
    assert 'id="review-workbook"' not in finance.get(f"/runs/{runs['own']}").text
    assert finance.get(url).status_code == 403


# --- 2. early end ----------------------------------------------------------------------


def test_clerk_ends_an_enrollment_early_and_the_open_run_is_recalculated(
    browser: Any, engine: Engine, runs: dict[str, int]
) -> None:
    b = browser()
    b.login("clerk")
    page = b.get("/participants/J-001")
    assert 'action="/participants/J-001/end"' in page.text and "계약 해지" in page.text
    done = b.post(
        "/participants/J-001/end", on="2025-03-20", reason="employed", program="dongheng",
        term="2025-H1",
    )  # fmt: skip
    assert done.status_code == 200 and done.url.path == "/participants/J-001"
    assert "종료일 2025-06-30 → 2025-03-20 (취업)" in done.text
    assert f"급여 실행 {runs['own']} (2025-03) 다시 계산" in done.text
    assert "2025-03-20 취업 · 원래 종료 2025-06-30 · clerk" in done.text  # on the page
    assert enrollment_end(engine, "J-001") == (date(2025, 3, 20), "employed")
    assert audited(engine, "enrollment.ended") == [("clerk", "user")]
    with transaction(engine) as session:
        run = session.get(PayrollRun, runs["own"])
        assert run is not None and run.calculated_by == "clerk" and run.state == "calculated"


def test_early_end_inside_a_finalized_month_is_accepted_as_a_recovery(
    browser: Any, engine: Engine, runs: dict[str, int]
) -> None:
    finalize(engine, runs["own"])
    b = browser()
    b.login("clerk")
    note = b.post("/participants/J-001/end", on="2025-03-14", reason="other")
    assert note.status_code == 409 and "other(기타)" in note.text  # a note is required
    bad = b.post("/participants/J-001/end", on="2025-13-40", reason="employed")
    assert bad.status_code == 409 and "종료일 &#39;2025-13-40&#39;: 없는 날짜입니다" in bad.text
    assert enrollment_end(engine, "J-001") == (date(2025, 6, 30), None)
    done = b.post("/participants/J-001/end", on="2025-03-14", reason="withdrew")
    assert done.status_code == 200 and "종료일 2025-06-30 → 2025-03-14" in done.text
    assert enrollment_end(engine, "J-001") == (date(2025, 3, 14), "withdrew")
    assert audited(engine, "carryover.recovery") == [("clerk", "user")]


def test_early_end_other_district_404_other_role_403_no_csrf_403(
    browser: Any, engine: Engine, runs: dict[str, int]
) -> None:
    form = {"on": "2025-04-14", "reason": "employed"}
    other = browser()
    other.login("clerk2")
    assert other.post("/participants/J-001/end", **form).status_code == 404
    manager = browser()
    manager.login("manager")
    assert 'action="/participants/J-001/end"' not in manager.get("/participants/J-001").text
    assert manager.post("/participants/J-001/end", **form).status_code == 403
    finance = browser()
    finance.login("finance")
    assert finance.post("/participants/J-001/end", **form).status_code == 403
    clerk = browser()
    clerk.login("clerk")
    missing = clerk.client.post("/participants/J-001/end", data=form)
    assert missing.status_code == 403 and "CSRF" in missing.text
    forged = clerk.client.post("/participants/J-001/end", data={**form, "csrftoken": "x"})
    assert forged.status_code == 403
    assert enrollment_end(engine, "J-001") == (date(2025, 6, 30), None)


# --- 3. import templates -----------------------------------------------------------------


def test_upload_templates_for_the_clerk(browser: Any) -> None:
    b = browser()
    b.login("clerk")
    assert 'href="/templates/attendance.xlsx"' in b.get("/uploads").text
    roster = b.get("/templates/roster.xlsx")
    assert roster.status_code == 200 and roster.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(roster.content))
    assert book.sheetnames == ["참여자 명부", "설명"]
    header = [c.value for c in book.worksheets[0][1]]
    assert header[:4] == ["참여자번호", "성명", "생년월일", "자치구"]
    assert b.get("/templates/payroll.xlsx").status_code == 404
    manager = browser()
    manager.login("manager")
    assert manager.get("/templates/roster.xlsx").status_code == 403


# --- 4. filings and severance ----------------------------------------------------------


def test_filings_are_refused_while_a_run_is_open(browser: Any, runs: dict[str, int]) -> None:
    b = browser()
    b.login("finance")
    page = b.post("/filings/withholding", month="2025-03")
    assert page.url.path == "/ledger" and page.headers["content-type"].startswith("text/html")
    assert "확정(finalize)되지 않은 급여가 있어 만들 수 없습니다" in page.text
    assert "2025-03 종로구" in page.text
    transfer = b.post("/filings/bank-transfer", run=str(runs["own"]), month="2025-03")
    assert "확정(finalize)된 급여만" in transfer.text


def test_finance_downloads_the_months_filings_with_masked_rrns(
    browser: Any, engine: Engine, runs: dict[str, int]
) -> None:
    with transaction(engine) as session:
        from payroll.db.models import Participant

        person = session.scalars(
            select(Participant).where(Participant.participant_id == "J-001")
        ).one()
        person.rrn_masked = "700501-2******"
    finalize(engine, runs["own"])
    finalize(engine, runs["other"])
    b = browser()
    b.login("finance")
    page = b.get("/ledger?month=2025-03").text
    assert 'id="filing-withholding"' in page and f'data-filing="payees-{runs["own"]}"' in page
    withholding = b.post("/filings/withholding", month="2025-03")
    assert withholding.headers["content-type"] == XLSX
    assert "withholding-2025-03.xlsx" in withholding.headers["content-disposition"]
    statement = b.post("/filings/simple-statement", month="2025-03")
    rows = cells(statement.content)
    assert any("700501-2******" in r and "김민지" in r for r in rows)
    payees = cells(b.post("/filings/payees", run=str(runs["own"])).content)
    assert any("김민지" in r and "700501-2******" in r for r in payees)
    transfer = cells(b.post("/filings/bank-transfer", run=str(runs["own"])).content)
    assert any("123456789012" in r for r in transfer)
    acquired = b.post(
        "/filings/insurance-acquisitions", **{"from": "2025-01-01", "to": "2025-01-31"}
    )
    assert any("J-001" in r for r in cells(acquired.content))
    with transaction(engine) as session:
        exports = [
            (a.actor, a.actor_kind, a.entity_id, a.detail["rrn"])
            for a in session.scalars(select(AuditLog).where(AuditLog.action == "filing.exported"))
        ]
    assert ("finance", "user", "simple-statement", "masked") in exports
    assert ("finance", "user", "payees", "masked") in exports
    assert not [e for e in exports if e[3] == "full"]


def test_filings_and_severance_are_for_finance_only(browser: Any, runs: dict[str, int]) -> None:
    finance = browser()
    finance.login("finance")
    severance = finance.get("/filings/severance.xlsx")
    assert severance.status_code == 200 and cells(severance.content)[0][0].startswith("퇴직금")
    assert finance.post("/filings/nothing", month="2025-03").status_code == 404
    for who in ("clerk", "manager", "admin"):
        b = browser()
        b.login(who)
        assert b.post("/filings/withholding", month="2025-03").status_code == 403
        assert b.post("/filings/payees", run=str(runs["own"])).status_code == 403
        assert b.get("/filings/severance.xlsx").status_code == 403


# --- 5. run-state refusals in Korean -------------------------------------------------------


def test_run_state_refusals_are_shown_in_korean(browser: Any, runs: dict[str, int]) -> None:
    url = f"/runs/{runs['own']}"
    manager = browser()
    manager.login("manager")
    assert "승인했습니다" in manager.post(f"{url}/approve").text
    again = manager.post(f"{url}/approve").text
    assert "승인할 수 없습니다: 지금 승인됨 상태입니다 (계산됨 상태에서만 승인)" in again
    other = browser()
    other.login("manager2")
    assert "확정했습니다" in other.post(f"{url}/finalize").text
    frozen = other.post(f"{url}/cancel", reason="잘못 계산").text
    assert f"급여 실행 {runs['own']}은(는) 확정되었으므로 바뀌지 않습니다" in frozen


KEY = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMTIzNDU="
SECRET = "파일암호-2025-봄"


def test_finance_gets_full_rrns_only_in_an_xlsx_locked_with_the_password_they_typed(
    browser: Any, engine: Engine, runs: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import msoffcrypto

    from payroll.db.models import Participant
    from payroll.privacy import rrn

    monkeypatch.setenv("PAYROLL_RRN_KEY", KEY)
    with transaction(engine) as session:
        person = session.scalars(
            select(Participant).where(Participant.participant_id == "J-001")
        ).one()
        person.rrn_encrypted, person.rrn_masked = rrn.encrypt("700501-2234567"), "700501-2******"
    finalize(engine, runs["own"])
    b = browser()
    b.login("finance")
    assert 'id="full-rrn-form"' in b.get("/ledger?month=2025-03").text
    form = {"kind": "payees", "run": str(runs["own"]), "month": "2025-03"}
    got = b.post("/filings", **form, password=SECRET, again=SECRET)
    assert got.status_code == 200 and got.headers["content-type"] == XLSX
    assert not got.content.startswith(b"PK")  # not a plain XLSX: encrypted
    locked = msoffcrypto.OfficeFile(io.BytesIO(got.content))
    locked.load_key(password=SECRET)
    plain = io.BytesIO()
    locked.decrypt(plain)
    assert any("700501-2234567" in r for r in cells(plain.getvalue()))
    with transaction(engine) as session:
        trail = [(a.action, str(a.detail)) for a in session.scalars(select(AuditLog))]
    assert any(a == "filing.exported" and "'rrn': 'full'" in d for a, d in trail)
    assert not [d for _a, d in trail if SECRET in d]  # the password is nowhere
    differ = b.post("/filings", **form, password=SECRET, again=SECRET + "x")
    assert "암호 두 칸이 다릅니다" in differ.text and differ.url.path == "/ledger"
    short = b.post("/filings", **form, password="짧은암호", again="짧은암호")
    assert "암호는 8자 이상이어야 합니다" in short.text
    none = b.post("/filings", kind="withholding", month="2025-03", password=SECRET, again=SECRET)
    assert "주민등록번호가 없습니다" in none.text
    monkeypatch.delenv("PAYROLL_RRN_KEY")
    nokey = b.post("/filings", **form, password=SECRET, again=SECRET)
    assert "PAYROLL_RRN_KEY" in nokey.text and nokey.headers["content-type"].startswith("text/html")
    missing = b.client.post("/filings", data={**form, "password": SECRET, "again": SECRET})
    assert missing.status_code == 403 and "CSRF" in missing.text
    clerk = browser()
    clerk.login("clerk")
    assert clerk.post("/filings", **form, password=SECRET, again=SECRET).status_code == 403
