"""``payroll payment notice``: the recovery notice of an overpayment no later pay absorbs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from payroll.domain.carryover import CarryKind
from payroll.domain.runs import RunError
from payroll.formats.atomic import atomic_write_bytes
from payroll.payslips.recovery_notice import RecoveryNotice, notice_pdf
from payroll.services.unit_of_work import UnitOfWork


def write_notice(uow: UnitOfWork, carry_id: int, path: Path, today: date) -> RecoveryNotice:
    """Write the notice of recovery ``carry_id`` (with something still owed) to ``path``."""
    with uow:
        item = uow.carryovers.get(carry_id)
        if item is None or item.kind is not CarryKind.RECOVERY:
            raise RunError(
                f"이월 항목 {carry_id}은(는) 환수 항목이 아닙니다 (`payroll payment open`)"
            )
        if item.outstanding == 0:
            raise RunError(f"환수 항목 {carry_id}은(는) 이미 모두 환수되었거나 정리되었습니다")
        pid = uow.carryovers.payees([item.enrollment_id])[item.enrollment_id][0]
        person = uow.participants.get(pid)
        assert person is not None
        owed = next(
            (o for o in uow.carryovers.outstanding() if o[0].id == carry_id), (item, pid, "", "")
        )
        districts, programs = uow.names.districts(), uow.names.programs()
    notice = RecoveryNotice(
        pid,
        person.name,
        districts.get(owed[2], owed[2]),
        programs.get(owed[3], owed[3]),
        item.ref_month,
        item.reason,
        -item.taxable,
        -item.non_taxable,
        -item.settled,
        today,
    )
    atomic_write_bytes(path, notice_pdf(notice))
    return notice
