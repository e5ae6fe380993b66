"""Pay lines as a registry: a line declared in one place reaches the payslip (its amount in
gross, net and taxable pay, its label, its place), and an undeclared code is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from payroll.domain import pay_lines
from payroll.domain.engine import PayContext, calculate_month
from payroll.domain.labels import label
from payroll.domain.model import Adjustment, Line, PayrollError, Payslip
from payroll.domain.pay_lines import LineKind, PayLine, UnknownPayLine
from payroll.payslips.render import Renderer
from payroll.payslips.view import sample_view
from tests.support.pay import CALENDAR, FAKE_TAX, RATES, annual_leave, enrollment

CODE = "commute_allowance"
LABEL = "교통보조비"
PER_DAY = 1_000
H1 = enrollment()
ATTENDANCE = [annual_leave("2025-03-12")]


def _slip() -> Payslip:
    return calculate_month(PayContext(H1, ATTENDANCE, "2025-03", RATES, CALENDAR, FAKE_TAX))


@pytest.fixture
def commute_line() -> Iterator[None]:
    """A hypothetical line, declared in one place: 1,000 won per day worked, printed between
    the paid-leave pay (order 60) and the weekly allowance (order 70)."""

    @pay_lines.pay_line(code=CODE, order=65, label=LABEL)
    def commute(ctx: PayContext) -> Line:
        worked = sum(1 for d in ctx.days if d.worked)
        return Line(CODE, worked * PER_DAY, f"{worked}일 × {PER_DAY:,}원")

    yield
    pay_lines.unregister(CODE)


def test_a_line_declared_once_is_on_the_payslip_in_its_place(commute_line: None) -> None:
    slip = _slip()
    codes = [line.code for line in slip.earnings]
    assert codes.index("paid_leave_pay") + 1 == codes.index(CODE)
    assert codes.index(CODE) + 1 == codes.index("weekly_allowance")
    [line] = [line for line in slip.earnings if line.code == CODE]
    assert line.amount == slip.facts.worked_days * PER_DAY > 0
    assert label(CODE) == LABEL


def test_the_new_line_counts_in_gross_taxable_and_net(commute_line: None) -> None:
    with_line = _slip()
    amount = next(x.amount for x in with_line.earnings if x.code == CODE)
    pay_lines.unregister(CODE)
    without = _slip()
    assert [x for x in with_line.earnings if x.code != CODE] == list(without.earnings)
    assert with_line.gross == without.gross + amount
    assert with_line.taxable == with_line.insurable == without.taxable + amount
    extra_deductions = with_line.total_deductions - without.total_deductions
    assert extra_deductions > 0  # employment insurance and income tax follow the pay
    assert with_line.net == without.net + amount - extra_deductions


def test_the_new_line_prints_with_its_label(commute_line: None) -> None:
    slip = _slip()
    view = sample_view(
        month="2025-03",
        earnings=[(x.code, label(x.code), x.amount, x.explanation) for x in slip.earnings],
        deductions=[(x.code, label(x.code), x.amount, x.explanation) for x in slip.deductions],
        gross=slip.gross,
        total_deductions=slip.total_deductions,
        net=slip.net,
    )
    html = Renderer().html(view)
    amount = next(x.amount for x in slip.earnings if x.code == CODE)
    assert html.index(label("paid_leave_pay")) < html.index(LABEL)
    assert html.index(LABEL) < html.index(label("weekly_allowance"))
    assert f"{amount:,}" in html


def test_a_rule_yielding_an_undeclared_code_is_refused() -> None:
    @pay_lines.pay_line(code="typo_pay", order=66, label="오타수당")
    def typo(ctx: PayContext) -> Line:
        return Line("typo_pay_", 1_000, "")  # not the code it was declared with

    try:
        with pytest.raises(UnknownPayLine, match="typo_pay_"):
            _slip()
    finally:
        pay_lines.unregister("typo_pay")


def test_a_rule_writing_another_lines_code_is_refused() -> None:
    @pay_lines.pay_line(code="twice_pay", order=67, label="중복수당")
    def twice(ctx: PayContext) -> Line:
        return Line("base_pay", 1_000, "")

    try:
        with pytest.raises(PayrollError, match="'twice_pay': its rule wrote 'base_pay'"):
            _slip()
    finally:
        pay_lines.unregister("twice_pay")


def test_an_adjustment_with_an_undeclared_code_is_refused() -> None:
    ctx = PayContext(H1, ATTENDANCE, "2025-03", RATES, CALENDAR, FAKE_TAX)
    with pytest.raises(UnknownPayLine, match="retro_adjustment_nontaxable"):
        calculate_month(ctx, [Adjustment("retro_adjustment_nontaxable", 7_000, "", False)])


def test_label_of_an_undeclared_code_raises_instead_of_printing_the_code() -> None:
    with pytest.raises(UnknownPayLine):
        label("no_such_line")
    assert label("national_pension") == "국민연금"
    assert label("national_pension", "employer") == "국민연금(사업주)"


def test_a_code_or_an_order_is_declared_once() -> None:
    with pytest.raises(RuntimeError, match="declared twice"):
        pay_lines.register(PayLine("base_pay", 999, "기본급"))
    with pytest.raises(RuntimeError, match="share order"):
        pay_lines.register(PayLine("another_pay", pay_lines.get("base_pay").order, "다른 수당"))
    assert pay_lines.find("another_pay") is None


def test_every_line_of_every_kind_has_a_korean_label() -> None:
    for kind in LineKind:
        for line in pay_lines.lines_of(kind):
            assert line.label != line.code
            assert any("\uac00" <= ch <= "\ud7a3" for ch in line.label), line
