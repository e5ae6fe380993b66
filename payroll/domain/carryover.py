"""Carried-over pay (미지급분·반환 재지급·환수, how-pay-is-calculated.md §17): a month's
pay settled in a later run.

A *carryover* is won that belongs to one month of an enrollment (``ref_month``) but is paid
or recovered in a later run of the same enrollment, beside the §16 retro lines:

- ``held`` (지급 보류): a participant held out of a run (no account, a dispute) has the
  month calculated and kept; it is paid once a manager releases it, or in the
  enrollment's final month at the latest. Like a retro line, the taxable part is paid as
  ``held_pay`` (taxable, insurable) and the meal allowance as ``held_expense_allowance``
  (non-taxable), each naming the month it belongs to.
- ``returned`` (반환): a transfer the bank sent back. Its deductions were withheld in its
  own month, so the net amount is paid again as ``returned_pay`` (non-taxable).
- ``recovery`` (환수): a finalized month that an early end or a correction lowered. The
  overpaid amount is recovered as negative ``overpayment_recovery`` (taxable part) and
  ``overpayment_recovery_expense`` (non-taxable part) lines, never more than leaves net
  pay at zero; the rest stays owed for the next run.

``settled`` adds up what finalized runs paid (or recovered), so each amount is paid once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from payroll.domain.model import Adjustment
from payroll.domain.money import won

HELD_CODE = "held_pay"
HELD_EXPENSE_CODE = "held_expense_allowance"
RETURNED_CODE = "returned_pay"
RECOVERY_CODE = "overpayment_recovery"
RECOVERY_EXPENSE_CODE = "overpayment_recovery_expense"
CARRY_CODES = (HELD_CODE, HELD_EXPENSE_CODE, RETURNED_CODE, RECOVERY_CODE, RECOVERY_EXPENSE_CODE)

TAXABLE_CARRY_CODES = frozenset({HELD_CODE, RECOVERY_CODE})
"""Carried-over lines counted in taxable (and insurable) pay; the others are non-taxable."""


class CarryKind(StrEnum):
    """Why an amount is carried over."""

    HELD = "held"
    RETURNED = "returned"
    RECOVERY = "recovery"

    @property
    def korean(self) -> str:
        return KIND_NAMES[self]


KIND_NAMES: dict[CarryKind, str] = {
    CarryKind.HELD: "지급 보류",
    CarryKind.RETURNED: "이체 반환",
    CarryKind.RECOVERY: "환수",
}

CODE_KIND: dict[str, CarryKind] = {
    HELD_CODE: CarryKind.HELD,
    HELD_EXPENSE_CODE: CarryKind.HELD,
    RETURNED_CODE: CarryKind.RETURNED,
    RECOVERY_CODE: CarryKind.RECOVERY,
    RECOVERY_EXPENSE_CODE: CarryKind.RECOVERY,
}


@dataclass(frozen=True)
class Carryover:
    """A stored carryover (the columns' names); amounts in won, recovery negative."""

    id: int
    enrollment_id: int
    kind: CarryKind
    ref_month: str
    taxable: int
    non_taxable: int
    reason: str = ""
    settled: int = 0
    source_run_id: int | None = None
    released_by: str | None = None
    written_off_by: str | None = None
    written_off_reason: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, CarryKind):
            object.__setattr__(self, "kind", CarryKind(self.kind))

    @property
    def total(self) -> int:
        return self.taxable + self.non_taxable

    @property
    def outstanding(self) -> int:
        """What is still to pay (negative: to recover); zero once settled or written off."""
        return 0 if self.written_off_by else self.total - self.settled

    def due_in(self, month: str, final_month: bool) -> bool:
        """Whether the run of ``month`` settles it: a later month, something outstanding,
        and a held month only once released or in the enrollment's final month."""
        if self.ref_month >= month or self.outstanding == 0:
            return False
        return self.kind is not CarryKind.HELD or bool(self.released_by) or final_month


def payment_adjustments(items: Sequence[Carryover]) -> list[Adjustment]:
    """The positive lines (held, returned) for ``items`` due in a run, by month."""
    lines: list[Adjustment] = []
    for item in sorted(items, key=lambda c: (c.ref_month, c.id)):
        left = item.outstanding
        if item.kind is CarryKind.HELD and left > 0:
            taxable = min(left, item.taxable)
            if taxable:
                lines.append(
                    Adjustment(
                        HELD_CODE, taxable, _explain(item, "보류분 과세"), True, item.ref_month
                    )
                )
            if left - taxable:
                lines.append(
                    Adjustment(
                        HELD_EXPENSE_CODE,
                        left - taxable,
                        _explain(item, "보류분 비과세"),
                        False,
                        item.ref_month,
                    )
                )
        elif item.kind is CarryKind.RETURNED and left > 0:
            lines.append(
                Adjustment(RETURNED_CODE, left, _explain(item, "반환액"), False, item.ref_month)
            )
    return lines


def recovery_adjustments(items: Sequence[Carryover], net: int) -> list[Adjustment]:
    """Negative lines recovering ``items`` from a month whose net pay is ``net`` before them.

    At most ``net`` is recovered (oldest month first, its taxable part first), so net pay
    stays at or above zero: lowering taxable pay never raises the deductions.
    """
    room = max(net, 0)
    lines: list[Adjustment] = []
    for item in sorted(items, key=lambda c: (c.ref_month, c.id)):
        owed = -item.outstanding
        if item.kind is not CarryKind.RECOVERY or owed <= 0 or room <= 0:
            continue
        take = min(owed, room)
        room -= take
        taxable_owed = max(-item.taxable - max(-item.settled, 0), 0)
        taxable = min(take, taxable_owed)
        rest = f" (남은 환수액 {won(owed - take)})" if owed > take else ""
        if taxable:
            lines.append(
                Adjustment(
                    RECOVERY_CODE,
                    -taxable,
                    _explain(item, f"환수 {won(owed)} 중 {won(taxable)}") + rest,
                    True,
                    item.ref_month,
                )
            )
        if take - taxable:
            lines.append(
                Adjustment(
                    RECOVERY_EXPENSE_CODE,
                    -(take - taxable),
                    _explain(item, f"환수(실비) {won(take - taxable)}") + rest,
                    False,
                    item.ref_month,
                )
            )
    return lines


def settle(
    items: Sequence[Carryover], kind: CarryKind, ref_month: str, paid: int
) -> dict[int, int]:
    """How much of ``paid`` (a run's lines of ``kind`` for ``ref_month``; negative for a
    recovery) settles each of ``items``, oldest first: carryover id → amount to add to its
    ``settled``."""
    out: dict[int, int] = {}
    left = paid
    for item in sorted(items, key=lambda c: c.id):
        if item.kind is not kind or item.ref_month != ref_month or item.written_off_by:
            continue
        outstanding = item.total - item.settled
        share = max(min(left, outstanding), 0) if paid >= 0 else min(max(left, outstanding), 0)
        if share:
            out[item.id] = share
            left -= share
    return out


def _explain(item: Carryover, what: str) -> str:
    return f"{item.ref_month}분 {what}: {item.reason}".rstrip(": ")
