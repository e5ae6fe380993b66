"""A pay context derives each value once: the month's days, weeks and rates are computed
the first time a rule reads them, then read back, and another month gets its own."""

from __future__ import annotations

from dataclasses import dataclass

from payroll.domain.derived import derived
from payroll.domain.engine import PayContext
from tests.support.pay import CALENDAR, FAKE_TAX, RATES, enrollment


@dataclass(frozen=True)
class Counted:
    base: int
    calls: list[int]

    @derived
    def doubled(self) -> int:
        """Twice the base."""
        self.calls.append(self.base)
        return self.base * 2


def test_a_derived_value_is_computed_once_per_record() -> None:
    calls: list[int] = []
    one, other = Counted(3, calls), Counted(5, calls)
    assert (one.doubled, one.doubled, other.doubled, other.doubled) == (6, 6, 10, 10)
    assert calls == [3, 5]


def test_the_descriptor_keeps_the_method_name_and_doc_on_the_class() -> None:
    assert Counted.doubled.name == "doubled"
    assert Counted.doubled.__doc__ == "Twice the base."


def test_another_month_of_the_same_context_derives_its_own_values() -> None:
    march = PayContext(enrollment(), [], "2025-03", RATES, CALENDAR, FAKE_TAX)
    first = march.days
    april = march.in_month("2025-04")
    assert march.days is first
    assert april.month_range != march.month_range
    assert {d.day.month for d in april.days} == {4}
    assert {d.day.month for d in first} == {3}
