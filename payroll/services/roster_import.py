"""Roster import (참여자 명부) and history import (과거 참여 이력), all or nothing.

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

``payroll import history FILE`` — past enrollments from before the system: columns
``participant_id`` (참여자번호), ``program`` (사업/사업명), ``start`` (시작일), ``end``
(종료일). Rows are errors for an unknown participant or program, a bad date, end before
start, or dates overlapping another enrollment of the participant (stored or in the file).
An end after today is a row error too (a past enrollment has ended).
Stored with ``source = "history"`` and the term code of :func:`term_code_of`; limit rules are
not applied to the past. An identical stored enrollment is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from payroll.db.models import EnrollmentRow, Participant
from payroll.db.serial import serial_transaction
from payroll.db.stores.admin import SqlRrnKeyStore
from payroll.domain.ids import id_problem
from payroll.domain.limits import Candidate, PastEnrollment, check_enrollment
from payroll.domain.model import PayrollError
from payroll.formats.tabular import (
    ImportRejected,
    RowError,
    Table,
    TableRow,
    error_file_path,
    parse_date,
    read_table,
    reject,
)
from payroll.privacy import rrn as rrn_codec
from payroll.reference.banks import account_digits, find_bank
from payroll.services import audit, early_end
from payroll.services.enrollment import (
    EnrollmentInputError,
    LimitContext,
    Override,
    PlannedEnrollment,
    conflict_reason,
    default_actor,
    enrollments_of,
    explain,
    history_term_code,
    household_members,
    label_of,
    load_context,
    past_of,
    plan_enrollment,
    ref_of,
    resolve_district,
    resolve_program,
    resolve_term,
    same_start,
    store_enrollment,
    term_dates,
)
from payroll.services.enrollment import parse_daily_hours as _parse_hours
from payroll.services.rrn_keys import check_key

ROSTER_ALIASES: dict[str, str] = {
    "참여자번호": "participant_id",
    "참여자ID": "participant_id",
    "성명": "name",
    "이름": "name",
    "생년월일": "birth_date",
    "자치구": "district",
    "구": "district",
    "세대": "household",
    "가구": "household",
    "주민등록번호": "rrn",
    "주민번호": "rrn",
    "은행": "bank",
    "은행명": "bank",
    "계좌번호": "account",
    "계좌": "account",
    "은행코드": "bank",
    "예금주": "account_holder",
    "예금주명": "account_holder",
    "부양가족수": "dependents",
    "자녀수": "children",
    "보수월액": "declared_monthly_pay",
    "사업": "program",
    "사업명": "program",
    "기수": "term",
    "시작일": "start",
    "종료일": "end",
    "일근로시간": "daily_hours",
    "예외사유": "override",
    "종료사유": "end_reason",
    "종료사유내용": "end_note",
    "종료메모": "end_note",
}
ROSTER_REQUIRED = ("participant_id", "name", "birth_date", "district")
ROSTER_COLUMNS = frozenset(ROSTER_ALIASES.values())
HISTORY_ALIASES: dict[str, str] = {
    k: v for k, v in ROSTER_ALIASES.items() if v in ("participant_id", "program", "start", "end")
}
HISTORY_REQUIRED = ("participant_id", "program", "start", "end")
UPDATABLE = (
    "name",
    "bank",
    "bank_code",
    "account",
    "account_holder",
    "dependents",
    "children",
    "household",
)
SECRET = ("account", "rrn")
ROSTER_LOCK = "payroll:roster"  # one roster or history import at a time (limits span people)
_LIMITS = {
    "name": 100,
    "household": 60,
    "bank": 60,
    "account": 60,
    "account_holder": 100,
}


@dataclass(frozen=True)
class RosterReport:
    """What ``payroll import participants`` did."""

    participants_added: int
    participants_updated: int
    enrollments_added: int
    unchanged: int  # rows that changed nothing
    notes: tuple[str, ...] = ()  # overrides and pay cuts, row by row
    ignored_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class HistoryReport:
    """What ``payroll import history`` did."""

    added: int
    unchanged: int
    ignored_columns: tuple[str, ...] = ()


# --- shared -------------------------------------------------------------------------------


class _Errors(list[RowError]):
    def add(self, row: int, column: str, value: str, reason: str) -> None:
        self.append(RowError(row, column, value, reason))


def _missing_columns(table: Table, required: Sequence[str], errors: _Errors) -> None:
    for column in required:
        if column not in table.columns:
            errors.add(1, column, "", "required column missing from the header row")
    if not table and not errors:
        errors.add(2, "", "", "no data rows below the header")


def _ignored(table: Table, known: frozenset[str]) -> tuple[str, ...]:
    return tuple(c for c in table.columns if c not in known)


def _stored(session: Session, ids: Sequence[str]) -> dict[str, Participant]:
    wanted = sorted(set(ids))
    found: dict[str, Participant] = {}
    for i in range(0, len(wanted), 500):
        query = select(Participant).where(Participant.participant_id.in_(wanted[i : i + 500]))
        found.update({p.participant_id: p for p in session.scalars(query)})
    return found


def _clear_stale_errors(path: Path) -> None:
    error_file_path(path).unlink(missing_ok=True)


# --- participants -------------------------------------------------------------------------


@dataclass
class _Person:
    """A participant of the file: its details, stored row, and enrollments so far."""

    participant_id: str
    row: int
    facts: dict[str, Any]
    stored: Participant | None
    history: list[PastEnrollment] = field(default_factory=list)
    stored_rows: list[EnrollmentRow] = field(default_factory=list)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    plans: list[_RowPlan] = field(default_factory=list)  # this person's earlier rows

    @property
    def household(self) -> str | None:
        if self.facts.get("household"):
            return str(self.facts["household"])
        return self.stored.household if self.stored else None


@dataclass
class _RowPlan:
    number: int
    person: _Person
    enrollment: PlannedEnrollment | None = None
    declared_monthly_pay: int | None = None


def _text(cells: TableRow, column: str, errors: _Errors, *, required: bool = False) -> str:
    value = cells.get(column, "")
    if required and not value:
        errors.add(cells.number, column, "", "required")
    limit = _LIMITS.get(column)
    if limit and len(value) > limit:
        errors.add(cells.number, column, value, f"longer than {limit} characters")
    return value


def _participant_id(cells: TableRow, errors: _Errors) -> str:
    """The row's participant ID, or ``""`` after a row error when it is missing or unsafe."""
    value = cells.get("participant_id", "")
    problem = id_problem(value)
    if problem:
        errors.add(cells.number, "participant_id", value, problem)
        return ""
    return value


