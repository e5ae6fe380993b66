"""Empty import workbooks (양식): Korean headers, one example row, a sheet explaining them.

``payroll template roster|history|attendance --out FILE.xlsx`` writes them; every header
is one the matching import accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from payroll.domain.labels import END_REASON_LABELS as END_REASONS
from payroll.formats.inputs import DATE_FORMATS
from payroll.formats.sheet_cells import append_row


@dataclass(frozen=True)
class Column:
    header: str  # the Korean header the import reads
    required: str  # 필수 / 선택 / condition
    accepts: str  # formats and values
    example: object


_DATES = f"날짜: {DATE_FORMATS}, 또는 엑셀 날짜"
_REASONS = ", ".join(f"{label}({code})" for code, label in END_REASONS.items())
_PROGRAM = "서울 동행일자리 / 동행일자리 / dongheng, 서울 매력일자리 / 매력일자리 / maeryeok"

TEMPLATES: dict[str, tuple[str, list[Column]]] = {
    "roster": (
        "참여자 명부",
        [
            Column("참여자번호", "필수", "구에서 정한 번호 (영문·숫자·-)", "J-001"),
            Column("성명", "필수", "이름", "김민지"),
            Column("생년월일", "필수", _DATES, "1970-05-01"),
            Column("자치구", "필수", "코드(11110) 또는 이름(종로구, 종로, 서울 종로구)", "종로구"),
            Column("세대", "선택", "세대(가구) 구분 문자열: 같은 세대는 같은 값", "H-17"),
            Column(
                "주민등록번호",
                "참여 등록 시 필수",
                "000000-0000000 (암호화 저장, 화면에는 가림; 자치구가 달라도 같은 사람을 알아봄)",
                "700501-2000000",
            ),
            Column("은행", "선택 (계좌가 있으면 필수)", "은행 이름", "국민은행"),
            Column("계좌번호", "선택", "숫자와 -", "123456-01-234567"),
            Column("부양가족수", "선택 (기본 1)", "본인 포함 1 이상의 정수", 1),
            Column("사업", "참여 등록 시 필수", _PROGRAM, "서울 동행일자리"),
            Column("기수", "참여 등록 시 필수", "동행: 2025-H1, 2025-H2 · 매력: 2025", "2025-H1"),
            Column("시작일", "선택 (기본: 기수 시작일)", _DATES + "; 기수 안", ""),
            Column("종료일", "선택 (기본: 기수 종료일)", _DATES + "; 기수 안", ""),
            Column("일근로시간", "선택 (기본: 사업 기준)", "0 초과 8 이하, 소수 둘째 자리까지", ""),
            Column("예외사유", "선택", "참여 제한을 넘어 등록하는 사유 (--by 필요)", ""),
            Column(
                "종료사유",
                "종료일을 앞당길 때 필수",
                f"중도 종료 사유: {_REASONS}; 종료일 열에 새 종료일",
                "",
            ),
            Column("종료사유내용", "종료사유가 기타이면 필수", "자유 기재", ""),
        ],
    ),
    "history": (
        "과거 참여 이력",
        [
            Column("참여자번호", "주민등록번호가 없으면 필수", "명부에 있는 참여자번호", "J-001"),
            Column(
                "주민등록번호",
                "선택 (있으면 이것으로 찾음)",
                "어느 자치구에 등록된 사람이든 주민등록번호로 찾습니다",
                "",
            ),
            Column("사업", "필수", _PROGRAM, "서울 동행일자리"),
            Column("시작일", "필수", _DATES, "2024-07-01"),
            Column("종료일", "필수", _DATES + "; 시작일 이후", "2024-12-31"),
            Column("자치구", "선택 (기본: 참여자의 자치구)", "그 참여를 한 자치구", ""),
        ],
    ),
    "attendance": (
        "근태 예외",
        [
            Column("참여자번호", "필수", "명부에 있는 참여자번호", "J-001"),
            Column("일자", "필수", _DATES, "2025.3.12"),
            Column(
                "상태",
                "필수",
                "근무, 결근, 연차, 공가 중 하나; 적지 않은 날은 정상 근무",
                "결근",
            ),  # fmt: skip
            Column("시간", "근무일 때 필수", "근무한 시간 (예: 6, 7.5); 근무가 아니면 비움", ""),
        ],
    ),
}


HELP_LINES = (
    "머리글은 첫 시트의 맨 위가 아니어도 됩니다: 제목 행 아래, 두 줄로 병합한 머리글, "
    "설명 시트 뒤의 시트도 찾습니다. 예시 행은 지우고 입력하세요.",
    "웹 화면: [파일 올리기]에서 이 파일을 고르고 [올리기]를 누릅니다. 모든 행을 먼저 "
    "검사하고, 한 행이라도 틀리면 아무것도 저장하지 않으며 틀린 행과 사유를 화면에 "
    "보여 줍니다.",
    "명령줄: payroll import participants|history|attendance 파일. 틀린 행은 "
    "파일이름.errors.csv에 남습니다.",
)
"""The help sheet's closing lines: how the file is read, and where it goes."""


def write_template(kind: str, path: Path) -> Path:
    """Write the ``kind`` template (roster, history, attendance) to ``path``."""
    title, columns = TEMPLATES[kind]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    append_row(sheet, [c.header for c in columns])
    append_row(sheet, [c.example if c.example != "" else None for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
            12, len(column.header) * 2 + 4
        )
        sheet.cell(2, index).number_format = "@"  # kept as typed (dates, leading zeros)
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet("설명")
    append_row(help_sheet, ["열", "필수 여부", "형식·값", "예"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in columns:
        append_row(
            help_sheet, [column.header, column.required, column.accepts, str(column.example)]
        )
    append_row(help_sheet, [])
    for line in HELP_LINES:
        append_row(help_sheet, [line])
    for width, letter in zip((14, 24, 70, 18), "ABCD", strict=True):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(path)
    return path
