"""Roster import (참여자 명부), all or nothing.

``payroll import participants FILE`` — CSV or XLSX, header in row 1, one row per
participant enrollment. Columns (English name, or any Korean alias; case and spaces do
not matter):

=================  ======================  ==============================================
column             Korean aliases          content
=================  ======================  ==============================================
participant_id     참여자번호, 참여자ID      the district's own id (unique); required; 1-40
                                           letters, digits, - or _ (a file name)
name               성명, 이름               required
birth_date         생년월일                 YYYY-MM-DD (also 2025.01.10, 20250110); required
district           자치구, 구               code (11110) or name (종로구); required
household          세대, 가구               household key (optional)
rrn                주민등록번호, 주민번호     checked against birth_date, stored encrypted
bank               은행, 은행명, 은행코드     name, alias or 3-digit code of the bank table
                                           (payroll/data/banks.toml): 국민, KB국민은행, 004
account            계좌번호, 계좌            digits (dashes, spaces allowed); needs bank;
                                           the bank's account length; stored as digits
account_holder     예금주, 예금주명          optional; default: the participant's name
dependents         부양가족수               whole number >= 1 (default 1)
children           자녀수                   children aged 8–20, whole number >= 0 (default 0)
program            사업, 사업명              dongheng / maeryeok, or 서울 동행일자리,
                                           동행일자리, 서울 매력일자리, 매력일자리
term               기수                     catalog term: 2025-H2 (동행), 2025 (매력)
start, end         시작일, 종료일            default: the term's dates; inside the term
daily_hours        일근로시간               optional; default: the program's
declared_monthly_pay  보수월액              won the district declared (§9); default computed
override           예외사유                 reason to enroll despite a broken limit rule
phone              휴대전화, 휴대폰          mobile number (010-1234-5678); optional
email              이메일, 전자우편          e-mail address; optional
delivery           수령방법                 종이 (default), 이메일 (needs email) or 알림톡
                                           (needs phone): how the payslip reaches them
=================  ======================  ==============================================

A row without program and term adds or updates the participant only. Other columns are
ignored (and listed). Every row is validated and checked against the limit rules — the
stored history plus the earlier rows of the same file, in file order, as if each row were
``payroll enroll`` — before anything is written. Any row error rejects the whole file: the
errors (row as the spreadsheet shows it, column, value, reason) go to the screen and to
``<file stem>.errors.csv`` next to the file, and nothing is written. A row that breaks a
rule is a row error unless its ``override`` cell gives a reason; the override's author is
the command's ``--by NAME``, required when any row overrides.

Importing the same file again changes nothing. A participant already stored:

- the same details: unchanged;
- a different non-empty name, bank, account, account holder, dependents or household:
  updated, with a
  ``participant.update`` audit entry listing the changed fields (old → new, except account
  and resident number, which are logged as changed without their values);
- an empty optional cell leaves the stored value as it is;
- a different birth date, district or resident number: a row error (they identify the
  person and drive the limit and payroll rules; they are not changed by an import).

An enrollment already stored with the same program and start and the same end and daily
hours is unchanged; one with a different end or hours is a row error (enrollments are not
edited by an import).

Past enrollments come in through :mod:`payroll.services.imports.history`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from payroll.domain.audit import AuditEntry
from payroll.domain.limits import PastEnrollment
from payroll.domain.model import PayrollError
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.formats.tabular import Table, TableRow, parse_date, read_table, reject
from payroll.privacy import rrn as rrn_codec
from payroll.services.admin.rrn_keys import check_key
from payroll.services.common import audit
from payroll.services.enrollment import early_end
from payroll.services.enrollment.enroll import (
    ROSTER_LOCK,
    ROSTER_OVERRIDE,
    EnrollmentInputError,
    LimitContext,
    Override,
    PlannedEnrollment,
    conflict_reason,
    default_actor,
    enrollment_entry,
    enrollment_record,
    enrollments_of,
    explain,
    household_members,
    label_of,
    load_context,
    parse_daily_hours,
    past_of,
    plan_enrollment,
    ref_of,
    remedy,
    resolve_district,
    resolve_program,
    resolve_term,
    same_start,
    term_dates,
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
from payroll.services.imports.roster_rows import (
    FilePerson,
    RowPlan,
    compare_earlier,
    compare_stored,
    row_facts,
    won_cell,
)
from payroll.services.people import city
from payroll.services.runs import approval_guard
from payroll.services.unit_of_work import UnitOfWork

ROSTER_REQUIRED = ("participant_id", "name", "birth_date", "district")
ROSTER_COLUMNS = frozenset(ROSTER_ALIASES.values())
SECRET = ("account", "rrn", "phone", "email")


@dataclass(frozen=True)
class RosterReport:
    """What ``payroll import participants`` did."""

    participants_added: int
    participants_updated: int
    enrollments_added: int
    unchanged: int  # rows that changed nothing
    notes: tuple[str, ...] = ()  # overrides and pay cuts, row by row
    ignored_columns: tuple[str, ...] = ()


class _RosterPlanner:
    """Validates and checks every row of a roster; writes nothing."""

    def __init__(self, uow: UnitOfWork, ctx: LimitContext, by: str | None) -> None:
        self.uow = uow
        self.ctx = ctx
        self.by = by
        self.errors = RowErrors()
        self.people: dict[tuple[str, str], FilePerson] = {}  # by (district, participant id)
        self.stored: dict[tuple[str, str], PersonRecord] = {}
        self.keys = city.PersonKeys(uow)
        self.numbers: dict[str, tuple[int, str]] = {}  # person key → first row, participant
        self._persons: dict[str, list[PersonRecord]] = {}
        self.stored_rows: dict[int, list[EnrollmentRecord]] = {}
        self.labels: dict[str, str] = {}
        self.plans: list[RowPlan] = []
        self.ends: list[early_end.RosterEnd] = []
        self.check_households = any(r.code == "one_per_household" and r.enabled for r in ctx.rules)
        self._stored_members: dict[str, list[tuple[PersonRecord, list[EnrollmentRecord]]]] = {}
        self._file_members: dict[str, list[FilePerson]] = {}
        self._district = cache(lambda value: resolve_district(uow, value))  # once a value
        self.known = city.KnownPersons({}, {})

    def run(self, rows: Table) -> None:
        missing_columns(rows, ROSTER_REQUIRED, self.errors)
        if self.errors:
            return
        if any(r.get("rrn") for r in rows):
            check_key(self.uow)  # fails early, clearly, without the database's key
            city.check_person_key(self.uow)
        pairs = []
        for r in rows:
            try:
                pairs.append((self._district(r.get("district", "")), r["participant_id"]))
            except PayrollError:
                continue  # reported with the row
        self.stored = self.uow.participants.in_districts(pairs)
        self.stored_rows = enrollments_of(self.uow, [p.id for p in self.stored.values()])
        for rows_of in self.stored_rows.values():
            self.labels.update({ref_of(r): label_of(r) for r in rows_of})
        self._load_persons(rows)
        if self.check_households:
            self._load_households(rows)
        for cells in rows:
            self._row(cells)

    def _load_persons(self, rows: Table) -> None:
        """Every person the file names (by number) or its stored participants are, with
        their participant records in any district and their enrollments: two queries for
        the whole file. A person missed here (a number the rows below read differently) is
        read when its row comes, so the checks are the same either way."""
        wanted = {p.person_key for p in self.stored.values() if p.person_key}
        for cells in rows:
            number, born = cells.get("rrn"), cells.get("birth_date")
            if not number or not born:
                continue
            try:
                wanted.add(self.keys.of(rrn_codec.normalise(number, parse_date(born))))
            except (PayrollError, ValueError):
                continue  # reported with the row
        self.known = city.known_persons(self.uow, wanted)
        self._persons.update(self.known.persons)

    def _load_households(self, rows: Table) -> None:
        """Stored members of every household the file names, with their enrollments."""
        names = {r.get("household", "") for r in rows} | {
            p.household for p in self.stored.values() if p.household
        }
        members = [
            m for name in sorted(n for n in names if n) for m in household_members(self.uow, name)
        ]
        enrollments = enrollments_of(self.uow, [m.id for m in members])
        for m in members:
            assert m.household is not None
            self._stored_members.setdefault(m.household, []).append((m, enrollments[m.id]))

    def _row(self, cells: TableRow) -> None:
        pid = participant_id(cells, self.errors)
        facts = row_facts(cells, self._district, self.errors)
        district = facts.get("district_code") or ""  # "" after a district error
        if not pid:
            return
        person = self.people.get((district, pid))
        if person is None:
            stored = self.stored.get((district, pid))
            person = FilePerson(pid, cells.number, facts, stored)
            if stored is not None:
                person.stored_rows = self.stored_rows.get(stored.id, [])
                person.history = [past_of(r, stored) for r in person.stored_rows]
                compare_stored(person, facts, cells, self.errors)
            self.people[(district, pid)] = person
            if person.household:
                self._file_members.setdefault(person.household, []).append(person)
            if district:
                self._person(cells, person, district)
        else:
            compare_earlier(person, facts, cells, self.errors)
            if district and person.person_key is None and person.facts.get("rrn"):
                self._person(cells, person, district)  # the number came with a later row
        plan = RowPlan(cells.number, person)
        self.plans.append(plan)
        if any(
            cells.get(c)
            for c in (
                "program",
                "term",
                "start",
                "end",
                "daily_hours",
                "override",
                "declared_monthly_pay",
            )
        ):
            plan.declared_monthly_pay = parse_cell(
                cells, "declared_monthly_pay", won_cell, self.errors
            )
            plan.enrollment = self._enrollment(cells, person, plan.declared_monthly_pay)
        person.plans.append(plan)

    def _person(self, cells: TableRow, person: FilePerson, district: str) -> None:
        """The person behind a participant: its key, the same number elsewhere in the file
        or in the district (refused), and its enrollments in every other district."""
        number = person.facts.get("rrn")
        stored = person.stored
        if number:
            person.person_key = self.keys.of(number)
        elif stored is not None and stored.person_key:
            person.person_key = stored.person_key
        elif stored is not None and stored.rrn_encrypted is not None:
            person.person_key = self.keys.of(rrn_codec.decrypt(stored.rrn_encrypted))
        key = person.person_key
        if key is None:
            return
        n = cells.number
        shown = rrn_codec.mask(number) if number else (stored.rrn_masked if stored else "") or ""
        if key in self.numbers:
            row, other = self.numbers[key]
            self.errors.add(
                n,
                "rrn",
                shown,
                f"{row}행(참여자 {other})과 같은 주민등록번호입니다; "
                "한 사람은 명부에 한 참여자번호로만 올 수 있습니다",
            )
            return
        self.numbers[key] = (n, person.participant_id)
        if key not in self._persons:
            self._persons[key] = self.uow.participants.of_persons([key]).get(key, [])
        mine = stored.id if stored is not None else None
        for other in self._persons[key]:
            if other.id != mine and other.district_code == district:
                self.errors.add(
                    n,
                    "rrn",
                    shown,
                    f"이 자치구의 다른 참여자번호 {other.participant_id}에 이미 등록된 "
                    "주민등록번호입니다; 같은 사람은 자치구마다 참여자번호 하나로 관리합니다",
                )
                return
        found = city.person_history(
            self.uow,
            key,
            person.participant_id,
            person.household,
            [mine] if mine is not None else [],
            self.ctx.districts,
            self.ctx.programs,
            self.known,
        )
        person.history.extend(found.past)
        person.elsewhere.update(found.labels)
        self.labels.update(found.labels)

    def _enrollment(
        self, cells: TableRow, person: FilePerson, declared: int | None = None
    ) -> PlannedEnrollment | None:
        n, errors = cells.number, self.errors
        before = len(errors)
        for column in ("program", "term"):
            if not cells.get(column):
                errors.add(n, column, "", "required for an enrollment")
        program = parse_cell(cells, "program", lambda v: resolve_program(self.ctx, v), errors)
        term = None
        if program:
            term = parse_cell(cells, "term", lambda v: resolve_term(self.ctx, program, v), errors)
        start = parse_cell(cells, "start", parse_date, errors)
        end = parse_cell(cells, "end", parse_date, errors)
        hours = parse_cell(cells, "daily_hours", parse_daily_hours, errors)
        reason = cells.get("override", "")
        if reason and not self.by:
            errors.add(n, "override", reason, "an override needs its author: import with --by NAME")
        born = person.facts["birth_date"] or (person.stored.birth_date if person.stored else None)
        if term is None or len(errors) > before or born is None:
            return None
        if not person.has_number:
            errors.add(
                n,
                "rrn",
                "",
                "참여 등록에는 주민등록번호가 필요합니다 "
                "(4대보험 신고와 자치구 간 참여 제한 확인에 씁니다)",
            )
            return None
        try:
            start, end = term_dates(term, start, end)
        except EnrollmentInputError as exc:
            errors.add(n, exc.column, exc.value, exc.reason)
            return None
        existing = same_start(person.stored_rows, program, start)
        if existing is not None and self._early_end(cells, person, existing, end):
            return None
        if existing is not None:
            conflict = conflict_reason(existing, end, hours)
            if not conflict and existing.declared_monthly_pay != declared:
                conflict = (
                    f"already enrolled with 보수월액 {existing.declared_monthly_pay or 'default'}"
                    "; enrollments are not changed here"
                )
            if conflict:
                errors.add(n, "start", start.isoformat(), conflict)
            return None  # the same enrollment is stored: unchanged
        ref = f"row {n}"
        for earlier in person.plans:
            e = earlier.enrollment
            if e and e.program == program and e.start == start:
                errors.add(
                    n, "start", start.isoformat(), f"the same enrollment as row {earlier.number}"
                )
                return None
        plan = plan_enrollment(
            self.ctx,
            participant_id=person.participant_id,
            birth_date=born,
            household=person.household,
            program=program,
            term=term,
            start=start,
            end=end,
            daily_hours=hours,
            history=person.history,
            household_enrollments=self._household_of(person),
            override=Override(reason, self.by) if reason and self.by else None,
            elsewhere=person.elsewhere,
        )
        if plan.refused:
            shown = plan.blocking if plan.override is None else plan.not_overridable
            for v in shown:
                why = f"{explain(v, self.labels)} — {remedy(plan, v, ROSTER_OVERRIDE)}"
                errors.add(n, "term", term.code, why)
            return None
        person.history.append(
            PastEnrollment(ref, person.participant_id, program, start, end, person.household)
        )
        self.labels[ref] = (
            f"{ref} ({person.participant_id} {program} {term.code} "
            f"{start.isoformat()}..{end.isoformat()})"
        )
        return plan

    def _early_end(
        self, cells: TableRow, person: FilePerson, existing: EnrollmentRecord, end: date
    ) -> bool:
        """A changed end with ``end_reason`` (종료사유): an early end (§14), planned here."""
        assert person.stored is not None
        try:
            found = early_end.roster_end(
                self.uow,
                cells.number,
                existing,
                person.stored,
                end,
                cells.get("end_reason", ""),
                cells.get("end_note") or None,
            )
        except PayrollError as exc:
            self.errors.add(cells.number, "end_reason", cells.get("end_reason", ""), str(exc))
            return True
        if isinstance(found, early_end.RosterEnd):
            self.ends.append(found)
            return True
        return found

    def _household_of(self, person: FilePerson) -> list[PastEnrollment]:
        """Other members' enrollments, stored or earlier in the file (only when the
        one-per-household rule is on)."""
        household = person.household
        if not household or not self.check_households:
            return []
        out: list[PastEnrollment] = []
        for member, rows in self._stored_members.get(household, []):
            if member.participant_id == person.participant_id or (
                (member.district_code, member.participant_id) in self.people
            ):
                continue
            for r in rows:
                out.append(past_of(r, member))
                self.labels[ref_of(r)] = f"{label_of(r)} of {member.participant_id}"
        for other in self._file_members.get(household, []):
            if other is not person:
                out.extend(other.history)
        return out


def _new_participant(person: FilePerson) -> PersonRecord:
    """The participant record a file's new person stores (``id`` 0 until stored)."""
    f = person.facts
    return PersonRecord(
        id=0,
        participant_id=person.participant_id,
        name=f["name"],
        birth_date=f["birth_date"],
        household=f["household"],
        district_code=f["district_code"],
        bank=f["bank"],
        bank_code=f["bank_code"],
        account=f["account"],
        account_holder=f["account_holder"],
        phone=f["phone"],
        email=f["email"],
        delivery=f["delivery"] or "paper",
        dependents=f["dependents"] or 1,
        children=f["children"] or 0,
        rrn_encrypted=rrn_codec.encrypt(f["rrn"]) if f["rrn"] else None,
        rrn_masked=rrn_codec.mask(f["rrn"]) if f["rrn"] else None,
        person_key=person.person_key,
    )


