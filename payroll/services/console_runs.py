"""What the web console shows and does with runs, each call for one acting user.

Every function takes the :class:`~payroll.services.access.Actor` and checks it before it
reads or changes anything: a run or participant of another district is
:class:`~payroll.services.access.NotFound`, an action the role may not take is
:class:`~payroll.services.access.Forbidden`. State changes go through :mod:`payroll.services.runs`
(the same code as the CLI), with the actor's name in the audit log as a "user".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from payroll.db.engine import transaction
from payroll.db.models import (
    District,
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipRow,
    ProgramRow,
    RunException,
)
from payroll.db.uow import SqlUnitOfWork
from payroll.domain.calendar import month_range, parse_month
from payroll.domain.labels import label
from payroll.services import audit, city_settings, runs
from payroll.services.access import Action, Actor, NotFound, check, require, require_district
from payroll.services.participants import participant_report
from payroll.services.payslip_store import lines_by_payslip
from payroll.services.run_inputs import run_groups

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
    if state in (None, "cancelled"):
        return "담당: 명부·근태 올리고 계산"
    if state == "calculated" and open_exceptions:
        return f"담당: 예외 {open_exceptions}건 수정 후 재계산 또는 제외"
    return {
        "calculated": "팀장: 검토 후 승인",
        "approved": "다른 팀장: 확정",
        "finalized": "명세서·이체파일 내려받기",
    }[state]


def enrolled_counts(session: Session, month: str) -> dict[tuple[str, str], int]:
    """Roster enrollments overlapping ``month`` per (district, program), counted in SQL.

    The same enrollments :func:`~payroll.services.run_inputs.run_groups` gives a run.
    """
    first, last = month_range(month)
    rows = session.execute(
        select(Participant.district_code, EnrollmentRow.program_code, func.count())
        .join(Participant, EnrollmentRow.participant_pk == Participant.id)
        .where(
            EnrollmentRow.source == "roster",
            EnrollmentRow.start <= last,
            EnrollmentRow.end >= first,
        )
        .group_by(Participant.district_code, EnrollmentRow.program_code)
    )
    return {(d, p): int(n) for d, p, n in rows}


def month_board(engine: Engine, actor: Actor, month: str) -> list[BoardCell]:
    """Each district × program the actor sees with a run or enrollments in ``month``."""
    require(actor, Action.BOARD)
    parse_month(month)
    with transaction(engine) as session:
        districts = {d.code: d.name for d in session.scalars(select(District))}
        programs = {p.code: p.name for p in session.scalars(select(ProgramRow))}
        enrolled = {
            key: n for key, n in enrolled_counts(session, month).items() if actor.sees(key[0])
        }
        open_counts = dict(
            session.execute(
                select(RunException.run_id, func.count())
                .join(PayrollRun, PayrollRun.id == RunException.run_id)
                .where(PayrollRun.month == month, RunException.excluded.is_(False))
                .group_by(RunException.run_id)
            ).all()
        )
        found = {
            (r.district_code, r.program_code): r
            for r in session.scalars(select(PayrollRun).where(PayrollRun.month == month))
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


def visible_districts(engine: Engine, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the districts the actor works for, for forms."""
    with transaction(engine) as session:
        return [
            (d.code, d.name)
            for d in session.scalars(select(District).order_by(District.code))
            if actor.sees(d.code)
        ]


def program_choices(engine: Engine) -> list[tuple[str, str]]:
    with transaction(engine) as session:
        return [(p.code, p.name) for p in session.scalars(select(ProgramRow))]


def load_run(session: Session, actor: Actor, run_id: int) -> PayrollRun:
    """The run if the actor's districts include it; :class:`NotFound` otherwise."""
    run = session.get(PayrollRun, run_id)
    if run is None or not actor.sees(run.district_code):
        raise NotFound(f"급여 실행 {run_id}: 찾을 수 없습니다")
    return run


# --- run page ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExceptionItem:
    participant_id: str
    name: str
    reason: str
    excluded: bool
    excluded_reason: str | None
    excluded_by: str | None


@dataclass(frozen=True)
class LineItem:
    kind: str
    label: str
    amount: int
    explanation: str


