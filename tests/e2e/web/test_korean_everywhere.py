"""Every console page and every file of a month, read as a district user reads them:
no English sentence and no bare code (see tests/support/korean_check.py).

To check a new page, add its URL to ``PAGES`` (with the roles that open it)."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from payroll.db.engine import transaction
from payroll.db.models import PayrollRun
from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from tests.e2e.web.conftest import OWN
from tests.support.factories import add_enrolled
from tests.support.korean_check import page_problems, text_problems

pytestmark = pytest.mark.usefixtures("users")

PAGES: dict[str, tuple[str, ...]] = {
    "/board?month=2026-04": ("clerk", "manager", "finance", "admin"),
    "/board?month=abc": ("clerk",),
    "/runs/{final}": ("clerk", "manager", "finance"),
    "/runs/{open}": ("clerk", "manager"),
    "/runs/{final}/rows?q=J-1": ("clerk",),
    "/participants": ("clerk", "manager"),
    "/participants?sort=name&program=maeryeok": ("clerk",),
    "/runs?year=2026": ("clerk", "manager", "finance", "admin"),
    "/participants/J-101": ("clerk", "manager"),
    "/uploads": ("clerk",),
    "/uploads/history": ("clerk", "manager"),
    "/waiting": ("manager",),
    "/ledger?month=2026-04": ("finance",),
    "/ledger?month=2026-05": ("finance",),
    "/admin/users": ("admin",),
    "/admin/catalog": ("admin",),
    "/admin/holidays": ("admin",),
    "/admin/scheduler": ("admin",),
    "/admin/years?year=2027": ("admin",),
    "/district/users": ("manager",),
    "/audit": ("manager", "finance", "admin"),
    "/me": ("clerk",),
    "/password": ("clerk",),
    "/nowhere": ("clerk",),
    "/runs/999999": ("clerk",),
    "/ledger": ("clerk",),  # a refusal: the role may not
}


@pytest.fixture
def month(engine: Engine) -> dict[str, int]:
    """April 2026 of 종로구: 동행일자리 finalized, 매력일자리 calculated with an exception."""
    add_enrolled(
        engine, "J-101", district=OWN, start=date(2026, 3, 2), end=date(2026, 6, 30), term=None
    )
    add_enrolled(
        engine, "J-102", name="이서준", district=OWN, program="maeryeok",
        start=date(2026, 3, 2), end=date(2026, 6, 30), term=None,
    )  # fmt: skip
    runs = {
        r.program: r.id for r in calculate_runs(SqlUnitOfWork(engine), "2026-04", actor="clerk")
    }
    approve_run(SqlUnitOfWork(engine), str(runs["dongheng"]), "manager")
    finalize_run(SqlUnitOfWork(engine), str(runs["dongheng"]), "manager2")
    with transaction(engine) as session:
        assert session.get(PayrollRun, runs["dongheng"]).state == "finalized"
    return {"final": runs["dongheng"], "open": runs["maeryeok"]}


def _upload(b: Any, kind: str, name: str, text: str) -> Any:
    return b.client.post(
        f"/uploads/{kind}",
        data={"csrftoken": b.token()},
        files={"file": (name, text.encode("utf-8"))},
    )


def test_every_page_is_korean(browser: Any, month: dict[str, int]) -> None:
    problems: list[str] = []
    sessions: dict[str, Any] = {}
    for url, roles in PAGES.items():
        for role in roles:
            if role not in sessions:
                sessions[role] = browser()
                sessions[role].login(role)
            page = sessions[role].get(url.format(**month))
            problems += page_problems(page.text, f"{role} {url}")
    clerk = sessions["clerk"]
    bad = _upload(
        clerk, "attendance", "4월 근태.csv",
        "참여자번호,일자,상태,시간\nJ-101,2026-04-07,놀이,\nJ-999,2026-04-08,결근,\n"
        "J-101,2026-04-09,결근,3\n,2026-04-10,결근,\n",
    )  # fmt: skip
    assert bad.status_code == 422
    problems += page_problems(bad.text, "upload with row errors")
    for text, name in (("제목\n이름,메모\n김,?\n", "x.csv"), ("참여자번호,일자,상태\n", "e.csv")):
        refused = _upload(clerk, "attendance", name, text)
        assert refused.status_code == 400
        problems += page_problems(refused.text, f"upload {name}")
    problems += page_problems(clerk.get("/uploads/history").text, "upload history")
    job = clerk.post("/calculate", month="2026-04", district=OWN, program="maeryeok")
    problems += page_problems(job.text, "calculation job")
    assert not problems, "\n".join(problems)


def _xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines = []
    for sheet in book.worksheets:
        lines.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            lines.append("  ".join(str(c) for c in row if c is not None))
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def test_every_file_of_the_month_is_korean(browser: Any, month: dict[str, int]) -> None:
    problems: list[str] = []
    manager = browser()
    manager.login("manager")
    payment = manager.get(f"/runs/{month['final']}/payment.csv")
    assert payment.status_code == 200
    problems += text_problems(payment.content.decode("utf-8-sig"), "payment.csv")
    register = manager.get(f"/runs/{month['final']}/register.xlsx")
    problems += text_problems(_xlsx_text(register.content), "register.xlsx")
    clerk = browser()
    clerk.login("clerk")
    job = clerk.post(f"/runs/{month['final']}/payslips")
    for _ in range(300):
        if "명세서" in clerk.get(job.url.path + "/progress", headers={"HX-Request": "true"}).text:
            break
        time.sleep(0.1)
    archive = zipfile.ZipFile(io.BytesIO(clerk.get(f"/runs/{month['final']}/payslips.zip").content))
    assert archive.namelist() == ["J-101.pdf"]
    for name in archive.namelist():
        problems += text_problems(_pdf_text(archive.read(name)), f"payslip {name}")
    review = clerk.get(f"/runs/{month['open']}/review.xlsx")
    if review.status_code == 200:
        problems += text_problems(_xlsx_text(review.content), "review.xlsx")
    for kind in ("roster", "history", "attendance"):
        template = _xlsx_text(clerk.get(f"/templates/{kind}.xlsx").content)
        # the help sheet lists the codes a file may also use (dongheng, 11110): English only
        problems += text_problems(template, f"template {kind}", codes=False)
        assert "[파일 올리기]" in template  # the help sheet describes the console too
    finance = browser()
    finance.login("finance")
    for fmt in ("csv", "xlsx"):
        ledger = finance.get(f"/ledger/2026-04.{fmt}")
        if fmt == "csv":  # the machine-readable form: keyed by codes, no sentences
            text = ledger.content.decode("utf-8-sig")
            problems += text_problems(text, "ledger.csv", codes=False)
        else:
            problems += text_problems(_xlsx_text(ledger.content), "ledger.xlsx")
    filings = {
        "withholding": {"month": "2026-04"},
        "simple-statement": {"month": "2026-04"},
        "bank-transfer": {"run": str(month["final"])},
        "payees": {"run": str(month["final"])},
        "insurance-acquisitions": {"month": "2026-04"},
    }
    for kind, fields in filings.items():  # a filing writes a file: a POST with the token
        got = finance.post(f"/filings/{kind}", **fields)
        assert got.status_code == 200, (kind, got.text[-500:])
        if got.headers["content-type"].startswith("text/html"):  # refused: back to the page
            problems += page_problems(got.text, f"filing {kind} refused")
        elif got.headers["content-type"].startswith("application/vnd.openxml"):
            problems += text_problems(_xlsx_text(got.content), f"filing {kind}")
        else:
            text = got.content.decode("utf-8-sig", errors="replace")
            problems += text_problems(text, f"filing {kind}", codes=False)
    rows = list(csv.reader(io.StringIO(payment.content.decode("utf-8-sig"))))
    assert rows[0][0] == "참여자번호" and rows[1][0] == "J-101"
    assert not problems, "\n".join(problems)
