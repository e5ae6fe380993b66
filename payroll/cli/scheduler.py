"""``payroll scheduler``: the batch-job scheduler (start, list, run, history)."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import UTC, datetime
from types import FrameType

import pendulum
import typer
from rich.text import Text

from payroll.cli.common import Table, console, err_console, fail, open_root, plain
from payroll.config.settings import schedules_dir
from payroll.domain.model import PayrollError
from payroll.privacy.rrn import RedactingFilter
from payroll.scheduler import history
from payroll.scheduler.definitions import SEOUL, JobDefinition, load_definitions
from payroll.scheduler.execution import execute
from payroll.scheduler.lease import new_holder
from payroll.scheduler.service import SchedulerSettings, next_fire_times, run

scheduler_app = typer.Typer(
    name="scheduler",
    help=(
        "Scheduled batch jobs (예약 작업): calculate runs, render payslips, write ledgers, "
        "close ended terms, check integrity. Jobs are defined in schedules/*.toml "
        "(or PAYROLL_SCHEDULES_DIR); times are Asia/Seoul."
    ),
    no_args_is_help=True,
)


def _definitions() -> list[JobDefinition]:
    try:
        return load_definitions(schedules_dir())
    except PayrollError as exc:
        fail(str(exc))


def _kst(value: datetime | None) -> str:
    return value.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M:%S") if value else "-"


@scheduler_app.command()
def start(
    lease_seconds: float | None = typer.Option(
        None, help="Lease time to live (default 60, or PAYROLL_SCHEDULER_LEASE_SECONDS)."
    ),
    renew_seconds: float | None = typer.Option(
        None, help="Lease renewal interval (default 20, or PAYROLL_SCHEDULER_RENEW_SECONDS)."
    ),
) -> None:
    """Run the scheduler in the foreground until SIGTERM or Ctrl-C.

    Only one scheduler may run per database: a second one refuses to start and names the
    holder. On stop, the job in progress is finished first.
    """
    definitions = _definitions()
    try:
        settings = SchedulerSettings.from_env(
            lease_seconds=lease_seconds, renew_seconds=renew_seconds
        )
    except PayrollError as exc:
        fail(str(exc))
    root = open_root()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:  # resident numbers never reach the log
        handler.addFilter(RedactingFilter())
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        err_console.print(f"{signal.Signals(signum).name}: stopping after the running jobs …")
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    console.print(f"예약 작업 실행기 시작: 작업 {len(definitions)}개 ({schedules_dir()})")
    try:
        run(root, definitions, stop, settings)
    except PayrollError as exc:
        fail(str(exc))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        root.close()
    console.print("예약 작업 실행기를 멈췄습니다.")


@scheduler_app.command("list")
def list_jobs() -> None:
    """Show each job: id, description, cron (Asia/Seoul) and next fire time."""
    definitions = _definitions()
    upcoming = next_fire_times(definitions, datetime.now(UTC))
    table = Table("id", "description", "cron (Asia/Seoul)", "grace s", "next fire (KST)")
    for d in definitions:
        table.add_row(
            d.id, d.description, d.cron_text(), str(d.misfire_grace_time), _kst(upcoming[d.id])
        )
    console.print(table)


@scheduler_app.command("run")
def run_job(
    job: str = typer.Argument(..., help="Job id, as in `payroll scheduler list`."),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="Run as if fired at this Asia/Seoul time (e.g. 2025-03-01T02:00); default now.",
    ),
) -> None:
    """Run one job now, by hand (recorded with trigger 'manual').

    If the same work is already in progress, nothing is done and the holder is named.
    """
    definitions = {d.id: d for d in _definitions()}
    if job not in definitions:
        fail(f"no job {job!r}; defined jobs: {', '.join(definitions) or 'none'}")
    definition = definitions[job]
    try:
        fired_at = pendulum.parse(as_of, tz=SEOUL.key) if as_of else pendulum.now(SEOUL.key)
    except ValueError as exc:
        fail(f"--as-of {as_of!r} is not a date and time: {exc}")
    if not isinstance(fired_at, pendulum.DateTime):
        fail(f"--as-of {as_of!r} is not a date and time")
    root = open_root()
    try:
        result = execute(root, job, definition.func, fired_at, "manual", new_holder())
    finally:
        root.close()
    if result.outcome == "failed":
        fail(f"job {job} failed: {result.message}")
    if result.outcome == "skipped":
        console.print(f"[yellow]skipped[/]: {plain(result.message)}", highlight=False)
        return
    console.print(f"[green]{plain(job)}[/]: {plain(result.message or 'done')}", highlight=False)


@scheduler_app.command("history")
def show_history(
    job: str | None = typer.Option(None, "--job", help="Only this job id."),
    limit: int = typer.Option(20, "--limit", min=1, help="How many executions, newest first."),
) -> None:
    """Show recent executions: scheduled time, start, end, outcome and message (KST)."""
    root = open_root()
    try:
        rows = history.recent(root.uow(), job, limit)
    finally:
        root.close()
    if not rows:
        console.print((f"작업 {job}의 " if job else "") + "실행 기록이 없습니다.")
        return
    table = Table(
        "#", "job", "trigger", "scheduled (KST)", "started", "ended", "outcome", "message"
    )
    colours = {"success": "green", "failed": "red", "missed": "red", "skipped": "yellow"}
    for row in rows:
        colour = colours.get(row.outcome, "white")
        table.add_row(
            str(row.id),
            row.job_id,
            row.trigger,
            _kst(row.scheduled_for),
            _kst(row.started_at),
            _kst(row.ended_at),
            Text(row.outcome, colour),
            row.message,
        )
    console.print(table)
