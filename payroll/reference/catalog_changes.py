"""A city's year file (``catalog.toml`` blocks) checked and compared with the stored catalog.

:func:`plan_changes` takes the stored catalog and a file's data (both in the shipped
``catalog.toml`` shape) and returns what the file adds or changes, every bad field named
with its reason, and the merged blocks to write. Nothing here reads or writes a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from payroll.domain.limits import parse_rules
from payroll.domain.model import PayrollError
from payroll.reference.catalog import INSURANCE_FIELDS, catalog_from_data, tax_year_from_data
from payroll.reference.catalog_fields import CHECKS

KIND_NAMES = {
    "programs": "사업",
    "program_years": "사업 연도 기준",
    "hourly_rates": "시급",
    "insurance": "사회보험료율",
    "tax_years": "소득세 연도 기준",
    "child_reductions": "자녀 세액 감면",
    "pension_bounds": "국민연금 상·하한",
    "terms": "기수",
    "limits": "참여 제한",
}
TOP_LEVEL = (*KIND_NAMES, "districts")
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "programs": ("code",),
    "program_years": ("program", "year"),
    "hourly_rates": ("source", "year"),
    "insurance": ("year",),
    "tax_years": ("year",),
    "child_reductions": ("from",),
    "pension_bounds": ("from",),
    "terms": ("program", "code"),
    "limits": ("code", "programs"),
}
TAX_FIELDS = (
    "meal_allowance_cap",
    "personal_deduction",
    "standard_credit",
    "earned_income_deduction_cap",
    "earned_income_deduction",
    "tax_brackets",
    "earned_income_credit",
    "earned_income_credit_limits",
    "child_credit",
)
FIELDS: dict[str, tuple[str, ...]] = {
    "programs": (
        "code",
        "name",
        "pay_basis",
        "rate_source",
        "daily_hours",
        "weekdays",
        "min_age",
        "max_age",
    ),
    "program_years": (
        "program",
        "year",
        "daily_expense_allowance",
        "city_ratio",
        "industrial_accident_rate",
    ),
    "hourly_rates": ("source", "year", "won"),
    "insurance": ("year", *INSURANCE_FIELDS),
    "tax_years": ("year", *TAX_FIELDS),
    "child_reductions": ("from", "one", "two", "each_further"),
    "pension_bounds": ("from", "to", "floor", "ceiling"),
    "terms": ("program", "code", "start", "end"),
}
OPTIONAL = {"programs": {"min_age", "max_age"}, "insurance": set(INSURANCE_FIELDS)}

Key = tuple[Any, ...]
Blocks = dict[str, dict[Key, dict[str, Any]]]


class CatalogFileError(PayrollError):
    """A year file refused whole: every problem, one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"연도 기준 파일을 받지 않았습니다 (문제 {len(problems)}건, 아무것도 바꾸지 않음):\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


@dataclass(frozen=True)
class Change:
    """One added block or one changed field."""

    kind: str
    key: Key
    field: str | None  # None: the whole block is new
    old: Any = None
    new: Any = None

    def describe(self) -> str:
        where = f"{KIND_NAMES[self.kind]} {label(self.key)}"
        if self.field is None:
            shown = [
                f"{show(value)}원" if name == "won" else f"{name} {show(value)}"
                for name, value in (self.new or {}).items()
                if name not in KEY_FIELDS[self.kind]
                and value is not None
                and not isinstance(value, list | dict)
                and name != "message"
            ]
            return f"추가: {where}" + (f" ({', '.join(shown)})" if shown else "")
        old = "(없음)" if self.old is None else show(self.old)
        return f"변경: {where} {self.field}: {old} → {show(self.new)}"


@dataclass
class Plan:
    """What a file does: its changes and the blocks to write (merged with the stored ones)."""

    changes: list[Change] = field(default_factory=list)
    writes: dict[str, Any] = field(default_factory=dict)  # catalog shape, changed blocks only
    merged: dict[str, Any] = field(default_factory=dict)  # the whole catalog after the file

    @property
    def empty(self) -> bool:
        return not self.changes


def label(key: Key) -> str:
    return " ".join(",".join(k) if isinstance(k, tuple) else str(k) for k in key)


def show(value: Any) -> str:
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, list | tuple | dict):
        return f"[{len(value)}개 항목]" if not isinstance(value, dict) else str(value)
    return str(value)


def decimal_text(value: Decimal) -> str:
    """``Decimal("0.045000")`` → ``"0.045"`` (never exponent notation)."""
    text = f"{value.normalize():f}"
    return text


# --- blocks by key -------------------------------------------------------------------


