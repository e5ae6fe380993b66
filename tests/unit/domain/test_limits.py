"""Participation limits (how-pay-is-calculated.md §11) at each rule's boundary."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payroll.domain.limits import (
    Candidate,
    LimitRule,
    PastEnrollment,
    age_on,
    check_enrollment,
    limit_usage,
    months_of,
    parse_rules,
    term_code_of,
)
from payroll.domain.model import PayrollError, Term
from payroll.domain.term_history import term_sequence
from payroll.reference.catalog import shipped_catalog

CATALOG = shipped_catalog()
TERMS = CATALOG.rate_book.terms
RULES = parse_rules(CATALOG.limits)
ADULT = date(1970, 5, 1)


def past(ref: str, program: str, start: str, end: str, **kw: str) -> PastEnrollment:
    pid = kw.pop("participant_id", "p1")
    return PastEnrollment(
        ref, pid, program, date.fromisoformat(start), date.fromisoformat(end), **kw
    )


def cand(program: str, start: str, end: str, birth: date = ADULT, **kw: str) -> Candidate:
    return Candidate("p1", program, date.fromisoformat(start), date.fromisoformat(end), birth, **kw)


def rules(*rows: dict) -> tuple[LimitRule, ...]:
    return parse_rules(rows)


def codes(violations) -> list[str]:
    return [v.code for v in violations]


# dongheng history in half-year stand-ins (no catalog terms before 2025) and 2025 terms
D_2023_H2 = past("h1", "dongheng", "2023-07-03", "2023-12-20")
D_2024_H1 = past("h2", "dongheng", "2024-01-10", "2024-06-28")
D_2024_H2 = past("h3", "dongheng", "2024-07-01", "2024-12-20")
D_2025_H1 = past("e4", "dongheng", "2025-01-10", "2025-06-30")
D_2025_H2 = past("e5", "dongheng", "2025-07-01", "2025-12-20")


# --- terms in history --------------------------------------------------------------------


def test_half_years_stand_in_for_years_without_catalog_terms():
    assert term_code_of(date(2023, 7, 3), date(2023, 12, 20), "dongheng", TERMS) == "2023-H2"
    assert term_code_of(date(2024, 1, 10), date(2024, 6, 28), "dongheng", TERMS) == "2024-H1"
    assert term_code_of(date(2024, 7, 1), date(2024, 12, 20), "dongheng", TERMS) == "2024-H2"
    assert term_code_of(date(2026, 2, 1), date(2026, 6, 30), "dongheng", TERMS) == "2026-H1"


def test_catalog_terms_win_in_their_year_by_most_overlap():
    assert term_code_of(date(2025, 1, 10), date(2025, 6, 30), "dongheng", TERMS) == "2025-H1"
    # 16 days in H1, 173 in H2
    assert term_code_of(date(2025, 6, 15), date(2025, 12, 20), "dongheng", TERMS) == "2025-H2"
    # 2025 has catalog terms: no stand-in 2025-H1 even for 1-9 January
    assert term_code_of(date(2025, 1, 2), date(2025, 1, 9), "dongheng", TERMS) == "2025-H1"


def test_maeryeok_single_year_term_and_half_years_before_it():
    assert term_code_of(date(2025, 4, 1), date(2025, 12, 31), "maeryeok", TERMS) == "2025"
    # January 2025 lies before the 2025 term (1 March): the nearest term
    assert term_code_of(date(2025, 1, 6), date(2025, 2, 14), "maeryeok", TERMS) == "2025"
    # 122 days in 2024-H1, 184 in 2024-H2
    assert term_code_of(date(2024, 3, 1), date(2024, 12, 31), "maeryeok", TERMS) == "2024-H2"
    seq = term_sequence("maeryeok", TERMS, 2024, 2028)
    # 2026 and 2027 are shipped catalog terms; 2028 has none yet: its half-years stand in
    assert [t.code for t in seq] == [
        "2024-H1",
        "2024-H2",
        "2025",
        "2026",
        "2027",
        "2028-H1",
        "2028-H2",
    ]


def test_maeryeok_consequence_three_consecutive_terms_over_eighteen_months():
    """2024-H1, 2024-H2, 2025 are consecutive; two 2025 enrollments are one term."""
    r = rules({"code": "max_consecutive_terms", "programs": ["maeryeok"], "max": 2, "message": "m"})
    history = [
        past("a", "maeryeok", "2024-01-02", "2024-06-28"),
        past("b", "maeryeok", "2024-07-01", "2024-12-31"),
    ]
    [v] = check_enrollment(cand("maeryeok", "2025-04-01", "2025-12-31"), history, r, TERMS)
    assert "(2024-H1, 2024-H2); 2025 참여 시 3기 연속" in v.message
    inside = [past("c", "maeryeok", "2025-03-01", "2025-05-31")]
    assert not check_enrollment(cand("maeryeok", "2025-07-01", "2025-12-31"), inside, r, TERMS)


# --- max_consecutive_terms ---------------------------------------------------------------


def test_third_consecutive_dongheng_term_allowed():
    c = cand("dongheng", "2025-01-10", "2025-06-30")
    assert check_enrollment(c, [D_2024_H1, D_2024_H2], RULES, TERMS) == []


def test_fourth_consecutive_dongheng_term_refused_naming_the_three():
    c = cand("dongheng", "2025-07-01", "2025-12-20")
    [v] = check_enrollment(c, [D_2024_H1, D_2024_H2, D_2025_H1], RULES, TERMS)
    assert v.code == "max_consecutive_terms"
    assert v.action == "block"
    assert v.message == (
        "max_consecutive_terms: dongheng 연속 참여는 최대 3기까지입니다; "
        "이미 dongheng 3기 연속 참여(2024-H1, 2024-H2, 2025-H1); 2025-H2 참여 시 4기 연속"
    )
    assert [e.ref for e in v.counting] == ["h2", "h3", "e4"]


def test_a_skipped_term_breaks_the_chain():
    # 2023-H2, 2024-H1, (2024-H2 skipped), 2025-H1 -> 2025-H2 makes only 2
    c = cand("dongheng", "2025-07-01", "2025-12-20")
    assert check_enrollment(c, [D_2023_H2, D_2024_H1, D_2025_H1], RULES, TERMS) == []
    # without the skip the same history is 5 long
    [v] = check_enrollment(c, [D_2023_H2, D_2024_H1, D_2024_H2, D_2025_H1], RULES, TERMS)
    assert "이미 dongheng 4기 연속 참여(2023-H2, 2024-H1, 2024-H2, 2025-H1)" in v.message


def test_chain_continues_after_the_candidate_term():
    later = [D_2025_H1, D_2025_H2, past("e6", "dongheng", "2026-01-12", "2026-06-30")]
    [v] = check_enrollment(cand("dongheng", "2024-07-01", "2024-12-20"), later, RULES, TERMS)
    assert v.message.endswith(
        "2024-H2 참여 시 2025-H1, 2025-H2, 2026-H1와(과) 이어 dongheng 4기 연속"
    )
    assert [e.ref for e in v.counting] == ["e4", "e5", "e6"]


def test_two_enrollments_in_one_term_count_once_and_other_programs_do_not_count():
    split = [
        D_2024_H1,
        past("h3a", "dongheng", "2024-07-01", "2024-09-30"),
        past("h3b", "dongheng", "2024-10-01", "2024-12-20"),
    ]
    assert check_enrollment(cand("dongheng", "2025-01-10", "2025-06-30"), split, RULES, TERMS) == []
    maeryeok = [past("m", "maeryeok", "2024-01-02", "2024-12-31")]
    history = [D_2024_H1, D_2024_H2, *maeryeok]
    assert (
        check_enrollment(cand("dongheng", "2025-01-10", "2025-06-30"), history, RULES, TERMS) == []
    )


# --- max_cumulative_months ---------------------------------------------------------------


def test_months_of_an_enrollment():
    assert months_of(date(2025, 4, 1), date(2025, 12, 31)) == 9
    assert months_of(date(2025, 4, 1), date(2025, 4, 1)) == 1
    assert months_of(date(2025, 1, 31), date(2025, 2, 28)) == 1
    assert months_of(date(2025, 1, 15), date(2025, 3, 14)) == 2
    assert months_of(date(2025, 1, 15), date(2025, 3, 15)) == 3
    assert months_of(date(2024, 1, 1), date(2025, 6, 30)) == 18


def test_eighteen_maeryeok_months_reached_exactly_allowed():
    history = [past("m1", "maeryeok", "2024-01-01", "2024-09-30")]  # 9
    c = cand("maeryeok", "2025-04-01", "2025-12-31")  # 9
    assert check_enrollment(c, history, RULES, TERMS) == []


def test_one_month_more_refused():
    history = [past("m1", "maeryeok", "2024-01-01", "2024-09-30")]
    c = cand("maeryeok", "2025-03-01", "2025-12-31")  # 10
    [v] = check_enrollment(c, history, RULES, TERMS)
    assert v.code == "max_cumulative_months"
    assert v.message == (
        "max_cumulative_months: maeryeok 누적 참여는 최대 18개월까지입니다; 이미 9개월 참여"
        "(m1 maeryeok 2024-01-01..2024-09-30 (9개월)); 이번 참여 10개월을 더하면 19개월"
    )
    assert [e.ref for e in v.counting] == ["m1"]


def test_one_day_more_refused():
    history = [past("m1", "maeryeok", "2024-01-01", "2024-10-01")]  # 9 months and a day -> 10
    c = cand("maeryeok", "2025-04-01", "2025-12-31")
    assert codes(check_enrollment(c, history, RULES, TERMS)) == ["max_cumulative_months"]


def test_months_of_other_programs_do_not_count():
    history = [past("d", "dongheng", "2023-01-02", "2024-12-20")]
    c = cand("maeryeok", "2025-03-01", "2025-12-31")
    assert check_enrollment(c, history, RULES, TERMS) == []


# --- no_overlap --------------------------------------------------------------------------


def test_overlap_in_another_program_refused():
    history = [past("m1", "maeryeok", "2025-04-01", "2025-12-31")]
    [v] = check_enrollment(cand("dongheng", "2025-07-01", "2025-12-20"), history, RULES, TERMS)
    assert v.code == "no_overlap"
    assert "기간이 m1 maeryeok 2025-04-01..2025-12-31와(과) 겹침" in v.message
    assert v.counting == tuple(history)


def test_adjacent_enrollments_do_not_overlap():
    history = [past("m1", "maeryeok", "2025-03-01", "2025-06-30")]
    assert (
        check_enrollment(cand("dongheng", "2025-07-01", "2025-12-20"), history, RULES, TERMS) == []
    )


# --- age_band ----------------------------------------------------------------------------


def test_age_17_refused_18_allowed_on_the_start_date():
    start = "2025-01-10"
    turns_18 = date(2007, 1, 10)
    assert check_enrollment(cand("dongheng", start, "2025-06-30", turns_18), [], RULES, TERMS) == []
    [v] = check_enrollment(
        cand("dongheng", start, "2025-06-30", turns_18 + timedelta(days=1)), [], RULES, TERMS
    )
    assert v.code == "age_band"
    assert v.message == (
        "age_band: dongheng은(는) 시작일 기준 만 18세 이상만 참여할 수 있습니다; "
        "시작일 2025-01-10 기준 만 17세(생년월일 2007-01-11)"
    )


def test_age_band_upper_bound_and_leap_day_birth():
    youth = rules(
        {"code": "age_band", "programs": ["maeryeok"], "min_age": 18, "max_age": 39, "message": "y"}
    )
    assert (
        check_enrollment(
            cand("maeryeok", "2025-04-01", "2025-12-31", date(1985, 4, 2)), [], youth, TERMS
        )
        == []
    )
    assert codes(
        check_enrollment(
            cand("maeryeok", "2025-04-01", "2025-12-31", date(1985, 4, 1)), [], youth, TERMS
        )
    ) == ["age_band"]
    assert age_on(date(2000, 2, 29), date(2018, 2, 28)) == 17
    assert age_on(date(2000, 2, 29), date(2018, 3, 1)) == 18


# --- max_participations_in_window --------------------------------------------------------


WINDOW_ROW = {
    "code": "max_participations_in_window",
    "programs": ["dongheng", "maeryeok"],
    "max": 3,
    "years": 5,
    "message": "최근 {years}년 안의 공공일자리 참여는 최대 {max}회까지입니다",
}
THREE_IN_FIVE_YEARS = [
    past("w1", "dongheng", "2020-03-02", "2020-06-30"),  # ends after 2020-01-10: inside
    past("w2", "maeryeok", "2022-01-03", "2022-12-30"),
    past("w3", "dongheng", "2023-07-03", "2023-12-20"),
]
W_CAND = cand("dongheng", "2025-01-10", "2025-06-30")


def test_window_rule_block():
    r = rules(WINDOW_ROW)
    [v] = check_enrollment(W_CAND, THREE_IN_FIVE_YEARS, r, TERMS)
    assert v.code == "max_participations_in_window"
    assert v.action == "block"
    assert "2020-01-10부터 2025-01-10까지 이미 3회 참여" in v.message
    assert [e.ref for e in v.counting] == ["w1", "w2", "w3"]
    # the 3rd is allowed; an enrollment ended before the window does not count
    assert check_enrollment(W_CAND, THREE_IN_FIVE_YEARS[1:], r, TERMS) == []
    old = [past("w0", "dongheng", "2019-07-01", "2020-01-09"), *THREE_IN_FIVE_YEARS[1:]]
    assert check_enrollment(W_CAND, old, r, TERMS) == []


def test_window_rule_pay_cut():
    r = rules({**WINDOW_ROW, "action": "pay_cut", "pay_cut_percent": "20"})
    [v] = check_enrollment(W_CAND, THREE_IN_FIVE_YEARS, r, TERMS)
    assert v.action == "pay_cut"
    assert v.pay_cut_percent == Decimal("20")
    assert v.message.endswith("급여 20 % 감액")


def test_window_rule_off_in_shipped_catalog():
    assert check_enrollment(W_CAND, THREE_IN_FIVE_YEARS, RULES, TERMS) == []


# --- one_per_household -------------------------------------------------------------------


HOUSEHOLD_ROW = {
    "code": "one_per_household",
    "programs": ["dongheng", "maeryeok"],
    "message": "한 가구에서는 한 기에 한 명만 참여할 수 있습니다",
}


def test_household_member_in_the_same_term_refused():
    r = rules(HOUSEHOLD_ROW)
    c = cand("dongheng", "2025-07-01", "2025-12-20", household="hh1")
    sibling = past(
        "s1", "dongheng", "2025-08-01", "2025-12-20", participant_id="p2", household="hh1"
    )
    [v] = check_enrollment(c, [], r, TERMS, [sibling])
    assert v.code == "one_per_household"
    assert v.message.endswith(
        "가구 hh1에 이미 dongheng 2025-H2(2025-07-01..2025-12-20) 참여자 있음: "
        "s1 dongheng 2025-08-01..2025-12-20"
    )
    # another program of the group, overlapping the term, also counts
    spouse = past("s2", "maeryeok", "2025-03-01", "2025-12-31", participant_id="p3")
    assert codes(check_enrollment(c, [], r, TERMS, [spouse])) == ["one_per_household"]


def test_household_member_in_another_term_or_household_allowed():
    r = rules(HOUSEHOLD_ROW)
    c = cand("dongheng", "2025-07-01", "2025-12-20", household="hh1")
    earlier = past("s1", "dongheng", "2025-01-10", "2025-06-30", participant_id="p2")
    other_house = past(
        "s2", "dongheng", "2025-07-01", "2025-12-20", participant_id="p9", household="hh9"
    )
    assert check_enrollment(c, [], r, TERMS, [earlier, other_house]) == []
    assert (
        check_enrollment(
            c,
            [],
            RULES,
            TERMS,
            [past("s3", "dongheng", "2025-07-01", "2025-12-20", participant_id="p2")],
        )
        == []
    )


SHIPPED_ON = [row for row in CATALOG.limits if row.get("enabled", True)]
ALL_RULES = rules(*SHIPPED_ON, {**WINDOW_ROW, "max": 2}, HOUSEHOLD_ROW)


# --- all at once, shipped rules ------------------------------------------------------------


def test_every_broken_rule_reported_at_once():
    c = cand("dongheng", "2025-07-01", "2025-12-20", date(2008, 1, 1))
    history = [D_2024_H1, D_2024_H2, D_2025_H1, past("m1", "maeryeok", "2025-11-01", "2025-12-31")]
    sibling = past("s1", "dongheng", "2025-07-01", "2025-12-20", participant_id="p2")
    found = check_enrollment(c, history, ALL_RULES, TERMS, [sibling])
    assert codes(found) == [
        "no_overlap",
        "max_consecutive_terms",
        "age_band",
        "max_participations_in_window",
        "one_per_household",
    ]
    assert all(v.message.startswith(v.code + ": ") for v in found)


def test_shipped_rules_parse_with_disabled_ones_off():
    by_code = {(r.code, tuple(sorted(r.programs))): r for r in RULES}
    assert len(RULES) == 7
    assert by_code[("max_consecutive_terms", ("dongheng",))].settings["max"] == 3
    assert by_code[("max_cumulative_months", ("maeryeok",))].settings["max"] == 18
    assert by_code[("no_overlap", ("dongheng", "maeryeok"))].enabled
    assert not by_code[("max_participations_in_window", ("dongheng", "maeryeok"))].enabled
    assert not by_code[("one_per_household", ("dongheng", "maeryeok"))].enabled
    assert by_code[("age_band", ("maeryeok",))].settings["min_age"] == 18
    assert by_code[("age_band", ("dongheng",))].render("dongheng") == (
        "dongheng은(는) 시작일 기준 만 18세 이상만 참여할 수 있습니다"
    )


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        ({"code": "max_consecutive_terms", "programs": ["dongheng"], "message": "m"}, "'max'"),
        ({"code": "max_consecutive_terms", "programs": ["d"], "max": 0, "message": "m"}, "'max'"),
        ({"code": "max_consecutive_terms", "programs": ["d"], "max": "x", "message": "m"}, "'max'"),
        ({"code": "no_overlap", "programs": [], "message": "m"}, "'programs'"),
        ({"code": "no_overlap", "programs": ["d"]}, "'message'"),
        ({"code": "no_overlap", "programs": ["d"], "message": "{nope}"}, "'message'"),
        ({"code": "no_overlap", "programs": ["d"], "message": "m", "enabled": "no"}, "'enabled'"),
        ({"code": "no_quota", "programs": ["d"], "message": "m"}, "'code'"),
        ({**WINDOW_ROW, "action": "fine"}, "'action'"),
        ({**WINDOW_ROW, "action": "pay_cut", "pay_cut_percent": "0"}, "'pay_cut_percent'"),
        ({**WINDOW_ROW, "pay_cut_percent": "150"}, "'pay_cut_percent'"),
        ({k: v for k, v in WINDOW_ROW.items() if k != "years"}, "'years'"),
        ({"code": "age_band", "programs": ["d"], "message": "m"}, "'min_age'"),
        (
            {"code": "age_band", "programs": ["d"], "min_age": 40, "max_age": 39, "message": "m"},
            "'max_age'",
        ),
    ],
)
def test_bad_rows_name_rule_and_field(row, needle):
    with pytest.raises(PayrollError) as info:
        parse_rules([CATALOG.limits[0], row])
    assert "limit rule #2" in str(info.value)
    assert needle in str(info.value)


def test_stored_rows_may_nest_settings():
    [r] = parse_rules(
        [
            {
                "code": "max_cumulative_months",
                "programs": ["maeryeok"],
                "message": "m",
                "settings": {"max": 23},
            }
        ]
    )
    assert r.settings["max"] == 23


def test_enrollment_ending_before_it_starts_is_an_error():
    with pytest.raises(PayrollError, match="h9"):
        check_enrollment(W_CAND, [past("h9", "dongheng", "2024-05-01", "2024-04-01")], RULES, TERMS)


# --- limit_usage ---------------------------------------------------------------------------


def test_limit_usage_for_participant_show():
    history = [D_2023_H2, D_2024_H1, D_2024_H2, past("m1", "maeryeok", "2025-04-01", "2025-06-30")]
    dong = {u.code: u for u in limit_usage(history, RULES, TERMS, "dongheng")}
    assert set(dong) == {"no_overlap", "max_consecutive_terms", "age_band"}
    cons = dong["max_consecutive_terms"]
    assert (cons.used, cons.limit, cons.remaining, cons.unit) == (3, 3, 0, "기")
    assert cons.counting == ("h1", "h2", "h3")
    assert dong["no_overlap"].used is None
    # as of 2025-07-01 (2025-H2) the run ended with 2024-H2: a whole term lies between
    later = {u.code: u for u in limit_usage(history, RULES, TERMS, "dongheng", date(2025, 7, 1))}
    assert later["max_consecutive_terms"].used == 0
    soon = {u.code: u for u in limit_usage(history, RULES, TERMS, "dongheng", date(2025, 1, 10))}
    assert soon["max_consecutive_terms"].used == 3

    mae = {u.code: u for u in limit_usage(history, RULES, TERMS, "maeryeok")}
    months = mae["max_cumulative_months"]
    assert (months.used, months.limit, months.remaining, months.counting) == (3, 18, 15, ("m1",))


def test_limit_usage_window():
    r = rules(WINDOW_ROW)
    [u] = limit_usage(THREE_IN_FIVE_YEARS, r, TERMS, "dongheng", date(2025, 1, 10))
    assert (u.used, u.limit, u.remaining, u.unit) == (3, 3, 0, "회")
    [u] = limit_usage(THREE_IN_FIVE_YEARS, r, TERMS, "dongheng")  # window up to 2023-12-21
    assert u.counting == ("w1", "w2", "w3")


# --- invariants ------------------------------------------------------------------------------


PROGRAMS = ("dongheng", "maeryeok", "older_program")


@st.composite
def enrollments(draw, programs=PROGRAMS):
    n = draw(st.integers(0, 8))
    out = []
    for i in range(n):
        start = draw(st.dates(date(2019, 1, 1), date(2027, 6, 30)))
        length = draw(st.integers(0, 400))
        program = draw(st.sampled_from(programs))
        out.append(PastEnrollment(f"x{i}", "p1", program, start, start + timedelta(days=length)))
    return out


@st.composite
def candidates(draw):
    start = draw(st.dates(date(2020, 1, 1), date(2027, 6, 30)))
    return Candidate(
        "p1",
        draw(st.sampled_from(("dongheng", "maeryeok"))),
        start,
        start + timedelta(days=draw(st.integers(0, 300))),
        draw(st.dates(date(1950, 1, 1), date(2010, 12, 31))),
    )


EXTRA_TERMS = (*TERMS, Term("dongheng", "2026-H1", date(2026, 1, 12), date(2026, 6, 30)))


@settings(max_examples=200, deadline=None)
@given(enrollments(programs=("maeryeok", "older_program")), st.integers(1, 4))
def test_no_enrollments_of_the_program_never_break_consecutive_terms(history, limit):
    r = rules(
        {"code": "max_consecutive_terms", "programs": ["dongheng"], "max": limit, "message": "m"}
    )
    c = cand("dongheng", "2025-07-01", "2025-12-20")
    assert check_enrollment(c, history, r, EXTRA_TERMS) == []


@settings(max_examples=200, deadline=None)
@given(enrollments(), candidates(), st.randoms(use_true_random=False))
def test_violations_do_not_depend_on_history_order(history, candidate, rnd):
    shuffled = list(history)
    rnd.shuffle(shuffled)
    household = [PastEnrollment("hh", "p2", "dongheng", date(2025, 7, 1), date(2025, 12, 20))]
    assert check_enrollment(candidate, history, ALL_RULES, EXTRA_TERMS, household) == (
        check_enrollment(candidate, shuffled, ALL_RULES, EXTRA_TERMS, household)
    )


@settings(max_examples=200, deadline=None)
@given(enrollments(programs=("dongheng",)))
def test_every_enrollment_falls_in_a_term_of_its_sequence(history):
    for e in history:
        code = term_code_of(e.start, e.end, "dongheng", EXTRA_TERMS)
        seq = term_sequence("dongheng", EXTRA_TERMS, e.start.year - 1, e.end.year + 1)
        assert code in [t.code for t in seq]


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2000, 1, 1), date(2030, 12, 31)), st.integers(0, 800))
def test_months_grow_with_the_end_date(start, length):
    end = start + timedelta(days=length)
    assert months_of(start, end) <= months_of(start, end + timedelta(days=1))
    assert months_of(start, end) >= 1


def test_candidate_term_already_held_counts_once():
    # a second, short enrollment inside 2025-H1 after 2024-H1, 2024-H2, 2025-H1 (first part)
    first_part = past("e4a", "dongheng", "2025-01-10", "2025-03-31")
    c = cand("dongheng", "2025-04-01", "2025-06-30")
    assert check_enrollment(c, [D_2024_H1, D_2024_H2, first_part], RULES, TERMS) == []
    [v] = check_enrollment(c, [D_2023_H2, D_2024_H1, D_2024_H2, first_part], RULES, TERMS)
    assert v.message.endswith(
        "2025-H1 참여 시 2023-H2, 2024-H1, 2024-H2와(과) 이어 dongheng 4기 연속"
    )
