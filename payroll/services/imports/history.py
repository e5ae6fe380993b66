"""History import (과거 참여 이력), all or nothing.

``payroll import history FILE`` — past enrollments from before the system: columns
``rrn`` (주민등록번호) or ``participant_id`` (참여자번호), ``program`` (사업/사업명),
``start`` (시작일), ``end`` (종료일), and optionally ``district`` (자치구: where the
enrollment was taken; default the participant's). The person is matched by resident
number across every district (so terms taken in another district before the system count
for the city-wide limits); without one, by the participant ID (with ``district`` when
several districts use that ID). Rows are errors for an unknown person or program, a bad
date, end before start, or dates overlapping another enrollment of the person in any
district (stored or in the file). An end after today is a row error too (a past
enrollment has ended).
Stored with ``source = "history"`` and the term code of :func:`term_code_of`; limit rules are
not applied to the past. An identical stored enrollment is unchanged.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path

from payroll.domain.limits import Candidate, PastEnrollment, check_enrollment
from payroll.domain.model import PayrollError
from payroll.domain.people import AmbiguousParticipant, elsewhere_label
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.formats.tabular import Table, TableRow, parse_date, read_table, reject
from payroll.privacy import rrn as rrn_codec
from payroll.services.admin.rrn_keys import check_key
from payroll.services.common import audit
from payroll.services.enrollment.enroll import (
    ROSTER_LOCK,
    LimitContext,
    default_actor,
    enrollments_of,
    explain,
    history_term_code,
    label_of,
    load_context,
    past_of,
    resolve_district,
    resolve_program,
    same_start,
)
from payroll.services.imports.common import (
    ROSTER_ALIASES,
    RowErrors,
    clear_stale_errors,
    ignored_columns,
    missing_columns,
    parse_cell,
    participant_id,
)
from payroll.services.people import city
from payroll.services.unit_of_work import UnitOfWork

HISTORY_REQUIRED = ("program", "start", "end")
HISTORY_COLUMNS = (*HISTORY_REQUIRED, "participant_id", "rrn", "district")
HISTORY_ALIASES: dict[str, str] = {k: v for k, v in ROSTER_ALIASES.items() if v in HISTORY_COLUMNS}

_New = tuple[int, PersonRecord, str, date, date]  # row, participant, program, start, end


@dataclass(frozen=True)
class HistoryReport:
    """What ``payroll import history`` did."""

    added: int
    unchanged: int
    ignored_columns: tuple[str, ...] = ()


def _overlapping(start: date, end: date, others: Sequence[tuple[str, date, date]]) -> str | None:
    for label, s, e in others:
        if start <= e and s <= end:
            return label
    return None


def _recheck_enrollments(
    ctx: LimitContext,
    new: Sequence[_New],
    existing: Mapping[int, Sequence[tuple[PersonRecord, EnrollmentRecord]]],
    errors: RowErrors,
) -> None:
    """History imported after a roster must not make a stored enrollment break a limit.

    Each roster enrollment (not overridden) of a participant who gains history is checked
    again against all of their enrollments, old and new; a limit it would now break is a
    row error on that participant's first new history row.
    """
    by_person: dict[str, list[_New]] = {}
    for item in new:
        by_person.setdefault(item[1].person_key or f"pk:{item[1].id}", []).append(item)
    for items in by_person.values():
        person = items[0][1]
        added = [
            PastEnrollment(f"row {n}", person.participant_id, program, start, end, person.household)
            for n, _p, program, start, end in items
        ]
        held = existing[person.id]
        for holder, current in held:
            if current.source != "roster" or current.override_reason:
                continue
            history = [
                replace(past_of(r, person), ref=_named(r, who, holder, ctx.districts))
                for who, r in held
                if r.id != current.id
            ] + added
            candidate = Candidate(
                holder.participant_id,
                current.program_code,
                current.start,
                current.end,
                person.birth_date,
                person.household,
            )
            broken = [
                v
                for v in check_enrollment(candidate, history, ctx.rules, ctx.terms)
                if v.action != "pay_cut"
            ]
            if broken:
                first = items[0]
                reasons = "; ".join(explain(v, {}) for v in broken)
                errors.add(
                    first[0],
                    "participant_id",
                    person.participant_id,
                    f"would make enrollment {_named(current, holder, person, ctx.districts)} "
                    f"break a limit: {reasons}",
                )


def _named(
    row: EnrollmentRecord,
    holder: PersonRecord,
    person: PersonRecord,
    districts: Mapping[str, str],
) -> str:
    """A stored enrollment in a message: in full when it is the row's participant's,
    by district, program, term and dates only when another district holds it."""
    if holder.id == person.id:
        return label_of(row)
    where = city.taken_in(row, holder)
    return elsewhere_label(
        districts.get(where, where), row.program_code, row.term_code, str(row.start), str(row.end)
    )


class _People:
    """Finds the participant of a history row: by resident number, or participant ID."""

    def __init__(
        self,
        uow: UnitOfWork,
        ctx: LimitContext,
        errors: RowErrors,
        districts: Collection[str] | None,
    ) -> None:
        self.uow, self.ctx, self.errors = uow, ctx, errors
        self.districts = districts  # a clerk's: only their participants are found
        self.keys = city.PersonKeys(uow)
        self.district = cache(lambda value: resolve_district(uow, value))
        self.key_checked = False
        self.known = city.KnownPersons({}, {})
        self.by_pid: dict[str, list[PersonRecord]] | None = None  # read by :meth:`load`
        self.enrollments: dict[int, list[EnrollmentRecord]] = {}

    def load(self, rows: Table) -> None:
        """Every person the file names by number, their records in any district and all
        their enrollments: two queries for the whole file (a person missed here is read
        when its row comes)."""
        wanted = set()
        pids = {cells.get("participant_id", "") for cells in rows if not cells.get("rrn")}
        self.by_pid = self.uow.participants.all_by_ids(pid for pid in pids if pid)
        for records in self.by_pid.values():
            wanted.update(p.person_key for p in records if p.person_key)
        for cells in rows:
            number = cells.get("rrn", "")
            if not number:
                continue
            if not self.key_checked:
                check_key(self.uow)
                self.key_checked = True
            try:
                wanted.add(self.keys.of(rrn_codec.normalise(number)))
            except PayrollError:
                continue  # reported with the row
        self.known = city.known_persons(self.uow, wanted)
        held = {p.id for records in self.known.persons.values() for p in records}
        rest = [p.id for rs in self.by_pid.values() for p in rs if p.id not in held]
        self.enrollments = {**self.known.enrollments, **self.uow.enrollments.of_participants(rest)}

    def participant(self, pid: str, district: str | None) -> PersonRecord | None:
        """As ``uow.participants.get``, from the file's participants read beforehand."""
        if self.by_pid is None:
            return self.uow.participants.get(pid, district)
        found = [
            p for p in self.by_pid.get(pid, []) if district is None or p.district_code == district
        ]
        if len(found) > 1:
            raise AmbiguousParticipant(pid, [p.district_code for p in found])
        return found[0] if found else None

    def records(self, key: str) -> list[PersonRecord]:
        if key in self.known.persons:
            return self.known.persons[key]
        return self.uow.participants.of_persons([key]).get(key, [])

    def person_rows(self, person: PersonRecord) -> list[tuple[PersonRecord, EnrollmentRecord]]:
        """Every stored enrollment of the person, under any of their participant IDs."""
        key = person.person_key
        if key is None:
            holders = [person]
        elif key in self.known.persons:
            holders = [person, *(p for p in self.known.persons[key] if p.id != person.id)]
        else:
            return _person_rows(self.uow, person)
        if any(p.id not in self.enrollments for p in holders):
            return _person_rows(self.uow, person)
        return [(p, r) for p in holders for r in self.enrollments[p.id]]

    def find(self, cells: TableRow) -> tuple[PersonRecord | None, str | None]:
        """The participant and the district the enrollment was taken in (None: error)."""
        n = cells.number
        where = parse_cell(cells, "district", self.district, self.errors)
        if cells.get("district") and where is None:
            return None, None
        number = cells.get("rrn", "")
        if number:
            if not self.key_checked:
                check_key(self.uow)
                self.key_checked = True
            try:
                key = self.keys.of(rrn_codec.normalise(number))
            except PayrollError as exc:
                self.errors.add(n, "rrn", rrn_codec.mask(number), str(exc))
                return None, None
            people = [
                p
                for p in self.records(key)
                if self.districts is None or p.district_code in self.districts
            ]
            if not people:
                self.errors.add(
                    n,
                    "rrn",
                    rrn_codec.mask(number),
                    "이 주민등록번호의 참여자가 어느 자치구에도 없습니다 (먼저 명부를 가져오세요)",
                )
                return None, None
            chosen = next((p for p in people if p.district_code == where), people[0])
            return chosen, where or chosen.district_code
        pid = participant_id(cells, self.errors)
        if not pid:
            if not cells.get("participant_id"):
                self.errors.add(n, "rrn", "", "주민등록번호(rrn) 또는 참여자번호가 필요합니다")
            return None, None
        try:
            person = self.participant(pid, where)
        except PayrollError as exc:
            self.errors.add(n, "participant_id", pid, str(exc))
            return None, None
        if person is None or (
            self.districts is not None and person.district_code not in self.districts
        ):
            self.errors.add(
                n, "participant_id", pid, "참여자가 없습니다 (명부를 먼저 가져오십시오)"
            )
            return None, None
        return person, where or person.district_code


