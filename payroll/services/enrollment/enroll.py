"""Enrollment (참여 등록): a participant in a program's term, checked against the limits (§11).

``payroll enroll`` and the roster import both go through here, in two steps:

1. :func:`plan_enrollment` resolves the program, term and dates and checks the candidate
   against the limit rules stored in the database (``uow.catalog.read().limits``),
   with the participant's whole history (every stored enrollment, any program, any year,
   roster or imported history) plus what the caller adds (earlier rows of an import file).
   It writes nothing.
2. :func:`store_enrollment` writes a plan that may go ahead, with its audit entry.

Outcomes of the check:

- no rule broken: enrolled;
- a ``block`` rule broken and no override: refused (:class:`EnrollmentRefused` lists every
  broken rule with the enrollments that count against it);
- a ``block`` rule broken with an override (written reason and who): enrolled, the reason,
  person, time and the overridden rule codes stored on the enrollment and in the audit log;
  an override given when no rule is broken is not stored (there is nothing to override);
- a ``pay_cut`` rule broken (``max_participations_in_window`` with ``action = "pay_cut"``):
  enrolled with ``pay_cut_percent`` (the largest of those rules), never refused; an override
  does not lift a pay cut.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from payroll.domain.audit import AuditEntry
from payroll.domain.limits import (
    Candidate,
    LimitRule,
    PastEnrollment,
    Violation,
    check_enrollment,
    parse_rules,
    term_code_of,
)
from payroll.domain.model import PayrollError, Term
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.domain.run_member import domain_enrollment
from payroll.formats.inputs import InputError, match_program
from payroll.services.common import audit, lookup
from payroll.services.people import city
from payroll.services.unit_of_work import UnitOfWork

# One roster or history import or enrollment at a time (the limits span people).
ROSTER_LOCK = "payroll:roster"
MAX_DAILY_HOURS = Decimal(8)  # 근로기준법 §50: 8 hours a day


class EnrollmentInputError(PayrollError):
    """A bad program, term, date or hours value; ``column`` names the input field."""

    def __init__(self, column: str, value: str, reason: str) -> None:
        super().__init__(f"{column} {value!r}: {reason}" if value else f"{column}: {reason}")
        self.column = column
        self.value = value
        self.reason = reason


class EnrollmentRefused(PayrollError):
    """The enrollment breaks limit rules and carries no override."""

    def __init__(self, plan: PlannedEnrollment, labels: Mapping[str, str]) -> None:
        self.plan = plan
        self.reasons = tuple(
            f"{explain(v, labels)} — {remedy(plan, v, ENROLL_OVERRIDE)}" for v in plan.blocking
        )
        lines = "\n".join(f"  - {r}" for r in self.reasons)
        super().__init__(
            f"{plan.participant_id}: {plan.program} {plan.term.code} 참여 불가:\n{lines}"
        )


@dataclass(frozen=True)
class Override:
    """An administrator's written reason for enrolling despite broken rules."""

    reason: str
    by: str


@dataclass(frozen=True)
class LimitContext:
    """What every check needs from the catalog, read once per command."""

    rules: tuple[LimitRule, ...]
    terms: tuple[Term, ...]
    programs: Mapping[str, str]  # code -> name (서울 동행일자리)
    districts: Mapping[str, str]  # code -> name (종로구)


@dataclass(frozen=True)
class PlannedEnrollment:
    """A checked candidate enrollment, not yet stored."""

    participant_id: str
    program: str
    term: Term
    start: date
    end: date
    daily_hours: Decimal | None
    violations: tuple[Violation, ...] = ()
    override: Override | None = None
    elsewhere: frozenset[str] = frozenset()  # refs of the person's other districts' enrollments

    @property
    def blocking(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.action != "pay_cut")

    @property
    def not_overridable(self) -> tuple[Violation, ...]:
        """Broken rules no override lifts: the same person in two districts at once."""
        return tuple(v for v in self.blocking if final(v, self.elsewhere))

    @property
    def pay_cuts(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.action == "pay_cut")

    @property
    def refused(self) -> bool:
        return bool(self.not_overridable) or (bool(self.blocking) and self.override is None)

    @property
    def pay_cut_percent(self) -> Decimal | None:
        cuts = [v.pay_cut_percent for v in self.pay_cuts]
        return max(cuts) if cuts else None


@dataclass(frozen=True)
class EnrollResult:
    """What :func:`enroll` did."""

    enrollment_id: int
    plan: PlannedEnrollment
    created: bool  # False: the same enrollment was already stored
    reasons: tuple[str, ...] = field(default=())  # explained violations (overridden, pay cut)


