"""참여자 본인 화면 over HTTP: sign in with ID, birth date and a code sent by 알림톡/SMS
(the recording provider), see one's own finalized payslips only; throttled, audited,
sessions short."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import AuditLog, PayslipLineRow, PayslipRow
from payroll.db.uow import SqlUnitOfWork
from payroll.domain import portal
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from tests.e2e.web.conftest import Browser
from tests.support.factories import add_enrolled


@pytest.fixture
def outbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "outbox.jsonl"
    monkeypatch.setenv("PAYROLL_SMS_PROVIDER", "recording")
    monkeypatch.setenv("PAYROLL_SMS_OUTBOX", str(path))
    return path


@pytest.fixture
def slips(engine: Engine) -> dict[str, int]:
    """A finalized March 2025 run: J-001 (phone 010-2345-6789) and J-002 (박하늘)."""
    uow = SqlUnitOfWork(engine)
    add_enrolled(engine, "J-001")
    add_enrolled(engine, "J-002", name="박하늘")
    for pid, phone in (("J-001", "01023456789"), ("J-002", "01055556666")):
        with uow:
            person = uow.participants.get(pid)
            assert person is not None
            uow.participants.update(person.id, {"phone": phone})
    [run] = calculate_runs(uow, "2025-03")
    approve_run(uow, str(run.id), "lee")
    finalize_run(uow, str(run.id), "park")
    with uow:
        found = uow.pay_sheets.run_payslips(uow.runs.get(run.id))  # type: ignore[arg-type]
    return {f.person.participant_id: f.slip.id for f in found}


def codes(outbox: Path) -> list[tuple[str, str]]:
    if not outbox.exists():
        return []
    sent = [json.loads(line) for line in outbox.read_text().splitlines()]
    return [(m["phone"], re.search(r"\d{6}", m["text"]).group(0)) for m in sent]  # type: ignore[union-attr]


def sign_in(b: Browser, outbox: Path, pid: str = "J-001", born: str = "1970-05-01") -> Any:
    b.post("/me/code", participant_id=pid, birth_date=born)
    code = codes(outbox)[-1][1]
    return b.post("/me/login", code=code)


def test_a_participant_signs_in_with_a_texted_code_and_sees_only_their_own(
    app: object, slips: dict[str, int], outbox: Path, engine: Engine
) -> None:
    b = Browser(app)
    first = b.get("/me")
    assert 'id="send-code"' in first.text and "PDF" not in first.text

    wrong = b.post("/me/code", participant_id="J-001", birth_date="1970-05-02")
    assert wrong.status_code == 400 and "다시 확인하십시오" in wrong.text
    nobody = b.post("/me/code", participant_id="X-999", birth_date="1970-05-01")
    assert nobody.text.count("다시 확인하십시오") == 1  # the same words: no one is revealed
    assert codes(outbox) == []

    sent = b.post("/me/code", participant_id="J-001", birth_date="700501")
    assert "확인 코드를 보냈습니다" in sent.text and 'id="code"' in sent.text
    [(phone, code)] = codes(outbox)
    assert phone == "01023456789"
    bad = b.post("/me/login", code="000000" if code != "000000" else "111111")
    assert bad.status_code == 400 and "코드가 맞지 않거나" in bad.text

    home = b.post("/me/login", code=code)
    assert "김민지 님" in home.text and "2025년 3월" in home.text
    assert "박하늘" not in home.text and "010-****-6789" in home.text
    assert b.post("/me/login", code=code).status_code == 400  # a code opens once

    own = b.get(f"/me/payslips/{slips['J-001']}")
    with transaction(engine) as s:
        slip = s.get(PayslipRow, slips["J-001"])
        assert slip is not None
        net = slip.net
        lines = [(x.amount, x.explanation) for x in s.scalars(select(PayslipLineRow).where(
            PayslipLineRow.payslip_id == slip.id, PayslipLineRow.kind != "employer"))]  # fmt: skip
    assert f"{net:,}원" in own.text
    page = html.unescape(own.text)
    for amount, explanation in lines:  # every line with its explanation
        assert f"{amount:,}원" in page and explanation in page, explanation
    pdf = b.get(f"/me/payslips/{slips['J-001']}.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "김민지" in text and f"{net:,}" in text

    assert b.get(f"/me/payslips/{slips['J-002']}").status_code == 404
    assert b.get(f"/me/payslips/{slips['J-002']}.pdf").status_code == 404
    assert b.get("/participants/J-002").url.path == "/login"  # the console is not theirs

    with transaction(engine) as s:
        actions = [a.action for a in s.scalars(select(AuditLog).where(
            AuditLog.entity_id == "J-001", AuditLog.action.like("me.%")))]  # fmt: skip
    assert actions[:2] == ["me.code_refused", "me.code_sent"]
    assert {"me.sign_in_failed", "me.signed_in", "me.payslip_viewed"} <= set(actions)


def test_sessions_end_after_their_minutes_and_on_sign_out(
    app: object, slips: dict[str, int], outbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    b = Browser(app)
    assert "김민지 님" in sign_in(b, outbox).text
    b.post("/me/logout")
    assert 'id="send-code"' in b.get("/me").text
    monkeypatch.setattr(portal, "RESEND_SECONDS", 0)
    assert "김민지 님" in sign_in(b, outbox).text
    monkeypatch.setattr(portal, "SESSION_MINUTES", 0)
    assert 'id="send-code"' in b.get("/me").text
    assert b.get(f"/me/payslips/{slips['J-001']}.pdf").status_code == 404


def test_guessing_is_throttled_per_address_and_codes_are_not_resent_at_once(
    app: object, slips: dict[str, int], outbox: Path
) -> None:
    b = Browser(app)
    b.post("/me/code", participant_id="J-001", birth_date="1970-05-01")
    again = b.post("/me/code", participant_id="J-001", birth_date="1970-05-01")
    assert "한 번만 보냅니다" in again.text and len(codes(outbox)) == 1
    for _ in range(10):
        b.post("/me/login", code="999999")
    blocked = b.post("/me/login", code=codes(outbox)[0][1])
    assert blocked.status_code == 429 and "시도가 너무 많습니다" in blocked.text
