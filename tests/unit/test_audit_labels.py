"""Every audit action the services write has a Korean name; details read in Korean."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import payroll
from payroll.domain.audit import AuditEntry
from payroll.domain.audit_labels import ACTION_LABELS, ENTITY_LABELS, action_name
from payroll.services.admin.audit_log import describe
from payroll.services.common.display_names import Names


def _written() -> tuple[set[str], set[str]]:
    """The literal action and record codes of every ``audit.record`` call."""
    actions, entities = set(), set()
    for path in Path(payroll.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
                and len(node.args) > 3
            ):
                for arg, found in ((node.args[2], actions), (node.args[3], entities)):
                    if isinstance(arg, ast.Constant):
                        found.add(arg.value)
    return actions, entities


def test_every_written_action_and_record_kind_has_a_korean_name() -> None:
    actions, entities = _written()
    assert "run.held" in actions and "payroll_run" in entities
    assert actions - set(ACTION_LABELS) == set()
    assert entities - set(ENTITY_LABELS) == set()
    assert action_name("carryover.released") == "보류분 해제"
    assert action_name("something.new") == "something.new"


def test_details_name_roles_districts_and_programs() -> None:
    entry = AuditEntry(
        datetime.now(UTC),
        "admin",
        "operator",
        "user.added",
        "user",
        "kim",
        {"role": "district_manager", "districts": ["11110"], "program": "dongheng"},
    )
    known = Names({"11110": "종로구"}, {"dongheng": "동행일자리"})
    assert describe(entry, known) == "역할=팀장, 자치구=종로구, 사업=동행일자리"
