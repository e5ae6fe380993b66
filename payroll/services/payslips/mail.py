"""What a participant receives: the payslip e-mail and the 알림톡 text, in Korean."""

from __future__ import annotations

import html

from payroll.domain.delivery import PayslipMail, TextMessage
from payroll.payslips.view import PayslipView, employer_name, month_label


def payslip_mail(view: PayslipView, to: str, pdf: bytes, key: str) -> PayslipMail:
    """The e-mail carrying one encrypted payslip; the body names no amount."""
    month = month_label(view.month)
    sender = employer_name(view.district_name)
    subject = f"[{sender}] {month} 임금명세서 ({view.program_name})"
    text = (
        f"{view.name} 님, 안녕하세요.\n\n"
        f"{view.program_name} {month} 임금명세서를 첨부 파일(PDF)로 보내 드립니다.\n"
        "파일은 암호로 잠겨 있습니다. 암호는 생년월일 6자리와 등록된 휴대전화 번호 "
        "끝 4자리를 이어 쓴 10자리 숫자입니다 (예: 1980년 5월 1일생, 010-1234-5678 → "
        "8005015678).\n\n"
        "명세서 내용이 사실과 다르거나 이 메일을 받을 분이 아니면 담당 자치구에 "
        "알려 주십시오.\n"
        "이 메일은 발신 전용입니다.\n\n"
        f"{sender}\n"
    )
    body = "".join(
        f"<p>{html.escape(part).replace(chr(10), '<br>')}</p>" for part in text.split("\n\n")
    )
    page = f'<!doctype html><html lang="ko"><meta charset="utf-8"><body>{body}</body></html>'
    filename = f"임금명세서-{view.month}-{view.participant_id}.pdf"
    return PayslipMail(to, subject, text, page, filename, pdf, key)


def payslip_text(view: PayslipView, phone: str, link: str, key: str) -> TextMessage:
    """The 알림톡: that the month's payslip is ready, and the link to sign in; no figures."""
    month = month_label(view.month)
    text = (
        f"[{employer_name(view.district_name)}] {view.name} 님, {month} 임금명세서가 "
        f"준비되었습니다. 아래 주소에서 본인 확인 후 보실 수 있습니다.\n{link}"
    )
    return TextMessage(phone, text, link, key)