def _parse(cells: TableRow, column: str, parse: Callable[[str], Any], errors: _Errors) -> Any:
    value = cells.get(column, "")
    if not value:
        return None
    try:
        return parse(value)
    except EnrollmentInputError as exc:
        errors.add(cells.number, exc.column, exc.value, exc.reason)
    except (ValueError, PayrollError) as exc:
        errors.add(cells.number, column, value, str(exc))
    return None


def _dependents(text: str) -> int:
    if not re.fullmatch(r"\d+", text) or int(text) < 1:
        raise ValueError("must be a whole number of at least 1 (the participant counts)")
    return int(text)


def _children(text: str) -> int:
    if not re.fullmatch(r"\d+", text):
        raise ValueError("must be a whole number of children aged 8–20 (0 or more)")
    return int(text)


def _won(text: str) -> int:
    digits = text.replace(",", "")
    if not re.fullmatch(r"\d+", digits) or int(digits) < 1:
        raise ValueError("must be a whole number of won above 0")
    return int(digits)


def _facts(ctx: LimitContext, cells: TableRow, errors: _Errors) -> dict[str, Any]:
    n = cells.number
    facts: dict[str, Any] = {
        "name": _text(cells, "name", errors, required=True),
        "household": _text(cells, "household", errors) or None,
        "bank": _text(cells, "bank", errors) or None,
        "account": _text(cells, "account", errors) or None,
        "account_holder": _text(cells, "account_holder", errors) or None,
    }
    if not cells.get("birth_date"):
        errors.add(n, "birth_date", "", "required")
    born = _parse(cells, "birth_date", parse_date, errors)
    if born is not None and born > date.today():
        errors.add(n, "birth_date", cells["birth_date"], "in the future")
        born = None
    facts["birth_date"] = born
    if not cells.get("district"):
        errors.add(n, "district", "", "required")
    facts["district_code"] = _parse(cells, "district", lambda v: resolve_district(ctx, v), errors)
    _bank_account(facts, cells, errors)
    facts["dependents"] = _parse(cells, "dependents", _dependents, errors)
    facts["children"] = _parse(cells, "children", _children, errors)
    facts["rrn"] = None
    if cells.get("rrn") and born is not None:
        facts["rrn"] = _parse(cells, "rrn", lambda v: rrn_codec.normalise(v, born), errors)
    return facts