def _added_entry(row: PersonRecord, person: FilePerson, actor: str, source: str) -> AuditEntry:
    return audit.entry(
        actor,
        "participant.add",
        "participant",
        person.participant_id,
        name=row.name,
        district=row.district_code,
        household=row.household,
        source=source,
        row=person.row,
    )


def _update_participant(uow: UnitOfWork, person: FilePerson, actor: str, source: str) -> AuditEntry:
    """Write the person's changes; their ``participant.update`` entry, to add in order."""
    assert person.stored is not None
    changes: dict[str, Any] = {}
    logged: dict[str, Any] = {}
    for name, (old, new) in person.changes.items():
        if name == "rrn":
            changes["rrn_encrypted"] = rrn_codec.encrypt(new)
            changes["rrn_masked"] = rrn_codec.mask(new)
            changes["person_key"] = person.person_key
        else:
            changes[name] = new
        logged[name] = "changed" if name in SECRET else [old, new]
    uow.participants.update(person.stored.id, changes)
    return audit.entry(
        actor,
        "participant.update",
        "participant",
        person.participant_id,
        changes=logged,
        source=source,
        row=person.row,
    )


def _note(number: int, plan: PlannedEnrollment, labels: dict[str, str]) -> list[str]:
    notes = []
    if plan.override and plan.blocking:
        codes = ", ".join(v.code for v in plan.blocking)
        notes.append(
            f"row {number}: {plan.participant_id} enrolled with override of {codes} "
            f"({plan.override.reason!r} by {plan.override.by})"
        )
    if plan.pay_cut_percent is not None:
        notes.append(
            f"row {number}: {plan.participant_id} enrolled with a "
            f"{plan.pay_cut_percent} % pay cut: "
            + "; ".join(explain(v, labels) for v in plan.pay_cuts)
        )
    return notes


