"""Names instead of codes where a user reads them: programs, districts, roles, terms and
the sentences of limit rules, for screens (the stores keep the codes)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from payroll.domain.labels import term_name
from payroll.services.common.access import ROLE_LABELS, Role
from payroll.services.unit_of_work import UnitOfWork

__all__ = ["Names", "names", "role_name", "term_name"]


class Names:
    """The catalog's district and program names, with the replacements screens need."""

    def __init__(self, districts: Mapping[str, str], programs: Mapping[str, str]) -> None:
        self.districts = dict(districts)
        self.programs = dict(programs)

    def district(self, code: str) -> str:
        return self.districts.get(code, code)

    def program(self, code: str) -> str:
        return self.programs.get(code, code)

    def in_text(self, text: str) -> str:
        """``text`` with every program code standing alone replaced by its name."""
        if not self.programs:
            return text
        pattern = r"(?<![\w-])(" + "|".join(map(re.escape, self.programs)) + r")(?![\w-])"
        return re.sub(pattern, lambda m: self.programs[m.group(1)], text)

    def limit_sentence(self, rule: Mapping[str, Any]) -> str:
        """A catalog limit row's message with its values and program names filled in."""
        programs = [self.program(p) for p in rule.get("programs", ())]
        values: dict[str, Any] = {k: v for k, v in rule.items() if k != "message"}
        values["program"] = " · ".join(programs)
        values["programs"] = ", ".join(programs)
        return str(rule.get("message", "")).format_map(_Blank(values))


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def names(uow: UnitOfWork) -> Names:
    """The stored district and program names."""
    with uow:
        return Names(uow.names.districts(), uow.names.programs())


def role_name(role: str) -> str:
    """``district_clerk`` → ``담당``."""
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return role
