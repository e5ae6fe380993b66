"""Render many payslips to individual PDF files: parallel, atomic and resumable.

Each worker process builds one :class:`~payroll.payslips.render.Renderer` when it starts
and renders its share of the jobs; jobs are sorted by page shape and handed out in runs,
so that a worker reuses the layout of the payslips of one shape. A file is written
atomically (temporary file beside it, fsync, ``os.replace``). A job whose file already
carries the same ``/PayrollFingerprint`` (view data + template version) and the same
protection (opens with the job's password, or is unencrypted when the job has none) is
skipped.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pypdf import PdfReader

from payroll.formats.atomic import TEMP_SUFFIX, atomic_write_bytes
from payroll.payslips.encrypt import encrypt_pdf
from payroll.payslips.render import FINGERPRINT_KEY, Renderer
from payroll.payslips.view import PayslipView

RENDERED = "rendered"
SKIPPED = "skipped"
FAILED = "failed"


class RenderJob(NamedTuple):
    """One payslip to write: the view, the target file, and its password (``None``: none)."""

    view: PayslipView
    out_path: Path
    password: str | None = None


@dataclass(frozen=True)
class RenderFailure:
    out_path: Path
    participant_id: str
    error: str


@dataclass(frozen=True)
class RenderReport:
    """What :func:`render_payslips` did. Failed jobs are listed, not raised."""

    rendered: int = 0
    skipped: int = 0
    failed: tuple[RenderFailure, ...] = field(default=())
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return self.rendered + self.skipped + len(self.failed)

    @property
    def ok(self) -> bool:
        return not self.failed


def stored_fingerprint(path: Path, password: str | None) -> str | None:
    """The ``/PayrollFingerprint`` of an existing payslip file, when it matches the job.

    ``None`` when the file is missing or unreadable, when its protection differs from the
    job's (encrypted vs. not, or the password does not open it), or it has no fingerprint.
    """
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            if password is None or not reader.decrypt(password):
                return None
        elif password is not None:
            return None
        meta = reader.metadata
        value = meta.get(FINGERPRINT_KEY) if meta else None
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged file is simply rendered again
        return None
    return str(value) if value is not None else None


def run_job(renderer: Renderer, job: RenderJob) -> str:
    """Render and write one job unless its file is current; ``RENDERED`` or ``SKIPPED``."""
    out_path = Path(job.out_path)
    fp = renderer.fingerprint(job.view)
    if stored_fingerprint(out_path, job.password) == fp:
        return SKIPPED
    data = renderer.render(job.view)
    if job.password is not None:
        data = encrypt_pdf(data, job.password)
    atomic_write_bytes(out_path, data)
    return RENDERED


# -- worker processes -----------------------------------------------------------------------

_WORKER_RENDERER: Renderer | None = None


def _init_worker(template_dir: Path | None) -> None:
    global _WORKER_RENDERER
    _WORKER_RENDERER = Renderer(template_dir)


def _worker_job(job: RenderJob) -> tuple[str, RenderJob, str]:
    assert _WORKER_RENDERER is not None, "worker not initialised"
    return _guarded(_WORKER_RENDERER, job)


def _guarded(renderer: Renderer, job: RenderJob) -> tuple[str, RenderJob, str]:
    try:
        return run_job(renderer, job), job, ""
    except Exception as exc:  # noqa: BLE001 - reported per job, the batch goes on
        return FAILED, job, f"{type(exc).__name__}: {exc}"


def shape_order(job: RenderJob) -> tuple[object, ...]:
    """Sort key putting payslips of one page shape together (draft, line kinds, counts).

    Workers reuse the layout of a shape (:class:`~payroll.payslips.fast.reuse.LayoutCache`), so
    handing each worker runs of the same shape saves full layouts. Ordering only.
    """
    view = job.view
    return (view.draft, tuple(line.is_retro for line in view.earnings), len(view.deductions))


def _mp_context() -> multiprocessing.context.BaseContext:
    """forkserver where available: workers never inherit the caller's Pango/GLib state."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["payroll.payslips.render"])
        return ctx
    return multiprocessing.get_context("spawn")


def _remove_stale_temps(paths: Iterable[Path]) -> None:
    """Delete temporary files left beside these targets by an interrupted earlier run."""
    by_dir: dict[Path, set[str]] = {}
    for path in paths:
        by_dir.setdefault(path.parent, set()).add(path.name)
    for directory, names in by_dir.items():
        try:
            entries = os.scandir(directory)
        except FileNotFoundError:
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
                    continue
                target = name[1 : -len(TEMP_SUFFIX)].rsplit(".", 1)[0]
                if target in names:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)


def render_payslips(
    jobs: Sequence[RenderJob],
    processes: int | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    template_dir: Path | None = None,
) -> RenderReport:
    """Write every job's PDF, in ``processes`` worker processes (default: CPU count).

    ``progress`` is called with the number of jobs just finished (1), e.g. a Rich
    ``lambda n: bar.advance(task, n)``. Jobs that fail are reported in
    ``RenderReport.failed``; the other jobs still complete.
    """
    started = time.perf_counter()
    jobs = [RenderJob(job[0], Path(job[1]), job[2] if len(job) > 2 else None) for job in jobs]
    seen: set[Path] = set()
    for job in jobs:
        key = job.out_path.resolve()
        if key in seen:
            raise ValueError(f"two payslips would be written to {job.out_path}")
        seen.add(key)
    _remove_stale_temps(job.out_path for job in jobs)

    counts = {RENDERED: 0, SKIPPED: 0}
    failed: list[RenderFailure] = []

    def record(result: tuple[str, RenderJob, str]) -> None:
        status, job, error = result
        if status == FAILED:
            failed.append(RenderFailure(job.out_path, job.view.participant_id, error))
        else:
            counts[status] += 1
        if progress is not None:
            progress(1)

    workers = min(processes or os.cpu_count() or 1, len(jobs))
    ordered = sorted(jobs, key=shape_order)
    if workers <= 1:
        if jobs:
            renderer = Renderer(template_dir)
            for job in ordered:
                record(_guarded(renderer, job))
    else:
        ctx = _mp_context()
        with ctx.Pool(workers, initializer=_init_worker, initargs=(template_dir,)) as pool:
            chunk = max(1, min(32, len(ordered) // (workers * 4)))
            for result in pool.imap_unordered(_worker_job, ordered, chunksize=chunk):
                record(result)

    failed.sort(key=lambda f: str(f.out_path))
    return RenderReport(
        rendered=counts[RENDERED],
        skipped=counts[SKIPPED],
        failed=tuple(failed),
        seconds=time.perf_counter() - started,
    )