def _bank_account(facts: dict[str, Any], cells: TableRow, errors: _Errors) -> None:
    """Bank (name, alias or code) to the bank table's code and name; account to digits."""
    facts["bank_code"] = None
    bank = _parse(cells, "bank", find_bank, errors) if facts["bank"] else None
    if bank is not None:
        facts["bank"], facts["bank_code"] = bank.name, bank.code
    if facts["account"]:
        facts["account"] = _parse(cells, "account", lambda v: account_digits(v, bank), errors)
        if not cells.get("bank"):
            errors.add(cells.number, "bank", "", "계좌번호가 있으면 은행도 써야 합니다")


def _compare_stored(
    person: _Person, facts: dict[str, Any], cells: TableRow, errors: _Errors
) -> None:
    """Fill ``person.changes`` from a row's ``facts``; identity fields that differ are errors."""
    stored, n = person.stored, cells.number
    assert stored is not None
    if facts.get("birth_date") and facts["birth_date"] != stored.birth_date:
        errors.add(
            n,
            "birth_date",
            cells["birth_date"],
            f"stored participant {stored.participant_id} was born "
            f"{stored.birth_date.isoformat()}; an import does not change it",
        )
    if facts.get("district_code") and facts["district_code"] != stored.district_code:
        errors.add(
            n,
            "district",
            cells["district"],
            f"stored participant {stored.participant_id} belongs to district "
            f"{stored.district_code}; an import does not change it",
        )
    if facts.get("rrn"):
        if stored.rrn_encrypted is None:
            person.changes["rrn"] = (None, facts["rrn"])
        elif rrn_codec.decrypt(stored.rrn_encrypted) != facts["rrn"]:
            errors.add(
                n,
                "rrn",
                rrn_codec.mask(facts["rrn"]),
                f"differs from the stored number {stored.rrn_masked}; an import does not change it",
            )
    for name in UPDATABLE:
        new = facts.get(name)
        if new is not None and new != getattr(stored, name):
            person.changes[name] = (getattr(stored, name), new)


def _compare_earlier(
    person: _Person, facts: dict[str, Any], cells: TableRow, errors: _Errors
) -> None:
    """A participant's later rows must not contradict its earlier rows; they may add to them."""
    added: dict[str, Any] = {}
    for name, value in facts.items():
        first = person.facts.get(name)
        if value is None or value == "":
            continue
        if first is None or first == "":
            person.facts[name] = added[name] = value
        elif value != first:
            column = "district" if name == "district_code" else name
            shown = rrn_codec.mask(value) if name == "rrn" else cells.get(column, str(value))
            errors.add(
                cells.number,
                column,
                shown,
                f"differs from row {person.row} for participant {person.participant_id}",
            )
    if added and person.stored is not None:
        _compare_stored(person, added, cells, errors)


