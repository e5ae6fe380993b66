"""Ledger files (분담 원장 파일): CSV for other tools, XLSX for people. Written atomically.

* CSV: exactly the Korean header :data:`CSV_COLUMNS` (district, program and cost item
  each by code and by name), one row per ledger line and nothing else; UTF-8 without
  BOM, ``\\n`` line ends.
* XLSX: sheet ``요약`` with Korean headers, one row per line, subtotals per district and
  program, per district, per program, and a grand total (``합계``, the last row); sheet
  ``참여자별`` with each participant's allocated part. Numbers are numbers with a
  thousands-separator format; header rows are frozen.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from payroll.domain.labels import cost_item_label
from payroll.domain.ledger import COST_ITEMS, Ledger, LedgerLine
from payroll.formats.atomic import atomic_write_bytes
from payroll.formats.sheet_cells import csv_writer, sheet_cell

CSV_COLUMNS = (
    "월",
    "자치구코드",
    "자치구",
    "사업코드",
    "사업",
    "비용항목코드",
    "비용항목",
    "인원",
    "금액",
    "시 부담",
    "구 부담",
)
"""The CSV's header: Korean, with each code beside its name (codes for the e-호조 and other
systems that read the file, names for the people who open it)."""
SUMMARY_HEADERS = ("월", "자치구", "사업", "비용항목", "인원", "금액", "시 부담", "구 부담")
DETAIL_HEADERS = (
    "참여자 ID",
    "성명",
    "자치구",
    "사업",
    "월",
    "비용항목",
    "금액",
    "시 부담",
    "구 부담",
)
SUMMARY_SHEET = "요약"
DETAIL_SHEET = "참여자별"
GRAND_TOTAL = "합계"
NUMBER_FORMAT = "#,##0"
FORMATS = ("csv", "xlsx")


def write_ledger(ledger: Ledger, path: Path | str, fmt: str) -> Path:
    """Write ``ledger`` to ``path`` as ``csv`` or ``xlsx``, atomically (temp + os.replace)."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: use csv or xlsx")
    data = csv_bytes(ledger) if fmt == "csv" else xlsx_bytes(ledger)
    atomic_write_bytes(path, data)
    return Path(path)


def csv_bytes(ledger: Ledger) -> bytes:
    """The CSV file's bytes."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    districts, programs = ledger.district_names, ledger.program_names
    for line in ledger.lines:
        writer.writerow(
            [
                line.month,
                line.district,
                districts.get(line.district, line.district),
                line.program,
                programs.get(line.program, line.program),
                line.cost_item,
                cost_item_label(line.cost_item),
                line.participants,
                line.amount,
                line.city_share,
                line.district_share,
            ]
        )
    return out.getvalue().encode("utf-8")


def xlsx_bytes(ledger: Ledger) -> bytes:
    """The XLSX workbook's bytes (streamed, so large ledgers stay small in memory)."""
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(SUMMARY_SHEET)
    _layout(summary, (9, 14, 18, 20, 8, 16, 16, 16))
    _rows(
        summary,
        [_header(summary, SUMMARY_HEADERS)],
        (_styled(summary, values, bold) for values, bold in _summary_rows(ledger)),
    )
    detail = workbook.create_sheet(DETAIL_SHEET)
    _layout(detail, (14, 12, 14, 18, 9, 20, 14, 14, 14))
    districts, programs = ledger.district_names, ledger.program_names
    _rows(
        detail,
        [_header(detail, DETAIL_HEADERS)],
        (
            _styled(
                detail,
                [
                    row.participant_id,
                    row.name,
                    districts.get(row.district, row.district),
                    programs.get(row.program, row.program),
                    row.month,
                    cost_item_label(row.cost_item),
                    row.amount,
                    row.city_share,
                    row.district_share,
                ],
                False,
            )
            for row in ledger.details
        ),
    )
    if ledger.owed:  # held, returned, recovery of the scope's months not yet settled
        owed = workbook.create_sheet(OWED_SHEET)
        _layout(owed, (14, 14, 18, 9, 14, 14, 40))
        _rows(
            owed,
            [_header(owed, OWED_HEADERS)],
            (
                _styled(
                    owed,
                    [
                        o.participant_id,
                        districts.get(o.district, o.district),
                        programs.get(o.program, o.program),
                        o.month,
                        o.kind,
                        o.amount,
                        o.reason,
                    ],
                    False,
                )
                for o in ledger.owed
            ),
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


OWED_SHEET = "미정산"
OWED_HEADERS = ("참여자번호", "자치구", "사업", "귀속월", "구분", "미정산 금액", "사유")


def _summary_rows(ledger: Ledger) -> Iterator[tuple[list[Any], bool]]:
    """(values, bold) rows: lines grouped by district and program, subtotals, grand total."""
    districts, programs = ledger.district_names, ledger.program_names
    item_order = {item: i for i, item in enumerate(COST_ITEMS)}
    ordered = sorted(
        ledger.lines,
        key=lambda ln: (ln.district, ln.program, ln.month, item_order.get(ln.cost_item, 99)),
    )
    for district in _unique(ln.district for ln in ordered):
        in_district = [ln for ln in ordered if ln.district == district]
        name = districts.get(district, district)
        district_programs = _unique(ln.program for ln in in_district)
        for program in district_programs:
            group = [ln for ln in in_district if ln.program == program]
            for ln in group:
                yield (
                    [
                        ln.month,
                        name,
                        programs.get(program, program),
                        cost_item_label(ln.cost_item),
                        ln.participants,
                        ln.amount,
                        ln.city_share,
                        ln.district_share,
                    ],
                    False,
                )
            yield _total("소계", name, programs.get(program, program), group), True
        if len(district_programs) > 1:
            yield _total("자치구 소계", name, "", in_district), True
    program_codes = sorted(_unique(ln.program for ln in ordered))
    if len(program_codes) > 1:
        for program in program_codes:
            group = [ln for ln in ordered if ln.program == program]
            yield _total("사업 합계", "", programs.get(program, program), group), True
    yield _total(GRAND_TOTAL, "", "", ordered), True


def _total(title: str, district: str, program: str, lines: Sequence[LedgerLine]) -> list[Any]:
    return [
        title,
        district,
        program,
        "",
        None,
        sum(ln.amount for ln in lines),
        sum(ln.city_share for ln in lines),
        sum(ln.district_share for ln in lines),
    ]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_BOLD = Font(bold=True)


def _layout(sheet: WriteOnlyWorksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _header(sheet: WriteOnlyWorksheet, titles: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for title in titles:
        cell = sheet_cell(sheet, title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        cells.append(cell)
    return cells


def _styled(sheet: WriteOnlyWorksheet, values: Sequence[Any], bold: bool) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = sheet_cell(sheet, value)
        if isinstance(value, int):
            cell.number_format = NUMBER_FORMAT
        if bold:
            cell.font = _BOLD
        cells.append(cell)
    return cells


def _rows(
    sheet: WriteOnlyWorksheet,
    head: Iterable[list[WriteOnlyCell]],
    body: Iterable[list[WriteOnlyCell]],
) -> None:
    for row in head:
        sheet.append(row)
    for row in body:
        sheet.append(row)