def import_participants(uow: UnitOfWork, path: Path, by: str | None = None) -> RosterReport:
    """Import a roster file all or nothing (see the module docstring)."""
    rows = read_table(path, ROSTER_ALIASES, ROSTER_REQUIRED)
    actor = by or default_actor()
    with uow.serialized(ROSTER_LOCK):  # limits checked, then written
        planner = _RosterPlanner(uow, load_context(uow), by)
        planner.run(rows)
        if planner.errors:
            raise reject(path, planner.errors)
        added = updated = enrolled = unchanged = 0
        notes: list[str] = []
        new_people: dict[int, FilePerson] = {}  # by id() of the file's person, file order
        for plan in planner.plans:
            person = plan.person
            if person.stored is None:
                new_people.setdefault(id(person), person)
        # every new participant, then every new enrollment, then the audit entries in
        # row order: three bulk writes whatever the file's length
        records = [_new_participant(p) for p in new_people.values()]
        ids = uow.participants.add_many(records)
        stored: dict[int, PersonRecord] = {
            key: replace(record, id=pk)
            for key, record, pk in zip(new_people, records, ids, strict=True)
        }
        entries: list[AuditEntry | tuple[int, PersonRecord, PlannedEnrollment, int]] = []
        enrollments: list[EnrollmentRecord] = []
        for plan in planner.plans:
            person, changed = plan.person, False
            if id(person) in new_people:
                if new_people.pop(id(person), None) is not None:
                    entries.append(_added_entry(stored[id(person)], person, actor, path.name))
                    added += 1
                    changed = True
            elif id(person) not in stored:
                assert person.stored is not None
                stored[id(person)] = person.stored
                if person.changes:
                    entries.append(_update_participant(uow, person, actor, path.name))
                    updated += 1
                    changed = True
                if person.person_key and not person.stored.person_key:
                    uow.participants.update(person.stored.id, {"person_key": person.person_key})
            if plan.enrollment is not None:
                participant = stored[id(person)]
                enrollments.append(
                    enrollment_record(
                        participant, plan.enrollment, planner.labels, plan.declared_monthly_pay
                    )
                )
                entries.append((len(enrollments) - 1, participant, plan.enrollment, plan.number))
                notes.extend(_note(plan.number, plan.enrollment, planner.labels))
                enrolled += 1
                changed = True
            unchanged += not changed
        enrollment_ids = uow.enrollments.add_many(enrollments)
        audit.record_many(
            uow,
            [
                e
                if isinstance(e, AuditEntry)
                else enrollment_entry(
                    actor,
                    enrollment_ids[e[0]],
                    e[1],
                    e[2],
                    enrollments[e[0]],
                    planner.labels,
                    via="import",
                    file=path.name,
                    row=e[3],
                )
                for e in entries
            ],
        )
        for end in planner.ends:
            done = early_end.apply_end(
                uow,
                end.enrollment,
                end.person,
                end.end,
                end.reason,
                end.note,
                actor,
                "roster",
            )
            notes.append(
                f"row {end.row}: {done.participant_id} {done.program} 중도 종료 "
                f"{done.planned_end.isoformat()} → {done.end.isoformat()} "
                f"({early_end.reason_label(done.reason)})"
            )
            unchanged -= 1
        approval_guard.reopen_changed(uow, actor)  # e.g. a new account after approval
    if added or enrolled:
        uow.refresh_statistics("participants", "enrollments")
    clear_stale_errors(path)
    return RosterReport(
        added, updated, enrolled, unchanged, tuple(notes), ignored_columns(rows, ROSTER_COLUMNS)
    )
