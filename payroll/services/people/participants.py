"""``payroll participant show``: a participant (참여자), enrollments, limits used and overrides.

The resident registration number is only ever shown masked. For every program of the
catalog, each limit rule with a count (consecutive terms, cumulative months, enrollments in
a window) is reported with what the participant's whole history uses of it and what is
left (:func:`payroll.domain.limits.limit_usage`).
"""

from __future__ import annotations

from typing import Any

from payroll.domain.contact import DELIVERY_LABELS, Delivery, format_phone
from payroll.domain.declared_pay import default_declared_monthly_pay
from payroll.domain.limits import limit_usage
from payroll.domain.model import PayrollError, RateBook
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.services.common.lookup import program_names
from payroll.services.enrollment.early_end import early_end_facts
from payroll.services.enrollment.enroll import (
    enrollments_of,
    label_of,
    load_context,
    past_of,
    pay_enrollment,
    ref_of,
    resolve_district,
)
from payroll.services.people import city
from payroll.services.unit_of_work import UnitOfWork


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def declared_pay_text(row: EnrollmentRecord, person: PersonRecord, rates: RateBook) -> str | None:
    """보수월액 D as shown: the declared figure, or the §9 default marked as computed."""
    if row.declared_monthly_pay is not None:
        return f"{row.declared_monthly_pay:,}"
    try:
        default = default_declared_monthly_pay(pay_enrollment(row, person), rates)
    except PayrollError:
        return None
    return f"{default:,} (기본값)"


def participant_report(
    uow: UnitOfWork, participant_id: str, district: str | None = None
) -> dict[str, Any]:
    """Everything ``participant show`` prints, as JSON-ready data (``district``: code or
    name, needed when several districts use the participant ID)."""
    with uow:
        code = resolve_district(uow, district) if district else None
        return _report(uow, participant_id, code)


SOURCE_LABELS = {"roster": "명부", "history": "과거 이력"}


def city_participation(
    uow: UnitOfWork, person: PersonRecord, own: list[EnrollmentRecord]
) -> list[dict[str, Any]]:
    """The person's enrollments in every district as the limits count them: program, term,
    dates and district name only (nothing else of another district's record, no RRN)."""
    names = program_names(uow)
    districts = uow.names.districts()
    rows = [(r, person, True) for r in own]
    for p in city.others_of(uow, person.person_key, [person.id]):
        rows += [(r, p, False) for r in enrollments_of(uow, [p.id])[p.id]]
    out = []
    for r, p, mine in sorted(rows, key=lambda x: (x[0].start, x[0].end, x[0].program_code)):
        where = city.taken_in(r, p)
        out.append(
            {
                "district": where,
                "district_name": districts.get(where, where),
                "program": r.program_code,
                "program_name": names.get(r.program_code, r.program_code),
                "term": r.term_code,
                "start": r.start.isoformat(),
                "end": r.end.isoformat(),
                "source": r.source,
                "source_label": SOURCE_LABELS.get(r.source, r.source),
                "own": mine,
            }
        )
    return out


def _report(uow: UnitOfWork, participant_id: str, district: str | None) -> dict[str, Any]:
    person = uow.participants.get(participant_id, district)
    if person is None:
        raise PayrollError(f"참여자 {participant_id}: 없습니다")
    ctx = load_context(uow)
    rows = enrollments_of(uow, [person.id])[person.id]
    rates = uow.catalog.read().rate_book
    labels = {ref_of(r): label_of(r) for r in rows}
    names = program_names(uow)
    enrollments = []
    overrides = []
    for r in rows:
        override = None
        if r.override_reason:
            override = {
                "reason": r.override_reason,
                "by": r.override_by,
                "at": _iso(r.override_at),
                "rules": (r.override_rules or "").split(",") if r.override_rules else [],
            }
            overrides.append(
                {
                    "enrollment": ref_of(r),
                    "program": r.program_code,
                    "program_name": names.get(r.program_code, r.program_code),
                    "term": r.term_code,
                    **override,
                }
            )
        enrollments.append(
            {
                "enrollment": ref_of(r),
                "program": r.program_code,
                "program_name": names.get(r.program_code, r.program_code),
                "term": r.term_code,
                "start": r.start.isoformat(),
                "end": r.end.isoformat(),
                "daily_hours": str(r.daily_hours) if r.daily_hours is not None else None,
                "declared_monthly_pay": r.declared_monthly_pay,
                "declared_monthly_pay_shown": declared_pay_text(r, person, rates),
                "source": r.source,
                "pay_cut_percent": str(r.pay_cut_percent)
                if r.pay_cut_percent is not None
                else None,
                "override": override,
                **early_end_facts(r),
            }
        )
    elsewhere = city.person_history(
        uow,
        person.person_key,
        person.participant_id,
        person.household,
        [person.id],
        ctx.districts,
        ctx.programs,
    )
    labels.update(elsewhere.labels)
    history = [past_of(r, person) for r in rows] + elsewhere.past
    limits = []
    seen: set[tuple[Any, ...]] = set()
    for program in ctx.programs:
        for use in limit_usage(history, ctx.rules, ctx.terms, program):
            key = (use.code, use.used, use.limit, use.counting)
            if use.used is None or key in seen:
                continue
            seen.add(key)
            limits.append(
                {
                    "program": program,
                    "program_name": names.get(program, program),
                    "rule": use.code,
                    "message": use.message,
                    "used": use.used,
                    "limit": use.limit,
                    "remaining": use.remaining,
                    "unit": use.unit,
                    "counting": [labels.get(ref, ref) for ref in use.counting],
                    "counting_refs": list(use.counting),
                }
            )
    return {
        "participant": {
            "participant_id": person.participant_id,
            "name": person.name,
            "birth_date": person.birth_date.isoformat(),
            "district": person.district_code,
            "district_name": ctx.districts.get(person.district_code),
            "household": person.household,
            "rrn": person.rrn_masked,
            "bank": person.bank,
            "bank_code": person.bank_code,
            "account": person.account,
            "account_holder": person.account_holder or person.name,
            "dependents": person.dependents,
            "children": person.children,
            "phone": format_phone(person.phone) or None,
            "email": person.email,
            "delivery": person.delivery,
            "delivery_label": DELIVERY_LABELS[Delivery(person.delivery)],
        },
        "enrollments": enrollments,
        "city": city_participation(uow, person, rows),
        "limits": limits,
        "overrides": overrides,
    }