@dataclass(frozen=True)
class PayslipItem:
    payslip_id: int
    participant_id: str
    name: str
    gross: int
    deductions: int
    net: int
    employer: int
    lines: tuple[LineItem, ...]


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


def run_page(engine: Engine, actor: Actor, run_id: int) -> RunPage:
    """Totals, exceptions and which buttons this actor may press."""
    with transaction(engine) as session:
        run = load_run(session, actor, run_id)
        require(actor, Action.VIEW_PEOPLE)
        district = session.get(District, run.district_code)
        program = session.get(ProgramRow, run.program_code)
        page = RunPage(
            runs.summary(run),
            district.name if district else run.district_code,
            program.name if program else run.program_code,
            run.calculated_by,
            run.approved_by,
            run.finalized_by,
        )
        for exc, person in session.execute(
            select(RunException, Participant)
            .join(EnrollmentRow, EnrollmentRow.id == RunException.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(RunException.run_id == run.id)
            .order_by(Participant.participant_id)
        ):
            page.exception_items.append(
                ExceptionItem(
                    person.participant_id,
                    person.name,
                    exc.reason,
                    exc.excluded,
                    exc.excluded_reason,
                    exc.excluded_by,
                )
            )
        relaxed = city_settings.self_finalize_allowed(session)
    page.buttons, page.why_not = _buttons(actor, page, relaxed)
    return page


def _buttons(actor: Actor, page: RunPage, relaxed: bool) -> tuple[dict[str, bool], dict[str, str]]:
    """Which of approve / finalize / cancel / exclude / calculate the actor may press now."""
    why: dict[str, str] = {}
    can = {
        "calculate": actor.may(Action.CALCULATE) and page.state != "finalized",
        "exclude": actor.may(Action.EXCLUDE) and page.state == "calculated",
        "approve": actor.may(Action.APPROVE) and page.state == "calculated",
        "finalize": actor.may(Action.FINALIZE) and page.state == "approved",
        "cancel": actor.may(Action.CANCEL) and page.state not in ("finalized", "cancelled"),
        "draft_payslips": actor.may(Action.DRAFT_PAYSLIPS) and page.state != "cancelled",
        "payment_file": actor.may(Action.PAYMENT_FILE) and page.state == "finalized",
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
    engine: Engine, actor: Actor, run_id: int, query: str = "", page: int = 1
) -> PayslipPage:
    """A page of the run's payslips with every line; ``query`` matches id or name."""
    with transaction(engine) as session:
        run = load_run(session, actor, run_id)
        require(actor, Action.VIEW_PEOPLE)
        where = [PayslipRow.run_id == run.id]
        q = query.strip().replace("%", "").replace("_", "")
        if q:
            where.append(
                or_(Participant.name.like(f"%{q}%"), Participant.participant_id.like(f"%{q}%"))
            )
        base = (
            select(PayslipRow, Participant)
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(*where)
        )
        total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, page), pages)
        rows = session.execute(
            base.order_by(Participant.name, Participant.participant_id)
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        ).all()
        lines = lines_by_payslip(session, [slip.id for slip, _ in rows])
    items = [
        PayslipItem(
            slip.id,
            person.participant_id,
            person.name,
            slip.gross,
            slip.total_deductions,
            slip.net,
            slip.employer_total,
            tuple(
                LineItem(x.kind, label(x.code), x.amount, x.explanation)
                for x in sorted(lines.get(slip.id, []), key=lambda x: KIND_ORDER[x.kind])
            ),
        )
        for slip, person in rows
    ]
    return PayslipPage(items, total, page, pages)


# --- actions -------------------------------------------------------------------------


def _ref(engine: Engine, actor: Actor, run_id: int, action: Action) -> str:
    with transaction(engine) as session:
        run = load_run(session, actor, run_id)
    require(actor, action)
    return str(run.id)


def approve(engine: Engine, actor: Actor, run_id: int) -> runs.RunSummary:
    ref = _ref(engine, actor, run_id, Action.APPROVE)
    with audit.acting_as(actor.kind):
        return runs.approve_run(engine, ref, actor.name)


