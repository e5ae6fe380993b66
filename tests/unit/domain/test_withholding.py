"""The withholding table (how-pay-is-calculated.md §9): NTS layout, lookup, construction method."""

from __future__ import annotations

from decimal import Decimal

import pytest

from payroll.domain.model import PayrollError
from payroll.domain.withholding import WithholdingTable, WithholdingTableError
from payroll.domain.withholding_method import (
    BANDS,
    MethodParameters,
    band_tax,
    bands,
    computed_tax,
    earned_income_deduction,
    earned_income_tax_credit,
    special_deduction,
    table_rows,
)

D = Decimal
TAXES_1060 = ["1,040", "-", "-", "", 0, 0, 0, 0, 0, 0, 0]

# The NTS layout as published: title, merged header cells, notes, separators and "-".
NTS_ROWS: list[list[str | int | float | None]] = [
    ["근로소득 간이세액표", None, None],  # row 1
    ["월급여액(천원)", None, "공제대상가족의 수"],  # row 2
    ["이상", "미만", *range(1, 12)],  # row 3
    ["1,060", "1,065", *TAXES_1060],  # row 4
    [1065, 1070, 1110, "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"],  # row 5
    ["1,070", "1,075", "1,180", *["-"] * 10],  # row 6
    [3500.0, 3520.0, "127,220", "102,220", "74,450", "49,340", *[9000] * 7],  # row 7: gap
    ["10,000천원 초과", "(formula)", None],  # note row
]
CONTIGUOUS = NTS_ROWS[:6] + [
    ["1,075", "1,080", 1250, 200, 100, 90, 80, 70, 60, 50, 40, 30, 25],  # row 7
]


def table() -> WithholdingTable:
    return WithholdingTable.from_rows(CONTIGUOUS, "test")


# --- the loader ----------------------------------------------------------------------


def test_reads_the_nts_layout_skipping_titles_and_headers() -> None:
    t = table()
    assert [(r.low, r.high) for r in t.rows] == [
        (1_060_000, 1_065_000),
        (1_065_000, 1_070_000),
        (1_070_000, 1_075_000),
        (1_075_000, 1_080_000),
    ]
    assert t.rows[0].taxes == (1040,) + (0,) * 10  # "1,040", "-" and blank
    assert t.rows[3].taxes == (1250, 200, 100, 90, 80, 70, 60, 50, 40, 30, 25)
    assert t.source == "test"


def test_to_rows_round_trips() -> None:
    rows = table().to_rows()
    assert rows[0] == [1060, 1065, 1040, *[0] * 10]
    assert WithholdingTable.from_rows(rows, "test") == table()


def test_rows_are_sorted_by_band() -> None:
    shuffled = [CONTIGUOUS[6], CONTIGUOUS[3], CONTIGUOUS[5], CONTIGUOUS[4]]
    assert WithholdingTable.from_rows(shuffled, "s").rows == table().rows


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["1,080", "1,085", 1, 2, 3], "3 tax columns, the table needs 11"),
        (["1,080", "1,085", *range(10), "x"], "tax for 11 dependant(s): 'x' is not a number"),
        (["1,080", "1,085", *range(10), "12.5"], "tax for 11 dependant(s): tax 12.5 is not"),
        (["1,080", "1,085", -5, *range(10)], "tax for 1 dependant(s): tax -5 is not"),
        (["1,085", "1,080", *range(11)], "pay to (미만) 1,080 is not above pay from"),
    ],
)
def test_bad_rows_name_the_row_and_the_reason(row: list[object], reason: str) -> None:
    with pytest.raises(WithholdingTableError, match=r"^src, row 8: .*") as err:
        WithholdingTable.from_rows([*CONTIGUOUS, row], "src")
    assert reason in str(err.value)


def test_a_gap_between_bands_names_the_row() -> None:
    with pytest.raises(WithholdingTableError, match=r"row 7: band 3,500–3,520천원 leaves a gap"):
        WithholdingTable.from_rows(NTS_ROWS, "src")


def test_overlapping_bands_name_the_row() -> None:
    overlap = ["1,078", "1,090", *range(11)]
    with pytest.raises(WithholdingTableError, match=r"row 8: band 1,078–1,090천원 overlaps"):
        WithholdingTable.from_rows([*CONTIGUOUS, overlap], "src")


def test_a_file_without_data_rows_is_an_error() -> None:
    with pytest.raises(WithholdingTableError, match="no data rows"):
        WithholdingTable.from_rows([["title"], ["이상", "미만"]], "src")


