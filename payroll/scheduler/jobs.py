"""The batch jobs (일괄 작업) named by ``schedules/*.toml``: thin calls into the services.

Each job works out its month or day from the firing time in Asia/Seoul, takes the work
lock of what it does, calls the service with a unit of work (``ctx.uow()``) and returns a
one-line summary for the history.
The services are idempotent and resumable, so a job repeated after a crash or by hand does no harm.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sized
from datetime import UTC, timedelta
from typing import Any

from payroll.config.settings import output_dir
from payroll.domain.model import PayrollError
from payroll.notify.channels import open_channels
from payroll.scheduler import history
from payroll.scheduler.execution import JobContext
from payroll.services.filings import jobs as filing_jobs
from payroll.services.ledger import integrity
from payroll.services.ledger import output as ledger_output
from payroll.services.payslips import delivery as payslip_delivery
from payroll.services.payslips import output as payslip_output
from payroll.services.runs import lifecycle as runs
from payroll.services.runs import scheduled_work, terms

FIRST_LOOKBACK = timedelta(days=35)  # payslip job with no earlier success: runs finalized since
OVERLAP = timedelta(hours=1)  # re-check runs finalized just before the previous success


class PayslipFailures(PayrollError):
    """Some payslips could not be rendered; the message lists them."""


class IntegrityProblems(PayrollError):
    """The integrity check found problems; the message lists them."""


def calculate_previous_month(ctx: JobContext) -> str:
    """Calculate every (district, program) run of the month before the firing (1st, 02:00)."""
    month = ctx.previous_month
    with ctx.lock(f"calculate:{month}"):
        calculated = runs.calculate_runs(
            ctx.uow(),
            month,
            actor="scheduler",
            workers=ctx.root.calculation_workers(),
            uow_factory=ctx.root.worker_uow(),
        )
    return f"{month}: calculated {_count(calculated)} run(s)"


def render_finalized_payslips(ctx: JobContext) -> str:
    """Render the payslips (PDF) of every month with runs finalized since the last success."""
    since = history.last_success_start(ctx.uow(), ctx.job_id)
    since = (since - OVERLAP if since else ctx.fired_at - FIRST_LOOKBACK).astimezone(UTC)
    months = scheduled_work.months_finalized_since(ctx.uow(), since)
    if not months:
        return "no newly finalized runs"
    done, failures = [], []
    with ctx.lock("payslips:finalized"):
        for month in months:
            report = payslip_output.write_payslips(
                ctx.uow(), month, output_dir() / "payslips", only_finalized=True
            )
            done.append(f"{month}: {_summary(report)}")
            failures += [f"{month}: {failure}" for failure in getattr(report, "failed", [])]
    if failures:
        listed = "\n".join(f"- {f}" for f in failures[:50])
        raise PayslipFailures(f"{len(failures)} payslip(s) not rendered:\n{listed}")
    return "; ".join(done)


def send_finalized_payslips(ctx: JobContext) -> str:
    """E-mail and 알림톡 the payslips of runs finalized since the last success (resumable:
    a payslip already sent is never sent again)."""
    since = history.last_success_start(ctx.uow(), ctx.job_id)
    since = (since - OVERLAP if since else ctx.fired_at - FIRST_LOOKBACK).astimezone(UTC)
    months = scheduled_work.months_finalized_since(ctx.uow(), since)
    if not months:
        return "no newly finalized runs"
    done = []
    with ctx.lock("payslips:send"), open_channels() as (mailer, texts):
        for month in months:
            uow = ctx.uow()
            with uow:
                finalized = uow.pay_sheets.runs_of(month, None, None, True)
            for run in finalized:
                report = payslip_delivery.send_run(uow, run, mailer, texts, actor="scheduler")
                done.append(
                    f"run {run.id}: sent {report.sent_now}, to print {len(report.to_print)}"
                )
    return "; ".join(done) or "no finalized runs"


def write_previous_month_ledgers(ctx: JobContext) -> str:
    """Write the month's cost-sharing ledgers (정산 대장) of the previous month."""
    month = ctx.previous_month
    out_dir = output_dir() / "ledgers" / month
    with ctx.lock(f"ledger:{month}"):
        paths = ledger_output.write_month_ledgers(ctx.uow(), month, out_dir)
    return f"{month}: wrote {_count(paths)} ledger file(s) in {out_dir}"


def close_ended_terms(ctx: JobContext) -> str:
    """Close the enrollments and terms that ended before the firing's day."""
    today = ctx.today
    with ctx.lock(f"terms:{today.isoformat()}"):
        report = terms.close_ended_terms(ctx.uow(), today)
    return f"{today}: {_summary(report)}"


def integrity_check(ctx: JobContext) -> str:
    """Check runs of closed months and ledger/payslip totals; fails listing the problems."""
    today = ctx.today
    with ctx.lock(f"integrity:{today.isoformat()}"):
        report = integrity.integrity_check(ctx.uow(), today)
    problems = [str(p) for p in getattr(report, "problems", [])]
    if not getattr(report, "ok", not problems):
        shown = "\n".join(f"- {p}" for p in problems[:50])
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise IntegrityProblems(f"{today}: {len(problems)} integrity problem(s):\n{shown}{more}")
    return f"{today}: no integrity problems"


def _count(items: Any) -> int | str:
    return len(items) if isinstance(items, Sized) else "?"


def _summary(report: Any, limit: int = 300) -> str:
    """``rendered=3 skipped=0 failed=[]``: a service report's fields on one line."""
    if dataclasses.is_dataclass(report) and not isinstance(report, type):
        parts = []
        for f in dataclasses.fields(report):
            value = getattr(report, f.name)
            if isinstance(value, (list, tuple)) and len(value) > 5:
                value = f"<{len(value)} items>"
            elif isinstance(value, float):
                value = f"{value:.1f}"
            parts.append(f"{f.name}={value}")
        text = " ".join(parts)
    elif isinstance(report, (list, tuple)):
        text = f"{len(report)} item(s)"
    else:
        text = str(report)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_previous_month_filings(ctx: JobContext) -> str:
    """The previous month's withholding return, bank-transfer files and insurance reports."""
    month = ctx.previous_month
    out_dir = output_dir() / "filings" / month
    with ctx.lock(f"filings:{month}"):
        report = filing_jobs.write_month_filings(ctx.uow(), month, out_dir)
    return f"{month}: {report} in {out_dir}"


def write_term_insurance_reports(ctx: JobContext) -> str:
    """The 4대보험 acquisitions of terms that started and losses of terms that closed."""
    today = ctx.today
    out_dir = output_dir() / "filings" / "insurance"
    with ctx.lock("filings:insurance"):
        report = filing_jobs.write_term_insurance(ctx.uow(), today, out_dir)
    return f"{today}: {report} in {out_dir}"
