"""A finalized run's payments: the bank bulk-transfer file (대량이체) and the payee list of
the local-government finance system (e-호조 지급명세 / 입금의뢰).

One row per payslip with a positive net pay, in name order; the amount is the net pay.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from payroll.formats.reports.sheet import Sheet, total_row

TRANSFER_HEADERS = (
    "번호",
    "은행코드",
    "은행명",
    "계좌번호",
    "예금주",
    "이체금액",
    "받는분 통장표시",
    "참여자번호",
    "성명",
)
PAYEE_HEADERS = (
    "번호",
    "소속부서",
    "부서",
    "은행코드",
    "은행명",
    "예금주",
    "계좌번호",
    "입금액",
    "성명",
    "주민등록번호",
)


@dataclass(frozen=True)
class Payment:
    """One participant's net pay of a run and where it goes."""

    participant_id: str
    name: str
    rrn: str
    bank_code: str
    bank_name: str
    account: str
    holder: str
    amount: int


def short_program(name: str) -> str:
    """``서울 동행일자리`` → ``동행``: the program's name without 서울 and 일자리."""
    return re.sub(r"^서울\s*|\s*일자리$", "", name).strip() or name


def memo(district: str, program: str, month: str) -> str:
    """The passbook memo: ``종로구 동행 3월``."""
    return f"{district} {short_program(program)} {int(month[5:7])}월"


def _paid(payments: Sequence[Payment]) -> list[Payment]:
    return sorted((p for p in payments if p.amount > 0), key=lambda p: (p.name, p.participant_id))


def transfer_sheet(payments: Sequence[Payment], passbook: str) -> Sheet:
    rows = [
        [n, p.bank_code, p.bank_name, p.account, p.holder, p.amount, passbook]
        + [p.participant_id, p.name]
        for n, p in enumerate(_paid(payments), start=1)
    ]
    return Sheet(
        "대량이체",
        TRANSFER_HEADERS,
        rows,
        total_row(TRANSFER_HEADERS, rows, ("이체금액",)),
        frozenset({"은행코드", "계좌번호", "참여자번호"}),
    )


def payee_sheet(payments: Sequence[Payment], division: str, department: str) -> Sheet:
    rows = [
        [n, division, department, p.bank_code, p.bank_name, p.holder, p.account, p.amount]
        + [p.name, p.rrn]
        for n, p in enumerate(_paid(payments), start=1)
    ]
    return Sheet(
        "지급명세(e-호조)",
        PAYEE_HEADERS,
        rows,
        total_row(PAYEE_HEADERS, rows, ("입금액",)),
        frozenset({"은행코드", "계좌번호", "주민등록번호"}),
    )
