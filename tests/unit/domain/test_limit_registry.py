"""The registry of limit rule types: one module per type, found by the catalog's ``code``."""

from __future__ import annotations

import sys
from datetime import date

import pytest

import payroll.domain.limits as limits
from payroll.domain.limits import Candidate, parse_rules, rule_types
from payroll.domain.limits.records import DEFAULT_SETTINGS
from payroll.domain.limits.registry import Facts, RuleType, register
from payroll.domain.model import PayrollError
from payroll.reference.catalog import shipped_catalog

CATALOG = shipped_catalog()
SHIPPED = {row["code"]: row for row in CATALOG.limits}
COUNTED = {"max_consecutive_terms": "기", "max_cumulative_months": "개월"}
COUNTED["max_participations_in_window"] = "회"


def test_every_shipped_type_and_only_those_are_registered() -> None:
    assert (
        set(rule_types())
        == set(SHIPPED)
        == {
            "no_overlap",
            "max_consecutive_terms",
            "max_cumulative_months",
            "max_participations_in_window",
            "one_per_household",
            "age_band",
        }
    )
    assert set(limits.CODES) == set(SHIPPED)


def test_each_type_lives_in_its_own_module_with_its_reading_of_the_rules() -> None:
    modules = {type(kind).__module__ for kind in rule_types().values()}
    assert len(modules) == len(rule_types())
    for code, kind in rule_types().items():
        module = sys.modules[type(kind).__module__]
        assert module.__name__.startswith("payroll.domain.limits.rules.")
        assert (module.__doc__ or "").startswith(f"``{code}``"), code
        assert kind.unit == COUNTED.get(code, "")


def test_an_unknown_rule_type_is_refused_in_korean_naming_the_row() -> None:
    row = {"code": "no_quota", "programs": ["dongheng"], "message": "m"}
    with pytest.raises(PayrollError) as caught:
        parse_rules([CATALOG.limits[0], CATALOG.limits[1], row])
    message = str(caught.value)
    assert message.startswith("limit rule #3 ('no_quota'): 알 수 없는 참여 제한 규칙 유형입니다")
    assert all(code in message for code in SHIPPED)  # says which types there are
    with pytest.raises(PayrollError, match="limit rule #1 \\(None\\): 알 수 없는"):
        parse_rules([{"programs": ["dongheng"], "message": "m"}])


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_each_type_parses_its_own_settings_from_its_catalog_row(code: str) -> None:
    row = SHIPPED[code]
    own = rule_types()[code].parse(row, f"limit rule ({code!r})")
    assert set(own) <= set(DEFAULT_SETTINGS)
    (rule,) = parse_rules([row])
    assert rule.code == code
    for key, default in DEFAULT_SETTINGS.items():  # another type's fields keep the default
        assert rule.settings[key] == own.get(key, default)


def test_a_type_reads_only_its_own_fields() -> None:
    row = {**SHIPPED["no_overlap"], "max": 2, "years": 5}
    (rule,) = parse_rules([row])
    assert rule.settings["max"] is None and rule.settings["years"] is None


def test_a_type_refuses_its_own_bad_settings_naming_the_field() -> None:
    row = {**SHIPPED["age_band"], "min_age": -1}
    with pytest.raises(PayrollError, match="limit rule #1 \\('age_band'\\): field 'min_age'"):
        parse_rules([row])


def test_a_code_cannot_be_registered_twice() -> None:
    before = dict(rule_types())

    class Again(RuleType):
        code = "no_overlap"

    with pytest.raises(RuntimeError, match="registered twice"):
        register(Again)
    assert rule_types() == before


def test_a_counted_type_reports_usage_and_an_uncounted_one_none() -> None:
    rules = {r.code: r for r in parse_rules(CATALOG.limits)}
    kinds = rule_types()
    nothing = Facts(history=(), household=(), terms=())
    assert kinds["no_overlap"].usage(rules["no_overlap"], nothing, "dongheng", None) is None
    months = kinds["max_cumulative_months"]
    assert months.usage(rules["max_cumulative_months"], nothing, "maeryeok", None) == (0, ())
    young = Candidate("p1", "maeryeok", date(2025, 4, 1), date(2025, 12, 31), date(2010, 1, 1))
    violation = kinds["age_band"].check(rules["age_band"], young, nothing)
    assert violation is not None and violation.message.startswith("age_band: ")
