"""The severance review as rows and as an XLSX workbook (A4 landscape)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from payroll.formats.sheet_cells import append_row
from payroll.formats.xlsx_layout import (
    MONEY_FORMAT,
    header_row,
    number_formats,
    print_setup,
    title_rows,
)
from payroll.services.enrollment.severance import SeveranceCase

HEADER = ("참여자번호", "성명", "자치구", "계속근로 참여", "시작일", "종료일", "일수",
          "산정 월", "3개월 임금", "3개월 일수", "1일 평균임금", "퇴직금 추정액")  # fmt: skip


def case_values(case: SeveranceCase) -> list[Any]:
    chain, est = case.chain, case.estimate
    services = "; ".join(
        f"{s.ref} {s.start.isoformat()}~{s.end.isoformat()}" for s in chain.services
    )
    return [
        case.participant_id,
        case.name,
        case.district,
        services,
        chain.start.isoformat(),
        chain.end.isoformat(),
        chain.days,
        ", ".join(est.months) if est else "임금 자료 없음",
        est.wages if est else "",
        est.month_days if est else "",
        f"{est.daily_wage:,}" if est else "",
        est.severance if est else "",
    ]


def write_severance(path: Path, cases: Sequence[SeveranceCase]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "퇴직금 검토"
    title_rows(
        sheet,
        "퇴직금 검토 대상 (근로자퇴직급여 보장법 §4)",
        "추정액 = 1일 평균임금 × 30 × 일수 / 365 · 지급 여부는 구에서 판단",
    )
    top = header_row(sheet, HEADER)
    for case in cases:
        append_row(sheet, case_values(case))
    number_formats(sheet, top + 1, {7: "#,##0", 9: MONEY_FORMAT, 12: MONEY_FORMAT})
    print_setup(sheet, top, "C4")
    sheet.column_dimensions["D"].width = 48
    book.save(path)
