"""Every upload kind is one module (``services/uploads/kinds/``), looked up once."""

from __future__ import annotations

from payroll.services.console.imports import column_label
from payroll.services.uploads import registry


def test_the_registry_finds_one_module_per_upload_kind_in_the_screens_order() -> None:
    assert [k.kind for k in registry.kinds()] == ["roster", "history", "attendance", "correction"]
    assert registry.titles()["correction"] == "확정된 달 근태 정정"


def test_only_a_roster_names_districts_and_only_its_original_is_not_kept() -> None:
    by_name = {k.kind: k for k in registry.kinds()}
    assert [k for k, v in by_name.items() if v.rows_name == "district"] == ["roster"]
    assert [k for k, v in by_name.items() if not v.keep_original] == ["roster"]
    assert [k for k, v in by_name.items() if v.previewed] == ["correction"]


def test_a_row_error_names_the_column_as_the_kind_s_file_heads_it() -> None:
    assert column_label("participant_id", "attendance") == "참여자번호"
    assert column_label("no_such_column", "roster") == "no_such_column"
    assert column_label("participant_id", "no_such_kind") == "participant_id"
