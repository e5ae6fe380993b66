"""City administrator's pages of the console: catalog, holidays, users, scheduler history."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from payroll.db.catalog_store import catalog_data, holiday_calendar
from payroll.db.engine import transaction
from payroll.db.models import HolidayOverride, WithholdingTableRow
from payroll.db.uow import SqlUnitOfWork
from payroll.domain.model import PayrollError
from payroll.domain.withholding import WithholdingTableError
from payroll.formats.inputs import parse_date
from payroll.reference.withholding_data import load_withholding_table
from payroll.scheduler import history
from payroll.services import audit, city_settings, users
from payroll.services.access import Action, Actor, require
from payroll.services.admin_tables import set_holiday_override, store_withholding
from payroll.services.console_imports import safe_name


def catalog(engine: Engine, actor: Actor) -> dict[str, Any]:
    """The stored catalog: programs, years, rates, terms, limit rules, districts."""
    require(actor, Action.CATALOG)
    with transaction(engine) as session:
        data = catalog_data(session)
        table = session.scalars(
            select(WithholdingTableRow).order_by(WithholdingTableRow.id.desc())
        ).first()
        data["withholding"] = (
            {"source": table.source, "loaded_at": table.loaded_at, "rows": len(table.rows)}
            if table
            else None
        )
    return data


def holidays(engine: Engine, actor: Actor, year: int) -> dict[str, Any]:
    """The public holidays of ``year`` and the administrator's overrides."""
    require(actor, Action.HOLIDAYS)
    with transaction(engine) as session:
        calendar = holiday_calendar(session)
        overrides = list(session.scalars(select(HolidayOverride).order_by(HolidayOverride.day)))
    days = sorted(calendar.holidays_between(date(year, 1, 1), date(year, 12, 31)).items())
    return {
        "year": year,
        "days": days,
        "overrides": [(o.day, o.action, o.name) for o in overrides],
    }


def change_holiday(engine: Engine, actor: Actor, day_text: str, action: str, name: str) -> date:
    """Add or remove a holiday override as ``payroll holiday add|remove`` does; the day."""
    require(actor, Action.HOLIDAYS)
    day = parse_date(day_text.strip())
    with audit.acting_as(actor.kind), transaction(engine) as session:
        set_holiday_override(session, day, action, name.strip(), actor.name)
    return day


def upload_withholding(engine: Engine, actor: Actor, filename: str, data: bytes) -> int:
    """Put an uploaded official table in force as ``payroll withholding import`` does.

    The table is checked complete first; a refused file stores nothing. Returns the bands.
    """
    require(actor, Action.WITHHOLDING)
    folder = Path(tempfile.mkdtemp(prefix="payroll-withholding-"))
    try:
        path = folder / safe_name(filename or "table.csv")
        path.write_bytes(data)
        try:
            table = load_withholding_table(path)
        except PayrollError as exc:
            raise WithholdingTableError(str(exc).replace(str(folder) + "/", "")) from None
        with audit.acting_as(actor.kind), transaction(engine) as session:
            store_withholding(session, table, path.name, path.name, actor.name)
        return len(table.rows)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def scheduler_history(engine: Engine, actor: Actor, limit: int = 100) -> list[history.Execution]:
    require(actor, Action.SCHEDULER)
    return history.recent(SqlUnitOfWork(engine), limit=limit)


def user_list(engine: Engine, actor: Actor) -> list[users.UserInfo]:
    require(actor, Action.USERS)
    with transaction(engine) as session:
        return users.list_users(session)


def add_user(
    engine: Engine, actor: Actor, username: str, name: str, role: str, districts: list[str]
) -> str:
    """Add a user; the one-time password is returned to show once."""
    require(actor, Action.USERS)
    with audit.acting_as(actor.kind), transaction(engine) as session:
        return users.add_user(session, username, name, role, districts, actor.name)


def disable_user(engine: Engine, actor: Actor, username: str) -> None:
    require(actor, Action.USERS)
    if username == actor.name:
        raise users.UserError("자기 자신은 사용 중지할 수 없습니다 (다른 시 관리자가 합니다)")
    with audit.acting_as(actor.kind), transaction(engine) as session:
        users.disable_user(session, username, actor.name)


def reset_password(engine: Engine, actor: Actor, username: str) -> str:
    require(actor, Action.USERS)
    with audit.acting_as(actor.kind), transaction(engine) as session:
        return users.reset_password(session, username, actor.name)


def settings(engine: Engine, actor: Actor) -> dict[str, bool]:
    require(actor, Action.SETTINGS)
    with transaction(engine) as session:
        return {city_settings.SELF_FINALIZE: city_settings.self_finalize_allowed(session)}


def set_self_finalize(engine: Engine, actor: Actor, on: bool) -> None:
    require(actor, Action.SETTINGS)
    with audit.acting_as(actor.kind), transaction(engine) as session:
        city_settings.put(session, city_settings.SELF_FINALIZE, "on" if on else "off", actor.name)