def finalize(engine: Engine, actor: Actor, run_id: int) -> runs.RunSummary:
    ref = _ref(engine, actor, run_id, Action.FINALIZE)
    with audit.acting_as(actor.kind):
        return runs.finalize_run(engine, ref, actor.name)


def cancel(engine: Engine, actor: Actor, run_id: int, reason: str) -> runs.RunSummary:
    ref = _ref(engine, actor, run_id, Action.CANCEL)
    if not reason.strip():
        raise runs.RunError("취소 사유를 적어 주세요")
    with audit.acting_as(actor.kind):
        return runs.cancel_run(engine, ref, actor.name, reason.strip())


def exclude(
    engine: Engine, actor: Actor, run_id: int, participant_id: str, reason: str
) -> runs.RunSummary:
    ref = _ref(engine, actor, run_id, Action.EXCLUDE)
    if not reason.strip():
        raise runs.RunError("제외 사유를 적어 주세요")
    with audit.acting_as(actor.kind):
        return runs.exclude_participant(engine, ref, participant_id, reason.strip(), actor.name)


def calculation_size(engine: Engine, actor: Actor, month: str, district: str, program: str) -> int:
    """How many enrollments a calculation will go through (for the progress bar)."""
    check(actor, Action.CALCULATE, district, f"자치구 {district}")
    parse_month(month)
    with transaction(engine) as session:
        return sum(len(m) for m in run_groups(session, month, district, program).values())


def calculate(
    engine: Engine,
    actor: Actor,
    month: str,
    district: str,
    program: str,
    progress: Callable[[int], None] | None = None,
) -> list[runs.RunSummary]:
    """Calculate one district's program for ``month`` (the clerk's own district only)."""
    check(actor, Action.CALCULATE, district, f"자치구 {district}")
    with audit.acting_as(actor.kind):
        return runs.calculate_runs(engine, month, district, program, progress, actor=actor.name)


# --- participant page ----------------------------------------------------------------


def find_participants(engine: Engine, actor: Actor, query: str, limit: int = 50) -> list[Any]:
    """Participants of the actor's districts whose id or name contains ``query``."""
    require(actor, Action.VIEW_PEOPLE)
    q = query.strip().replace("%", "").replace("_", "")
    if not q:
        return []
    stmt = (
        select(Participant.participant_id, Participant.name, District.name)
        .join(District, District.code == Participant.district_code)
        .where(or_(Participant.name.like(f"%{q}%"), Participant.participant_id.like(f"%{q}%")))
        .order_by(Participant.participant_id)
        .limit(limit)
    )
    if not actor.city_wide:
        stmt = stmt.where(Participant.district_code.in_(sorted(actor.districts)))
    with transaction(engine) as session:
        return [tuple(row) for row in session.execute(stmt)]


def load_participant(session: Session, actor: Actor, participant_id: str) -> Participant:
    """The participant if the actor's districts include them; :class:`NotFound` otherwise."""
    person = session.scalars(
        select(Participant).where(Participant.participant_id == participant_id)
    ).first()
    if person is None:
        raise NotFound(f"참여자 {participant_id}: 찾을 수 없습니다")
    require_district(actor, person.district_code, f"참여자 {participant_id}")
    return person


def participant_page(engine: Engine, actor: Actor, participant_id: str) -> dict[str, Any]:
    """Enrollments, limits used, overrides and payslips of one participant."""
    with transaction(engine) as session:
        person = load_participant(session, actor, participant_id)
        require(actor, Action.VIEW_PEOPLE)
        report = participant_report(SqlUnitOfWork(engine), participant_id)
        report["payslips"] = [
            {
                "payslip_id": slip.id,
                "run_id": run.id,
                "month": slip.month,
                "program": run.program_code,
                "state": STATE_LABELS.get(run.state, run.state),
                "gross": slip.gross,
                "net": slip.net,
            }
            for slip, run in session.execute(
                select(PayslipRow, PayrollRun)
                .join(PayrollRun, PayrollRun.id == PayslipRow.run_id)
                .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
                .where(EnrollmentRow.participant_pk == person.id)
                .order_by(PayslipRow.month)
            )
        ]
    return report