# --- the lookup ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pay", "tax"),
    [
        (1_060_000, 1040),  # "from" is inclusive
        (1_064_999, 1040),
        (1_065_000, 1110),  # "to" is exclusive: the next band
        (1_079_999, 1250),
    ],
)
def test_band_edges(pay: int, tax: int) -> None:
    assert table().tax(pay, 1) == tax


def test_below_1_060_000_is_zero_whatever_the_table_says() -> None:
    low = WithholdingTable.from_rows([[770, 1060, *[500] * 11], *CONTIGUOUS], "s")
    assert low.tax(1_059_999, 1) == 0
    assert low.tax(800_000, 1) == 0
    assert low.tax(0, 1) == 0
    assert low.tax(1_060_000, 1) == 1040


def test_below_the_first_band_is_zero() -> None:
    starts_late = WithholdingTable.from_rows([["2,000", "2,010", *[900] * 11]], "s")
    assert starts_late.tax(1_999_999, 1) == 0


def test_at_or_above_the_last_band_is_an_error() -> None:
    with pytest.raises(PayrollError, match="monthly taxable pay 1,080,000 is beyond the"):
        table().tax(1_080_000, 1)


def test_dependants_below_one_count_as_one() -> None:
    assert table().tax(1_075_000, 0) == table().tax(1_075_000, 1) == 1250
    assert table().tax(1_075_000, -3) == 1250


def test_dependants_over_eleven_follow_the_tables_note() -> None:
    # 11-dependant tax − (10-dependant tax − 11-dependant tax) × (n − 11), not below 0:
    # 25 − (30 − 25) × 1 = 20; × 5 = 0; far over stays 0.
    t = table()
    assert t.tax(1_075_000, 11) == 25
    assert t.tax(1_075_000, 12) == 20
    assert t.tax(1_075_000, 16) == 0
    assert t.tax(1_075_000, 40) == 0


# --- the construction method ---------------------------------------------------------


def test_sanity_band_1060_one_dependant_matches_the_official_table() -> None:
    # 2024 official table, 1,060–1,065천원, 1 dependant: 1,040 won.
    assert band_tax(1060, 1065, 1).monthly_tax == 1040
    # And the band below would be 970 won: under 1,000 won nothing is withheld (소액부징수).
    assert band_tax(1055, 1060, 1).monthly_tax == 0


def test_golden_band_1060_one_dependant() -> None:
    r = band_tax(1060, 1065, 1)
    assert r.midpoint == 1_062_500  # (1,060 + 1,065) / 2 thousand
    assert r.total_pay == 12_750_000  # × 12
    assert r.earned_income_deduction == 6_600_000  # 3.5M + 40% × (12.75M − 5M) = 3.5M + 3.1M
    assert r.personal_deduction == 1_500_000
    assert r.pension_deduction == 573_750  # 1,062,500 × 4.5% × 12
    assert r.special_deduction == 3_610_000  # 3.1M + 4% × 12.75M = 3.1M + 510,000
    assert r.tax_base == 466_250  # 12.75M − 6.6M − 1.5M − 573,750 − 3,610,000
    assert r.computed_tax == D("27975")  # 6% × 466,250
    assert r.tax_credit == D("15386.25")  # 55% × 27,975 (cap 740,000 not reached)
    assert r.annual_tax == D("12588.75")  # 27,975 − 15,386.25
    assert r.monthly_tax == 1040  # 12,588.75 / 12 = 1,049.06 → Floor10


def test_golden_band_2000() -> None:
    one = band_tax(2000, 2010, 1)
    # 총급여 2,005,000 × 12 = 24,060,000
    # 근로소득공제 7.5M + 15% × (24.06M − 15M) = 7.5M + 1,359,000 = 8,859,000
    # 연금 2,005,000 × 4.5% × 12 = 1,082,700
    # 특별 1인: 3.1M + 4% × 24.06M = 3.1M + 962,400 = 4,062,400
    # 과세표준 24,060,000 − 8,859,000 − 1,500,000 − 1,082,700 − 4,062,400 = 8,555,900
    # 산출세액 6% = 513,354; 공제 55% = 282,344.7; 연 231,009.3; / 12 = 19,250.775
    assert one.tax_base == 8_555_900
    assert one.annual_tax == D("231009.3")
    assert one.monthly_tax == 19_250
    three = band_tax(2000, 2010, 3)
    # 인적 3 × 1.5M = 4.5M; 특별 3인+: 5M + 7% × 24.06M = 6,684,200 (총급여 < 40M: no 4% term)
    # 과세표준 24,060,000 − 8,859,000 − 4,500,000 − 1,082,700 − 6,684,200 = 2,934,100
    # 산출세액 6% = 176,046; 공제 55% = 96,825.3; 연 79,220.7; / 12 = 6,601.725
    assert three.special_deduction == 6_684_200
    assert three.tax_base == 2_934_100
    assert three.monthly_tax == 6_600