# --- catalog lookups ---------------------------------------------------------------------


def load_context(uow: UnitOfWork) -> LimitContext:
    """Rules, terms, programs and districts as stored in the database."""
    catalog = uow.catalog.read()
    book = catalog.rate_book
    return LimitContext(
        rules=parse_rules(catalog.limits),
        terms=tuple(book.terms),
        programs={code: p.name for code, p in book.programs.items()},
        districts=uow.names.districts(),
    )


def resolve_program(ctx: LimitContext, value: str) -> str:
    """Program code from its code or Korean name (서울 동행일자리 / 동행일자리 → dongheng)."""
    try:
        return match_program(ctx.programs, value)
    except InputError as exc:
        raise EnrollmentInputError("program", value, _reason(exc)) from None


def resolve_district(uow: UnitOfWork, value: str) -> str:
    """District code from its code (11110) or Korean name (종로구, 종로, 서울 종로구), by
    :func:`payroll.services.common.lookup.district_code`."""
    try:
        return lookup.district_code(uow, value)
    except InputError as exc:
        raise EnrollmentInputError("district", value, _reason(exc)) from None


def _reason(exc: InputError) -> str:
    """The reason part of an InputError (after ``'value': ``)."""
    return str(exc).split(": ", 1)[-1]


def resolve_term(ctx: LimitContext, program: str, code: str) -> Term:
    """The catalog term ``code`` of ``program``."""
    for term in ctx.terms:
        if term.program == program and term.code == code.strip():
            return term
    known = ", ".join(t.code for t in ctx.terms if t.program == program) or "none"
    raise EnrollmentInputError(
        "term", code, f"no {program} term with this code in the catalog (known: {known})"
    )


def parse_daily_hours(text: str) -> Decimal:
    """Daily contracted hours: more than 0, at most 8, in steps of 0.01."""
    try:
        hours = Decimal(text.strip())
    except InvalidOperation:
        raise EnrollmentInputError("daily_hours", text, "숫자가 아닙니다") from None
    if not hours.is_finite() or not Decimal(0) < hours <= MAX_DAILY_HOURS:
        raise EnrollmentInputError(
            "daily_hours", text, f"0보다 크고 {MAX_DAILY_HOURS} 이하여야 합니다"
        )
    if hours != hours.quantize(Decimal("0.01")):
        raise EnrollmentInputError("daily_hours", text, "소수점 아래 두 자리까지만 쓸 수 있습니다")
    return hours


def term_dates(term: Term, start: date | None, end: date | None) -> tuple[date, date]:
    """Start and end (default: the term's), which must lie inside the term."""
    start = start or term.start
    end = end or term.end
    inside = f"{term.code} 기간({term.start.isoformat()}..{term.end.isoformat()}) 밖입니다"
    if not term.start <= start <= term.end:
        raise EnrollmentInputError("start", start.isoformat(), inside)
    if not term.start <= end <= term.end:
        raise EnrollmentInputError("end", end.isoformat(), inside)
    if end < start:
        before = f"시작일 {start.isoformat()}보다 앞섭니다"
        raise EnrollmentInputError("end", end.isoformat(), before)
    return start, end


# --- history -----------------------------------------------------------------------------


def ref_of(row: EnrollmentRecord) -> str:
    """How a stored enrollment is named in messages: ``#12``."""
    return f"#{row.id}"


def label_of(row: EnrollmentRecord) -> str:
    """``#12 dongheng 2024-H1 2024-01-02..2024-06-28 (history)``."""
    return (
        f"{ref_of(row)} {row.program_code} {row.term_code or '?'} "
        f"{row.start.isoformat()}..{row.end.isoformat()} ({row.source})"
    )


def past_of(row: EnrollmentRecord, participant: PersonRecord) -> PastEnrollment:
    return PastEnrollment(
        ref=ref_of(row),
        participant_id=participant.participant_id,
        program=row.program_code,
        start=row.start,
        end=row.end,
        household=participant.household,
    )


pay_enrollment = domain_enrollment
"""What the pay rules need of a stored enrollment and its participant."""


def enrollments_of(uow: UnitOfWork, pks: Iterable[int]) -> dict[int, list[EnrollmentRecord]]:
    """Stored enrollments of the given participants (by id), oldest first."""
    return uow.enrollments.of_participants(pks)


def household_members(uow: UnitOfWork, household: str) -> list[PersonRecord]:
    """Every stored participant of a household (세대)."""
    return uow.participants.household(household)


ENROLL_OVERRIDE = "--override 사유 --by 이름"
ROSTER_OVERRIDE = "예외사유(override) 열에 사유를 쓰고 --by 이름으로 가져오기"


