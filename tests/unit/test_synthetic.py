"""The synthetic-data generator (payroll/demo/synthetic.py): determinism, formats and rules."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from payroll.demo.synthetic import (
    ATTENDANCE_COLUMNS,
    HISTORY_COLUMNS,
    OVERRIDE_COLUMN,
    ROSTER_COLUMNS,
    SyntheticCity,
    check_digit,
    default_month,
    generate_city,
    write_city,
)
from payroll.domain.calendar import HolidayCalendar, age_on, month_range
from payroll.domain.engine import validate_attendance
from payroll.domain.limits import Candidate, PastEnrollment, check_enrollment, parse_rules
from payroll.domain.model import AttendanceRecord, Enrollment, Status
from payroll.reference.catalog import shipped_catalog

CATALOG = shipped_catalog()
BOOK = CATALOG.rate_book
CALENDAR = HolidayCalendar()
N = 3000


@pytest.fixture(scope="module")
def city() -> SyntheticCity:
    return generate_city(N, 25, seed=42)


@pytest.fixture(scope="module")
def city_with_overrides() -> SyntheticCity:
    return generate_city(N, 25, seed=42, with_overrides=True)


def enrollment_dates(row: dict[str, str]) -> tuple[date, date]:
    term = BOOK.term(row["program"], row["term"])
    start = date.fromisoformat(row["start"]) if row["start"] else term.start
    end = date.fromisoformat(row["end"]) if row["end"] else term.end
    return start, end


def enrollment_of(row: dict[str, str]) -> Enrollment:
    start, end = enrollment_dates(row)
    return Enrollment(
        participant_id=row["participant_id"],
        program=row["program"],
        start=start,
        end=end,
        birth_date=date.fromisoformat(row["birth_date"]),
        dependents=int(row["dependents"]),
        daily_hours=Decimal(row["daily_hours"]) if row["daily_hours"] else None,
    )


def record_of(row: dict[str, str]) -> AttendanceRecord:
    return AttendanceRecord(
        day=date.fromisoformat(row["date"]),
        status=Status(row["status"]),
        hours=Decimal(row["hours"]) if row["hours"] else None,
    )


# --- determinism and files -----------------------------------------------------------------


def _bytes(paths: dict[str, Path]) -> dict[str, bytes]:
    return {name: path.read_bytes() for name, path in paths.items()}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_same_seed_gives_identical_files(tmp_path: Path, fmt: str) -> None:
    first = write_city(generate_city(400, 5, seed=7), tmp_path / "a", fmt)  # type: ignore[arg-type]
    second = write_city(generate_city(400, 5, seed=7), tmp_path / "b", fmt)  # type: ignore[arg-type]
    assert set(first) == {"roster", "history", "attendance"}
    assert _bytes(first) == _bytes(second)
    assert first["roster"].name == f"roster.{fmt}"


def test_different_seed_gives_different_files(tmp_path: Path) -> None:
    first = _bytes(write_city(generate_city(400, 5, seed=7), tmp_path / "a"))
    second = _bytes(write_city(generate_city(400, 5, seed=8), tmp_path / "b"))
    assert all(first[name] != second[name] for name in first)


def test_roster_and_history_do_not_depend_on_the_month() -> None:
    march = generate_city(300, 4, seed=3, month="2025-03")
    april = generate_city(300, 4, seed=3, month="2025-04")
    assert march.roster == april.roster
    assert march.history == april.history
    assert march.attendance != april.attendance
    assert {r["date"][:7] for r in april.attendance} == {"2025-04"}


def test_default_month_is_march_2025(city: SyntheticCity) -> None:
    assert default_month() == "2025-03"
    assert city.month == "2025-03"


def test_csv_files_read_back_with_utf8_sig(city: SyntheticCity, tmp_path: Path) -> None:
    paths = write_city(city, tmp_path)
    for name, columns, rows in (
        ("roster", ROSTER_COLUMNS, city.roster),
        ("history", HISTORY_COLUMNS, city.history),
        ("attendance", ATTENDANCE_COLUMNS, city.attendance),
    ):
        raw = paths[name].read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
        with paths[name].open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            assert tuple(reader.fieldnames or ()) == columns
            assert list(reader) == rows


def test_xlsx_files_open_with_openpyxl(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    small = generate_city(120, 3, seed=5, with_overrides=True)
    paths = write_city(small, tmp_path, "xlsx", include_refused=True)
    assert set(paths) == {
        "roster",
        "history",
        "attendance",
        "refused_roster",
        "refused_history",
    }
    book = load_workbook(paths["roster"], read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == (*ROSTER_COLUMNS, OVERRIDE_COLUMN)
    got = [{k: v or "" for k, v in zip(rows[0], row, strict=True)} for row in rows[1:]]
    assert got == small.roster
    book = load_workbook(paths["attendance"], read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ATTENDANCE_COLUMNS
    assert len(rows) == len(small.attendance) + 1


# --- roster --------------------------------------------------------------------------------


def test_roster_count_columns_and_program_mix(city: SyntheticCity) -> None:
    assert len(city.roster) + len(city.refused_rows) == N
    assert all(tuple(row) == ROSTER_COLUMNS for row in city.roster)
    assert all(isinstance(v, str) for row in city.roster for v in row.values())
    ids = [row["participant_id"] for row in city.roster]
    assert len(set(ids)) == len(ids)
    everyone = city.roster + city.refused_rows
    programs = Counter(row["program"] for row in everyone)
    assert abs(programs["dongheng"] / N - 12_900 / 16_400) < 0.001  # exact quota
    terms = Counter((row["program"], row["term"]) for row in everyone)
    assert set(terms) == {("dongheng", "2025-H1"), ("dongheng", "2025-H2"), ("maeryeok", "2025")}
    assert abs(terms["dongheng", "2025-H1"] - terms["dongheng", "2025-H2"]) <= 1


def test_roster_fields(city: SyntheticCity) -> None:
    names = city.district_names
    assert len(city.districts) == 25 and names["11110"] == "종로구"
    banks = {"국민은행", "신한은행", "우리은행", "하나은행", "농협은행", "기업은행"}
    for row in city.roster:
        code = row["district"]
        assert code in names
        assert re.fullmatch(rf"{code}-\d{{5}}", row["participant_id"])
        assert re.fullmatch(r"[가-힣]{3,4}", row["name"])
        assert re.fullmatch(r"\d+(-\d+)+", row["account"])
        assert row["dependents"] in {"1", "2", "3", "4"}
        assert row["daily_hours"] in {"", "4", "5"}
        start, end = enrollment_dates(row)
        term = BOOK.term(row["program"], row["term"])
        assert term.start <= start <= end <= term.end
    assert banks <= {row["bank"] for row in city.roster}
    dependents = Counter(row["dependents"] for row in city.roster)
    assert dependents["1"] > len(city.roster) / 2
    assert Counter(row["name"][0] for row in city.roster).most_common(1)[0][0] == "김"
    late = {row["start"] for row in city.roster if row["program"] == "maeryeok"} - {""}
    assert "2025-04-01" in late
    assert sum(1 for row in city.roster if row["start"] or row["end"]) < len(city.roster) / 5


def test_participant_ids_count_per_district() -> None:
    small = generate_city(60, 2, seed=11)
    everyone = small.roster + small.refused_rows
    for code in small.districts:
        numbers = sorted(int(r["participant_id"][6:]) for r in everyone if r["district"] == code)
        assert numbers == list(range(1, len(numbers) + 1))


def test_everyone_is_18_or_older_on_the_start_date(city: SyntheticCity) -> None:
    ages: dict[str, list[int]] = defaultdict(list)
    for row in city.roster + city.refused_rows:
        start, _ = enrollment_dates(row)
        birth = date.fromisoformat(row["birth_date"])
        assert age_on(birth, start) >= 18, row
        term_start = BOOK.term(row["program"], row["term"]).start
        assert 18 <= age_on(birth, term_start) <= 80
        ages[row["program"]].append(age_on(birth, term_start))
    older = sum(1 for a in ages["dongheng"] if 50 <= a <= 75)
    assert older / len(ages["dongheng"]) > 0.6
    youth = sum(1 for a in ages["maeryeok"] if a <= 39)
    assert 0.55 < youth / len(ages["maeryeok"]) < 0.85


def test_resident_registration_numbers_are_valid(city: SyntheticCity) -> None:
    given = [row["rrn"] for row in city.roster]
    assert all(given) and len(set(given)) == len(given)  # everyone one, each a person
    checked = [row for row in city.roster if int(row["rrn"][-1]) == check_digit(
        row["rrn"].replace("-", "")[:12])]  # fmt: skip
    assert 0.06 < len(checked) / len(city.roster) < 0.3  # ~10 % by design, ~10 % by chance
    for row in city.roster:
        rrn = row["rrn"]
        assert re.fullmatch(r"\d{6}-\d{7}", rrn)
        digits = rrn.replace("-", "")
        birth = date.fromisoformat(row["birth_date"])
        assert digits[:6] == birth.strftime("%y%m%d")
        assert digits[6] in ("12" if birth.year < 2000 else "34")


def test_check_digit_known_value() -> None:
    # 900101-1234567 style worked by hand: weights 2..9,2..5 over 900101123456.
    first12 = "900101123456"
    total = sum(
        int(d) * w for d, w in zip(first12, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True)
    )
    assert check_digit(first12) == (11 - total % 11) % 10 == 8


def test_shared_households_are_h1_and_h2_of_one_district(city: SyntheticCity) -> None:
    members: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in city.roster:
        members[row["household"]].append(row)
    shared = [rows for rows in members.values() if len(rows) > 1]
    assert shared, "some households are shared"
    assert len(shared) < len(city.roster) * 0.03
    for rows in shared:
        assert len(rows) == 2
        assert {(r["program"], r["term"]) for r in rows} == {
            ("dongheng", "2025-H1"),
            ("dongheng", "2025-H2"),
        }
        assert rows[0]["district"] == rows[1]["district"]


# --- history and limits ------------------------------------------------------------------


def _history_by_participant(rows: list[dict[str, str]]) -> dict[str, list[PastEnrollment]]:
    found: dict[str, list[PastEnrollment]] = defaultdict(list)
    for i, row in enumerate(rows):
        found[row["participant_id"]].append(
            PastEnrollment(
                ref=f"history:{i}",
                participant_id=row["participant_id"],
                program=row["program"],
                start=date.fromisoformat(row["start"]),
                end=date.fromisoformat(row["end"]),
            )
        )
    return found


def test_histories_never_overlap(city: SyntheticCity) -> None:
    assert all(tuple(row) == HISTORY_COLUMNS for row in city.history)
    roster = {row["participant_id"]: row for row in city.roster + city.refused_rows}
    history = _history_by_participant(city.history + city.refused_history)
    assert set(history) <= set(roster)
    for pid, past in history.items():
        spans = sorted((e.start, e.end) for e in past)
        spans.append(enrollment_dates(roster[pid]))
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end < start, (pid, spans)
        assert all(s <= e for s, e in spans)
    dongheng = [r for r in city.roster if r["program"] == "dongheng"]
    with_past = sum(1 for r in dongheng if r["participant_id"] in history)
    assert 0.25 < with_past / len(dongheng) < 0.35


def test_history_respects_limits_except_for_breakers(city: SyntheticCity) -> None:
    rules = parse_rules(CATALOG.limits)
    history = _history_by_participant(city.history + city.refused_history)
    breakers = set(city.limit_breakers)
    broken: dict[str, set[str]] = {}
    for row in city.roster + city.refused_rows:
        start, end = enrollment_dates(row)
        candidate = Candidate(
            participant_id=row["participant_id"],
            program=row["program"],
            start=start,
            end=end,
            birth_date=date.fromisoformat(row["birth_date"]),
            household=row["household"],
        )
        found = check_enrollment(
            candidate, history.get(row["participant_id"], []), rules, BOOK.terms
        )
        if found:
            broken[row["participant_id"]] = {v.code for v in found}
    assert set(broken) == breakers
    codes = set().union(*broken.values())
    assert codes == {"max_consecutive_terms", "max_cumulative_months"}


def test_limit_breakers_left_out_by_default(city: SyntheticCity) -> None:
    breakers = set(city.limit_breakers)
    assert len(breakers) == round(N / 100)
    assert {r["participant_id"] for r in city.refused_rows} == breakers
    assert all(r["participant_id"] in breakers for r in city.refused_history)
    assert city.refused_history
    kept = {r["participant_id"] for r in city.roster}
    assert not breakers & kept
    assert not breakers & {r["participant_id"] for r in city.history}
    assert not breakers & {r["participant_id"] for r in city.attendance}


def test_limit_breakers_with_overrides(
    city: SyntheticCity, city_with_overrides: SyntheticCity
) -> None:
    assert city_with_overrides.limit_breakers == city.limit_breakers
    assert city_with_overrides.refused_rows == []
    assert len(city_with_overrides.roster) == N
    assert city_with_overrides.roster_columns == (*ROSTER_COLUMNS, OVERRIDE_COLUMN)
    for row in city_with_overrides.roster:
        assert tuple(row) == (*ROSTER_COLUMNS, OVERRIDE_COLUMN)
        assert bool(row[OVERRIDE_COLUMN]) == (row["participant_id"] in city.limit_breakers)


@pytest.mark.parametrize(("participants", "expected"), [(49, 0), (50, 1), (149, 1), (250, 2)])
def test_limit_breaker_count(participants: int, expected: int) -> None:
    small = generate_city(participants, 3, seed=participants)
    assert len(small.limit_breakers) == expected
    assert len(small.roster) == participants - expected


# --- attendance ----------------------------------------------------------------------------


def test_attendance_rows_are_on_scheduled_days(city: SyntheticCity) -> None:
    roster = {row["participant_id"]: row for row in city.roster}
    first, last = month_range(city.month)
    seen: set[tuple[str, str]] = set()
    for row in city.attendance:
        assert tuple(row) == ATTENDANCE_COLUMNS
        key = (row["participant_id"], row["date"])
        assert key not in seen
        seen.add(key)
        day = date.fromisoformat(row["date"])
        start, end = enrollment_dates(roster[row["participant_id"]])
        assert start <= day <= end and first <= day <= last
        assert day.weekday() < 5
        status = Status(row["status"])
        if status is Status.WORKED:
            assert 0 < Decimal(row["hours"]) <= 24
        else:
            assert row["hours"] == ""
            assert not CALENDAR.is_holiday(day)


def test_attendance_mix(city: SyntheticCity) -> None:
    statuses = Counter(row["status"] for row in city.attendance)
    assert set(statuses) == {"worked", "absent", "annual_leave", "official_leave"}
    roster = {row["participant_id"]: row for row in city.roster}
    first, last = month_range(city.month)
    person_days = 0
    holiday_work = 0
    overtime = partial = 0
    for row in city.roster:
        start, end = enrollment_dates(row)
        for day in (date(first.year, first.month, d) for d in range(1, last.day + 1)):
            if start <= day <= end and day.weekday() < 5 and not CALENDAR.is_holiday(day):
                person_days += 1
    for row in city.attendance:
        day = date.fromisoformat(row["date"])
        if CALENDAR.is_holiday(day):
            holiday_work += 1
        elif row["status"] == "worked":
            hours = int(row["hours"])
            program = roster[row["participant_id"]]["program"]
            daily = int(
                roster[row["participant_id"]]["daily_hours"] or BOOK.program(program).daily_hours
            )
            overtime += hours > daily
            partial += hours < daily
    assert holiday_work > 0  # 3 March 2025 is a substitute holiday
    assert overtime > 0 and partial > 0
    rate = (len(city.attendance) - holiday_work) / person_days
    assert 0.04 < rate < 0.06


@pytest.mark.parametrize("seed", [1, 2])
def test_attendance_passes_the_engine_validation_over_several_months(seed: int) -> None:
    """Months generated one by one, put together, pass §4 (annual leave included)."""
    months = ["2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    cities = [generate_city(600, 4, seed=seed, month=m) for m in months]
    records: dict[str, list[AttendanceRecord]] = defaultdict(list)
    for c in cities:
        for row in c.attendance:
            records[row["participant_id"]].append(record_of(row))
    leave = sum(1 for rs in records.values() for r in rs if r.status is Status.ANNUAL_LEAVE)
    assert leave > 0
    for row in cities[0].roster:
        validate_attendance(enrollment_of(row), records[row["participant_id"]], BOOK, CALENDAR)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        generate_city(10, 0, seed=1)
    with pytest.raises(ValueError):
        generate_city(10, 26, seed=1)
    with pytest.raises(ValueError):
        generate_city(-1, 1, seed=1)
    with pytest.raises(Exception, match="YYYY-MM"):
        generate_city(10, 1, seed=1, month="March")


def test_empty_city(tmp_path: Path) -> None:
    empty = generate_city(0, 1, seed=1)
    assert empty.roster == [] and empty.attendance == [] and empty.limit_breakers == ()
    paths = write_city(empty, tmp_path)
    assert paths["roster"].read_text("utf-8-sig").strip() == ",".join(ROSTER_COLUMNS)
