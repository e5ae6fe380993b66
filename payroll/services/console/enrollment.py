"""Early end of an enrollment (§14) from the web console, for the district's clerk.

The same rules as ``payroll enrollment end``: refused (nothing changes) inside a month
already finalized, with the overpaid amount in the message; runs of the end's month and
later that are not finalized are calculated again, as the clerk.
"""

from __future__ import annotations

from dataclasses import dataclass

from payroll.formats.inputs import InputError
from payroll.formats.tabular import parse_date
from payroll.services.common import audit
from payroll.services.common.access import Action, Actor, require
from payroll.services.console.runs import load_participant
from payroll.services.enrollment import early_end
from payroll.services.runs.lifecycle import RunSummary, calculate_runs
from payroll.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class EndDone:
    result: early_end.EndResult
    recalculated: list[RunSummary]

    @property
    def message(self) -> str:
        r = self.result
        if not r.changed:
            return (
                f"{r.participant_id}: 이미 {r.end.isoformat()} "
                f"({early_end.reason_label(r.reason)})로 종료되어 있습니다; 바뀐 것이 없습니다."
            )
        text = (
            f"{r.participant_id} {r.program}: 종료일 {r.planned_end.isoformat()} → "
            f"{r.end.isoformat()} ({early_end.reason_label(r.reason)})"
        )
        if r.removed_days:
            text += f", 종료일 이후 근태 {r.removed_days}건 삭제"
        for run in self.recalculated:
            text += f"; 급여 실행 {run.id} ({run.month}) 다시 계산"
        return text


def end_enrollment(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: str,
    on: str,
    reason: str,
    note: str = "",
    program: str | None = None,
    term: str | None = None,
) -> EndDone:
    """End the participant's enrollment holding the day ``on`` early (2025-04-18, 2025.4.18;
    the clerk's district only)."""
    person = load_participant(uow, actor, participant_id)
    require(actor, Action.END_ENROLLMENT)
    try:
        day = parse_date(on)
    except ValueError as exc:
        raise InputError(f"종료일 {on!r}: {exc}") from None
    with audit.acting_as(actor.kind):
        result = early_end.end_enrollment(
            uow,
            participant_id,
            day,
            reason,
            actor.name,
            note or None,
            program,
            term,
            person.district_code,
        )
        recalculated = []
        if result.changed:
            for month in early_end.open_runs(uow, result):
                recalculated += calculate_runs(
                    uow, month, result.district, result.program, actor=actor.name
                )
    return EndDone(result, recalculated)