def final(violation: Violation, elsewhere: frozenset[str]) -> bool:
    """A rule no override lifts: overlapping an enrollment of the same person in another
    district (one person is paid by one district at a time; the other enrollment must end
    first)."""
    return violation.code == "no_overlap" and any(e.ref in elsewhere for e in violation.counting)


def remedy(plan: PlannedEnrollment, violation: Violation, how: str) -> str:
    """What the district can do about a broken rule, in Korean."""
    if final(violation, plan.elsewhere):
        return (
            "다른 자치구의 참여와 기간이 겹쳐 예외 사유로도 등록할 수 없습니다; "
            "그 참여가 끝난 다음 날 이후로 시작일을 정하거나, 그 자치구에 참여 종료를 요청하세요"
        )
    return f"예외로 참여시키려면 사유를 적어 주세요 ({how})"


def explain(violation: Violation, labels: Mapping[str, str]) -> str:
    """A violation's sentence followed by the enrollments counting against it."""
    if not violation.counting:
        return violation.message
    counted = ", ".join(labels.get(e.ref, e.ref) for e in violation.counting)
    return f"{violation.message} (해당 참여: {counted})"


# --- plan and store ----------------------------------------------------------------------


def plan_enrollment(
    ctx: LimitContext,
    *,
    participant_id: str,
    birth_date: date,
    household: str | None,
    program: str,
    term: Term,
    start: date,
    end: date,
    daily_hours: Decimal | None,
    history: Sequence[PastEnrollment],
    household_enrollments: Sequence[PastEnrollment] = (),
    override: Override | None = None,
    elsewhere: Iterable[str] = (),
) -> PlannedEnrollment:
    """Check a candidate against the stored rules; nothing is written.

    ``history`` is the person's, across the city; ``elsewhere`` names (by ref) those of its
    enrollments held under another district's participant ID."""
    candidate = Candidate(participant_id, program, start, end, birth_date, household)
    violations = check_enrollment(candidate, history, ctx.rules, ctx.terms, household_enrollments)
    return PlannedEnrollment(
        participant_id=participant_id,
        program=program,
        term=term,
        start=start,
        end=end,
        daily_hours=daily_hours,
        violations=tuple(violations),
        override=override,
        elsewhere=frozenset(elsewhere),
    )


def store_enrollment(
    uow: UnitOfWork,
    participant: PersonRecord,
    plan: PlannedEnrollment,
    actor: str,
    labels: Mapping[str, str],
    declared_monthly_pay: int | None = None,
    **detail: object,
) -> int:
    """Write a plan that is not refused, with its audit entry (``enrollment.add``); its id."""
    row = enrollment_record(participant, plan, labels, declared_monthly_pay)
    enrollment_id = uow.enrollments.add(row)
    uow.audit.add(enrollment_entry(actor, enrollment_id, participant, plan, row, labels, **detail))
    return enrollment_id


def enrollment_record(
    participant: PersonRecord,
    plan: PlannedEnrollment,
    labels: Mapping[str, str],
    declared_monthly_pay: int | None = None,
) -> EnrollmentRecord:
    """The enrollment a plan that is not refused stores (``id`` 0 until stored)."""
    if plan.refused:
        raise EnrollmentRefused(plan, labels)
    overridden = plan.blocking if plan.override else ()
    row = EnrollmentRecord(
        id=0,
        participant_pk=participant.id,
        program_code=plan.program,
        term_code=plan.term.code,
        start=plan.start,
        end=plan.end,
        daily_hours=plan.daily_hours,
        source="roster",
        pay_cut_percent=plan.pay_cut_percent,
        declared_monthly_pay=declared_monthly_pay,
    )
    if overridden:
        assert plan.override is not None
        row = replace(
            row,
            override_reason=plan.override.reason,
            override_by=plan.override.by,
            override_at=datetime.now(UTC),
            override_rules=",".join(v.code for v in overridden),
        )
    return row


def enrollment_entry(
    actor: str,
    enrollment_id: int,
    participant: PersonRecord,
    plan: PlannedEnrollment,
    record: EnrollmentRecord,
    labels: Mapping[str, str],
    **detail: object,
) -> AuditEntry:
    """The ``enrollment.add`` audit entry of a stored enrollment."""
    overridden = plan.blocking if plan.override else ()
    return audit.entry(
        actor,
        "enrollment.add",
        "enrollment",
        enrollment_id,
        participant_id=participant.participant_id,
        program=plan.program,
        term=plan.term.code,
        start=plan.start,
        end=plan.end,
        daily_hours=plan.daily_hours,
        pay_cut_percent=plan.pay_cut_percent,
        pay_cut_rules=[explain(v, labels) for v in plan.pay_cuts],
        override_reason=record.override_reason,
        override_by=record.override_by,
        override_rules=[explain(v, labels) for v in overridden],
        **detail,
    )


