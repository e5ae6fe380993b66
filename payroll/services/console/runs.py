"""What the web console shows and does with runs, each call for one acting user.

Every function takes the :class:`~payroll.services.common.access.Actor` and checks it before it
reads or changes anything: a run or participant of another district is
:class:`~payroll.services.common.access.NotFound`, an action the role may not take is
:class:`~payroll.services.common.access.Forbidden`. State changes go through
:mod:`payroll.services.runs.lifecycle` (the same code as the CLI), with the actor's name in
the audit log as a "user".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from payroll.domain.calendar import month_range, parse_month
from payroll.domain.console import ExceptionItem, ParticipantRef, PayslipTotals
from payroll.domain.labels import label
from payroll.domain.runs import RunRecord, RunState
from payroll.services.admin import city_settings
from payroll.services.common import audit, display_names
from payroll.services.common.access import Action, Actor, NotFound, check, require, require_district
from payroll.services.payslips.store import lines_by_payslip
from payroll.services.people.participants import participant_report
from payroll.services.runs import lifecycle as runs
from payroll.services.runs.inputs import run_sizes
from payroll.services.unit_of_work import UnitOfWork

KIND_ORDER = {"earning": 0, "deduction": 1, "employer": 2}  # as on the payslip
STATE_LABELS: dict[str | None, str] = {None: "미계산", **runs.STATE_NAMES}


@dataclass(frozen=True)
class BoardCell:
    """One district × program of the month board."""

    district: str
    district_name: str
    program: str
    program_name: str
    run_id: int | None
    state: str | None
    enrolled: int
    participants: int
    exceptions: int
    open_exceptions: int
    gross: int
    net: int
    next_step: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state or "")


def _next_step(state: str | None, open_exceptions: int) -> str:
    if state in (None, RunState.CANCELLED):
        return "담당: 명부·근태 올리고 계산"
    if state == RunState.CALCULATED and open_exceptions:
        return f"담당: 예외 {open_exceptions}건 수정 후 재계산 또는 제외"
    return {
        RunState.CALCULATED: "팀장: 검토 후 승인",
        RunState.APPROVED: "다른 팀장: 확정",
        RunState.FINALIZED: "명세서·이체파일 내려받기",
    }[state]


def enrolled_counts(uow: UnitOfWork, month: str) -> dict[tuple[str, str], int]:
    """Roster enrollments overlapping ``month`` per (district, program), counted in SQL.

    The same enrollments :func:`~payroll.services.runs.inputs.run_sizes` counts for a run.
    """
    first, last = month_range(month)
    with uow:
        return uow.console.enrolled_counts(first, last)


def month_board(uow: UnitOfWork, actor: Actor, month: str) -> list[BoardCell]:
    """Each district × program the actor sees with a run or enrollments in ``month``."""
    require(actor, Action.BOARD)
    parse_month(month)
    with uow:
        districts = uow.names.districts()
        programs = uow.names.programs()
        enrolled = {key: n for key, n in enrolled_counts(uow, month).items() if actor.sees(key[0])}
        open_counts = uow.console.open_exception_counts(month)
        found = {
            (r.district_code, r.program_code): r
            for r in uow.runs.list(month=month)
            if actor.sees(r.district_code)
        }
    cells = []
    for key in sorted(set(enrolled) | set(found)):
        run = found.get(key)
        open_n = open_counts.get(run.id, 0) if run else 0
        state = run.state if run else None
        cells.append(
            BoardCell(
                key[0],
                districts.get(key[0], key[0]),
                key[1],
                programs.get(key[1], key[1]),
                run.id if run else None,
                state,
                enrolled.get(key, 0),
                run.participant_count if run else 0,
                run.exception_count if run else 0,
                open_n,
                run.gross if run else 0,
                run.net if run else 0,
                _next_step(state, open_n),
            )
        )
    return cells


def visible_districts(uow: UnitOfWork, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the districts the actor works for, for forms."""
    with uow:
        names = uow.names.districts()
    return [(code, name) for code, name in sorted(names.items()) if actor.sees(code)]


def program_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    with uow:
        return list(uow.names.programs().items())


def load_run(uow: UnitOfWork, actor: Actor, run_id: int) -> RunRecord:
    """The run if the actor's districts include it; :class:`NotFound` otherwise."""
    with uow:
        run = uow.runs.get(run_id)
    if run is None or not actor.sees(run.district_code):
        raise NotFound(f"급여 실행 {run_id}: 찾을 수 없습니다")
    return run


# --- run page ------------------------------------------------------------------------


@dataclass(frozen=True)
class LineItem:
    kind: str
    label: str
    amount: int
    explanation: str


@dataclass(frozen=True)
class PayslipItem(PayslipTotals):
    """A payslip's totals and every line, in payslip order."""

    lines: tuple[LineItem, ...] = ()


