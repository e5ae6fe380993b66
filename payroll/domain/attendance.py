"""Attendance by exception (근태, how-pay-is-calculated.md §4): schedule, scheduled days, checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from payroll.domain.annual_leave import leave_accruals
from payroll.domain.calendar import HolidayCalendar, scheduled_days
from payroll.domain.hours import MAX_DAY_HOURS
from payroll.domain.model import (
    WEEKDAY_CODES,
    AttendanceError,
    AttendanceRecord,
    Enrollment,
    Program,
    Status,
)
from payroll.domain.part_time import no_leave_reason, under_15_hours


@dataclass(frozen=True)
class Schedule:
    """An enrollment's working schedule (근무 일정): S to E, daily hours H, weekdays."""

    participant_id: str
    start: date
    end: date
    daily_hours: Decimal
    weekdays: frozenset[int]

    @property
    def weekly_hours(self) -> Decimal:
        """Scheduled hours a week (주 소정근로시간): H × scheduled weekdays."""
        return self.daily_hours * len(self.weekdays)

    def is_scheduled(self, day: date) -> bool:
        """A scheduled day (§3): in [S, E] on a schedule weekday."""
        return self.start <= day <= self.end and day.weekday() in self.weekdays

    def weekday_names(self) -> str:
        return ",".join(WEEKDAY_CODES[d] for d in sorted(self.weekdays))


STATUS_KO = {"worked": "근무", "absent": "결근", "annual_leave": "연차", "official_leave": "공가"}
"""Korean names of the attendance statuses, for messages."""


def schedule_of(enrollment: Enrollment, program: Program) -> Schedule:
    """The enrollment's schedule, the program's daily hours and weekdays by default."""
    return Schedule(
        participant_id=enrollment.participant_id,
        start=enrollment.start,
        end=enrollment.end,
        daily_hours=(
            enrollment.daily_hours if enrollment.daily_hours is not None else program.daily_hours
        ),
        weekdays=enrollment.weekdays if enrollment.weekdays is not None else program.weekdays,
    )


@dataclass(frozen=True)
class ScheduledDay:
    """One scheduled day as attended: paid holiday or workday, and what happened on it.

    ``status`` is None on a paid holiday (유급휴일) with no record: a rest day, paid.
    A workday with no record was worked for the full daily hours.
    """

    day: date
    holiday: str | None
    status: Status | None
    hours: Decimal  # hours worked; 0 unless status is WORKED
    # Derived once here, since every earnings rule asks them of every day.
    paid_holiday: bool = field(init=False, repr=False, compare=False)
    worked: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "paid_holiday", self.holiday is not None)
        object.__setattr__(self, "worked", self.status is Status.WORKED)


def records_by_day(attendance: Iterable[AttendanceRecord]) -> dict[date, AttendanceRecord]:
    """Records keyed by date (validation rejects duplicates beforehand)."""
    return {record.day: record for record in attendance}


def scheduled_days_between(
    schedule: Schedule,
    records: Mapping[date, AttendanceRecord],
    calendar: HolidayCalendar,
    start: date,
    end: date,
) -> list[ScheduledDay]:
    """Each scheduled day in [start, end] ∩ [S, E], resolved against the records."""
    first, last = max(start, schedule.start), min(end, schedule.end)
    hours = schedule.daily_hours
    unrecorded = _unrecorded_days(calendar, first, last, schedule.weekdays, hours, repr(hours))
    return [
        _as_recorded(day, records[day.day]) if day.day in records else day for day in unrecorded
    ]


@lru_cache(maxsize=1024)
def _unrecorded_days(
    calendar: HolidayCalendar,
    first: date,
    last: date,
    weekdays: frozenset[int],
    daily_hours: Decimal,
    exact_hours: str,
) -> tuple[ScheduledDay, ...]:
    """The scheduled days of [first, last] with no record: a paid holiday is a paid rest day,
    any other day was worked for the full daily hours.

    Shared between participants (the days are immutable); ``exact_hours`` (the repr of
    ``daily_hours``) keeps 6 and 6.00 hours apart, which the cache would otherwise merge.
    """
    holidays = calendar.holidays_between(first, last)
    days = []
    for day in scheduled_days(first, last, weekdays):
        holiday = holidays.get(day)
        status = None if holiday else Status.WORKED
        hours = Decimal(0) if holiday else daily_hours
        days.append(ScheduledDay(day, holiday, status, hours))
    return tuple(days)


