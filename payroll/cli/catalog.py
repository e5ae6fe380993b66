"""``payroll catalog show|export|import``: the city's year figures (연도별 기준)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from payroll.cli.common import Table, console, open_root
from payroll.formats.atomic import atomic_write_bytes
from payroll.formats.catalog_file import catalog_toml, read_catalog_file
from payroll.services.admin.catalog_years import export_year, import_catalog, year_overview

catalog_app = typer.Typer(
    help="연도별 기준(catalog): 시급, 보험료율, 소득세 연도 기준, 기수, 참여 제한.",
    no_args_is_help=True,
)

Year = Annotated[int, typer.Option("--year", min=2000, max=2100, help="연도, 예: 2027.")]


@catalog_app.command("show")
def show(
    year: Annotated[
        int | None, typer.Option("--year", min=2000, max=2100, help="연도 (기본: 올해).")
    ] = None,
) -> None:
    """한 해의 모든 기준 값과 아직 입력되지 않은 값."""
    year = year or date.today().year
    overview = year_overview(open_root().uow(), year)
    table = Table("항목", "값", title=f"{year}년 기준")
    for name, value in overview.figures:
        table.add_row(name, value)
    console.print(table)
    if overview.missing:
        console.print(f"[bold]아직 없는 값 ({len(overview.missing)}건):[/]")
        for name in overview.missing:
            console.print(f"  - {name}")
        console.print(
            "입력: `payroll catalog export --year 연도 --out 파일.toml` 로 받은 파일을 고쳐 "
            "`payroll catalog import 파일.toml --by 이름` (먼저 --dry-run)"
        )
    else:
        console.print(f"{year}년 급여 계산에 필요한 값이 모두 있습니다.")
    for run in overview.stale:
        console.print(f"재계산 필요: {run}", highlight=False)


@catalog_app.command("export")
def export(
    year: Year,
    out: Annotated[Path, typer.Option("--out", help="쓸 파일 (.toml).")],
) -> None:
    """한 해의 기준을 배포된 catalog.toml 형식으로 씁니다 (고쳐서 import 하세요)."""
    data = export_year(open_root().uow(), year)
    header = (
        f"{year}년 연도 기준 (payroll catalog export). 값을 고친 뒤\n"
        "payroll catalog import 이파일.toml --by 이름 --dry-run 으로 확인하고 반영하세요.\n"
        '비율은 소수로 적습니다: 5 % → "0.05".'
    )
    atomic_write_bytes(out, catalog_toml(data, header).encode("utf-8"))
    count = sum(len(v) for v in data.values() if isinstance(v, list))
    console.print(f"{out}: {year}년 기준 {count}개 블록을 썼습니다.")


@catalog_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="연도 기준 파일 (catalog.toml 형식).")],
    by: Annotated[str, typer.Option("--by", help="바꾸는 사람 (감사 기록).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="바뀔 내용만 보이고 아무것도 쓰지 않습니다.")
    ] = False,
) -> None:
    """연도 기준 파일을 검사해 추가·변경합니다; 문제가 하나라도 있으면 아무것도 쓰지 않습니다."""
    data = read_catalog_file(file)
    result = import_catalog(open_root().uow(), data, by, file.name, dry_run)
    if not result.changes:
        console.print("바뀌는 값이 없습니다.")
        return
    for line in result.changes:
        console.print(f"  {line}", highlight=False)
    for run in result.marked:
        console.print(f"  재계산 필요: {run}", highlight=False)
    if result.dry_run:
        console.print(f"미리 보기: {len(result.changes)}건 (--dry-run: 아무것도 쓰지 않았습니다)")
    else:
        console.print(
            f"{len(result.changes)}건을 반영했습니다 ({by}); "
            f"재계산 표시된 급여 {len(result.marked)}건."
        )
