"""원천징수이행상황신고서 (monthly withholding return), earned-income rows, and the local
income tax 특별징수 return of the same month.

Per withholding agent (the district) and income code:

* ``A01`` 간이세액: everyone paid in the month; 총지급액 = taxable pay (the tax-free meal
  allowance is not reported); tax = the monthly ``income_tax`` lines.
* ``A02`` 중도퇴사: the participants whose enrollment ended in the month, settled at exit
  (§13); 총지급액 = their taxable pay of the year to the month; tax = the
  ``income_tax_settlement`` lines, additional tax positive and refunds negative, netted.
* ``A10`` 가감계: A01 + A02 (people, pay and tax); 납부세액 = A10's tax when positive; a
  negative A10 is the refund carried to next month (차월이월환급세액).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass

from payroll.formats.reports.sheet import Sheet, total_row

HEADERS = (
    "자치구",
    "귀속연월",
    "지급연월",
    "소득구분",
    "코드",
    "인원",
    "총지급액",
    "징수세액(소득세 등)",
    "납부세액(소득세 등)",
    "차월이월환급세액",
)
LOCAL_HEADERS = (
    "자치구",
    "귀속연월",
    "지급연월",
    "구분",
    "코드",
    "인원",
    "과세표준(소득세)",
    "특별징수세액(지방소득세)",
    "납부세액",
    "차월이월환급세액",
)
DETAIL_HEADERS = (
    "자치구",
    "참여자번호",
    "성명",
    "코드",
    "총지급액",
    "소득세",
    "지방소득세",
    "과세급여(당월)",
    "비과세(당월)",
)
CODES = (("A01", "근로소득 간이세액"), ("A02", "근로소득 중도퇴사"), ("A10", "근로소득 가감계"))


@dataclass(frozen=True)
class TaxSlip:
    """One finalized payslip of the month, as the return needs it."""

    district: str  # name
    participant_id: str
    name: str
    taxable: int
    non_taxable: int
    income_tax: int
    local_tax: int
    settled: bool  # the enrollment's final month (§13 settlement at exit)
    year_taxable: int  # taxable pay of the year to this month (for A02)
    income_settlement: int
    local_settlement: int


@dataclass(frozen=True)
class CodeRow:
    district: str
    code: str
    people: int
    pay: int
    tax: int
    local_base: int
    local_tax: int


def _sum(
    district: str, code: str, slips: Sequence[TaxSlip], pay: str, tax: str, local: str
) -> CodeRow:
    taxes = sum(getattr(s, tax) for s in slips)
    return CodeRow(
        district,
        code,
        len({s.participant_id for s in slips}),
        sum(getattr(s, pay) for s in slips),
        taxes,
        taxes,  # the local tax's base is the income tax
        sum(getattr(s, local) for s in slips),
    )


def code_rows(slips: Sequence[TaxSlip]) -> list[CodeRow]:
    """A01, A02 and A10 of each district, in district order."""
    rows: list[CodeRow] = []
    for district in sorted({s.district for s in slips}):
        mine = [s for s in slips if s.district == district]
        a01 = _sum(district, "A01", mine, "taxable", "income_tax", "local_tax")
        settled = [s for s in mine if s.settled]
        a02 = _sum(
            district, "A02", settled, "year_taxable", "income_settlement", "local_settlement"
        )
        added = [a + b for a, b in zip(astuple(a01)[2:], astuple(a02)[2:], strict=True)]
        rows += [a01, a02, CodeRow(district, "A10", *added)]
    return rows


def sheets(slips: Sequence[TaxSlip], month: str, paid_month: str) -> list[Sheet]:
    """The return, the local-tax return and the per-participant detail they sum."""
    names = dict(CODES)
    national, local = [], []
    for r in code_rows(slips):
        payable = max(0, r.tax) if r.code == "A10" else ""
        carried = max(0, -r.tax) if r.code == "A10" else ""
        national.append(
            [r.district, month, paid_month, names[r.code], r.code, r.people, r.pay, r.tax]
            + [payable, carried]
        )
        local_payable = max(0, r.local_tax) if r.code == "A10" else ""
        local_carried = max(0, -r.local_tax) if r.code == "A10" else ""
        local.append(
            [r.district, month, paid_month, names[r.code], r.code, r.people, r.local_base]
            + [r.local_tax, local_payable, local_carried]
        )
    detail = []
    for s in sorted(slips, key=lambda s: (s.district, s.participant_id)):
        detail.append(
            [s.district, s.participant_id, s.name, "A01", s.taxable, s.income_tax, s.local_tax]
            + [s.taxable, s.non_taxable]
        )
        if s.settled:
            detail.append(
                [s.district, s.participant_id, s.name, "A02", s.year_taxable]
                + [s.income_settlement, s.local_settlement, "", ""]
            )
    sums = ("총지급액", "소득세", "지방소득세", "과세급여(당월)", "비과세(당월)")
    return [
        Sheet("원천징수이행상황신고서", HEADERS, national),
        Sheet("지방소득세 특별징수", LOCAL_HEADERS, local),
        Sheet(
            "인별 명세",
            DETAIL_HEADERS,
            detail,
            total_row(DETAIL_HEADERS, detail, sums),
            frozenset({"참여자번호"}),
        ),
    ]