def _as_recorded(day: ScheduledDay, record: AttendanceRecord) -> ScheduledDay:
    """The scheduled day as its record says it went."""
    hours = record.hours if record.status is Status.WORKED and record.hours else Decimal(0)
    return ScheduledDay(day.day, day.holiday, record.status, hours)


def absent_dates(attendance: Iterable[AttendanceRecord]) -> frozenset[date]:
    """Dates recorded ``absent`` (결근)."""
    return frozenset(r.day for r in attendance if r.status is Status.ABSENT)


def validate(
    schedule: Schedule, attendance: Sequence[AttendanceRecord], calendar: HolidayCalendar
) -> None:
    """Reject a record that §4 refuses, naming participant, date and reason.

    A paid holiday is a scheduled day, so ``worked`` on it is accepted (휴일근로); any other
    status on a paid holiday is refused, since there is no workday to be absent from or to
    take leave on.
    """
    who = schedule.participant_id
    seen: set[date] = set()
    for record in sorted(attendance, key=lambda r: r.day):
        day = record.day
        if day in seen:
            raise AttendanceError(who, day, "같은 날짜에 기록이 둘 이상입니다")
        seen.add(day)
        if not schedule.start <= day <= schedule.end:
            raise AttendanceError(
                who,
                day,
                f"참여 기간({schedule.start.isoformat()} ~ {schedule.end.isoformat()}) "
                "밖의 날짜입니다",
            )
        if day.weekday() not in schedule.weekdays:
            raise AttendanceError(
                who,
                day,
                f"근무하는 요일이 아닙니다 ({WEEKDAY_CODES[day.weekday()]}; 근무 요일 "
                f"{schedule.weekday_names()})",
            )
        _check_hours(who, record)
        holiday = calendar.name(day)
        if holiday and record.status is not Status.WORKED:
            raise AttendanceError(
                who,
                day,
                f"유급휴일({holiday})에는 "
                f"{STATUS_KO.get(record.status.value, record.status.value)}을(를) "
                "적을 수 없습니다. 휴일에는 근무만 적습니다",
            )
    _check_leave(schedule, attendance)


def _check_hours(who: str, record: AttendanceRecord) -> None:
    if record.status is Status.WORKED:
        if record.hours is None:
            raise AttendanceError(who, record.day, "근무에는 근무 시간이 필요합니다", "hours")
        if record.hours < 0:
            raise AttendanceError(who, record.day, f"시간이 음수입니다 ({record.hours})", "hours")
        if record.hours > MAX_DAY_HOURS:
            raise AttendanceError(
                who, record.day, f"하루 24시간을 넘습니다 ({record.hours})", "hours"
            )
    elif record.hours is not None:
        raise AttendanceError(
            who,
            record.day,
            f"{STATUS_KO.get(record.status.value, record.status.value)}에는 시간을 적지 않습니다 "
            "(시간은 근무에만)",
            "hours",
        )


def _check_leave(schedule: Schedule, attendance: Sequence[AttendanceRecord]) -> None:
    """Each ``annual_leave`` needs a day accrued on or before it and not used before it (§8);
    a schedule under 15 hours a week has no leave at all (v3), refused by name of the rule."""
    leave_days = sorted(r.day for r in attendance if r.status is Status.ANNUAL_LEAVE)
    if not leave_days:
        return
    if under_15_hours(schedule.weekly_hours):
        raise AttendanceError(
            schedule.participant_id, leave_days[0], no_leave_reason(schedule.weekly_hours)
        )
    accrued = leave_accruals(
        schedule.start, schedule.end, schedule.weekly_hours, absent_dates(attendance)
    )
    for used, day in enumerate(leave_days):
        available = sum(1 for a in accrued if a <= day) - used
        if available < 1:
            raise AttendanceError(
                schedule.participant_id,
                day,
                f"남은 연차가 없습니다 (이 날까지 발생 {available + used}일 중 {used}일 사용)",
            )
