"""``[[limits]]`` rows (shipped or stored) into :class:`LimitRule` records.

The fields every rule has (``code``, ``programs``, ``enabled``, ``message``) are read here;
the type named by ``code`` reads its own settings. A bad row raises
:class:`~payroll.domain.model.PayrollError` naming the rule (``limit rule #N``) and field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from payroll.domain.limits.records import DEFAULT_SETTINGS, LimitRule
from payroll.domain.limits.registry import rule_types
from payroll.domain.model import PayrollError


def parse_rules(rows: Iterable[Mapping[str, Any]]) -> tuple[LimitRule, ...]:
    """Check ``[[limits]]`` rows; a bad row raises :class:`PayrollError` naming rule and field."""
    return tuple(_parse_rule(i, row) for i, row in enumerate(rows))


def _parse_rule(index: int, row: Mapping[str, Any]) -> LimitRule:
    code = row.get("code")
    where = f"limit rule #{index + 1} ({code!r})"
    types = rule_types()
    kind = types.get(code) if isinstance(code, str) else None
    if kind is None:
        raise PayrollError(
            f"{where}: 알 수 없는 참여 제한 규칙 유형입니다 "
            f"(field 'code'는 {', '.join(types)} 중 하나여야 합니다)"
        )
    if isinstance(row.get("settings"), Mapping):  # a stored row may nest its settings
        row = {**row["settings"], **{k: v for k, v in row.items() if k != "settings"}}

    programs = row.get("programs")
    if isinstance(programs, str):
        programs = [programs]
    if (
        not isinstance(programs, Iterable)
        or not (programs := list(programs))
        or not all(isinstance(p, str) and p.strip() for p in programs)
    ):
        raise PayrollError(f"{where}: field 'programs' must be a non-empty list of program codes")

    enabled = row.get("enabled", True)
    if not isinstance(enabled, bool):
        raise PayrollError(f"{where}: field 'enabled' must be true or false, got {enabled!r}")

    message = row.get("message")
    if not isinstance(message, str) or not message.strip():
        raise PayrollError(f"{where}: field 'message' is required")

    rule = LimitRule(
        code=code,
        programs=frozenset(p.strip() for p in programs),
        message=message,
        enabled=enabled,
        settings=MappingProxyType({**DEFAULT_SETTINGS, **kind.parse(row, where)}),
    )
    try:
        rule.render(sorted(rule.programs)[0])
    except (KeyError, IndexError, ValueError) as exc:
        raise PayrollError(f"{where}: field 'message' has a bad placeholder: {exc}") from None
    return rule
