"""PDF payslips of stored runs: one file per participant-month, one print file per run.

Files: ``OUT/<month>/<district>/<program>/<participant_id>.pdf`` and
``OUT/<month>/<district>/<program>/print-<month>-<district>-<program>.pdf`` (cover page,
then every payslip sorted by name). Payslips of runs not finalized carry a 검토용 mark.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from payroll.domain.calendar import add_months, month_range
from payroll.domain.labels import label
from payroll.domain.payee_snapshot import SnapshotPayee
from payroll.domain.report_records import RunRecord
from payroll.domain.runs import RunState
from payroll.formats.safe_paths import output_path
from payroll.payslips.encrypt import birth_password
from payroll.payslips.passwords import (
    MODES,
    PRINT_FILE,
    password_list_path,
    random_password,
    read_password_list,
    write_password_list,
)
from payroll.payslips.pipeline import RenderFailure, RenderJob, render_payslips
from payroll.payslips.print_file import (
    CoverInfo,
    PrintJob,
    sorted_by_name,
    write_print_files,
)
from payroll.payslips.view import LeaveView, PayLine, PayslipView, WorkFacts
from payroll.payslips.workers import start_early
from payroll.services.common import lookup
from payroll.services.enrollment.early_end import reason_label
from payroll.services.runs.files import run_dir
from payroll.services.runs.lifecycle import RunError
from payroll.services.runs.payee_snapshot import snapshot_payees
from payroll.services.unit_of_work import UnitOfWork

DEFAULT_PAY_DAY = 10


def payslip_path(folder: Path, view: PayslipView) -> Path:
    """``folder/<participant_id>.pdf``; an ID that is not a plain file name is refused."""
    return output_path(folder, f"{view.participant_id}.pdf")


def pay_date(month: str) -> date:
    """The pay day: ``PAYROLL_PAY_DAY`` (default the 10th) of the month after ``month``."""
    day = int(os.environ.get("PAYROLL_PAY_DAY") or DEFAULT_PAY_DAY)
    first, _ = month_range(month)
    following = add_months(first, 1)
    return following.replace(day=day)


@dataclass
class PayslipOutputReport:
    """What ``payroll payslips`` wrote."""

    rendered: int = 0
    skipped: int = 0
    failed: list[RenderFailure] = field(default_factory=list)
    print_files: list[Path] = field(default_factory=list)
    drafts: int = 0
    seconds: float = 0.0
    password_lists: list[Path] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.rendered + self.skipped + len(self.failed)


def frozen_payees(uow: UnitOfWork, run: RunRecord) -> dict[int, SnapshotPayee]:
    """Payslip id → its payee in the snapshot of a finalized run, checked against the run."""
    return {p.payslip_id: p for p in snapshot_payees(uow, run)}


def run_views(uow: UnitOfWork, run: RunRecord) -> list[PayslipView]:
    """The printable view of every payslip of a run."""
    with uow:
        districts, programs = uow.names.districts(), uow.names.programs()
        rows = uow.pay_sheets.run_payslips(run)
        lines = uow.pay_sheets.lines([f.slip.id for f in rows])
        # a finalized run's payslips name the payee as the snapshot taken at finalization
        frozen = frozen_payees(uow, run) if run.state == RunState.FINALIZED else {}
    first, last = month_range(run.month)
    views = []
    for found in rows:
        slip, enrollment, person = found.slip, found.enrollment, found.person
        slip_lines = lines.get(slip.id, [])
        payee = frozen.get(slip.id) or person
        views.append(
            PayslipView(
                participant_id=payee.participant_id,
                name=payee.name,
                birth_date=payee.birth_date,
                district_code=run.district_code,
                district_name=districts.get(run.district_code, run.district_code),
                program_code=run.program_code,
                program_name=programs.get(run.program_code, run.program_code),
                term_code=enrollment.term_code or "",
                term_start=enrollment.start,  # the participant's own dates, not the term's
                term_end=enrollment.end,
                month=run.month,
                period_start=max(first, enrollment.start),
                period_end=min(last, enrollment.end),
                pay_date=pay_date(run.month),
                draft=run.state != RunState.FINALIZED,
                hourly_rate=slip.hourly_rate,
                earnings=tuple(
                    PayLine(x.code, label(x.code), x.amount, x.explanation)
                    for x in slip_lines
                    if x.kind == "earning"
                ),
                deductions=tuple(
                    PayLine(x.code, label(x.code), x.amount, x.explanation)
                    for x in slip_lines
                    if x.kind == "deduction"
                ),
                gross=slip.gross,
                total_deductions=slip.total_deductions,
                net=slip.net,
                facts=WorkFacts.from_dict(slip.facts),
                leave=LeaveView(slip.leave_accrued, slip.leave_used, slip.leave_balance),
                declared_monthly_pay=slip.facts.get("declared_monthly_pay"),
                notes=tuple(slip.facts.get("notes") or ()),
                end_reason=reason_label(enrollment.end_reason) if enrollment.end_reason else "",
            )
        )
    return views


def payslip_count(uow: UnitOfWork, month: str) -> int:
    """How many payslips the month's runs that are not cancelled hold (for progress)."""
    with uow:
        return uow.pay_sheets.payslip_count(month)


