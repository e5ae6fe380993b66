"""The filing kinds (신고 자료 종류): one module each in ``filings/kinds/``, found here.

A kind declares once what it is: its name on the command line and in the console's
URLs, its Korean title, its parameters (:class:`Param`: turned into the options of
``payroll report KIND`` and read from the console's form by the same :func:`parse`),
whether it can carry full resident numbers, whether the receiving system takes CSV, how
the console offers it and whether the month's scheduled job writes it, and the function
that builds it. The CLI, the console's filing screen, the scheduler and the docs iterate
:func:`kinds`; a new filing is one module in ``kinds/`` (and a sheet writer in
``formats/reports/`` if it has a new layout).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from payroll.formats.reports.sheet import Sheet
from payroll.formats.tabular import parse_date
from payroll.services.common.discovery import declared_kinds
from payroll.services.filings.reads import Filing, FilingError
from payroll.services.unit_of_work import UnitOfWork

ParamType = Literal["text", "date", "run"]
Form = Literal["month", "period", "run"]
"""How the console offers a kind: a button for the page's month, a from–to form, or a
button per run of the month."""
Values = Mapping[str, Any]


class ParamError(FilingError):
    """A parameter the filing cannot read (the message names it and the value)."""


@dataclass(frozen=True)
class Param:
    """One parameter of a filing: ``--name`` on the command line, ``name`` in the form."""

    name: str
    label: str  # Korean, in the console's messages
    help: str  # the option's help line
    type: ParamType = "text"
    required: bool = False  # on the command line

    @property
    def option(self) -> str:
        return f"--{self.name}"


@dataclass(frozen=True)
class FilingKind:
    """One filing kind, declared in its module under ``filings/kinds/``."""

    kind: str  # command name, URL part, audit and file name
    title: str  # Korean
    help_line: str  # Korean, the first line of ``payroll report KIND --help``
    summary: str  # the command's help
    button: str  # the console's button (after the month for a monthly one)
    params: tuple[Param, ...]
    build: Callable[[UnitOfWork, Values, bool], Filing]  # (uow, parsed params, full RRNs)
    form: Form
    full_rrn: bool = False  # can carry full resident numbers (else it has none)
    csv: bool = False  # the receiving system takes CSV
    choose_format: bool = False  # `payroll report` offers --format
    monthly: bool = False  # written by the month's scheduled filings job
    order: int = 0  # place in lists (CLI help, console, docs)

    def takes(self, name: str) -> bool:
        """Whether the kind has the parameter ``name`` (the console's forms ask)."""
        return any(param.name == name for param in self.params)

    def filing(
        self,
        scope: str,
        sheets: list[Sheet],
        people: int,
        name: str,
        full: bool = False,
    ) -> Filing:
        """The built filing: ``<kind>-<name>.xlsx``, RRNs in full, masked or absent."""
        rrn = ("full" if full else "masked") if self.full_rrn else "none"
        return Filing(
            self.kind,
            scope,
            sheets,
            people,
            rrn,
            csv_ok=self.csv,
            default_name=f"{self.kind}-{name}.xlsx",
        )


def parse(kind: FilingKind, raw: Mapping[str, str | None], named: str = "label") -> dict[str, Any]:
    """The parameters of ``kind`` read from text (the CLI's options, the console's form).

    Blank text is None (the builder says what is missing); a date that is not one is a
    :class:`ParamError` naming it by its ``--option`` (``named="option"``) or Korean label.
    """
    values: dict[str, Any] = {}
    for param in kind.params:
        text = (raw.get(param.name) or "").strip() or None
        name = param.option if named == "option" else param.label
        if param.type == "date":
            try:
                values[param.name] = parse_date(text or "")
            except ValueError as exc:
                raise ParamError(f"{name} {text or ''!r}: {exc}") from None
        else:
            values[param.name] = text
    return values


@cache
def _registry() -> dict[str, FilingKind]:
    from payroll.services.filings import kinds as package

    return declared_kinds(package)


def kinds() -> list[FilingKind]:
    """Every filing kind, in the order lists show them."""
    return list(_registry().values())


def kind_of(name: str) -> FilingKind | None:
    return _registry().get(name)