class _RosterPlanner:
    """Validates and checks every row of a roster; writes nothing."""

    def __init__(self, session: Session, ctx: LimitContext, by: str | None) -> None:
        self.session = session
        self.ctx = ctx
        self.by = by
        self.errors = _Errors()
        self.people: dict[str, _Person] = {}
        self.stored: dict[str, Participant] = {}
        self.stored_rows: dict[int, list[EnrollmentRow]] = {}
        self.labels: dict[str, str] = {}
        self.plans: list[_RowPlan] = []
        self.ends: list[early_end.RosterEnd] = []
        self.check_households = any(r.code == "one_per_household" and r.enabled for r in ctx.rules)
        self._stored_members: dict[str, list[tuple[Participant, list[EnrollmentRow]]]] = {}
        self._file_members: dict[str, list[_Person]] = {}

    def run(self, rows: Table) -> None:
        _missing_columns(rows, ROSTER_REQUIRED, self.errors)
        if self.errors:
            return
        if any(r.get("rrn") for r in rows):
            # fails early, clearly, without the database's key (transition: until this
            # import takes a unit of work, only the key store of its session is given)
            check_key(SimpleNamespace(rrn_keys=SqlRrnKeyStore(self.session)))  # type: ignore[arg-type]
        self.stored = _stored(self.session, [r["participant_id"] for r in rows])
        self.stored_rows = enrollments_of(self.session, [p.id for p in self.stored.values()])
        for rows_of in self.stored_rows.values():
            self.labels.update({ref_of(r): label_of(r) for r in rows_of})
        if self.check_households:
            self._load_households(rows)
        for cells in rows:
            self._row(cells)

    def _load_households(self, rows: Table) -> None:
        """Stored members of every household the file names, with their enrollments."""
        names = {r.get("household", "") for r in rows} | {
            p.household for p in self.stored.values() if p.household
        }
        members = [
            m
            for name in sorted(n for n in names if n)
            for m in household_members(self.session, name)
        ]
        enrollments = enrollments_of(self.session, [m.id for m in members])
        for m in members:
            assert m.household is not None
            self._stored_members.setdefault(m.household, []).append((m, enrollments[m.id]))

    def _row(self, cells: TableRow) -> None:
        pid = _participant_id(cells, self.errors)
        facts = _facts(self.ctx, cells, self.errors)
        if not pid:
            return
        person = self.people.get(pid)
        if person is None:
            stored = self.stored.get(pid)
            person = _Person(pid, cells.number, facts, stored)
            if stored is not None:
                person.stored_rows = self.stored_rows.get(stored.id, [])
                person.history = [past_of(r, stored) for r in person.stored_rows]
                _compare_stored(person, facts, cells, self.errors)
            self.people[pid] = person
            if person.household:
                self._file_members.setdefault(person.household, []).append(person)
        else:
            _compare_earlier(person, facts, cells, self.errors)
        plan = _RowPlan(cells.number, person)
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
            plan.declared_monthly_pay = _parse(cells, "declared_monthly_pay", _won, self.errors)
            plan.enrollment = self._enrollment(cells, person, plan.declared_monthly_pay)
        person.plans.append(plan)

    def _enrollment(
        self, cells: TableRow, person: _Person, declared: int | None = None
    ) -> PlannedEnrollment | None:
        n, errors = cells.number, self.errors
        before = len(errors)
        for column in ("program", "term"):
            if not cells.get(column):
                errors.add(n, column, "", "required for an enrollment")
        program = _parse(cells, "program", lambda v: resolve_program(self.ctx, v), errors)
        term = None
        if program:
            term = _parse(cells, "term", lambda v: resolve_term(self.ctx, program, v), errors)
        start = _parse(cells, "start", parse_date, errors)
        end = _parse(cells, "end", parse_date, errors)
        hours = _parse(cells, "daily_hours", _parse_hours, errors)
        reason = cells.get("override", "")
        if reason and not self.by:
            errors.add(n, "override", reason, "an override needs its author: import with --by NAME")
        born = person.facts["birth_date"] or (person.stored.birth_date if person.stored else None)
        if term is None or len(errors) > before or born is None:
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
        )
        if plan.refused:
            for v in plan.blocking:
                errors.add(n, "term", term.code, explain(v, self.labels))
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
        self, cells: TableRow, person: _Person, existing: EnrollmentRow, end: date
    ) -> bool:
        """A changed end with ``end_reason`` (종료사유): an early end (§14), planned here."""
        assert person.stored is not None
        try:
            found = early_end.roster_end(
                self.session,
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

    def _household_of(self, person: _Person) -> list[PastEnrollment]:
        """Other members' enrollments, stored or earlier in the file (only when the
        one-per-household rule is on)."""
        household = person.household
        if not household or not self.check_households:
            return []
        out: list[PastEnrollment] = []
        for member, rows in self._stored_members.get(household, []):
            if member.participant_id == person.participant_id or (
                member.participant_id in self.people
            ):
                continue
            for r in rows:
                out.append(past_of(r, member))
                self.labels[ref_of(r)] = f"{label_of(r)} of {member.participant_id}"
        for other in self._file_members.get(household, []):
            if other is not person:
                out.extend(other.history)
        return out


def _add_participant(session: Session, person: _Person, actor: str, source: str) -> Participant:
    f = person.facts
    row = Participant(
        participant_id=person.participant_id,
        name=f["name"],
        birth_date=f["birth_date"],
        household=f["household"],
        district_code=f["district_code"],
        bank=f["bank"],
        bank_code=f["bank_code"],
        account=f["account"],
        account_holder=f["account_holder"],
        dependents=f["dependents"] or 1,
        children=f["children"] or 0,
        rrn_encrypted=rrn_codec.encrypt(f["rrn"]) if f["rrn"] else None,
        rrn_masked=rrn_codec.mask(f["rrn"]) if f["rrn"] else None,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
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
    return row


def _update_participant(session: Session, person: _Person, actor: str, source: str) -> None:
    row = person.stored
    assert row is not None
    logged: dict[str, Any] = {}
    for name, (old, new) in person.changes.items():
        if name == "rrn":
            row.rrn_encrypted = rrn_codec.encrypt(new)
            row.rrn_masked = rrn_codec.mask(new)
        else:
            setattr(row, name, new)
        logged[name] = "changed" if name in SECRET else [old, new]
    audit.record(
        session,
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


def import_participants(engine: Engine, path: Path, by: str | None = None) -> RosterReport:
    """Import a roster file all or nothing (see the module docstring)."""
    rows = read_table(path, ROSTER_ALIASES)
    actor = by or default_actor()
    with serial_transaction(engine, ROSTER_LOCK) as session:  # limits checked, then written
        planner = _RosterPlanner(session, load_context(session), by)
        planner.run(rows)
        if planner.errors:
            raise reject(path, planner.errors)
        added = updated = enrolled = unchanged = 0
        notes: list[str] = []
        stored: dict[str, Participant] = {}
        for plan in planner.plans:
            person, changed = plan.person, False
            if person.participant_id not in stored:
                if person.stored is None:
                    stored[person.participant_id] = _add_participant(
                        session, person, actor, path.name
                    )
                    added += 1
                    changed = True
                else:
                    stored[person.participant_id] = person.stored
                    if person.changes:
                        _update_participant(session, person, actor, path.name)
                        updated += 1
                        changed = True
            if plan.enrollment is not None:
                stored_row = store_enrollment(
                    session,
                    stored[person.participant_id],
                    plan.enrollment,
                    actor,
                    planner.labels,
                    via="import",
                    file=path.name,
                    row=plan.number,
                )
                stored_row.declared_monthly_pay = plan.declared_monthly_pay
                notes.extend(_note(plan.number, plan.enrollment, planner.labels))
                enrolled += 1
                changed = True
            unchanged += not changed
        for end in planner.ends:
            done = early_end.apply_end(
                session,
                end.enrollment,
                end.enrollment.participant,
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
    _clear_stale_errors(path)
    return RosterReport(
        added, updated, enrolled, unchanged, tuple(notes), _ignored(rows, ROSTER_COLUMNS)
    )


# --- history ------------------------------------------------------------------------------


def _overlapping(start: date, end: date, others: Sequence[tuple[str, date, date]]) -> str | None:
    for label, s, e in others:
        if start <= e and s <= end:
            return label
    return None


def _recheck_enrollments(
    ctx: LimitContext,
    new: Sequence[tuple[int, Participant, str, date, date]],
    existing: Mapping[int, Sequence[EnrollmentRow]],
    errors: _Errors,
) -> None:
    """History imported after a roster must not make a stored enrollment break a limit.

    Each roster enrollment (not overridden) of a participant who gains history is checked
    again against all of their enrollments, old and new; a limit it would now break is a
    row error on that participant's first new history row.
    """
    by_person: dict[int, list[tuple[int, Participant, str, date, date]]] = {}
    for item in new:
        by_person.setdefault(item[1].id, []).append(item)
    for pk, items in by_person.items():
        person = items[0][1]
        added = [
            PastEnrollment(f"row {n}", person.participant_id, program, start, end, person.household)
            for n, _p, program, start, end in items
        ]
        rows = existing[pk]
        for current in rows:
            if current.source != "roster" or current.override_reason:
                continue
            history = [past_of(r, person) for r in rows if r.id != current.id] + added
            candidate = Candidate(
                person.participant_id,
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
                    f"would make enrollment {label_of(current)} break a limit: {reasons}",
                )


def import_history(
    engine: Engine, path: Path, actor: str | None = None, today: date | None = None
) -> HistoryReport:
    """Import past enrollments all or nothing (see the module docstring).

    A past enrollment has ended: one whose end is after ``today`` (default: the real date)
    is a row error; an enrollment still running belongs in the roster.
    """
    today = today or date.today()
    rows = read_table(path, HISTORY_ALIASES)
    actor = actor or default_actor()
    errors = _Errors()
    _missing_columns(rows, HISTORY_REQUIRED, errors)
    if errors:
        raise reject(path, errors)
    with serial_transaction(engine, ROSTER_LOCK) as session:
        ctx = load_context(session)
        stored = _stored(session, [r["participant_id"] for r in rows])
        existing = enrollments_of(session, [p.id for p in stored.values()])
        taken: dict[str, list[tuple[str, date, date]]] = {
            pid: [(label_of(r), r.start, r.end) for r in existing[p.id]]
            for pid, p in stored.items()
        }
        new: list[tuple[int, Participant, str, date, date]] = []
        unchanged = 0
        for cells in rows:
            n = cells.number
            before = len(errors)
            pid = _participant_id(cells, errors)
            person = stored.get(pid)
            if pid and person is None:
                errors.add(
                    n, "participant_id", pid, "unknown participant (import the roster first)"
                )
            for column in ("program", "start", "end"):
                if not cells.get(column):
                    errors.add(n, column, "", "required")
            program = _parse(cells, "program", lambda v: resolve_program(ctx, v), errors)
            start = _parse(cells, "start", parse_date, errors)
            end = _parse(cells, "end", parse_date, errors)
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
            same = same_start(existing[person.id], program, start)
            if same is not None and same.end == end:
                unchanged += 1
                continue
            clash = _overlapping(start, end, taken[pid])
            if clash:
                errors.add(n, "start", cells["start"], f"{clash}와(과) 기간이 겹칩니다")
                continue
            code = history_term_code(ctx, program, start, end)
            taken[pid].append((f"{n}행 {program} {code} {start}..{end}", start, end))
            new.append((n, person, program, start, end))
        _recheck_enrollments(ctx, new, existing, errors)
        if errors:
            raise reject(path, errors)
        now = datetime.now(UTC)
        for n, person, program, start, end in new:
            row = EnrollmentRow(
                participant_pk=person.id,
                program_code=program,
                term_code=history_term_code(ctx, program, start, end),
                start=start,
                end=end,
                source="history",
                created_at=now,
            )
            session.add(row)
            session.flush()
            audit.record(
                session,
                actor,
                "enrollment.add_history",
                "enrollment",
                row.id,
                participant_id=person.participant_id,
                program=program,
                term=row.term_code,
                start=start,
                end=end,
                file=path.name,
                row=n,
            )
    _clear_stale_errors(path)
    return HistoryReport(len(new), unchanged, _ignored(rows, frozenset(HISTORY_REQUIRED)))


__all__ = [
    "HISTORY_ALIASES",
    "ROSTER_ALIASES",
    "HistoryReport",
    "ImportRejected",
    "RosterReport",
    "import_history",
    "import_participants",
]