def _person_rows(
    uow: UnitOfWork, person: PersonRecord
) -> list[tuple[PersonRecord, EnrollmentRecord]]:
    """Every stored enrollment of the person, under any of their participant IDs."""
    holders = [person, *city.others_of(uow, person.person_key, [person.id])]
    rows = enrollments_of(uow, [p.id for p in holders])
    return [(p, r) for p in holders for r in rows[p.id]]


def import_history(
    uow: UnitOfWork,
    path: Path,
    actor: str | None = None,
    today: date | None = None,
    districts: Collection[str] | None = None,
) -> HistoryReport:
    """Import past enrollments all or nothing (see the module docstring).

    ``districts`` (a console clerk's): rows find only participants of those districts.

    A past enrollment has ended: one whose end is after ``today`` (default: the real date)
    is a row error; an enrollment still running belongs in the roster.
    """
    today = today or date.today()
    rows = read_table(path, HISTORY_ALIASES, HISTORY_REQUIRED)
    actor = actor or default_actor()
    errors = RowErrors()
    missing_columns(rows, HISTORY_REQUIRED, errors)
    if not ({"rrn", "participant_id"} & set(rows.columns)):
        errors.add(
            1, "rrn", "", "주민등록번호(rrn) 또는 참여자번호(participant_id) 열이 필요합니다"
        )
    if errors:
        raise reject(path, errors)
    with uow.serialized(ROSTER_LOCK):
        ctx = load_context(uow)
        people = _People(uow, ctx, errors, districts)
        people.load(rows)
        existing: dict[int, list[tuple[PersonRecord, EnrollmentRecord]]] = {}
        taken: dict[int, list[tuple[str, date, date]]] = {}
        new: list[_New] = []
        elsewhere: dict[int, str | None] = {}  # row → district taken in, if not the person's
        unchanged = 0
        for cells in rows:
            n = cells.number
            before = len(errors)
            person, where = people.find(cells)
            if person is not None and person.id not in existing:
                existing[person.id] = people.person_rows(person)
                taken[person.id] = [
                    (_named(r, holder, person, ctx.districts), r.start, r.end)
                    for holder, r in existing[person.id]
                ]
            for column in ("program", "start", "end"):
                if not cells.get(column):
                    errors.add(n, column, "", "required")
            program = parse_cell(cells, "program", lambda v: resolve_program(ctx, v), errors)
            start = parse_cell(cells, "start", parse_date, errors)
            end = parse_cell(cells, "end", parse_date, errors)
            if start and end and end < start:
                errors.add(n, "end", cells["end"], f"before start {start.isoformat()}")
            if end and end > today:
                errors.add(
                    n,
                    "end",
                    cells["end"],
                    f"과거 이력의 종료일이 오늘({today.isoformat()}) 이후입니다; "
                    "진행 중인 참여는 명부(import participants)로 가져오세요",
                )
            if len(errors) > before or person is None:
                continue
            own = [r for holder, r in existing[person.id] if holder.id == person.id]
            same = same_start(own, program, start)
            if same is not None and same.end == end:
                unchanged += 1
                continue
            clash = _overlapping(start, end, taken[person.id])
            if clash:
                errors.add(n, "start", cells["start"], f"{clash}와(과) 기간이 겹칩니다")
                continue
            code = history_term_code(ctx, program, start, end)
            taken[person.id].append((f"{n}행 {program} {code} {start}..{end}", start, end))
            new.append((n, person, program, start, end))
            elsewhere[n] = where if where != person.district_code else None
        _recheck_enrollments(ctx, new, existing, errors)
        if errors:
            raise reject(path, errors)
        records = [
            EnrollmentRecord(
                id=0,
                participant_pk=person.id,
                program_code=program,
                term_code=history_term_code(ctx, program, start, end),
                start=start,
                end=end,
                source="history",
                district_code=elsewhere[n],
            )
            for n, person, program, start, end in new
        ]
        ids = uow.enrollments.add_many(records)  # one bulk write, then the audit entries
        audit.record_many(
            uow,
            [
                audit.entry(
                    actor,
                    "enrollment.add_history",
                    "enrollment",
                    pk,
                    participant_id=person.participant_id,
                    program=program,
                    term=row.term_code,
                    start=start,
                    end=end,
                    taken_in=row.district_code,
                    file=path.name,
                    row=n,
                )
                for (n, person, program, start, end), row, pk in zip(new, records, ids, strict=True)
            ],
        )
    if new:
        uow.refresh_statistics("enrollments")
    clear_stale_errors(path)
    return HistoryReport(len(new), unchanged, ignored_columns(rows, frozenset(HISTORY_COLUMNS)))