def test_golden_band_3500_where_the_credit_cap_binds() -> None:
    one = band_tax(3500, 3520, 1)
    # 총급여 3,510,000 × 12 = 42,120,000
    # 근로소득공제 7.5M + 15% × 27.12M = 11,568,000; 연금 3,510,000 × 4.5% × 12 = 1,895,400
    # 특별 1인 (30M–45M): 3.1M + 4% × 42.12M − 5% × 12.12M = 3.1M + 1,684,800 − 606,000
    #   = 4,178,800
    # 과세표준 42,120,000 − 11,568,000 − 1,500,000 − 1,895,400 − 4,178,800 = 22,977,800
    # 산출세액 15% × 22,977,800 − 1,260,000 = 2,186,670
    # 공제 715,000 + 30% × 886,670 = 981,001, capped at 740,000 − 0.8% × 9,120,000 = 667,040
    # 연 1,519,630; / 12 = 126,635.8 → 126,630
    assert one.special_deduction == 4_178_800
    assert one.tax_base == 22_977_800
    assert one.tax_credit == 667_040
    assert one.monthly_tax == 126_630
    three = band_tax(3500, 3520, 3)
    # 특별 3인+: 5M + 7% × 42.12M − 5% × 12.12M + 4% × 2.12M
    #   = 5M + 2,948,400 − 606,000 + 84,800 = 7,427,200
    # 과세표준 42,120,000 − 11,568,000 − 4,500,000 − 1,895,400 − 7,427,200 = 16,729,400
    # 산출세액 15% × 16,729,400 − 1,260,000 = 1,249,410; 공제 55% = 687,175.5 → cap 667,040
    # 연 582,370; / 12 = 48,530.8 → 48,530
    assert three.special_deduction == 7_427_200
    assert three.computed_tax == 1_249_410
    assert three.monthly_tax == 48_530


def test_pension_deduction_is_clamped_to_floor_and_ceiling() -> None:
    assert band_tax(9980, 10000, 1).pension_deduction == 6_370_000 * D("0.045") * 12
    low = MethodParameters(pension_floor=2_000_000)
    assert band_tax(1060, 1065, 1, low).pension_deduction == 2_000_000 * D("0.045") * 12


@pytest.mark.parametrize(
    ("pay", "deduction"),
    [
        (5_000_000, 3_500_000),
        (15_000_000, 7_500_000),
        (45_000_000, 12_000_000),
        (100_000_000, 14_750_000),
        (200_000_000, 16_750_000),
        (400_000_000, 20_000_000),  # the 20M cap
    ],
)
def test_earned_income_deduction(pay: int, deduction: int) -> None:
    assert earned_income_deduction(D(pay)) == deduction


def test_progressive_rates_are_continuous_at_the_bracket_edges() -> None:
    assert computed_tax(D(14_000_000)) == 840_000
    assert computed_tax(D(50_000_000)) == 6_240_000
    assert computed_tax(D(88_000_000)) == 15_360_000
    assert computed_tax(D(150_000_000)) == 37_060_000


def test_earned_income_tax_credit_caps() -> None:
    big = D(5_000_000)
    assert earned_income_tax_credit(big, D(33_000_000)) == 740_000
    assert earned_income_tax_credit(big, D(50_000_000)) == 660_000  # 740k − 136k < 660k
    assert earned_income_tax_credit(big, D(80_000_000)) == 500_000  # 660k − 5M < 500k
    assert earned_income_tax_credit(big, D(130_000_000)) == 200_000
    assert earned_income_tax_credit(D(1_300_000), D(20_000_000)) == 715_000


def test_special_deduction_never_negative_and_zero_above_120m() -> None:
    assert special_deduction(D(44_000_000), 1) == 3_100_000 + 1_760_000 - 700_000
    assert special_deduction(D(130_000_000), 3) == 0


def test_the_band_layout_of_the_nts_table() -> None:
    all_bands = list(bands())
    assert BANDS[0][0] == 770 and all_bands[-1] == (9980, 10_000)
    assert len(all_bands) == 146 + 150 + 350
    assert (1495, 1500) in all_bands and (1500, 1510) in all_bands
    assert (2990, 3000) in all_bands and (3000, 3020) in all_bands
    rows = table_rows()
    assert WithholdingTable.from_rows(rows, "generated").tax(1_060_000, 1) == 1040
