"""The withholding table (근로소득 간이세액표) and its lookup (how-pay-is-calculated.md §9).

The table is read in the National Tax Service's published layout: each data row is
monthly pay "이상" (from, inclusive) and "미만" (to, exclusive) in thousands of won,
then the monthly tax in won for 1 … 11 dependants (공제대상가족의 수). Title, header and
note rows (first two cells not both numbers) are skipped. Pure: no file I/O here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property

from payroll.domain.model import PayrollError

MAX_DEPENDANTS = 11
"""The table's last dependants column."""

TAX_FREE_BELOW = 1_060_000
"""§9: no income tax below this monthly taxable pay, whatever the table says."""

Cell = str | int | float | Decimal | None


class WithholdingTableError(PayrollError):
    """A withholding-table file the loader refuses; the message names row and reason."""


@dataclass(frozen=True)
class WithholdingRow:
    """One pay band: ``low`` ≤ pay < ``high`` (won) and the tax for 1 … 11 dependants."""

    low: int
    high: int
    taxes: tuple[int, ...]  # taxes[0] is for 1 dependant, taxes[10] for 11


def _number(cell: Cell) -> Decimal | None:
    """A cell as a number: ``"1,060"`` -> 1060, ``"-"``/blank -> None, text -> error."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError(f"{cell!r} is not a number")
    if isinstance(cell, Decimal):
        return cell
    if isinstance(cell, int):
        return Decimal(cell)
    text = str(cell).strip().replace(",", "")  # float: str() keeps its shortest repr
    if text in ("", "-", "−", "–"):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{str(cell).strip()!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{str(cell).strip()!r} is not a number")
    return value


def _is_number(cell: Cell) -> bool:
    try:
        return _number(cell) is not None
    except ValueError:
        return False


def _whole(value: Decimal | None, what: str) -> int:
    """A non-negative whole number (blank -> 0)."""
    if value is None:
        return 0
    if value != value.to_integral_value() or value < 0:
        raise ValueError(f"{what} {value} is not a non-negative whole number")
    return int(value)


@dataclass(frozen=True)
class WithholdingTable:
    """The withholding table: pay bands sorted by ``low``, contiguous, and their taxes."""

    rows: tuple[WithholdingRow, ...]
    source: str

    def __post_init__(self) -> None:
        if not self.rows:
            raise WithholdingTableError(f"{self.source}: the table has no data rows")
        for before, after in zip(self.rows, self.rows[1:], strict=False):
            if after.low != before.high:
                raise WithholdingTableError(
                    f"{self.source}: band {after.low // 1000:,}–{after.high // 1000:,}천원 "
                    f"does not follow band {before.low // 1000:,}–{before.high // 1000:,}천원 "
                    "(bands must be contiguous, without gaps or overlaps)"
                )

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Cell]], source: str) -> WithholdingTable:
        """Read the NTS layout; row numbers in errors count from 1 over ``rows``."""
        parsed: list[tuple[int, WithholdingRow]] = []
        for number, row in enumerate(rows, start=1):
            if len(row) < 2 or not (_is_number(row[0]) and _is_number(row[1])):
                continue  # title, header, note or blank row
            try:
                parsed.append((number, _parse_row(row)))
            except ValueError as exc:
                raise WithholdingTableError(f"{source}, row {number}: {exc}") from None
        parsed.sort(key=lambda item: item[1].low)
        for (_, before), (number, after) in zip(parsed, parsed[1:], strict=False):
            if after.low != before.high:
                gap = "overlaps" if after.low < before.high else "leaves a gap after"
                raise WithholdingTableError(
                    f"{source}, row {number}: band {after.low // 1000:,}–"
                    f"{after.high // 1000:,}천원 {gap} band {before.low // 1000:,}–"
                    f"{before.high // 1000:,}천원"
                )
        return cls(rows=tuple(row for _, row in parsed), source=source)

    def to_rows(self) -> list[list[int]]:
        """The rows back in the NTS layout (thousands, then won); ``from_rows`` reads them."""
        return [[row.low // 1000, row.high // 1000, *row.taxes] for row in self.rows]

    @cached_property
    def _lows(self) -> list[int]:
        """Each band's ``low``, for bisecting (the rows are sorted by it)."""
        return [row.low for row in self.rows]

    def tax(self, taxable_pay: int, dependents: int) -> int:
        """Monthly income tax in won for ``taxable_pay`` won and ``dependents``.

        Pay below 1,060,000 won or below the first band: 0. Fewer than 1 dependant
        counts as 1. More than 11 follows the table's own note: the 11-dependant tax
        less (10-dependant tax − 11-dependant tax) for each dependant over 11, not
        below 0. Pay at or above the last band's end is an error (the table's
        formula for pay over 10,000천원 is not implemented).
        """
        if taxable_pay < TAX_FREE_BELOW or taxable_pay < self.rows[0].low:
            return 0
        last = self.rows[-1]
        if taxable_pay >= last.high:
            raise PayrollError(
                f"monthly taxable pay {taxable_pay:,} is beyond the withholding table "
                f"({self.source} covers pay below {last.high:,} won)"
            )
        index = bisect_right(self._lows, taxable_pay) - 1
        taxes = self.rows[index].taxes
        if dependents <= MAX_DEPENDANTS:
            return taxes[max(dependents, 1) - 1]
        step = taxes[MAX_DEPENDANTS - 2] - taxes[MAX_DEPENDANTS - 1]
        return max(taxes[MAX_DEPENDANTS - 1] - step * (dependents - MAX_DEPENDANTS), 0)


def _parse_row(row: Sequence[Cell]) -> WithholdingRow:
    """One data row; raises ``ValueError`` with the reason."""
    low = _whole(_number(row[0]), "pay from (이상)") * 1000
    high = _whole(_number(row[1]), "pay to (미만)") * 1000
    if high <= low:
        raise ValueError(
            f"pay to (미만) {high // 1000:,} is not above pay from (이상) {low // 1000:,}"
        )
    cells = row[2 : 2 + MAX_DEPENDANTS]
    if len(cells) < MAX_DEPENDANTS:
        raise ValueError(
            f"{len(cells)} tax columns, the table needs {MAX_DEPENDANTS} (1 … 11 dependants)"
        )
    taxes = []
    for dependants, cell in enumerate(cells, start=1):
        try:
            taxes.append(_whole(_number(cell), "tax"))
        except ValueError as exc:
            raise ValueError(f"tax for {dependants} dependant(s): {exc}") from None
    return WithholdingRow(low=low, high=high, taxes=tuple(taxes))