def write_payslips(
    uow: UnitOfWork,
    month: str,
    out_dir: Path,
    district: str | None = None,
    program: str | None = None,
    encrypt: bool = False,
    only_finalized: bool = False,
    progress: Callable[[int], None] | None = None,
    processes: int | None = None,
    password_mode: str = "random",
) -> PayslipOutputReport:
    """Render the month's payslips (resumable) and a print file per district and program.

    With ``encrypt``, every PDF and the print file are protected (see
    :mod:`payroll.payslips.passwords`); the password lists written are in the report.
    A run whose payslips were encrypted before (its password list exists) stays encrypted
    with the same passwords, whoever renders it again: an encrypted payslip is never
    replaced by a plain one.
    """
    if password_mode not in MODES:
        raise RunError(f"암호 방식 {password_mode!r}: random 또는 birth만 쓸 수 있습니다")
    if (processes or os.cpu_count() or 1) > 1:
        start_early()  # the workers' imports overlap the reading of the month's payslips
    batches: list[tuple[RunRecord, list[PayslipView]]] = []
    with uow:
        district_code = lookup.district_code(uow, district) if district else None
        program_code = lookup.program_code(uow, program) if program else None
        for run in uow.pay_sheets.runs_of(month, district_code, program_code, only_finalized):
            batches.append((run, run_views(uow, run)))
    if not batches:
        raise RunError(
            f"no payroll runs for {month}" + (" that are finalized" if only_finalized else "")
        )
    report = PayslipOutputReport()
    jobs: list[RenderJob] = []
    print_passwords: dict[int, str | None] = {}
    encrypted: set[int] = set()
    for run, views in batches:
        folder = run_dir(out_dir, run)
        chosen: dict[str, str] = {}
        if views and (encrypt or _was_encrypted(out_dir, run)):
            chosen, list_path = _passwords(out_dir, run, views, password_mode)
            report.password_lists.append(list_path)
            encrypted.add(run.id)
        print_passwords[run.id] = chosen.get(PRINT_FILE)
        for view in views:
            jobs.append(
                RenderJob(view, payslip_path(folder, view), chosen.get(view.participant_id))
            )
        report.drafts += len(views) if run.state != RunState.FINALIZED else 0
    rendered = render_payslips(jobs, processes=processes, progress=progress)
    report.rendered, report.skipped = rendered.rendered, rendered.skipped
    report.failed, report.seconds = list(rendered.failed), rendered.seconds
    by_path = {job.out_path: job for job in jobs}
    print_jobs: list[PrintJob] = []
    for run, views in batches:
        if not views:
            continue
        folder = run_dir(out_dir, run)
        ordered = sorted_by_name((v, payslip_path(folder, v)) for v in views)
        print_jobs.append(
            PrintJob(
                paths=tuple(ordered),
                cover=CoverInfo.for_view(views[0], run.id in encrypted, password_mode),
                out_path=output_path(
                    folder, f"print-{run.month}-{run.district_code}-{run.program_code}.pdf"
                ),
                passwords={p: by_path[p].password for p in ordered if by_path[p].password},
                password=print_passwords[run.id],
            )
        )
    write_print_files(print_jobs, processes=processes or os.cpu_count() or 1)
    report.print_files.extend(job.out_path for job in print_jobs)
    return report


def _was_encrypted(out_dir: Path, run: RunRecord) -> bool:
    """Whether the run's payslips were written encrypted before (its password list exists)."""
    return password_list_path(out_dir, run.month, run.district_code, run.program_code).exists()


def _passwords(
    out_dir: Path, run: RunRecord, views: list[PayslipView], mode: str
) -> tuple[dict[str, str], Path]:
    """Each participant's password and the print file's, from (and into) the run's list."""
    path = password_list_path(out_dir, run.month, run.district_code, run.program_code)
    known = read_password_list(path)
    chosen = {PRINT_FILE: known.get(PRINT_FILE) or random_password()}
    entries = [(PRINT_FILE, "인쇄용 파일 (관리자)", chosen[PRINT_FILE])]
    for view in sorted(views, key=lambda v: (v.name, v.participant_id)):
        if mode == "birth":
            password = birth_password(view.birth_date)
        else:
            password = known.get(view.participant_id) or random_password()
        chosen[view.participant_id] = password
        entries.append((view.participant_id, view.name, password))
    write_password_list(path, entries)
    return chosen, path
