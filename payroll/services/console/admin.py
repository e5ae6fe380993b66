"""City administrator's pages of the console: catalog, holidays, users, scheduler history."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from payroll.domain.model import PayrollError
from payroll.domain.scheduler import Execution
from payroll.domain.withholding import WithholdingTableError
from payroll.formats.inputs import parse_date
from payroll.reference.withholding_data import load_withholding_table
from payroll.services.admin import city_settings, users
from payroll.services.admin.tables import holiday_calendar, set_holiday_override, store_withholding
from payroll.services.common import audit
from payroll.services.common.access import Action, Actor, Forbidden, NotFound, Role, require
from payroll.services.console.imports import safe_name
from payroll.services.unit_of_work import UnitOfWork


def catalog(uow: UnitOfWork, actor: Actor) -> dict[str, Any]:
    """The stored catalog: programs, years, rates, terms, limit rules, districts."""
    require(actor, Action.CATALOG)
    with uow:
        data = uow.catalog.data()
        table = uow.admin.withholding_info()
    data["withholding"] = (
        {"source": table.source, "loaded_at": table.loaded_at, "rows": table.rows}
        if table
        else None
    )
    return data


def holidays(uow: UnitOfWork, actor: Actor, year: int) -> dict[str, Any]:
    """The public holidays of ``year`` and the administrator's overrides."""
    require(actor, Action.HOLIDAYS)
    calendar, overrides = holiday_calendar(uow)
    days = sorted(calendar.holidays_between(date(year, 1, 1), date(year, 12, 31)).items())
    return {
        "year": year,
        "days": days,
        "overrides": [(o.day, o.action, o.name) for o in overrides],
    }


def change_holiday(uow: UnitOfWork, actor: Actor, day_text: str, action: str, name: str) -> date:
    """Add or remove a holiday override as ``payroll holiday add|remove`` does; the day."""
    require(actor, Action.HOLIDAYS)
    day = parse_date(day_text.strip())
    with audit.acting_as(actor.kind):
        set_holiday_override(uow, day, action, name.strip(), actor.name)
    return day


def upload_withholding(
    uow: UnitOfWork, actor: Actor, filename: str, data: bytes, effective_from: str = ""
) -> int:
    """Put an uploaded official table in force as ``payroll withholding import`` does,
    from its 시행일 ``effective_from`` (YYYY-MM-DD; empty: every month not finalized).

    The table is checked complete first; a refused file stores nothing. Returns the bands.
    """
    require(actor, Action.WITHHOLDING)
    since = parse_date(effective_from) if effective_from.strip() else None
    folder = Path(tempfile.mkdtemp(prefix="payroll-withholding-"))
    try:
        path = folder / safe_name(filename or "table.csv")
        path.write_bytes(data)
        try:
            table = load_withholding_table(path)
        except PayrollError as exc:
            raise WithholdingTableError(str(exc).replace(str(folder) + "/", "")) from None
        with audit.acting_as(actor.kind):
            store_withholding(uow, table, path.name, path.name, actor.name, since)
        return len(table.rows)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def scheduler_history(uow: UnitOfWork, actor: Actor, limit: int = 100) -> list[Execution]:
    require(actor, Action.SCHEDULER)
    with uow:
        return uow.scheduler.recent_executions(None, limit)


def user_list(uow: UnitOfWork, actor: Actor) -> list[users.UserInfo]:
    require(actor, Action.USERS)
    return users.list_users(uow)


# Roles whose one-time password the console may show. Every other role reads participants'
# names: its credentials are issued only on the server (`payroll user add` and
# `payroll user reset-password`), so that the "totals only" city administrator can neither
# read names through an account it made nor hold a clerk's and a manager's password at once.
CONSOLE_ISSUED_ROLES = frozenset({Role.CITY_ADMIN})
SERVER_ONLY = (
    "담당·팀장·재무 계정은 참여자 이름을 볼 수 있어 콘솔에서 만들거나 비밀번호를 초기화할 수 "
    "없습니다. 서버 운영자에게 요청하십시오 (서버의 사용자 추가·비밀번호 초기화 명령)."
)


def _console_may_issue(role: str) -> None:
    try:
        the_role = Role(role)
    except ValueError:
        return  # users.add_user refuses an unknown role in its own words
    if the_role not in CONSOLE_ISSUED_ROLES:
        raise Forbidden(SERVER_ONLY)


def add_user(
    uow: UnitOfWork, actor: Actor, username: str, name: str, role: str, districts: list[str]
) -> str:
    """Add a city administrator; the one-time password is returned to show once.

    Accounts that read names (clerk, manager, finance) are refused: see
    :data:`CONSOLE_ISSUED_ROLES`.
    """
    require(actor, Action.USERS)
    _console_may_issue(role)
    with audit.acting_as(actor.kind):
        return users.add_user(uow, username, name, role, districts, actor.name)


def disable_user(uow: UnitOfWork, actor: Actor, username: str) -> None:
    require(actor, Action.USERS)
    if username == actor.name:
        raise users.UserError("자기 자신은 사용 중지할 수 없습니다 (다른 시 관리자가 합니다)")
    with audit.acting_as(actor.kind):
        users.disable_user(uow, username, actor.name)


def reset_password(uow: UnitOfWork, actor: Actor, username: str) -> str:
    """A new one-time password for a city administrator account (others: on the server)."""
    require(actor, Action.USERS)
    with uow:
        target = uow.users.get(username)
    if target is None:
        raise NotFound(f"사용자 {username}: 찾을 수 없습니다")
    _console_may_issue(target.role)
    with audit.acting_as(actor.kind):
        return users.reset_password(uow, username, actor.name)


def district_users(uow: UnitOfWork, actor: Actor) -> list[users.UserInfo]:
    """The clerk and manager accounts of the manager's districts."""
    require(actor, Action.DISTRICT_USERS)
    return [u for u in users.list_users(uow) if _in_district(actor, u.role, u.districts)]


def _in_district(actor: Actor, role: str, districts: tuple[str, ...]) -> bool:
    local = role in (Role.CLERK.value, Role.MANAGER.value)
    return local and any(d in actor.districts for d in districts)


def district_disable(uow: UnitOfWork, actor: Actor, username: str) -> None:
    """A manager stops an account of their district (another district's: not found)."""
    require(actor, Action.DISTRICT_USERS)
    with uow:
        target = uow.users.get(username)
    if target is None or not _in_district(actor, target.role, target.districts):
        raise NotFound(f"사용자 {username}: 찾을 수 없습니다")
    if username == actor.name:
        raise users.UserError("자기 자신은 사용 중지할 수 없습니다")
    with audit.acting_as(actor.kind):
        users.disable_user(uow, username, actor.name)


def settings(uow: UnitOfWork, actor: Actor) -> dict[str, bool]:
    require(actor, Action.SETTINGS)
    with uow:
        return {city_settings.SELF_FINALIZE: city_settings.self_finalize_allowed(uow)}


def set_self_finalize(uow: UnitOfWork, actor: Actor, on: bool) -> None:
    require(actor, Action.SETTINGS)
    with audit.acting_as(actor.kind), uow:
        city_settings.put(uow, city_settings.SELF_FINALIZE, "on" if on else "off", actor.name)
