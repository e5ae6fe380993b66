"""`payroll init` gives an existing database the shipped Korean limit messages, keeping edits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine

from payroll.db.catalog_store import load_catalog
from payroll.db.engine import transaction
from payroll.db.models import LimitRuleRow
from payroll.reference.catalog import shipped_catalog_data


def test_init_replaces_former_english_messages_but_keeps_an_edited_one(engine: Engine) -> None:
    with transaction(engine) as session:
        rows = {r.code: r for r in session.scalars(select(LimitRuleRow)) if r.code != "age_band"}
        rows["max_consecutive_terms"].message = "at most {max} consecutive {program} terms"
        rows["no_overlap"].message = "overlaps another public-job enrollment"
        rows["max_cumulative_months"].message = "매력일자리는 {max}개월까지 (구청 기준)"  # edited
    with transaction(engine) as session:
        report = load_catalog(session, shipped_catalog_data())
    assert report.added == {"limit_rule_messages": 2}
    with transaction(engine) as session:
        now = {r.code: r.message for r in session.scalars(select(LimitRuleRow))}
    assert now["max_consecutive_terms"] == "{program} 연속 참여는 최대 {max}기까지입니다"
    assert now["no_overlap"] == "다른 공공일자리 참여 기간과 겹칠 수 없습니다"
    assert now["max_cumulative_months"] == "매력일자리는 {max}개월까지 (구청 기준)"
    with transaction(engine) as session:
        assert load_catalog(session, shipped_catalog_data()).added == {}
