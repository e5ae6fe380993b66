"""Downloads of the web console, each checked for the acting user.

A payslip, print file, payment file or register of another district is not found; a role
that may not have a file is forbidden. Payslip PDFs are rendered by the same code as
``payroll payslips``; a single payslip is rendered on request.
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

from payroll.domain.runs import RunRecord
from payroll.payslips.render import Renderer
from payroll.services.common import audit
from payroll.services.common.access import Action, Actor, NotFound, check, require
from payroll.services.console.runs import load_run
from payroll.services.ledger.cache import month_ledger_bytes
from payroll.services.ledger.reconcile import ReconcileReport, reconcile_month
from payroll.services.payslips.output import PayslipOutputReport, run_views, write_payslips
from payroll.services.runs.files import RunFiles, run_dir, write_run_files
from payroll.services.runs.lifecycle import RunError
from payroll.services.unit_of_work import UnitOfWork

_render_lock = threading.Lock()
_renderer: Renderer | None = None


def _render(view: object) -> bytes:
    global _renderer
    with _render_lock:  # one WeasyPrint renderer, not thread-safe
        if _renderer is None:
            _renderer = Renderer()
        return _renderer.render(view)  # type: ignore[arg-type]


def payslip_pdf(uow: UnitOfWork, actor: Actor, payslip_id: int) -> tuple[str, bytes]:
    """One payslip as PDF (검토용 mark while its run is not finalized)."""
    with uow:
        found = uow.console.payslip_owner(payslip_id)
        if found is None:
            raise NotFound(f"명세서 {payslip_id}: 찾을 수 없습니다")
        run = found.run
        check(actor, Action.VIEW_PEOPLE, run.district_code, f"명세서 {payslip_id}")
        view = next(
            v for v in run_views(uow, found.run) if v.participant_id == found.participant_id
        )
        with audit.acting_as(actor.kind):
            audit.record(uow, actor.name, "payslip.downloaded", "payslip", found.payslip_id)
    return f"{run.month}-{found.participant_id}.pdf", _render(view)


def _downloaded(uow: UnitOfWork, actor: Actor, what: str, entity: str, entity_id: object) -> None:
    """An audit entry for a file with personal data that left the system."""
    with audit.acting_as(actor.kind), uow:
        audit.record(uow, actor.name, f"{what}.downloaded", entity, entity_id)


def _run_for(uow: UnitOfWork, actor: Actor, run_id: int, action: Action) -> RunRecord:
    run = load_run(uow, actor, run_id)
    require(actor, action)
    return run


def render_run_payslips(
    uow: UnitOfWork,
    actor: Actor,
    run_id: int,
    out_dir: Path,
    progress: Callable[[int], None] | None = None,
) -> PayslipOutputReport:
    """Render every payslip of a run and its print file into ``out_dir`` (resumable)."""
    run = _run_for(uow, actor, run_id, Action.DRAFT_PAYSLIPS)
    if run.state == "cancelled":
        raise RunError(f"급여 실행 {run.id}은(는) 취소되었습니다")
    with _render_lock:  # WeasyPrint in one thread at a time
        return write_payslips(
            uow,
            run.month,
            out_dir,
            district=run.district_code,
            program=run.program_code,
            progress=progress,
            processes=1,
        )


def _rendered(uow: UnitOfWork, run: RunRecord, out_dir: Path) -> list[Path]:
    with uow:
        ids = uow.console.run_participant_ids(run.id)
    folder = run_dir(out_dir, run)
    paths = [folder / f"{pid}.pdf" for pid in ids]
    missing = [p for p in paths if not p.exists()]
    if missing or not paths:
        raise RunError(
            f"급여 실행 {run.id}: 명세서 {len(missing)}건이 아직 없습니다. "
            "먼저 '명세서 만들기'를 누르세요"
        )
    return paths


def payslips_zip(uow: UnitOfWork, actor: Actor, run_id: int, out_dir: Path) -> tuple[str, bytes]:
    """Every rendered payslip of a run in one ZIP."""
    run = _run_for(uow, actor, run_id, Action.VIEW_PEOPLE)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in _rendered(uow, run, out_dir):
            archive.write(path, path.name)
    _downloaded(uow, actor, "payslips_zip", "payroll_run", run.id)
    return f"payslips-{run.month}-{run.district_code}-{run.program_code}.zip", buffer.getvalue()


def print_file(uow: UnitOfWork, actor: Actor, run_id: int, out_dir: Path) -> Path:
    """The run's print file (cover page and every payslip sorted by name)."""
    run = _run_for(uow, actor, run_id, Action.VIEW_PEOPLE)
    _rendered(uow, run, out_dir)
    folder = run_dir(out_dir, run)
    path = folder / f"print-{run.month}-{run.district_code}-{run.program_code}.pdf"
    if not path.exists():
        raise RunError(f"급여 실행 {run.id}: 인쇄 파일이 없습니다. 먼저 '명세서 만들기'를 누르세요")
    _downloaded(uow, actor, "print_file", "payroll_run", run.id)
    return path


def run_files(uow: UnitOfWork, actor: Actor, run_id: int, out_dir: Path) -> RunFiles:
    """The payment file and payroll register of a finalized run (written on request)."""
    run = _run_for(uow, actor, run_id, Action.PAYMENT_FILE)
    with audit.acting_as(actor.kind):
        files = write_run_files(uow, str(run.id), out_dir)
    _downloaded(uow, actor, "run_files", "payroll_run", run.id)
    return files


def reconciliation(uow: UnitOfWork, actor: Actor, month: str) -> ReconcileReport:
    """The month's proof that ledger = payslips = payment total (finalized runs)."""
    require(actor, Action.RECONCILE)
    return reconcile_month(uow, month)


def ledger_file(uow: UnitOfWork, actor: Actor, month: str, fmt: str) -> tuple[str, bytes]:
    """The month's city/district cost-sharing ledger (finalized runs), CSV or XLSX."""
    require(actor, Action.LEDGER)
    if fmt not in ("csv", "xlsx"):
        raise NotFound(f"형식 {fmt}: 찾을 수 없습니다")
    data = month_ledger_bytes(uow, month, fmt)  # kept on disk until a run changes
    _downloaded(uow, actor, "ledger", "month", month)
    return f"ledger-{month}.{fmt}", data
