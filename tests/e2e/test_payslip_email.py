"""Payslips reach participants: `payroll payslips send RUN` with a real SMTP server on
127.0.0.1 (aiosmtpd), on SQLite and PostgreSQL.

A district's run of four participants: two chose 이메일 (one mailbox refuses mail), one
종이 and one 알림톡 (the recording provider). Each e-mail opens only with the
participant's password (birth date YYMMDD + the phone's last four digits, docs/security.md)
and reads their own figures; the 종이 and bounced participants are listed for printing.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from payroll.cli.main import app
from tests.support.numbers import csv_text_with_numbers
from tests.support.smtp_server import Inbox, pdf_attachment, smtp_server

runner = CliRunner()

ROSTER = (
    "참여자번호,성명,생년월일,자치구,은행,계좌번호,휴대전화,이메일,수령방법,사업,기수\n"
    "M-001,김민지,1970-05-01,종로구,국민은행,123456-78-901234,010-2345-6789,"
    "minji@example.kr,이메일,dongheng,2025-H2\n"
    "M-002,이서준,1990-02-03,종로구,신한은행,110-987-654321,010-3333-4444,"
    "bounce@example.kr,이메일,dongheng,2025-H2\n"
    "M-003,박하늘,1985-12-24,종로구,국민은행,123456-78-901235,,,종이,dongheng,2025-H2\n"
    "M-004,최유진,1962-07-15,종로구,국민은행,123456-78-901236,010-5555-1212,,알림톡,"
    "dongheng,2025-H2\n"
)
ROSTER = csv_text_with_numbers(ROSTER)  # an enrollment needs a resident number


def payroll(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def smtp(cli_env: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Inbox]:
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("PAYROLL_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("PAYROLL_SMTP_PORT", str(port))
        monkeypatch.setenv("PAYROLL_SMTP_SECURITY", "none")
        monkeypatch.setenv("PAYROLL_SMTP_FROM", "payroll@jongno.example.kr")
        monkeypatch.setenv("PAYROLL_SMS_PROVIDER", "recording")
        monkeypatch.setenv("PAYROLL_SMS_OUTBOX", str(tmp_path / "outbox.jsonl"))
        monkeypatch.setenv("PAYROLL_PUBLIC_URL", "https://pay.example.kr")
        yield inbox


def finalized_run(tmp_path: Path) -> tuple[int, dict[str, int]]:
    """November 2025 for the roster, finalized; the run id and each participant's net."""
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    payroll("import", "participants", str(roster), "--by", "김담당")
    payroll("run", "calculate", "--month", "2025-11")
    [run] = json.loads(payroll("run", "list", "--month", "2025-11", "--json"))
    payroll("run", "approve", str(run["id"]), "--by", "이팀장")
    payroll("run", "finalize", str(run["id"]), "--by", "박과장", "--out", str(tmp_path / "o"))
    shown = json.loads(payroll("run", "show", str(run["id"]), "--json"))
    return run["id"], {s["participant_id"]: s["net"] for s in shown["payslips"]}


def test_a_finalized_run_reaches_each_participant_once_by_their_choice(
    smtp: Inbox, tmp_path: Path
) -> None:
    run_id, nets = finalized_run(tmp_path)

    out = payroll("payslips", "send", str(run_id), "--by", "김담당", "--rate", "100")

    [mail] = smtp.to("minji@example.kr")
    assert len(smtp.messages) == 1  # the bounce took nothing, 종이 and 알림톡 are not mail
    assert "임금명세서" in str(mail["Subject"]) and "2025년 11월" in str(mail["Subject"])
    plain = mail.get_body(("plain",))
    assert plain is not None and "김민지 님" in plain.get_content()
    assert f"{nets['M-001']:,}" not in plain.get_content()  # no figures outside the PDF
    name, data = pdf_attachment(mail)
    assert name == "임금명세서-2025-11-M-001.pdf"
    pdf = PdfReader_from(data)
    assert pdf.is_encrypted
    assert not pdf.decrypt("700501")  # the birth date alone does not open it
    assert not PdfReader_from(data).decrypt("7005016790")
    pdf = PdfReader_from(data)
    assert pdf.decrypt("7005016789")  # 700501 + 6789, the phone's last four digits
    text = pdf.pages[0].extract_text()
    assert "김민지" in text and f"{nets['M-001']:,}" in text and "이서준" not in text

    assert "반송" in out and "No such mailbox" in out
    listed = tmp_path / "인쇄명단.csv"
    status = payroll("payslips", "status", str(run_id), "--print-list", str(listed))
    assert "인쇄해서 전달할 명세서" in status
    printed = status.split("인쇄해서 전달할 명세서", 1)[1]
    assert "M-002" in printed and "M-003" in printed
    assert "M-001" not in printed and "M-004" not in printed
    rows = list(csv.reader(listed.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["참여자번호", "성명", "사유"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("M-003", "박하늘"), ("M-002", "이서준")]
    assert "반송" in rows[2][2] and rows[1][2] == "수령방법 종이"
    assert listed.stat().st_mode & 0o077 == 0  # names and reasons: the owner only

    [sms] = [json.loads(x) for x in (tmp_path / "outbox.jsonl").read_text().splitlines()]
    assert sms["phone"] == "01055551212" and sms["link"] == "https://pay.example.kr/me"
    assert f"{nets['M-004']:,}" not in sms["text"] and "최유진" in sms["text"]

    # sending again sends nothing: every delivery has its outcome
    again = payroll("payslips", "send", str(run_id), "--by", "김담당", "--rate", "100")
    assert "이번에 보냄 0건" in again
    assert len(smtp.messages) == 1
    assert len((tmp_path / "outbox.jsonl").read_text().splitlines()) == 1


def test_a_run_not_finalized_is_refused_in_korean(smtp: Inbox, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    payroll("import", "participants", str(roster), "--by", "김담당")
    payroll("run", "calculate", "--month", "2025-11")
    [run] = json.loads(payroll("run", "list", "--month", "2025-11", "--json"))
    out = payroll("payslips", "send", str(run["id"]), code=1)
    assert "확정된 급여만" in out and "Traceback" not in out
    assert smtp.messages == []


def test_without_a_mail_server_nothing_is_queued(
    cli_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAYROLL_SMTP_HOST", raising=False)
    monkeypatch.setenv("PAYROLL_SMS_PROVIDER", "recording")
    run_id, _ = finalized_run(tmp_path)
    out = payroll("payslips", "send", str(run_id), code=1)
    assert "메일 서버가 설정되지 않았습니다" in out
    assert "전체: 대기 0, 보내는 중 0, 보냄 0" in payroll("payslips", "status", str(run_id))


def PdfReader_from(data: bytes) -> PdfReader:  # noqa: N802 - reads like the class
    import io

    return PdfReader(io.BytesIO(data))
