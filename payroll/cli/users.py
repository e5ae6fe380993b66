"""``payroll user …`` and ``payroll setting …``: console users and city settings."""

from __future__ import annotations

from typing import Annotated

import typer

from payroll.cli.common import Table, console, fail, open_root
from payroll.domain.model import PayrollError
from payroll.services.admin import city_settings
from payroll.services.admin.users import add_user, disable_user, list_users, reset_password
from payroll.services.common.access import ROLE_LABELS, Role

user_app = typer.Typer(
    help="Console users (웹 콘솔 사용자): add, list, disable, reset a password.",
    no_args_is_help=True,
)
setting_app = typer.Typer(help="City settings (시 설정), audited.", no_args_is_help=True)
ByOpt = Annotated[str, typer.Option("--by", help="Your name, for the audit log (operator).")]


def _one_time(username: str, password: str) -> None:
    console.print(
        f"[bold]{username}[/]의 일회용 비밀번호 (한 번만 보입니다. 처음 로그인할 때 바꿉니다): "
        f"[bold]{password}[/]",
        highlight=False,
    )


@user_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name, e.g. kim.clerk")],
    role: Annotated[
        str, typer.Option("--role", help=" | ".join(f"{r.value} ({ROLE_LABELS[r]})" for r in Role))
    ],
    district: Annotated[
        list[str] | None,
        typer.Option("--district", "-d", help="District code or name; repeat for several."),
    ] = None,
    name: Annotated[str, typer.Option("--name", help="Display name, e.g. 김담당.")] = "",
    by: ByOpt = "admin",
) -> None:
    """Add a user and print their one-time password."""
    uow = open_root().uow()
    try:
        password = add_user(uow, username, name, role, district or [], by)
    except PayrollError as exc:
        fail(str(exc))
    _one_time(username, password)


@user_app.command("list")
def list_command() -> None:
    """Every user with role, districts and state."""
    users = list_users(open_root().uow())
    table = Table("사용자 이름", "이름", "역할", "자치구", "상태")
    for u in users:
        state = "사용 중지" if u.disabled else "잠김" if u.locked else "사용 중"
        if u.must_change_password and not u.disabled:
            state += " (첫 로그인에 비밀번호 변경)"
        label = next((ROLE_LABELS[r] for r in Role if r.value == u.role), u.role)
        districts = ",".join(u.districts) or "(전체)"
        table.add_row(u.username, u.display_name, f"{label} ({u.role})", districts, state)
    console.print(table)


@user_app.command("disable")
def disable(username: str, by: ByOpt = "admin") -> None:
    """Disable a user: they can no longer log in and their sessions end."""
    uow = open_root().uow()
    try:
        disable_user(uow, username, by)
    except PayrollError as exc:
        fail(str(exc))
    console.print(f"사용자 {username}: 사용 중지했습니다.")


@user_app.command("reset-password")
def reset(username: str, by: ByOpt = "admin") -> None:
    """Give a user a new one-time password (printed once) and lift a login lock."""
    uow = open_root().uow()
    try:
        password = reset_password(uow, username, by)
    except PayrollError as exc:
        fail(str(exc))
    _one_time(username, password)


@setting_app.command("self-finalize")
def self_finalize(
    value: Annotated[str, typer.Argument(help="on: the approver may also finalize; off.")],
    by: ByOpt = "admin",
) -> None:
    """One-person offices: let the manager who approved a run finalize it too (audited)."""
    uow = open_root().uow()
    try:
        with uow:
            city_settings.put(uow, city_settings.SELF_FINALIZE, value, by)
    except PayrollError as exc:
        fail(str(exc))
    console.print(f"self_finalize = {value}")
