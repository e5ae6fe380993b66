"""A roster row's participant: its cells parsed into facts, compared with the stored
participant and with the participant's earlier rows of the same file (writes nothing)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from payroll.domain.contact import delivery_problem, parse_delivery, parse_email, parse_mobile
from payroll.domain.limits import PastEnrollment
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.formats.tabular import TableRow, parse_date
from payroll.privacy import rrn as rrn_codec
from payroll.reference.banks import account_digits, find_bank
from payroll.services.enrollment.enroll import PlannedEnrollment
from payroll.services.imports.common import RowErrors, parse_cell

UPDATABLE = (
    "name",
    "bank",
    "bank_code",
    "account",
    "account_holder",
    "dependents",
    "children",
    "household",
    "phone",
    "email",
    "delivery",
)
"""Participant fields a later roster may change (identity fields it may not)."""
_LIMITS = {
    "name": 100,
    "household": 60,
    "bank": 60,
    "account": 60,
    "account_holder": 100,
}


@dataclass
class FilePerson:
    """A participant of the file: its details, stored row, and enrollments so far."""

    participant_id: str
    row: int
    facts: dict[str, Any]
    stored: PersonRecord | None
    history: list[PastEnrollment] = field(default_factory=list)
    stored_rows: list[EnrollmentRecord] = field(default_factory=list)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    plans: list[RowPlan] = field(default_factory=list)  # this person's earlier rows
    person_key: str | None = None  # the city-wide person (from the file's or stored number)
    elsewhere: dict[str, str] = field(default_factory=dict)  # other districts' refs → labels

    @property
    def has_number(self) -> bool:
        return bool(self.facts.get("rrn")) or bool(self.stored and self.stored.rrn_encrypted)

    @property
    def household(self) -> str | None:
        if self.facts.get("household"):
            return str(self.facts["household"])
        return self.stored.household if self.stored else None


@dataclass
class RowPlan:
    """One row of the file: its participant, and the enrollment it asks for."""

    number: int
    person: FilePerson
    enrollment: PlannedEnrollment | None = None
    declared_monthly_pay: int | None = None


def _text(cells: TableRow, column: str, errors: RowErrors, *, required: bool = False) -> str:
    value = cells.get(column, "")
    if required and not value:
        errors.add(cells.number, column, "", "required")
    limit = _LIMITS.get(column)
    if limit and len(value) > limit:
        errors.add(cells.number, column, value, f"longer than {limit} characters")
    return value


def _dependents(text: str) -> int:
    if not re.fullmatch(r"\d+", text) or int(text) < 1:
        raise ValueError("must be a whole number of at least 1 (the participant counts)")
    return int(text)


def _children(text: str) -> int:
    if not re.fullmatch(r"\d+", text):
        raise ValueError("must be a whole number of children aged 8–20 (0 or more)")
    return int(text)


def won_cell(text: str) -> int:
    """보수월액: a whole number of won above 0 (thousands separators allowed)."""
    digits = text.replace(",", "")
    if not re.fullmatch(r"\d+", digits) or int(digits) < 1:
        raise ValueError("must be a whole number of won above 0")
    return int(digits)


def row_facts(
    cells: TableRow, district_code: Callable[[str], str], errors: RowErrors
) -> dict[str, Any]:
    """The participant columns of a row, parsed (None where empty or refused)."""
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
    born = parse_cell(cells, "birth_date", parse_date, errors)
    if born is not None and born > date.today():
        errors.add(n, "birth_date", cells["birth_date"], "in the future")
        born = None
    facts["birth_date"] = born
    if not cells.get("district"):
        errors.add(n, "district", "", "required")
    facts["district_code"] = parse_cell(cells, "district", district_code, errors)
    _bank_account(facts, cells, errors)
    facts["dependents"] = parse_cell(cells, "dependents", _dependents, errors)
    facts["children"] = parse_cell(cells, "children", _children, errors)
    _contact(facts, cells, errors)
    facts["rrn"] = None
    if cells.get("rrn") and born is not None:
        facts["rrn"] = parse_cell(cells, "rrn", lambda v: rrn_codec.normalise(v, born), errors)
    return facts


def _contact(facts: dict[str, Any], cells: TableRow, errors: RowErrors) -> None:
    """휴대전화, 이메일 and 수령방법; a method the row's own contacts cannot serve is refused."""
    facts["phone"] = parse_cell(cells, "phone", parse_mobile, errors)
    facts["email"] = parse_cell(cells, "email", parse_email, errors)
    delivery = parse_cell(cells, "delivery", parse_delivery, errors)
    facts["delivery"] = delivery.value if delivery is not None else None
    if delivery is not None:
        # a contact cell refused above is reported there, not again here
        problem = delivery_problem(delivery, cells.get("phone"), cells.get("email"))
        if problem:
            errors.add(cells.number, "delivery", cells["delivery"], problem)


def _bank_account(facts: dict[str, Any], cells: TableRow, errors: RowErrors) -> None:
    """Bank (name, alias or code) to the bank table's code and name; account to digits."""
    facts["bank_code"] = None
    bank = parse_cell(cells, "bank", find_bank, errors) if facts["bank"] else None
    if bank is not None:
        facts["bank"], facts["bank_code"] = bank.name, bank.code
    if facts["account"]:
        facts["account"] = parse_cell(cells, "account", lambda v: account_digits(v, bank), errors)
        if not cells.get("bank"):
            errors.add(cells.number, "bank", "", "계좌번호가 있으면 은행도 써야 합니다")


def compare_stored(
    person: FilePerson, facts: dict[str, Any], cells: TableRow, errors: RowErrors
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


def compare_earlier(
    person: FilePerson, facts: dict[str, Any], cells: TableRow, errors: RowErrors
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
        compare_stored(person, added, cells, errors)
