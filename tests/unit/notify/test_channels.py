"""The SMTP settings a district may use, the e-mail's MIME form, and the 알림톡
provider's request (against a local HTTP server standing in for NHN Cloud)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from payroll.domain.delivery import DeliveryFailure, PayslipMail, TextMessage
from payroll.notify.sms import ProviderSettingsError, provider_from_env
from payroll.notify.sms.nhncloud import NhnCloudAlimtalk
from payroll.notify.smtp import MailSettingsError, SmtpSettings, mime_message


def env(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name in ("HOST", "PORT", "SECURITY", "FROM", "USER", "PASSWORD", "TIMEOUT"):
        monkeypatch.delenv(f"PAYROLL_SMTP_{name}", raising=False)
    for name, value in values.items():
        monkeypatch.setenv(f"PAYROLL_SMTP_{name}", value)


def test_starttls_on_587_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    env(monkeypatch, HOST="smtp.seoul.go.kr", FROM="pay@jongno.go.kr")
    s = SmtpSettings.from_env()
    assert (s.security, s.port, s.sender) == ("starttls", 587, "pay@jongno.go.kr")
    env(monkeypatch, HOST="smtp.seoul.go.kr", FROM="pay@jongno.go.kr", SECURITY="ssl")
    assert SmtpSettings.from_env().port == 465


def test_plain_smtp_only_to_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    env(monkeypatch, HOST="smtp.seoul.go.kr", FROM="p@x.kr", SECURITY="none")
    with pytest.raises(MailSettingsError, match="127.0.0.1"):
        SmtpSettings.from_env()
    env(monkeypatch, HOST="127.0.0.1", FROM="p@x.kr", SECURITY="none", PORT="2525")
    assert SmtpSettings.from_env().port == 2525


def test_missing_or_wrong_settings_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    env(monkeypatch, HOST="smtp.seoul.go.kr")
    with pytest.raises(MailSettingsError, match="PAYROLL_SMTP_FROM"):
        SmtpSettings.from_env()
    env(monkeypatch, HOST="h", FROM="p@x.kr", SECURITY="tls1.0")
    with pytest.raises(MailSettingsError, match="starttls, ssl, none"):
        SmtpSettings.from_env()


def test_the_mail_has_a_plain_text_part_an_html_part_and_the_pdf() -> None:
    subject = "[종로구청] 2026년 11월 임금명세서"
    name = "임금명세서-2026-11-J-1.pdf"
    mail = PayslipMail(
        "a@b.kr", subject, "본문\n", "<p>본문</p>", name, b"%PDF-1.7 x", "payslip-1-2-email"
    )
    msg = mime_message(mail, "pay@jongno.go.kr")
    assert msg.get_body(("plain",)).get_content() == "본문\n"  # type: ignore[union-attr]
    assert msg.get_body(("html",)) is not None
    [pdf] = list(msg.iter_attachments())
    assert pdf.get_filename() == "임금명세서-2026-11-J-1.pdf"
    assert pdf.get_content() == b"%PDF-1.7 x"
    assert "payslip-1-2-email" in str(msg["Message-ID"])
    assert str(msg["Subject"]) == "[종로구청] 2026년 11월 임금명세서"


class _Fake(BaseHTTPRequestHandler):
    seen: list[tuple[str, dict[str, str], Any]] = []
    answer: tuple[int, dict[str, Any]] = (200, {"header": {"isSuccessful": True}})

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Fake.seen.append((self.path, dict(self.headers), body))
        status, answer = _Fake.answer
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def nhn() -> Iterator[NhnCloudAlimtalk]:
    server = HTTPServer(("127.0.0.1", 0), _Fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Fake.seen.clear()
    yield NhnCloudAlimtalk(
        "APPKEY", "SECRET", "SENDER", url=f"http://127.0.0.1:{server.server_port}"
    )
    server.shutdown()


def test_alimtalk_request_carries_the_number_text_and_link_only(nhn: NhnCloudAlimtalk) -> None:
    _Fake.answer = (200, {"header": {"isSuccessful": True, "resultCode": 0}})
    nhn.send(TextMessage("01055551212", "명세서가 준비되었습니다", "https://p.kr/me", "k-1"))
    [(path, headers, body)] = _Fake.seen
    assert path == "/alimtalk/v2.3/appkeys/APPKEY/messages"
    assert headers["X-Secret-Key"] == "SECRET"
    assert body == {
        "senderKey": "SENDER",
        "templateCode": "PAYSLIP_READY",
        "recipientList": [
            {
                "recipientNo": "01055551212",
                "templateParameter": {"본문": "명세서가 준비되었습니다", "링크": "https://p.kr/me"},
                "recipientGroupingKey": "k-1",
            }
        ],
    }


def test_alimtalk_refusals_are_permanent_and_server_errors_passing(
    nhn: NhnCloudAlimtalk,
) -> None:
    message = TextMessage("01055551212", "t", "l", "k")
    _Fake.answer = (200, {"header": {"isSuccessful": False, "resultCode": -1000}})
    with pytest.raises(DeliveryFailure) as refused:
        nhn.send(message)
    assert refused.value.permanent
    _Fake.answer = (503, {})
    with pytest.raises(DeliveryFailure) as busy:
        nhn.send(message)
    assert not busy.value.permanent


def test_the_provider_is_chosen_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAYROLL_SMS_PROVIDER", raising=False)
    assert provider_from_env() is None
    monkeypatch.setenv("PAYROLL_SMS_PROVIDER", "pigeon")
    with pytest.raises(ProviderSettingsError, match="recording, nhncloud"):
        provider_from_env()
    monkeypatch.setenv("PAYROLL_SMS_PROVIDER", "nhncloud")
    monkeypatch.delenv("PAYROLL_NHN_APPKEY", raising=False)
    with pytest.raises(Exception, match="PAYROLL_NHN_APPKEY"):
        provider_from_env()
