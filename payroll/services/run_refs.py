"""A run named the way users name it: its id (``12``) or ``MONTH/DISTRICT/PROGRAM``."""

from __future__ import annotations

from payroll.domain.report_records import RunRecord
from payroll.formats.inputs import parse_month
from payroll.services import lookup
from payroll.services.runs import UnknownRun
from payroll.services.unit_of_work import UnitOfWork


def find_run(uow: UnitOfWork, ref: str) -> RunRecord:
    """A run by id (``12``) or key ``MONTH/DISTRICT/PROGRAM``: month in any form
    :func:`parse_month` reads, district and program by code or Korean name
    (``2025-03/종로구/매력일자리``); :class:`UnknownRun` otherwise."""
    run: RunRecord | None
    ref = ref.strip()
    with uow:
        if ref.isdigit():
            run = uow.filings.run(int(ref))
        else:
            parts = [p.strip() for p in ref.split("/")]
            if len(parts) != 3:
                raise UnknownRun(
                    f"실행 {ref!r}: 번호 또는 월/자치구/사업으로 지정하세요 "
                    "(예: 2025-03/종로구/동행일자리)"
                )
            month = parse_month(parts[0])
            district = lookup.district_code(uow, parts[1])
            run = uow.filings.run_at(month, district, lookup.program_code(uow, parts[2]))
    if run is None:
        raise UnknownRun(f"급여 실행 {ref!r}이 없습니다 (`payroll run list`로 확인하세요)")
    return run
