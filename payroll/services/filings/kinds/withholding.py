"""원천징수이행상황신고서: the month's withholding return per district (A01, A02, A10) and
its local-tax return."""

from __future__ import annotations

from payroll.domain.calendar import next_month
from payroll.formats.inputs import InputError
from payroll.formats.reports import withholding
from payroll.services.common import lookup
from payroll.services.filings import sources
from payroll.services.filings.reads import (
    Filing,
    FilingError,
    finalized_slips,
    names,
    refuse_open_runs,
    settled_pay,
    year_totals,
)
from payroll.services.filings.registry import FilingKind, Param
from payroll.services.ledger.build import ScopeError, check_month
from payroll.services.unit_of_work import UnitOfWork


def _district(uow: UnitOfWork, text: str | None) -> str | None:
    """The district code of ``--district`` (a ScopeError, exit 2, when it names none)."""
    try:
        return lookup.district_code(uow, text) if text else None
    except InputError as exc:
        raise ScopeError(str(exc)) from None


def withholding_return(uow: UnitOfWork, month: str, district: str | None = None) -> Filing:
    """The month's withholding return per district (A01, A02, A10) and its local-tax return."""
    check_month(month)
    with uow:
        code = _district(uow, district)
        runs = refuse_open_runs(uow, [month], code)
        if not runs:
            raise FilingError(f"{month}: 확정된 급여가 없습니다")
        districts, _ = names(uow)
        slips = finalized_slips(uow, runs)
        settled = [s for s in slips if s.enrollment.end.strftime("%Y-%m") == month]
        settled_ids = {s.slip.id for s in settled}
        ytd = year_totals(uow, (s.person.id for s in settled), f"{month[:4]}-01", month, "taxable")
        taxfinalized_slips = [
            withholding.TaxSlip(
                district=districts[s.run.district_code],
                participant_id=s.person.participant_id,
                name=s.person.name,
                taxable=s.slip.taxable,
                non_taxable=s.slip.non_taxable,
                income_tax=s.deductions.get("income_tax", 0),
                local_tax=s.deductions.get("local_income_tax", 0),
                settled=s.slip.id in settled_ids,
                year_taxable=settled_pay(s, ytd) if s.slip.id in settled_ids else 0,
                income_settlement=s.deductions.get(sources.SETTLEMENT_CODES["income_tax"], 0),
                local_settlement=s.deductions.get(sources.SETTLEMENT_CODES["local_income_tax"], 0),
            )
            for s in slips
        ]
    where = f"-{districts[code]}" if code else ""
    sheets = withholding.sheets(taxfinalized_slips, month, next_month(month))
    people = len({(t.district, t.participant_id) for t in taxfinalized_slips})
    return KIND.filing(f"{month}{where}", sheets, people, f"{month}{where}")


KIND = FilingKind(
    kind="withholding",
    title="원천징수이행상황신고서",
    help_line="원천징수 신고 파일",
    summary="원천징수이행상황신고서: A01 간이세액, A02 중도퇴사 (settlements), A10 가감계, and "
    "지방소득세 특별징수, per district.",
    button="원천징수이행상황신고서",
    params=(
        Param("month", "귀속연월", "귀속연월, e.g. 2025-03.", required=True),
        Param("district", "자치구", "Code (11110) or 종로구."),
    ),
    build=lambda uow, v, _full: withholding_return(uow, v["month"] or "", v["district"]),
    form="month",
    choose_format=True,
    monthly=True,
    order=10,
)
