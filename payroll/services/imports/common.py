"""What the imports share: collecting row errors, required and ignored columns, cells."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from payroll.domain.ids import id_problem
from payroll.domain.model import PayrollError
from payroll.formats.tabular import RowError, Table, TableRow, error_file_path
from payroll.services.enrollment.enroll import EnrollmentInputError

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
    "휴대전화": "phone",
    "휴대폰": "phone",
    "휴대전화번호": "phone",
    "핸드폰": "phone",
    "이메일": "email",
    "전자우편": "email",
    "메일": "email",
    "수령방법": "delivery",
    "명세서수령방법": "delivery",
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
"""Korean headers of a roster file and the column each names (the history file uses the
participant, program and date ones)."""


class RowErrors(list[RowError]):
    """The row errors of one file, in the order they were found."""

    def add(self, row: int, column: str, value: str, reason: str) -> None:
        self.append(RowError(row, column, value, reason))


def missing_columns(table: Table, required: Sequence[str], errors: RowErrors) -> None:
    """A row-1 error per required column the header lacks; a row-2 error for no rows."""
    for column in required:
        if column not in table.columns:
            errors.add(1, column, "", "머리글에 꼭 필요한 열이 없습니다")
    if not table and not errors:
        errors.add(2, "", "", "머리글 아래에 데이터 행이 없습니다")


def ignored_columns(table: Table, known: frozenset[str]) -> tuple[str, ...]:
    """The file's columns the import does not read."""
    return tuple(c for c in table.columns if c not in known)


def clear_stale_errors(path: Path) -> None:
    """Remove the errors file an earlier, refused import of ``path`` left."""
    error_file_path(path).unlink(missing_ok=True)


def participant_id(cells: TableRow, errors: RowErrors) -> str:
    """The row's participant ID, or ``""`` after a row error when it is missing or unsafe."""
    value = cells.get("participant_id", "")
    problem = id_problem(value)
    if problem:
        errors.add(cells.number, "participant_id", value, problem)
        return ""
    return value


def parse_cell(cells: TableRow, column: str, parse: Callable[[str], Any], errors: RowErrors) -> Any:
    """``parse`` of a non-empty cell; None (after a row error if it fails) otherwise."""
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