@dataclass
class RunPage:
    """A run's totals (``run``), names, who did what, exceptions and allowed buttons."""

    run: runs.RunSummary
    district_name: str
    program_name: str
    calculated_by: str | None
    approved_by: str | None
    finalized_by: str | None
    exception_items: list[ExceptionItem] = field(default_factory=list)
    buttons: dict[str, bool] = field(default_factory=dict)
    why_not: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return self.run.id

    @property
    def state(self) -> str:
        return self.run.state

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def open_exceptions(self) -> int:
        return sum(1 for x in self.exception_items if not x.excluded)


def run_page(uow: UnitOfWork, actor: Actor, run_id: int) -> RunPage:
    """Totals, exceptions and which buttons this actor may press."""
    with uow:
        run = load_run(uow, actor, run_id)
        require(actor, Action.VIEW_PEOPLE)
        page = RunPage(
            runs.summary(uow, run),
            uow.names.districts().get(run.district_code, run.district_code),
            uow.names.programs().get(run.program_code, run.program_code),
            run.calculated_by,
            run.approved_by,
            run.finalized_by,
        )
        page.exception_items.extend(uow.console.run_exceptions(run.id))
        relaxed = city_settings.self_finalize_allowed(uow)
    page.buttons, page.why_not = _buttons(actor, page, relaxed)
    return page


def _buttons(actor: Actor, page: RunPage, relaxed: bool) -> tuple[dict[str, bool], dict[str, str]]:
    """Which of approve / finalize / cancel / exclude / calculate the actor may press now."""
    why: dict[str, str] = {}
    can = {
        "calculate": actor.may(Action.CALCULATE) and page.state != RunState.FINALIZED,
        "exclude": actor.may(Action.EXCLUDE) and page.state == RunState.CALCULATED,
        "approve": actor.may(Action.APPROVE) and page.state == RunState.CALCULATED,
        "finalize": actor.may(Action.FINALIZE) and page.state == RunState.APPROVED,
        "cancel": actor.may(Action.CANCEL)
        and page.state not in (RunState.FINALIZED, RunState.CANCELLED),
        "draft_payslips": actor.may(Action.DRAFT_PAYSLIPS) and page.state != RunState.CANCELLED,
        "payment_file": actor.may(Action.PAYMENT_FILE) and page.state == RunState.FINALIZED,
    }
    if can["approve"] and page.calculated_by == actor.name:
        can["approve"] = False
        why["approve"] = "직접 계산한 급여는 승인할 수 없습니다 (다른 팀장이 승인)"
    if can["approve"] and page.open_exceptions:
        can["approve"] = False
        why["approve"] = f"처리되지 않은 예외 {page.open_exceptions}건이 있습니다"
    if can["finalize"] and page.approved_by == actor.name and not relaxed:
        can["finalize"] = False
        why["finalize"] = "직접 승인한 급여는 확정할 수 없습니다 (다른 팀장이 확정)"
    return can, why


PAGE_SIZE = 50


@dataclass(frozen=True)
class PayslipPage:
    """One page of a run's payslips matching a search; ``total`` matches in all."""

    items: list[PayslipItem]
    total: int
    page: int
    pages: int


