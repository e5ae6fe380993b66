"""``payroll import``: rosters, history and attendance files (the commands live in their
own modules; this is the group that gathers them)."""

from __future__ import annotations

import typer

from payroll.cli.roster import import_history, import_participants
from payroll.cli.runs import import_attendance_command

import_app = typer.Typer(
    help="명부·과거 이력·근태 파일 가져오기 (CSV 또는 XLSX). 모든 행을 먼저 검사하고, "
    "한 행이라도 틀리면 아무것도 저장하지 않습니다.",
    no_args_is_help=True,
)
import_app.command("participants", help="참여자 명부 가져오기")(import_participants)
import_app.command("history", help="과거 참여 이력 가져오기 (참여 제한 계산용)")(import_history)
import_app.command("attendance", help="근태 예외 가져오기 (결근·연차·공가·시간)")(
    import_attendance_command
)