def same_start(
    rows: Iterable[EnrollmentRecord], program: str, start: date
) -> EnrollmentRecord | None:
    """The stored enrollment of ``program`` starting on ``start``, if any (one is allowed)."""
    return next((r for r in rows if r.program_code == program and r.start == start), None)


def conflict_reason(
    existing: EnrollmentRecord, end: date, daily_hours: Decimal | None
) -> str | None:
    """Why a stored enrollment with the same program and start is not the one asked for."""
    if existing.end != end:
        return (
            f"already enrolled as {label_of(existing)} ending {existing.end.isoformat()}, "
            f"not {end.isoformat()}; enrollments are not changed here"
        )
    if existing.daily_hours != daily_hours:
        return (
            f"already enrolled as {label_of(existing)} with daily hours "
            f"{existing.daily_hours or 'program default'}; enrollments are not changed here"
        )
    return None


def default_actor() -> str:
    """Who runs the command when no ``--by`` is given: the login name."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def enroll(
    uow: UnitOfWork,
    participant_id: str,
    program: str,
    term: str,
    *,
    start: date | None = None,
    end: date | None = None,
    daily_hours: Decimal | None = None,
    override: Override | None = None,
    actor: str | None = None,
    district: str | None = None,
) -> EnrollResult:
    """``payroll enroll``: check and store one enrollment (idempotent for the same one).

    Serialised with the roster and history imports (their limits span people).
    """
    with uow.serialized(ROSTER_LOCK):
        code = resolve_district(uow, district) if district else None
        return _enroll(
            uow, participant_id, program, term, start, end, daily_hours, override, actor, code
        )


def _enroll(
    uow: UnitOfWork,
    participant_id: str,
    program: str,
    term: str,
    start: date | None,
    end: date | None,
    daily_hours: Decimal | None,
    override: Override | None,
    actor: str | None,
    district: str | None = None,
) -> EnrollResult:
    ctx = load_context(uow)
    participant = uow.participants.get(participant_id, district)
    if participant is None:
        raise PayrollError(f"참여자 {participant_id}: 없습니다 (먼저 명부를 가져오세요)")
    code = resolve_program(ctx, program)
    the_term = resolve_term(ctx, code, term)
    start, end = term_dates(the_term, start, end)
    own = enrollments_of(uow, [participant.id])[participant.id]
    labels = {ref_of(r): label_of(r) for r in own}
    existing = same_start(own, code, start)
    if existing is not None:
        reason = conflict_reason(existing, end, daily_hours)
        if reason:
            raise PayrollError(f"참여자 {participant_id}: {reason}")
        plan = PlannedEnrollment(participant_id, code, the_term, start, end, daily_hours)
        return EnrollResult(existing.id, plan, created=False)
    city.require_number(participant)
    participant = city.ensure_person_key(uow, participant)
    elsewhere = city.person_history(
        uow,
        participant.person_key,
        participant_id,
        participant.household,
        [participant.id],
        ctx.districts,
        ctx.programs,
    )
    labels.update(elsewhere.labels)
    household: list[PastEnrollment] = []
    if participant.household:
        members = [
            m for m in household_members(uow, participant.household) if m.id != participant.id
        ]
        rows = enrollments_of(uow, [m.id for m in members])
        for m in members:
            for r in rows[m.id]:
                household.append(past_of(r, m))
                labels[ref_of(r)] = f"{label_of(r)} of {m.participant_id}"
    plan = plan_enrollment(
        ctx,
        participant_id=participant_id,
        birth_date=participant.birth_date,
        household=participant.household,
        program=code,
        term=the_term,
        start=start,
        end=end,
        daily_hours=daily_hours,
        history=[past_of(r, participant) for r in own] + elsewhere.past,
        household_enrollments=household,
        override=override,
        elsewhere=elsewhere.labels,
    )
    who = actor or (override.by if override else None) or default_actor()
    enrollment_id = store_enrollment(uow, participant, plan, who, labels, via="enroll")
    shown = plan.blocking if plan.override else ()
    reasons = tuple(explain(v, labels) for v in (*shown, *plan.pay_cuts))
    return EnrollResult(enrollment_id, plan, created=True, reasons=reasons)


def history_term_code(ctx: LimitContext, program: str, start: date, end: date) -> str:
    """Term code of a past enrollment (catalog term, or the stand-in half-year)."""
    return term_code_of(start, end, program, ctx.terms)