def blocks_of(data: Mapping[str, Any]) -> Blocks:
    """Every block of the catalog data by kind and key (hourly rates one per source-year)."""
    out: Blocks = {kind: {} for kind in KIND_NAMES}
    for kind in KIND_NAMES:
        for block in data.get(kind, []) or []:
            if not isinstance(block, Mapping):
                continue
            if kind == "hourly_rates":
                rates = block.get("rates")
                if not isinstance(rates, Mapping):  # one rate per block: year and won
                    rates = {block.get("year"): block.get("won")}
                for year, won in rates.items():
                    row = {"source": block.get("source"), "year": _int_key(year), "won": won}
                    extra = set(block) - {"source", "rates", "year", "won"}
                    row.update({name: block[name] for name in extra})
                    out[kind][key_of(kind, row)] = row
            else:
                row = dict(block)
                if kind == "limits":
                    row.setdefault("enabled", True)
                out[kind][key_of(kind, row)] = row
    return out


def _int_key(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def key_of(kind: str, block: Mapping[str, Any]) -> Key:
    key = []
    for name in KEY_FIELDS[kind]:
        value = block.get(name)
        if name == "programs":
            value = tuple(value) if isinstance(value, list | tuple) else (value,)
        elif name in ("year",):
            value = _int_key(value)
        elif name in ("from", "code", "program", "source"):
            value = value.isoformat() if isinstance(value, date) else value
            value = str(value) if value is not None else None
        key.append(value)
    return tuple(key)


def catalog_shape(blocks: Blocks) -> dict[str, Any]:
    """Blocks back in the ``catalog.toml`` shape."""
    data: dict[str, Any] = {}
    for kind, by_key in blocks.items():
        if not by_key:
            continue
        if kind == "hourly_rates":
            rates: dict[str, dict[str, Any]] = {}
            for (source, year), row in sorted(by_key.items(), key=lambda kv: str(kv[0])):
                rates.setdefault(source, {})[str(year)] = row["won"]
            data[kind] = [{"source": s, "rates": r} for s, r in rates.items()]
        else:
            data[kind] = list(by_key.values())
    return data


def same(a: Any, b: Any) -> bool:
    """Equal as figures: ``"0.045"`` and ``Decimal("0.045000")`` are the same rate."""
    if a is None or b is None:
        return a is b
    if isinstance(a, list | dict) or isinstance(b, list | dict):
        return a == b
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return str(a) == str(b)


# --- the plan ------------------------------------------------------------------------


def plan_changes(stored: Mapping[str, Any], incoming: Mapping[str, Any]) -> Plan:
    """What ``incoming`` (a year file) adds or changes in ``stored``; raises on any bad field.

    A block whose key the catalog has is merged field by field (fields the file leaves out
    stay as stored); a new block must give every required field.
    """
    problems: list[str] = []
    for name in incoming:
        if name not in TOP_LEVEL:
            problems.append(
                f"'{name}': 알 수 없는 항목입니다 (쓸 수 있는 항목: {', '.join(TOP_LEVEL)})"
            )
    usable = dict(incoming)
    for kind in KIND_NAMES:
        value = incoming.get(kind)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(b, Mapping) for b in value)
        ):
            problems.append(f"[[{kind}]]: 블록 목록([[{kind}]])이어야 합니다")
            usable.pop(kind)

    old = blocks_of(stored)
    new = blocks_of(usable)
    merged: Blocks = {kind: dict(by_key) for kind, by_key in old.items()}
    plan = Plan()
    changed: Blocks = {kind: {} for kind in KIND_NAMES}
    for index_kind, by_key in new.items():
        for n, (key, block) in enumerate(by_key.items(), start=1):
            where = f"[[{index_kind}]] #{n} ({label(key)})"
            before = old[index_kind].get(key)
            result = _check_block(index_kind, block, before, where, problems)
            if result is None:
                continue
            merged[index_kind][key] = result
            if before is None:
                plan.changes.append(Change(index_kind, key, None, None, result))
                changed[index_kind][key] = result
                continue
            for name, value in result.items():
                if not same(before.get(name), value):
                    plan.changes.append(Change(index_kind, key, name, before.get(name), value))
                    changed[index_kind][key] = result
    _check_whole(merged, new, problems, old["tax_years"])
    if problems:
        raise CatalogFileError(problems)
    plan.writes = catalog_shape(changed)
    plan.merged = {**catalog_shape(merged), "districts": stored.get("districts", {})}
    return plan


def _check_block(
    kind: str,
    block: Mapping[str, Any],
    before: Mapping[str, Any] | None,
    where: str,
    problems: list[str],
) -> dict[str, Any] | None:
    """The block merged over ``before``, its fields checked; ``None`` after a problem."""
    if kind == "limits":
        return _check_limit(block, before, where, problems)
    checks = CHECKS[kind]
    start = len(problems)
    for name in block:
        if name not in checks:
            problems.append(f"{where}: '{name}'은(는) 알 수 없는 항목입니다")
    out: dict[str, Any] = dict(before or {})
    for name, check in checks.items():
        if name in block:
            try:
                check(block[name])
            except ValueError as exc:
                shown = f"rates.{block.get('year')}" if kind == "hourly_rates" else name
                problems.append(f"{where}: '{shown}' 값 {block[name]!r}: {exc}")
                continue
            value = block[name]
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, float):
                value = str(value)
            out[name] = value
        elif before is None and name not in OPTIONAL.get(kind, set()):
            problems.append(f"{where}: '{name}'이(가) 없습니다 (새 항목은 모든 값을 적어야 합니다)")
    if len(problems) > start:
        return None
    return out


