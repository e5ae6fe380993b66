"""``payroll audit``: read the audit log (who did what, when) without SQL."""

from __future__ import annotations

from typing import Annotated

import typer

from payroll.cli.common import Table, console, date_option, fail_on, open_root, plain
from payroll.domain.model import PayrollError


def audit(
    run: Annotated[
        str | None, typer.Option("--run", help="A run id or MONTH/DISTRICT/PROGRAM.")
    ] = None,
    participant: Annotated[
        str | None, typer.Option("--participant", help="A participant id.")
    ] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Who acted (--by name).")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this date on (2025-04-01).")
    ] = None,
) -> None:
    """Show the audit log, newest first (at most 500 entries), filtered."""
    from payroll.domain.audit_labels import action_name, entity_name
    from payroll.services.admin.audit_log import AuditFilter, describe, read_audit
    from payroll.services.common.display_names import names

    day = date_option(since)
    uow = open_root().uow()
    try:
        entries = read_audit(uow, AuditFilter(run, participant, actor, day))
    except PayrollError as exc:
        fail_on(exc)
    if not entries:
        console.print("조건에 맞는 감사 기록이 없습니다")
        return
    known = names(uow)
    table = Table(
        "일시(UTC)", "사용자", "작업", "대상", "내용", title=f"감사 기록 {len(entries)}건"
    )
    for e in entries:
        table.add_row(
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            plain(e.actor),
            action_name(e.action),
            f"{entity_name(e.entity)} {plain(e.entity_id)}",
            plain(describe(e, known)),
        )
    console.print(table)
