"""A year file checked against the stored catalog: changes, refusals, merged blocks;
and the withholding table in force on a pay date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payroll.domain.model import MissingRate
from payroll.domain.withholding_dates import DatedTaxTables, table_for
from payroll.domain.year_figures import missing_figures, refuse_missing
from payroll.reference.catalog import catalog_from_data, shipped_catalog_data
from payroll.reference.catalog_changes import CatalogFileError, plan_changes, year_blocks

SHIPPED = shipped_catalog_data()


def test_shipped_2027_lacks_only_the_living_wage_and_long_term_care() -> None:
    book = catalog_from_data(SHIPPED).rate_book
    assert book.hourly_rates[(book.program("dongheng").rate_source, 2027)] == 10_700
    assert missing_figures(book, "dongheng", date(2027, 1, 1)) == [
        "2027년 장기요양보험료율(long_term_care_share)"
    ]
    assert missing_figures(book, "maeryeok", date(2027, 3, 1)) == [
        "2027년 서울시 생활임금(living_wage)",
        "2027년 장기요양보험료율(long_term_care_share)",
    ]
    assert missing_figures(book, "maeryeok", date(2026, 3, 1)) == []


def test_a_missing_figure_is_one_korean_line_never_last_years_figure() -> None:
    book = catalog_from_data(SHIPPED).rate_book
    with pytest.raises(MissingRate) as refused:
        refuse_missing(book, {"maeryeok": "서울 매력일자리"}, "2027-03")
    message = str(refused.value)
    assert "\n" not in message
    assert "서울 매력일자리: 2027년 서울시 생활임금(living_wage)" in message
    assert "payroll catalog import" in message


def test_partial_block_changes_only_the_fields_it_gives() -> None:
    plan = plan_changes(SHIPPED, {"insurance": [{"year": 2027, "long_term_care_share": "0.1314"}]})
    [change] = plan.changes
    assert change.describe() == "변경: 사회보험료율 2027 long_term_care_share: (없음) → 0.1314"
    [written] = plan.writes["insurance"]
    assert written["national_pension"] == "0.05"  # kept from the stored block
    assert written["long_term_care_share"] == "0.1314"


def test_the_same_figure_in_another_spelling_is_no_change() -> None:
    plan = plan_changes(SHIPPED, {"insurance": [{"year": 2026, "national_pension": 0.04750}]})
    assert plan.empty


def test_every_bad_field_is_named_and_nothing_is_planned() -> None:
    with pytest.raises(CatalogFileError) as refused:
        plan_changes(
            SHIPPED,
            {
                "insurance": [{"year": 2028, "national_pension": "5"}],
                "hourly_rates": [{"source": "living_wage", "rates": {"2028": 0}}],
                "terms": [{"program": "dongheng", "code": "2028-H1", "start": "2028-01-10"}],
                "colours": [],
            },
        )
    problems = refused.value.problems
    assert any("'national_pension' 값 '5'" in p for p in problems)
    # a year's insurance may be entered in parts (rates are published at different times)
    assert not any("'health_insurance'" in p for p in problems)
    assert any("'rates.2028' 값 0" in p for p in problems)
    assert any("'end'이(가) 없습니다" in p for p in problems)
    assert any("'colours'" in p for p in problems)


def test_a_limit_with_a_bad_setting_is_refused_with_the_rule_types_reason() -> None:
    with pytest.raises(CatalogFileError) as refused:
        plan_changes(
            SHIPPED,
            {
                "limits": [
                    {
                        "code": "age_band",
                        "programs": ["dongheng"],
                        "min_age": 40,
                        "max_age": 30,
                        "message": "m",
                    }
                ]
            },
        )
    assert "max_age" in refused.value.problems[0]


def test_an_exported_year_imports_as_no_change() -> None:
    assert plan_changes(SHIPPED, year_blocks(SHIPPED, 2027)).empty
    assert plan_changes(SHIPPED, year_blocks(SHIPPED, 2025)).empty


class Fixed:
    def __init__(self, tax: int) -> None:
        self.amount = tax

    def tax(self, taxable_pay: int, dependents: int) -> int:
        return self.amount


@given(
    st.lists(st.dates(date(2024, 1, 1), date(2030, 12, 31)), max_size=5),
    st.dates(date(2023, 1, 1), date(2031, 12, 31)),
)
def test_the_table_in_force_is_the_latest_effective_by_the_pay_date(
    starts: list[date], pay_date: date
) -> None:
    tables = DatedTaxTables(Fixed(0), tuple((d, Fixed(i + 1)) for i, d in enumerate(starts)))
    chosen = table_for(tables, pay_date)
    started = [(d, i + 1) for i, d in enumerate(starts) if d <= pay_date]
    assert chosen.tax(1, 1) == (max(started)[1] if started else 0)


def test_a_rate_may_also_be_given_as_year_and_won() -> None:
    plan = plan_changes(
        SHIPPED, {"hourly_rates": [{"source": "living_wage", "year": 2027, "won": 12_500}]}
    )
    assert [c.describe() for c in plan.changes] == ["추가: 시급 living_wage 2027 (12,500원)"]
    assert plan.writes["hourly_rates"] == [{"source": "living_wage", "rates": {"2027": 12_500}}]


def test_a_bad_tax_year_table_is_named() -> None:
    block = {**SHIPPED["tax_years"][-1], "year": 2028, "tax_brackets": [{"up_to": 1}]}
    with pytest.raises(CatalogFileError) as refused:
        plan_changes(SHIPPED, {"tax_years": [block]})
    assert "[[tax_years]] (2028): 구간표를 읽을 수 없습니다" in refused.value.problems[0]


rates = st.decimals(min_value=0, max_value="0.2", places=5, allow_nan=False)


@given(
    st.integers(2028, 2040),
    st.integers(9_000, 20_000),
    st.fixed_dictionaries({n: rates for n in ("national_pension", "long_term_care_share")}),
)
def test_a_file_planned_again_after_it_was_applied_changes_nothing(
    year: int, won: int, insurance: dict[str, Any]
) -> None:
    year_file = {
        "hourly_rates": [{"source": "minimum_wage", "rates": {str(year): won}}],
        "insurance": [{"year": year, **{k: str(v) for k, v in insurance.items()}}],
    }
    plan = plan_changes(SHIPPED, year_file)
    assert [c.field for c in plan.changes] == [None, None]  # two new blocks
    assert plan_changes(plan.merged, year_file).empty
    book = catalog_from_data(plan.merged).rate_book
    assert book.hourly_rates[(book.program("dongheng").rate_source, year)] == won
    assert set(book.missing_insurance[year]) == {
        "health_insurance",
        "employment_insurance",
        "job_stability",
    }
