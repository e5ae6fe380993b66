"""Who a run pays and what it holds, as the approver reads it (run page, ``run show``,
review workbook): each payee's bank, account and holder, marked when they differ from
the previous month's finalized payment; each held month with its amount."""

from __future__ import annotations

from dataclasses import dataclass

from payroll.domain.calendar import previous_month
from payroll.domain.carryover import CarryKind, Carryover
from payroll.domain.runs import RunRecord, RunState
from payroll.reference.banks import by_code
from payroll.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Payee:
    """One payee of a run now, and whether the account changed since last month."""

    participant_id: str
    bank: str
    account: str
    holder: str
    changed: bool  # differs from the previous month's finalized payment
    previous: str = ""  # "국민은행 123…" as paid last month, when changed


@dataclass(frozen=True)
class Held:
    """A month a run holds (지급 보류) and where it stands."""

    participant_id: str
    carryover: Carryover

    @property
    def released(self) -> bool:
        return bool(self.carryover.released_by)


def run_payees(uow: UnitOfWork, run: RunRecord) -> list[Payee]:
    """The run's payees with changes since the previous month's finalized run marked."""
    with uow:
        slips = uow.payslips.of_run(run.id)
        now = uow.carryovers.payees([s.enrollment_id for s, _ in slips])
        before = uow.runs.find(previous_month(run.month), run.district_code, run.program_code)
        paid: dict[str, tuple[str, str]] = {}
        if before is not None and before.state is RunState.FINALIZED:
            paid = {
                p.participant_id: (p.bank or "", p.account or "")
                for p in uow.pay_sheets.snapshot(before.id)
            }
    out = []
    for slip, pid in sorted(slips, key=lambda s: s[1]):
        _pid, code, account, holder = now.get(slip.enrollment_id, (pid, "", "", ""))
        found = by_code(code) if code else None
        bank = found.name if found else code
        last = paid.get(pid)
        changed = last is not None and last[1] != account
        out.append(
            Payee(pid, bank, account, holder, changed, f"{last[0]} {last[1]}" if changed else "")
        )
    return out


def held_months(uow: UnitOfWork, run: RunRecord) -> list[Held]:
    """The months ``run`` holds, with their participants."""
    with uow:
        items = [c for c in uow.carryovers.of_run(run.id) if c.kind is CarryKind.HELD]
        ids = uow.carryovers.payees([c.enrollment_id for c in items])
    return [Held(ids.get(c.enrollment_id, ("",))[0], c) for c in items]
