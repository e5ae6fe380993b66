"""Severance review (퇴직금 검토, how-pay-is-calculated.md §15): service chains, estimate.

A chain is one participant's enrollments (with one district) at 15 hours a week or more,
each starting at most 31 days after the previous one ended. A chain whose first start to
last end spans 365 days or more is listed with an estimate: the average daily wage (the
wages of the last three calendar months of the chain, divided by those months' days) ×
30 × chain days / 365. The review pays nothing; the district decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from payroll.domain.calendar import add_months, days_in_month, month_code

MAX_GAP_DAYS = 31
MIN_SPAN_DAYS = 365
MIN_WEEKLY_HOURS = Decimal(15)


@dataclass(frozen=True)
class Service:
    """One enrollment as severance counts it."""

    ref: str  # how it is named: "dongheng 2025-H1"
    start: date
    end: date
    weekly_hours: Decimal


@dataclass(frozen=True)
class Chain:
    """Continuous service: enrollments in order."""

    services: tuple[Service, ...]

    @property
    def start(self) -> date:
        return self.services[0].start

    @property
    def end(self) -> date:
        return self.services[-1].end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def chains(services: Sequence[Service]) -> list[Chain]:
    """The continuous chains of one participant's enrollments (any length)."""
    ordered = sorted(
        (s for s in services if s.weekly_hours >= MIN_WEEKLY_HOURS), key=lambda s: s.start
    )
    out: list[list[Service]] = []
    for service in ordered:
        if out and (service.start - out[-1][-1].end).days <= MAX_GAP_DAYS:
            out[-1].append(service)
        else:
            out.append([service])
    return [Chain(tuple(c)) for c in out]


def reviewable(services: Sequence[Service]) -> list[Chain]:
    """Chains spanning 365 days or more."""
    return [c for c in chains(services) if c.days >= MIN_SPAN_DAYS]


def wage_months(end: date) -> tuple[str, str, str]:
    """The last three calendar months of a chain ending on ``end``: E's month and the two
    before when E is its month's last day, else the three months before E's month."""
    last = date(end.year, end.month, 1)
    if end.day != days_in_month(end.year, end.month):
        last = add_months(last, -1)
    return tuple(month_code(add_months(last, -k)) for k in (2, 1, 0))  # type: ignore[return-value]


@dataclass(frozen=True)
class Estimate:
    months: tuple[str, ...]
    wages: int  # won paid for those months
    month_days: int
    daily_wage: Decimal  # won, two decimals, rounded down
    severance: int  # won, rounded down


def estimate(chain: Chain, wages_by_month: Mapping[str, int]) -> Estimate | None:
    """The §15 estimate, or None when no wage is known for the three months."""
    months = wage_months(chain.end)
    known = [m for m in months if m in wages_by_month]
    if not known:
        return None
    wages = sum(wages_by_month[m] for m in known)
    days = sum(days_in_month(int(m[:4]), int(m[5:])) for m in known)
    daily = (Decimal(wages) / days).quantize(Decimal("0.01"), ROUND_DOWN)
    amount = (Decimal(wages) / days * 30 * chain.days / 365).to_integral_value(ROUND_DOWN)
    return Estimate(tuple(known), wages, days, daily, int(amount))