def _check_limit(
    block: Mapping[str, Any],
    before: Mapping[str, Any] | None,
    where: str,
    problems: list[str],
) -> dict[str, Any] | None:
    out = {**(before or {}), **block}
    if "message" not in out:
        problems.append(f"{where}: 'message'가 없습니다 (참여를 막을 때 보일 문장)")
        return None
    out.setdefault("enabled", True)
    if not isinstance(out["enabled"], bool):
        problems.append(f"{where}: 'enabled' 값 {out['enabled']!r}: true 또는 false여야 합니다")
        return None
    try:
        parse_rules([out])
    except PayrollError as exc:
        problems.append(f"{where}: {exc}")
        return None
    return out


def _check_whole(merged: Blocks, new: Blocks, problems: list[str], old_tax: Any) -> None:
    """Checks across blocks: references to programs, date order, a readable catalog."""
    programs = {key[0] for key in merged["programs"]}
    for kind in ("program_years", "terms"):
        for key, block in new[kind].items():
            if block.get("program") not in programs:
                problems.append(
                    f"[[{kind}]] ({label(key)}): 'program' {block.get('program')!r}은(는) "
                    f"등록된 사업이 아닙니다 (등록된 사업: {', '.join(sorted(programs))})"
                )
    for key in new["limits"]:
        unknown = [p for p in key[1] if p not in programs]
        if unknown:
            problems.append(
                f"[[limits]] ({label(key)}): 'programs'의 {', '.join(map(str, unknown))}은(는) "
                "등록된 사업이 아닙니다"
            )
    for key in new["terms"]:
        term = merged["terms"].get(key)
        if term and str(term["start"]) > str(term["end"]):
            problems.append(f"[[terms]] ({label(key)}): 'start'가 'end'보다 늦습니다")
    for key in new["pension_bounds"]:
        b = merged["pension_bounds"].get(key)
        if b and str(b["from"]) > str(b["to"]):
            problems.append(f"[[pension_bounds]] ({label(key)}): 'from'이 'to'보다 늦습니다")
        if b and int(b["floor"]) >= int(b["ceiling"]):
            problems.append(f"[[pension_bounds]] ({label(key)}): 'floor'가 'ceiling' 이상입니다")
    for key in new["programs"]:
        p = merged["programs"].get(key)
        lo, hi = (p or {}).get("min_age"), (p or {}).get("max_age")
        if lo is not None and hi is not None and lo > hi:
            problems.append(f"[[programs]] ({label(key)}): 'min_age'가 'max_age'보다 큽니다")
    for key in new["tax_years"]:
        if key not in merged["tax_years"] or merged["tax_years"][key] is old_tax.get(key):
            continue  # refused field by field above
        try:
            tax_year_from_data(merged["tax_years"][key])
        except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError) as exc:
            problems.append(
                f"[[tax_years]] ({label(key)}): 구간표를 읽을 수 없습니다 "
                f"({type(exc).__name__}: {exc}); 배포된 catalog.toml의 형식을 따르세요"
            )
    if not problems:
        try:
            catalog_from_data(catalog_shape(merged))
        except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
            problems.append(f"연도 기준을 읽을 수 없습니다 ({type(exc).__name__}: {exc})")


def year_blocks(data: Mapping[str, Any], year: int) -> dict[str, Any]:
    """The blocks of ``year`` in the catalog shape (what ``catalog export --year`` writes).

    Programs and limits are not dated: every program and limit is included, so the file
    is a complete description of the year.
    """
    blocks = blocks_of(data)
    out: Blocks = {kind: {} for kind in KIND_NAMES}
    out["programs"] = blocks["programs"]
    out["limits"] = blocks["limits"]
    for kind in ("program_years", "hourly_rates", "insurance", "tax_years"):
        out[kind] = {k: b for k, b in blocks[kind].items() if _int_key(b.get("year")) == year}
    out["terms"] = {k: b for k, b in blocks["terms"].items() if str(b["start"])[:4] == str(year)}
    out["child_reductions"] = {
        k: b for k, b in blocks["child_reductions"].items() if str(b["from"])[:4] == str(year)
    }
    out["pension_bounds"] = {
        k: b
        for k, b in blocks["pension_bounds"].items()
        if str(b["from"])[:4] <= str(year) <= str(b["to"])[:4]
    }
    return catalog_shape(out)