def run_payslips(
    uow: UnitOfWork, actor: Actor, run_id: int, query: str = "", page: int = 1
) -> PayslipPage:
    """A page of the run's payslips with every line; ``query`` matches id or name."""
    with uow:
        run = load_run(uow, actor, run_id)
        require(actor, Action.VIEW_PEOPLE)
        q = query.strip().replace("%", "").replace("_", "")
        total = uow.console.count_payslips(run.id, q)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, page), pages)
        rows = uow.console.payslips(run.id, q, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        lines = lines_by_payslip(uow, [slip.payslip_id for slip in rows])
    items = [
        PayslipItem(
            **vars(slip),
            lines=tuple(
                LineItem(x.kind, label(x.code), x.amount, x.explanation)
                for x in sorted(lines.get(slip.payslip_id, []), key=lambda x: KIND_ORDER[x.kind])
            ),
        )
        for slip in rows
    ]
    return PayslipPage(items, total, page, pages)


# --- actions -------------------------------------------------------------------------


def _ref(uow: UnitOfWork, actor: Actor, run_id: int, action: Action) -> str:
    run = load_run(uow, actor, run_id)
    require(actor, action)
    return str(run.id)


def approve(uow: UnitOfWork, actor: Actor, run_id: int) -> runs.RunSummary:
    ref = _ref(uow, actor, run_id, Action.APPROVE)
    with audit.acting_as(actor.kind):
        return runs.approve_run(uow, ref, actor.name)


def finalize(uow: UnitOfWork, actor: Actor, run_id: int) -> runs.RunSummary:
    ref = _ref(uow, actor, run_id, Action.FINALIZE)
    with audit.acting_as(actor.kind):
        return runs.finalize_run(uow, ref, actor.name)


def cancel(uow: UnitOfWork, actor: Actor, run_id: int, reason: str) -> runs.RunSummary:
    ref = _ref(uow, actor, run_id, Action.CANCEL)
    if not reason.strip():
        raise runs.RunError("취소 사유를 적어 주세요")
    with audit.acting_as(actor.kind):
        return runs.cancel_run(uow, ref, actor.name, reason.strip())


def exclude(
    uow: UnitOfWork, actor: Actor, run_id: int, participant_id: str, reason: str
) -> runs.RunSummary:
    ref = _ref(uow, actor, run_id, Action.EXCLUDE)
    if not reason.strip():
        raise runs.RunError("지급 보류 사유를 적어 주세요")
    with audit.acting_as(actor.kind):
        return runs.exclude_participant(uow, ref, participant_id, reason.strip(), actor.name)


def calculation_size(uow: UnitOfWork, actor: Actor, month: str, district: str, program: str) -> int:
    """How many enrollments a calculation will go through (for the progress bar)."""
    check(actor, Action.CALCULATE, district, f"자치구 {district}")
    parse_month(month)
    with uow:
        return sum(run_sizes(uow, month, district, program).values())


def calculate(
    uow: UnitOfWork,
    actor: Actor,
    month: str,
    district: str,
    program: str,
    progress: Callable[[int], None] | None = None,
) -> list[runs.RunSummary]:
    """Calculate one district's program for ``month`` (the clerk's own district only)."""
    check(actor, Action.CALCULATE, district, f"자치구 {district}")
    with audit.acting_as(actor.kind):
        return runs.calculate_runs(uow, month, district, program, progress, actor=actor.name)


# --- participant page ----------------------------------------------------------------


def find_participants(uow: UnitOfWork, actor: Actor, query: str, limit: int = 50) -> list[Any]:
    """Participants of the actor's districts whose id or name contains ``query``."""
    require(actor, Action.VIEW_PEOPLE)
    q = query.strip().replace("%", "").replace("_", "")
    if not q:
        return []
    districts = None if actor.city_wide else actor.districts
    with uow:
        return uow.console.find_participants(q, districts, limit)


SORTS = {"id": "참여자번호", "name": "성명", "birth": "생년월일"}


@dataclass(frozen=True)
class ParticipantList:
    """One page of a district's participant list, with what it was filtered and sorted by."""

    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int
    query: str
    program: str
    sort: str


def participant_list(
    uow: UnitOfWork,
    actor: Actor,
    query: str = "",
    program: str = "",
    sort: str = "id",
    page: int = 1,
) -> ParticipantList:
    """The participants of the actor's districts: filtered by id/name and program, sorted
    by id, name or birth date, ``PAGE_SIZE`` a page; names instead of codes."""
    require(actor, Action.VIEW_PEOPLE)
    q = query.strip().replace("%", "").replace("_", "")
    sort = sort if sort in SORTS else "id"
    districts = None if actor.city_wide else actor.districts
    with uow:
        shown = display_names.names(uow)
        if program and program not in shown.programs:
            program = ""
        total = uow.console.participant_list(districts, q, program, sort, 1, 0)[1]
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, page), pages)
        rows, total = uow.console.participant_list(
            districts, q, program, sort, PAGE_SIZE, (page - 1) * PAGE_SIZE
        )
    items = [
        {
            "participant_id": r.participant_id,
            "name": r.name,
            "district": shown.district(r.district_code),
            "birth_date": r.birth_date,
            "programs": ", ".join(shown.program(p) for p in r.programs) or "-",
            "last_end": r.last_end or "-",
        }
        for r in rows
    ]
    return ParticipantList(items, total, page, pages, query.strip(), program, sort)


def load_participant(uow: UnitOfWork, actor: Actor, participant_id: str) -> ParticipantRef:
    """The participant if the actor's districts include them; :class:`NotFound` otherwise."""
    with uow:
        person = uow.console.participant(
            participant_id, None if actor.city_wide else actor.districts
        )
    if person is None:
        raise NotFound(f"참여자 {participant_id}: 찾을 수 없습니다")
    require_district(actor, person.district_code, f"참여자 {participant_id}")
    return person


def participant_page(uow: UnitOfWork, actor: Actor, participant_id: str) -> dict[str, Any]:
    """Enrollments, limits used, overrides and payslips of one participant."""
    with uow:
        person = load_participant(uow, actor, participant_id)
        require(actor, Action.VIEW_PEOPLE)
        report = participant_report(uow, participant_id, person.district_code)
        report["payslips"] = [
            {
                "payslip_id": slip.payslip_id,
                "run_id": slip.run_id,
                "month": slip.month,
                "program": slip.program_code,
                "state": STATE_LABELS.get(slip.state, slip.state),
                "gross": slip.gross,
                "net": slip.net,
            }
            for slip in uow.console.participant_payslips(person.pk)
        ]
        shown = display_names.names(uow)
    for slip in report["payslips"]:
        slip["program"] = shown.program(slip["program"])
    for row in report.get("limits", []):  # "{program} 연속 참여는 …" filled with the code
        if isinstance(row, dict) and "message" in row:
            row["message"] = shown.in_text(str(row["message"]))
    return report
