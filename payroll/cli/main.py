"""``payroll``: the payroll and scheduling batch system for Seoul's public-job programs.

Only ``init`` is defined here; every other command is loaded from its own module when it
runs (:mod:`payroll.cli.lazy`), so ``payroll --help`` starts without the heavy libraries.
"""

from __future__ import annotations

import typer

from payroll.cli.errors import SafeGroup

app = typer.Typer(
    name="payroll",
    help=(
        "서울 공공일자리(서울 동행일자리, 서울 매력일자리) 급여·일정 관리: 명부와 참여 제한, "
        "월 급여 실행, 급여명세서 PDF, 시·구 분담금 대장, 신고 파일.\n\n"
        "데이터베이스는 현재 폴더의 payroll.db, 또는 PAYROLL_DATABASE_URL "
        "(예: postgresql+psycopg://user@host/payroll). 처음에는 `payroll init`.\n\n"
        "명령 이름은 영어 그대로 씁니다. 명령마다 `--help`가 있습니다. 알아듣지 못한 입력은 "
        "한 줄 오류와 종료 코드 2, 거부는 1."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
    add_completion=False,
    options_metavar="[옵션]",
    subcommand_metavar="명령 [인자]...",
    cls=SafeGroup,
)


@app.callback()
def root() -> None:
    """The group's own step: none (it keeps ``payroll`` a group of commands)."""


@app.command(help="데이터베이스를 만들거나 최신 구조로 올리고, 기본 카탈로그를 넣습니다.")
def init() -> None:
    """Create the database or upgrade it to the newest schema, and load the shipped catalog.

    Catalog rows the database already has are kept as an administrator left them.
    """
    from payroll.cli.common import Table, _safe, console, plain
    from payroll.config.settings import database_url
    from payroll.db import migrate
    from payroll.db.catalog_store import load_catalog
    from payroll.db.engine import make_engine, transaction
    from payroll.reference.catalog import shipped_catalog_data

    url = database_url()
    before = migrate.current_revision(url)
    migrate.upgrade(url)
    engine = make_engine(url)
    with transaction(engine) as session:
        report = load_catalog(session, shipped_catalog_data())
    engine.dispose()
    after = migrate.current_revision(url)
    state = (
        "만들었습니다" if before is None else ("올렸습니다" if before != after else "최신입니다")
    )
    console.print(f"데이터베이스 [bold]{plain(_safe(url))}[/]: {state} (구조 {after}).")
    if report.total:
        table = Table("카탈로그", "추가한 행", title="기본 카탈로그를 넣었습니다")
        for kind, count in report.added.items():
            table.add_row(kind, str(count))
        console.print(table)
    else:
        console.print("카탈로그가 이미 있습니다. 추가한 것이 없습니다.")
    _person_key_advice(url)


def _person_key_advice(url: str) -> None:
    """Say what to do when the city-wide person key is missing or not yet computed."""
    from payroll.cli.common import console, plain
    from payroll.composition import build
    from payroll.services.people.city import person_key_advice

    root = build(url)
    try:
        advice = person_key_advice(root.uow())
    finally:
        root.close()
    if advice:
        console.print(f"[yellow]{plain(advice)}[/]")


if __name__ == "__main__":
    app()
