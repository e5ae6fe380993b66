"""The cost-sharing ledger of a scope (시·구 분담 원장): resolve the scope, read, build.

What a ledger is and how its lines are split is in :mod:`payroll.domain.ledger`; the
queries are the store ``uow.ledger``; the files are written by
:mod:`payroll.formats.ledger_files`.
"""

from __future__ import annotations

from dataclasses import replace

from payroll.domain.calendar import months_between, months_from_to
from payroll.domain.ledger import Ledger, OwedAmount, Scope
from payroll.domain.ledger import build_ledger as assemble
from payroll.formats import inputs
from payroll.services.common import lookup
from payroll.services.runs.carryovers import open_carryovers
from payroll.services.unit_of_work import UnitOfWork


class ScopeError(inputs.InputError):
    """The months, term, program or district asked for do not name anything known."""


def check_month(month: str, what: str = "month") -> str:
    """``month`` as ``YYYY-MM`` (``2025-3``, ``2025.03``, ``2025년 3월`` accepted); a
    ScopeError naming it otherwise."""
    try:
        return inputs.parse_month(month, what)
    except inputs.InputError as exc:
        raise ScopeError(str(exc)) from None


def month_range(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end`` inclusive (``YYYY-MM``)."""
    start, end = check_month(start, "--from"), check_month(end, "--to")
    if end < start:
        raise ScopeError(f"--to {end} is before --from {start}")
    return months_from_to(start, end)


def resolve_scope(
    uow: UnitOfWork,
    *,
    month: str | None = None,
    term: str | None = None,
    from_month: str | None = None,
    to_month: str | None = None,
    program: str | None = None,
    district: str | None = None,
) -> Scope:
    """The scope of exactly one of ``month``, ``term`` or ``from_month``+``to_month``.

    A term resolves through the term table to its program(s) and their months: ``2025-H1``
    covers 동행일자리 January to June (it is that program's term). With ``program`` only that
    program's term of that code counts.
    """
    given = [
        name
        for name, value in (
            ("--month", month),
            ("--term", term),
            ("--from/--to", from_month or to_month),
        )
        if value
    ]
    if len(given) != 1:
        raise ScopeError("give exactly one of --month, --term, or --from with --to")
    with uow:
        try:
            program_code = lookup.program_code(uow, program) if program else None
            district_code = lookup.district_code(uow, district) if district else None
        except inputs.InputError as exc:
            raise ScopeError(str(exc)) from None
        if month:
            month = check_month(month)
            return Scope(month, (month,), program_code, district_code)
        if term:
            terms = uow.ledger.terms(term, program_code)
            if not terms:
                known = sorted({f"{t.program} {t.code}" for t in uow.ledger.terms()})
                where = f" (사업 {program_code})" if program_code else ""
                raise ScopeError(f"없는 기간 {term!r}{where} (있는 기간: {', '.join(known)})")
            program_months = {t.program: frozenset(months_between(t.start, t.end)) for t in terms}
            months = tuple(sorted(set().union(*program_months.values())))
            return Scope(term, months, program_code, district_code, program_months)
    if not (from_month and to_month):
        raise ScopeError("--from and --to go together")
    months = tuple(month_range(from_month, to_month))
    return Scope(f"{months[0]}..{months[-1]}", months, program_code, district_code)


def build_ledger(uow: UnitOfWork, scope: Scope) -> Ledger:
    """The ledger of the finalized runs in ``scope`` (see :mod:`payroll.domain.ledger`)."""
    with uow:
        rate_book = uow.catalog.read().rate_book
        built = assemble(
            scope,
            uow.ledger.finalized_runs(scope),
            uow.ledger.finalized_payslips(scope),
            uow.ledger.unfinalized_runs(scope),
            lambda program, year: rate_book.program_year(program, year).city_ratio,
            uow.names.districts(),
            uow.names.programs(),
        )
        owed = tuple(
            OwedAmount(
                o.participant_id,
                o.district,
                o.program,
                o.carryover.ref_month,
                o.label,
                o.carryover.outstanding,
                o.carryover.reason,
            )
            for o in open_carryovers(uow)
            if scope.includes(o.carryover.ref_month, o.program, o.district)
        )
        return replace(built, owed=owed) if owed else built
