"""Year files in the shipped ``catalog.toml`` format: read one, write one.

Reading refuses a file that is not TOML with its line and the reason, in Korean; writing
covers the shapes the catalog uses (blocks of scalars, lists and inline tables).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from payroll.domain.model import PayrollError

DECIMAL_FIELDS = {
    "daily_hours",
    "city_ratio",
    "industrial_accident_rate",
    "national_pension",
    "health_insurance",
    "long_term_care_share",
    "employment_insurance",
    "job_stability",
}
ORDER = (
    "programs",
    "program_years",
    "hourly_rates",
    "insurance",
    "tax_years",
    "child_reductions",
    "pension_bounds",
    "terms",
    "limits",
)


def read_catalog_file(path: Path) -> dict[str, Any]:
    """The data of a year file; a missing or malformed file is one Korean line."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise PayrollError(f"{path}: 파일을 읽을 수 없습니다 ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PayrollError(f"{path}: UTF-8 텍스트 파일이 아닙니다") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PayrollError(f"{path}: TOML 형식이 아닙니다 ({exc})") from None


def catalog_toml(data: Mapping[str, Any], header: str = "") -> str:
    """``data`` (catalog shape) as TOML text, blocks in the shipped file's order."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    for kind in ORDER:
        for block in data.get(kind, []) or []:
            lines += ["", f"[[{kind}]]"]
            for name, value in block.items():
                if value is None:
                    continue
                lines.append(f"{_key(name)} = {_value(value, name)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def _key(name: str) -> str:
    return name if name.replace("_", "").isalnum() and name.isascii() else _string(name)


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _value(value: Any, name: str = "") -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float) or (name in DECIMAL_FIELDS and _is_number(value)):
        return _string(f"{Decimal(str(value)).normalize():f}")
    if isinstance(value, date):
        return _string(value.isoformat())
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        items = [_value(v) for v in value]
        if any(isinstance(v, Mapping) for v in value):
            return "[\n" + "".join(f"  {i},\n" for i in items) + "]"
        return "[" + ", ".join(items) + "]"
    if isinstance(value, Mapping):
        inner = ", ".join(
            f"{_key(str(k))} = {_value(v, str(k))}" for k, v in value.items() if v is not None
        )
        return "{ " + inner + " }"
    raise PayrollError(f"{name}: TOML로 쓸 수 없는 값 {value!r}")


def _is_number(value: Any) -> bool:
    try:
        Decimal(str(value))
    except ArithmeticError:
        return False
    return True
