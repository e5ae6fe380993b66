"""Job definitions (예약 작업 정의) read from ``schedules/*.toml``.

Each file holds ``[[jobs]]`` tables::

    [[jobs]]
    id = "calculate-previous-month"
    func = "payroll.scheduler.jobs:calculate_previous_month"
    cron = { day = "1", hour = "2", minute = "0" }
    misfire_grace_time = 21600
    description = "Calculate every run of the previous month"

Cron fields are APScheduler's (``year month day week day_of_week hour minute second``) and
are read in Asia/Seoul. Every mistake is reported with the file and the job it is in.
"""

from __future__ import annotations

import importlib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from payroll.domain.model import PayrollError

SEOUL = ZoneInfo("Asia/Seoul")
CRON_FIELDS = ("year", "month", "day", "week", "day_of_week", "hour", "minute", "second")
DEFAULT_MISFIRE_GRACE_TIME = 3600
_KEYS = {"id", "func", "cron", "misfire_grace_time", "description"}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
_FUNC = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


class ScheduleError(PayrollError):
    """A schedule file or job definition is unusable; the message names file and job."""


@dataclass(frozen=True)
class JobDefinition:
    """One scheduled job: what to call (``module:function``) and when (cron, Asia/Seoul)."""

    id: str
    func: str
    cron: dict[str, str]
    misfire_grace_time: int
    description: str
    source: Path = field(compare=False)

    def trigger(self) -> CronTrigger:
        """The APScheduler trigger of the definition, in Asia/Seoul."""
        return CronTrigger(timezone=SEOUL, **self.cron)

    def cron_text(self) -> str:
        """``day=1 hour=2 minute=0``: the cron fields as written."""
        return " ".join(f"{k}={v}" for k, v in self.cron.items())

    def resolve(self) -> Callable[..., Any]:
        """The job function; a clear error when it cannot be imported or is not callable."""
        return resolve_func(self.func, where=f"{self.source}: job {self.id!r}")


def resolve_func(ref: str, where: str = "") -> Callable[..., Any]:
    """Import ``module:function`` and return it."""
    prefix = f"{where}: " if where else ""
    module_name, _, attr = ref.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ScheduleError(f"{prefix}func {ref!r}: cannot import {module_name}: {exc}") from exc
    func = getattr(module, attr, None)
    if func is None:
        raise ScheduleError(f"{prefix}func {ref!r}: {module_name} has no {attr!r}")
    if not callable(func):
        raise ScheduleError(f"{prefix}func {ref!r} is not callable")
    return func


def load_definitions(directory: Path) -> list[JobDefinition]:
    """Every job of every ``*.toml`` in ``directory``, in file then declaration order."""
    if not directory.is_dir():
        raise ScheduleError(f"schedules directory {directory} does not exist")
    jobs: list[JobDefinition] = []
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob("*.toml")):
        for job in load_file(path):
            if job.id in seen:
                raise ScheduleError(f"{path}: job {job.id!r} is already defined in {seen[job.id]}")
            seen[job.id] = path
            jobs.append(job)
    return jobs


def load_file(path: Path) -> list[JobDefinition]:
    """The jobs of one schedule file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScheduleError(f"{path}: not valid TOML: {exc}") from exc
    unknown = set(data) - {"jobs"}
    if unknown:
        raise ScheduleError(f"{path}: unknown top-level keys {sorted(unknown)} (only [[jobs]])")
    tables = data.get("jobs", [])
    if not isinstance(tables, list):
        raise ScheduleError(f"{path}: 'jobs' must be an array of tables ([[jobs]])")
    return [_parse_job(path, index, table) for index, table in enumerate(tables, start=1)]


def _parse_job(path: Path, index: int, table: dict[str, Any]) -> JobDefinition:
    raw_id = table.get("id")
    name = f"job {raw_id!r}" if isinstance(raw_id, str) else f"job #{index}"

    def bad(reason: str) -> ScheduleError:
        return ScheduleError(f"{path}: {name}: {reason}")

    unknown = set(table) - _KEYS
    if unknown:
        raise bad(f"unknown keys {sorted(unknown)} (allowed: {sorted(_KEYS)})")
    for key in ("id", "func", "cron"):
        if key not in table:
            raise bad(f"missing {key!r}")
    if not isinstance(raw_id, str) or not _ID.match(raw_id):
        raise bad("'id' must be lower-case letters, digits, '-' or '_' (at most 100)")
    func = table["func"]
    if not isinstance(func, str) or not _FUNC.match(func):
        raise bad(f"'func' must look like 'package.module:function', not {func!r}")
    cron = _parse_cron(table["cron"], bad)
    grace = table.get("misfire_grace_time", DEFAULT_MISFIRE_GRACE_TIME)
    if isinstance(grace, bool) or not isinstance(grace, int) or grace <= 0:
        raise bad(f"'misfire_grace_time' must be a positive number of seconds, not {grace!r}")
    description = table.get("description", "")
    if not isinstance(description, str):
        raise bad("'description' must be a string")
    job = JobDefinition(raw_id, func, cron, grace, description, path)
    try:
        job.trigger()
    except (ValueError, TypeError) as exc:
        raise bad(f"invalid cron {job.cron_text()!r}: {exc}") from exc
    return job


def _parse_cron(value: Any, bad: Callable[[str], ScheduleError]) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise bad('\'cron\' must be an inline table such as { day = "1", hour = "2" }')
    unknown = set(value) - set(CRON_FIELDS)
    if unknown:
        raise bad(f"unknown cron fields {sorted(unknown)} (allowed: {list(CRON_FIELDS)})")
    cron: dict[str, str] = {}
    for key in CRON_FIELDS:
        if key not in value:
            continue
        item = value[key]
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise bad(f"cron field {key!r} must be a string or integer, not {item!r}")
        cron[key] = str(item)
    return cron
