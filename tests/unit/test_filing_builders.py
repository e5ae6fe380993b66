"""The pure filing builders (payroll/reports), on hand-worked figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from payroll.formats.reports import insurance, simple_statement, transfer, withholding
from payroll.formats.reports.sheet import csv_bytes


def tax_slip(pid: str, **kw: object) -> withholding.TaxSlip:
    base: dict[str, object] = dict(
        district="종로구",
        participant_id=pid,
        name=pid,
        taxable=0,
        non_taxable=0,
        income_tax=0,
        local_tax=0,
        settled=False,
        year_taxable=0,
        income_settlement=0,
        local_settlement=0,
    )
    base.update(kw)
    return withholding.TaxSlip(**base)  # type: ignore[arg-type]


def test_a_refund_larger_than_the_months_tax_is_carried_to_next_month() -> None:
    slips = [
        tax_slip("A", taxable=2_000_000, income_tax=20_000, local_tax=2_000),
        tax_slip(
            "B",
            taxable=1_000_000,
            settled=True,
            year_taxable=4_000_000,
            income_settlement=-30_000,
            local_settlement=-3_000,
        ),
    ]
    a01, a02, a10 = withholding.code_rows(slips)
    assert (a01.code, a01.people, a01.pay, a01.tax, a01.local_tax) == (
        "A01",
        2,
        3_000_000,
        20_000,
        2_000,
    )
    assert (a02.people, a02.pay, a02.tax, a02.local_tax) == (1, 4_000_000, -30_000, -3_000)
    # A10 = A01 + A02: 3 people, 7,000,000 won, 20,000 - 30,000 = -10,000 (a refund)
    assert (a10.people, a10.pay, a10.tax, a10.local_tax) == (3, 7_000_000, -10_000, -1_000)
    national, local, _detail = withholding.sheets(slips, "2025-06", "2025-07")
    row = dict(zip(national.headers, national.rows[2], strict=True))
    assert (row["납부세액(소득세 등)"], row["차월이월환급세액"]) == (0, 10_000)
    local_row = dict(zip(local.headers, local.rows[2], strict=True))
    assert (local_row["납부세액"], local_row["차월이월환급세액"]) == (0, 1_000)


def test_an_additional_settlement_adds_to_the_tax_to_pay() -> None:
    slips = [
        tax_slip("A", income_tax=20_000),
        tax_slip("B", settled=True, income_settlement=5_000),
    ]
    national = withholding.sheets(slips, "2025-06", "2025-07")[0]
    row = dict(zip(national.headers, national.rows[2], strict=True))
    assert (row["징수세액(소득세 등)"], row["납부세액(소득세 등)"], row["차월이월환급세액"]) == (
        25_000,
        25_000,
        0,
    )


def enrolled(**kw: object) -> insurance.Enrolled:
    base: dict[str, object] = dict(
        district="종로구",
        participant_id="P",
        name="김",
        rrn="",
        birth_date=date(1970, 5, 1),
        program="서울 동행일자리",
        job="서울 동행일자리 참여자",
        start=date(2025, 1, 10),
        end=date(2025, 6, 30),
        weekly_hours=Decimal(30),
        declared_pay=1_564_680,
    )
    base.update(kw)
    return insurance.Enrolled(**base)  # type: ignore[arg-type]


def test_coverage_follows_the_payroll_rules() -> None:
    assert insurance.coverage(enrolled()) == insurance.Coverage(True, True, True)
    # 60 on S: no pension (§9, 18-59 only)
    assert insurance.coverage(enrolled(birth_date=date(1965, 1, 1))).pension is False
    # 65 or older on S: employment insurance without its unemployment part (§10)
    assert insurance.coverage(enrolled(birth_date=date(1959, 12, 31))).unemployment is False
    # shorter than one month: neither pension nor health (§9)
    short = insurance.coverage(enrolled(start=date(2025, 3, 3), end=date(2025, 3, 20)))
    assert (short.pension, short.health) == (False, False)
    # 15 h a week = 15 × 365 / 7 / 12 = 65.2 h a month >= 60; 10 h = 43.5 h < 60
    assert insurance.coverage(enrolled(weekly_hours=Decimal(15))).health is True
    assert insurance.coverage(enrolled(weekly_hours=Decimal(10))).health is False


def test_loss_rows_carry_the_codes_of_the_reason() -> None:
    ended = [
        insurance.Ended(enrolled(participant_id="A", end=date(2025, 4, 11)), "deceased", None,
                        5_000_000, 4, 0, 0),
        insurance.Ended(enrolled(participant_id="B", end=date(2025, 6, 30)), None, None,
                        9_000_000, 6, 1_000_000, 1),
        insurance.Ended(enrolled(participant_id="C", end=date(2025, 5, 2)), "other", "이사",
                        6_000_000, 5, 0, 0),
    ]  # fmt: skip
    sheet = insurance.loss_sheet(ended)
    rows = {
        r["참여자번호"]: r for r in (dict(zip(sheet.headers, x, strict=True)) for x in sheet.rows)
    }
    a, b, c = rows["A"], rows["B"], rows["C"]
    assert (a["자격상실일"], a["종료사유"]) == (date(2025, 4, 12), "사망")
    assert (a["국민연금 상실부호"], a["건강보험 상실부호"], a["고용·산재 상실사유 코드"]) == (
        "1",
        "2",
        "41",
    )
    assert (b["종료사유"], b["고용·산재 상실사유 코드"], b["전년도 보수총액"]) == (
        "사업기간 종료",
        "32",
        1_000_000,
    )
    assert c["고용·산재 상실사유 코드"] == "" and c["비고"] == "상실사유 확인 필요. 이사"


def test_passbook_memo_and_zero_payments() -> None:
    assert transfer.memo("종로구", "서울 동행일자리", "2025-03") == "종로구 동행 3월"
    assert transfer.memo("강남구", "서울 매력일자리", "2025-11") == "강남구 매력 11월"
    payments = [
        transfer.Payment("P2", "나", "", "088", "신한은행", "110123456789", "나", 0),
        transfer.Payment("P1", "가", "", "004", "KB국민은행", "012345678901", "가", 1_000),
    ]
    sheet = transfer.transfer_sheet(payments, "종로구 동행 3월")
    assert [r[7] for r in sheet.rows] == ["P1"]  # nothing to transfer for a 0 net pay
    text = csv_bytes(sheet).decode("utf-8")
    assert text.startswith("\ufeff번호,은행코드") and "\r\n1,004,KB국민은행,012345678901," in text


def test_foreigners_are_told_by_the_seventh_digit() -> None:
    assert simple_statement.foreigner("900101-5123456")
    assert not simple_statement.foreigner("900101-1123456")
    assert not simple_statement.foreigner("")
