"""간이지급명세서 (근로소득): per withholding agent and participant, the period's pay.

The period is a month (monthly submission) or a half year (``2025-H1``: January–June).
One row per (district, participant): the working period inside the period (first
enrollment start to last end, clipped to the period), taxable pay (과세소득) and
non-taxable pay (비과세소득: the meal allowance up to its monthly cap) of the finalized
payslips of the period's months.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from payroll.formats.reports.sheet import Sheet, total_row

HEADERS = (
    "번호",
    "귀속연도",
    "귀속기간",
    "자치구",
    "소득자 성명",
    "주민등록번호",
    "내·외국인",
    "거주구분",
    "근무기간 시작",
    "근무기간 종료",
    "과세소득",
    "비과세소득",
    "참여자번호",
)


@dataclass(frozen=True)
class PaySlip:
    """One finalized payslip of the period."""

    district: str  # name
    participant_id: str
    name: str
    rrn: str
    start: date  # the enrollment's dates
    end: date
    taxable: int
    non_taxable: int


def foreigner(rrn: str) -> bool:
    """A foreigner's registration number has 5–8 as its 7th digit."""
    digits = rrn.replace("-", "")
    return len(digits) >= 7 and digits[6] in "5678"


def sheet(slips: Sequence[PaySlip], year: int, label: str, first: date, last: date) -> Sheet:
    """The statement of the period ``first``..``last`` (``label``: 3월, 상반기 …)."""
    people: dict[tuple[str, str], list[PaySlip]] = {}
    for s in slips:
        people.setdefault((s.district, s.participant_id), []).append(s)
    rows = []
    for number, ((district, pid), mine) in enumerate(sorted(people.items()), start=1):
        who = mine[0]
        rows.append(
            [
                number,
                year,
                label,
                district,
                who.name,
                who.rrn,
                "9 외국인" if foreigner(who.rrn) else "1 내국인",
                "1 거주자",
                max(first, min(s.start for s in mine)),
                min(last, max(s.end for s in mine)),
                sum(s.taxable for s in mine),
                sum(s.non_taxable for s in mine),
                pid,
            ]
        )
    return Sheet(
        "간이지급명세서(근로소득)",
        HEADERS,
        rows,
        total_row(HEADERS, rows, ("과세소득", "비과세소득")),
        frozenset({"주민등록번호", "참여자번호"}),
    )
