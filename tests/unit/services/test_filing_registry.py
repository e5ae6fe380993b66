"""Every filing kind is declared once (``services/filings/kinds/``) and reached from the
CLI, the console and the scheduled job through the registry."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer

from payroll.cli.report import report_app
from payroll.services.common.access import Action
from payroll.services.filings import registry
from payroll.web import deps
from payroll.web.routes import filings  # noqa: F401  (puts the kinds in the templates)

EXPECTED = {
    "withholding",
    "simple-statement",
    "insurance-acquisitions",
    "insurance-losses",
    "bank-transfer",
    "payees",
}


def test_the_registry_finds_one_module_per_kind() -> None:
    assert {kind.kind for kind in registry.kinds()} == EXPECTED


def test_every_kind_is_a_report_command_with_its_declared_parameters() -> None:
    commands = typer.main.get_group(report_app).commands
    for kind in registry.kinds():
        command = commands[kind.kind]
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        for param in kind.params:
            if param.type != "run":
                assert param.option in options, (kind.kind, param.name)
        assert ("--masked" in options) == kind.full_rrn, kind.kind
        assert ("--format" in options) == kind.choose_format, kind.kind


def test_every_kind_is_offered_on_the_console_filing_screen() -> None:
    me = SimpleNamespace(may=lambda action: action == Action.LEDGER)
    run = SimpleNamespace(
        district_name="종로구", program_name="동행일자리", state_label="확정", run_id=7
    )
    html = deps.TEMPLATES.env.get_template("_finance_reports.html").render(
        me=me, month="2025-03", runs=[run], csrf="t"
    )
    for kind in registry.kinds():
        assert f'action="/filings/{kind.kind}"' in html, kind.kind
        if kind.full_rrn:
            assert f'<option value="{kind.kind}">' in html, kind.kind
        else:
            assert f'<option value="{kind.kind}">' not in html, kind.kind


def test_parameters_are_read_once_and_a_bad_date_names_the_option_or_the_label() -> None:
    kind = registry.kind_of("insurance-losses")
    assert kind is not None
    values = registry.parse(kind, {"from": "2025-06-01", "to": " 2025-06-30 "})
    assert values == {"from": date(2025, 6, 1), "to": date(2025, 6, 30)}
    with pytest.raises(registry.ParamError, match="^--from '2025-13-01'"):
        registry.parse(kind, {"from": "2025-13-01", "to": "2025-06-30"}, named="option")
    with pytest.raises(registry.ParamError, match="^종료일 ''"):
        registry.parse(kind, {"from": "2025-06-01", "to": ""})


def test_a_kind_without_resident_numbers_never_marks_a_filing_full() -> None:
    transfer, payees = registry.kind_of("bank-transfer"), registry.kind_of("payees")
    assert transfer is not None and payees is not None
    assert transfer.filing("s", [], 0, "n", full=True).rrn == "none"
    assert payees.filing("s", [], 0, "n", full=True).rrn == "full"
    assert payees.filing("s", [], 0, "n").default_name == "payees-n.xlsx"


def test_the_architecture_map_lists_every_filing_kind_of_the_registry() -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "architecture.md").read_text("utf-8")
    section = doc.split("## Filings", 1)[1]
    rows = re.findall(r"^\| `([a-z-]+)` \| (.+?) \| (yes|no) \|$", section, re.M)
    listed = [(k.kind, k.title, "yes" if k.full_rrn else "no") for k in registry.kinds()]
    assert rows == listed
