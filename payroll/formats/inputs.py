"""What a person types or a spreadsheet holds: months, dates, districts and programs.

One parser for months, one for dates and one matcher for districts and programs, used by
every command option, every import file and every run reference, so that ``2025-3``,
``2025.03`` and ``2025년 3월`` mean the same month everywhere and ``종로``, ``종로구`` and
``서울 종로구`` the same district. Errors are :class:`InputError` with a Korean reason.
Pure: no database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

from payroll.domain.model import PayrollError

__all__ = [
    "InputError",
    "match_district",
    "match_program",
    "parse_date",
    "parse_month",
    "squash",
]


class InputError(PayrollError):
    """A value the user gave that cannot be understood (exit code 2 on the command line)."""


_MONTH_FORMS = (
    re.compile(r"(\d{4})\s*[-./]\s*(\d{1,2})\.?"),  # 2025-03, 2025-3, 2025.03, 2025/3
    re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월"),  # 2025년 3월
    re.compile(r"(\d{4})(\d{2})"),  # 202503
)
_MONTH_HELP = "예: 2025-03, 2025.3, 2025년 3월"


def parse_month(text: str, what: str = "월") -> str:
    """``"2025-3"``, ``"2025.03"``, ``"2025년 3월"``, ``"202503"`` -> ``"2025-03"``."""
    value = (text or "").strip()
    for form in _MONTH_FORMS:
        found = form.fullmatch(value)
        if found:
            year, number = int(found.group(1)), int(found.group(2))
            if not 1 <= number <= 12:
                raise InputError(f"{what} {text!r}: {number}월은 없습니다 (1~12월; {_MONTH_HELP})")
            return f"{year:04d}-{number:02d}"
    raise InputError(f"{what} {text!r}: 월을 알 수 없습니다 ({_MONTH_HELP})")


_DATE_SEPARATED = re.compile(r"(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\s*\.?")
_DATE_KOREAN = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXCEL_SERIAL = re.compile(r"(\d{5})(?:\.0+)?")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 with Excel's 1900 leap-year bug
DATE_FORMATS = "2025-03-05, 2025.3.5, 2025/03/05, 2025. 3. 5., 2025년 3월 5일, 20250305"


def parse_date(text: str, what: str = "날짜") -> date:
    """A date as Korean spreadsheets and people write it (see ``DATE_FORMATS``).

    Also an Excel date serial (``45721`` = 2025-03-05), as a date cell formatted as a
    number arrives. An ISO date-time (``2025-03-05T00:00:00``) keeps its date.
    """
    value = (text or "").strip()
    if "T" in value and value[:10].count("-") == 2:
        value = value[:10]
    for form in (_DATE_SEPARATED, _DATE_KOREAN, _DATE_COMPACT):
        found = form.fullmatch(value)
        if found:
            year, month, day = (int(g) for g in found.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise InputError(f"{what} {text!r}: 없는 날짜입니다") from None
    serial = _EXCEL_SERIAL.fullmatch(value)
    if serial and 20000 <= int(serial.group(1)) <= 80000:
        return _EXCEL_EPOCH + timedelta(days=int(serial.group(1)))
    raise InputError(f"{what} {text!r}: 날짜를 알 수 없습니다 (예: {DATE_FORMATS})")


def squash(text: str) -> str:
    """Case, spaces, ``_`` and ``-`` ignored: the key names are compared by."""
    return re.sub(r"[\s_\-]+", "", text or "").casefold()


def _district_keys(code: str, name: str) -> set[str]:
    bare = squash(name)
    for prefix in ("서울특별시", "서울시", "서울"):
        bare = bare.removeprefix(prefix)
    keys = {squash(code), bare}
    if bare.endswith("구") and len(bare) > 2:
        keys.add(bare[:-1])  # 종로구 -> 종로 (중구 stays 중구)
    return keys


def match_district(districts: Mapping[str, str], text: str) -> str:
    """The code of a district given by code (``11110``) or name (``종로구``, ``종로``,
    ``서울 종로구``, ``서울특별시 종로구``); an InputError listing a few known ones."""
    wanted = squash(text)
    for prefix in ("서울특별시", "서울시", "서울"):
        if wanted.startswith(prefix) and len(wanted) > len(prefix):
            wanted = wanted.removeprefix(prefix)
            break
    for code, name in districts.items():
        if wanted in _district_keys(code, name):
            return code
    sample = ", ".join(f"{c} {n}" for c, n in list(districts.items())[:3])
    raise InputError(f"자치구 {text!r}를 찾을 수 없습니다 (코드 또는 이름, 예: {sample})")


def _program_keys(code: str, name: str) -> set[str]:
    bare = squash(name).removeprefix("서울")
    keys = {squash(code), squash(name), bare}
    if bare.endswith("일자리") and len(bare) > 3:
        keys.add(bare.removesuffix("일자리"))  # 동행일자리 -> 동행
    return keys


def match_program(programs: Mapping[str, str], text: str) -> str:
    """The code of a program given by code (``dongheng``) or name (``서울 동행일자리``,
    ``동행일자리``, ``동행``); an InputError listing the known ones."""
    wanted = squash(text)
    for code, name in programs.items():
        if wanted in _program_keys(code, name):
            return code
    known = ", ".join(f"{n} ({c})" for c, n in programs.items())
    raise InputError(f"사업 {text!r}을 찾을 수 없습니다 (사업: {known})")
