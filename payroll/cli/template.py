"""``payroll template roster|history|attendance --out FILE.xlsx``: import workbooks to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from payroll.cli.common import INVALID_INPUT, console, fail
from payroll.formats.import_templates import TEMPLATES, write_template


def template(
    kind: Annotated[
        str, typer.Argument(help="roster (명부), history (이력) or attendance (근태).")
    ],
    out: Annotated[Path, typer.Option("--out", help="The workbook to write (.xlsx).")],
) -> None:
    """Write an empty import workbook: Korean headers, one example row, and a second sheet
    explaining every column, its accepted formats and values."""
    aliases = {"명부": "roster", "이력": "history", "근태": "attendance"}
    name = aliases.get(kind.strip(), kind.strip().lower())
    if name not in TEMPLATES:
        fail(f"양식 {kind!r}이 없습니다 (roster, history, attendance)", INVALID_INPUT)
    if out.suffix.lower() != ".xlsx":
        fail(f"{out}: .xlsx 파일 이름을 주세요", INVALID_INPUT)
    try:
        write_template(name, out)
    except OSError as exc:
        fail(f"{out}: 쓸 수 없습니다 ({exc.strerror or exc})", INVALID_INPUT)
    console.print(f"양식 {TEMPLATES[name][0]}: {out}")
