"""4대보험 자격취득·상실 신고 자료: national pension, health, employment and
industrial-accident insurance, one row per enrollment start (취득) or end (상실).

Which insurances apply follows the payroll's own rules (§9, §10): pension and health only
for an enrollment of one month or more scheduled for 60 hours a month or more, pension
only from 18 to 59 on S; employment insurance always, for someone 65 or older on S only
the job-stability part (실업급여 적용 제외); industrial accident always. The loss codes
per end reason are data (``payroll/data/loss_reasons.toml``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from payroll.domain.calendar import age_on
from payroll.domain.deductions import (
    EMPLOYMENT_INSURANCE_MAX_AGE,
    MIN_MONTHLY_HOURS,
    PENSION_MAX_AGE,
    PENSION_MIN_AGE,
    monthly_scheduled_hours,
    shorter_than_one_month,
)
from payroll.domain.labels import end_reason_label
from payroll.formats.reports.sheet import Sheet

COMMON = ("번호", "자치구", "성명", "주민등록번호")
ACQUISITION_HEADERS = (
    *COMMON,
    "자격취득일",
    "사업",
    "직종",
    "주소정근로시간",
    "계약종료연월",
    "국민연금 적용",
    "국민연금 취득부호",
    "국민연금 기준소득월액",
    "건강보험 적용",
    "건강보험 보수월액",
    "고용보험 적용",
    "고용보험 월평균보수",
    "산재보험 월평균보수",
    "참여자번호",
)
LOSS_HEADERS = (
    *COMMON,
    "마지막 근무일",
    "자격상실일",
    "사업",
    "종료사유",
    "국민연금 상실부호",
    "건강보험 상실부호",
    "고용·산재 상실사유 코드",
    "당해연도 보수총액",
    "당해연도 근무개월수",
    "전년도 보수총액",
    "전년도 근무개월수",
    "신고 보수월액",
    "주소정근로시간",
    "비고",
    "참여자번호",
)
TERM_END = "사업기간 종료"
"""The reason of a loss of eligibility at the end of the term (no early end)."""


@dataclass(frozen=True)
class Enrolled:
    """An enrollment as the insurance forms need it."""

    district: str  # name
    participant_id: str
    name: str
    rrn: str
    birth_date: date
    program: str  # Korean name
    job: str
    start: date
    end: date
    weekly_hours: Decimal
    declared_pay: int  # D (§9)


@dataclass(frozen=True)
class Ended:
    """An enrollment's end with the pay totals the loss forms ask for."""

    enrolled: Enrolled
    reason: str | None  # None: the term ended
    note: str | None
    year_pay: int  # insurable pay of the loss year to the end
    year_months: int
    previous_year_pay: int
    previous_year_months: int


@dataclass(frozen=True)
class Coverage:
    pension: bool
    health: bool
    unemployment: bool  # False: 65 or older on S, job-stability part only


def coverage(e: Enrolled) -> Coverage:
    long_enough = not shorter_than_one_month(e.start, e.end)
    hours = monthly_scheduled_hours(e.weekly_hours) >= MIN_MONTHLY_HOURS
    age = age_on(e.birth_date, e.start)
    return Coverage(
        pension=long_enough and hours and PENSION_MIN_AGE <= age < PENSION_MAX_AGE,
        health=long_enough and hours,
        unemployment=age < EMPLOYMENT_INSURANCE_MAX_AGE,
    )


@lru_cache(maxsize=1)
def loss_codes() -> dict[str, dict[str, str]]:
    """reason (``term_end`` for None) → {pension, health, employment} codes."""
    text = resources.files("payroll.data").joinpath("loss_reasons.toml").read_text("utf-8")
    return dict(tomllib.loads(text)["reasons"])


def _hours(value: Decimal) -> int | str:
    return int(value) if value == int(value) else f"{value.normalize():f}"


def _yn(flag: bool) -> str:
    return "Y" if flag else "N"


def acquisition_sheet(rows: Sequence[Enrolled]) -> Sheet:
    out = []
    for number, e in enumerate(sorted(rows, key=_order), start=1):
        cover = coverage(e)
        out.append(
            [number, e.district, e.name, e.rrn, e.start, e.program, e.job, _hours(e.weekly_hours)]
            + [e.end.strftime("%Y-%m"), _yn(cover.pension), "01" if cover.pension else ""]
            + [e.declared_pay if cover.pension else "", _yn(cover.health)]
            + [e.declared_pay if cover.health else ""]
            + ["Y" if cover.unemployment else "Y (실업급여 제외: 65세 이후 고용)"]
            + [e.declared_pay, e.declared_pay, e.participant_id]
        )
    return Sheet(
        "4대보험 취득",
        ACQUISITION_HEADERS,
        out,
        text_columns=frozenset({"주민등록번호", "국민연금 취득부호", "참여자번호"}),
    )


def loss_sheet(rows: Sequence[Ended]) -> Sheet:
    out = []
    codes = loss_codes()
    for number, x in enumerate(sorted(rows, key=lambda x: _order(x.enrolled)), start=1):
        e = x.enrolled
        cover = coverage(e)
        code = codes[x.reason or "term_end"]
        note = x.note or ""
        if x.reason == "other" and not code.get("employment"):
            note = f"상실사유 확인 필요. {note}".strip()
        out.append(
            [number, e.district, e.name, e.rrn, e.end, e.end + timedelta(days=1), e.program]
            + [end_reason_label(x.reason, TERM_END)]
            + [code.get("pension", "") if cover.pension else ""]
            + [code.get("health", "") if cover.health else ""]
            + [code.get("employment", ""), x.year_pay, x.year_months]
            + [x.previous_year_pay, x.previous_year_months, e.declared_pay]
            + [_hours(e.weekly_hours), note, e.participant_id]
        )
    return Sheet(
        "4대보험 상실",
        LOSS_HEADERS,
        out,
        text_columns=frozenset(
            {
                "주민등록번호",
                "국민연금 상실부호",
                "건강보험 상실부호",
                "고용·산재 상실사유 코드",
                "참여자번호",
            }
        ),
    )


def _order(e: Enrolled) -> tuple[str, date, str]:
    return (e.district, e.start, e.participant_id)
