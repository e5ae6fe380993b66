"""Render many payslips to individual PDF files: parallel, atomic and resumable.

Each worker process builds one :class:`~payroll.payslips.render.Renderer` when it starts
and renders its share of the jobs; jobs are sorted by page shape and handed out in runs,
so that a worker reuses the layout of the payslips of one shape. A job whose file already
carries the same ``/PayrollFingerprint`` (view data + template version) and the same
protection (opens with the job's password, or is unencrypted when the job has none) is
skipped. Files are written atomically and made durable once per folder: each payslip
goes to a temporary file beside its target, and when every job of a folder is done the
folder's files are synced together (:func:`~payroll.formats.atomic.commit_temps`: one
sync, then ``os.replace`` each, then one fsync of the folder), so a crash never leaves a
partial file under a final name.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pypdf import PdfReader

from payroll.formats.atomic import TEMP_SUFFIX, commit_temps, write_temp
from payroll.payslips.encrypt import encrypt_pdf
from payroll.payslips.render import FINGERPRINT_KEY, Renderer
from payroll.payslips.view import PayslipView
from payroll.payslips.workers import worker_pool

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
    render_peak_mb: float = 0.0
    """The largest peak memory of a process that rendered (a worker, not the pool's parent)."""
    render_cpu_s: float = 0.0
    """CPU time of the processes that rendered, added up (workers from their start)."""

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


def run_job(renderer: Renderer, job: RenderJob) -> tuple[str, Path | None]:
    """Render one job unless its file is current.

    ``(RENDERED, temporary file)``, to be committed with :func:`commit_temps`, or
    ``(SKIPPED, None)``.
    """
    out_path = Path(job.out_path)
    fp = renderer.fingerprint(job.view)
    if stored_fingerprint(out_path, job.password) == fp:
        return SKIPPED, None
    data = renderer.render(job.view)
    if job.password is not None:
        data = encrypt_pdf(data, job.password)
    return RENDERED, write_temp(out_path, data)


# -- worker processes -----------------------------------------------------------------------

_WORKER_RENDERER: Renderer | None = None


def _init_worker(template_dir: Path | None) -> None:
    global _WORKER_RENDERER
    _WORKER_RENDERER = Renderer(template_dir)


Usage = tuple[int, float, float]
"""A rendering process's own figures: pid, peak resident memory (MB), CPU seconds."""
Result = tuple[str, RenderJob, str, Path | None, Usage]
"""Status, job, error, temporary file, and the usage of the process that rendered it."""


def own_usage() -> Usage:
    """This process's pid, peak resident memory in MB (0 where unknown) and CPU time."""
    try:
        import resource
    except ImportError:  # not on this system
        return os.getpid(), 0.0, time.process_time()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    return os.getpid(), peak_mb, time.process_time()


def _worker_jobs(jobs: list[RenderJob]) -> list[Result]:
    assert _WORKER_RENDERER is not None, "worker not initialised"
    return [_guarded(_WORKER_RENDERER, job) for job in jobs]


def _guarded(renderer: Renderer, job: RenderJob) -> Result:
    try:
        status, tmp = run_job(renderer, job)
        return status, job, "", tmp, own_usage()
    except Exception as exc:  # noqa: BLE001 - reported per job, the batch goes on
        return FAILED, job, f"{type(exc).__name__}: {exc}", None, own_usage()


def shape_order(job: RenderJob) -> tuple[object, ...]:
    """Sort key putting payslips of one page shape together (draft, line kinds, counts).

    Workers reuse the layout of a shape (:class:`~payroll.payslips.fast.reuse.LayoutCache`), so
    handing each worker runs of the same shape saves full layouts. Ordering only.
    """
    view = job.view
    return (
        view.draft,
        tuple(line.is_retro for line in view.earnings),
        tuple(line.is_settlement for line in view.deductions),
        len(view.notes),
        bool(view.end_reason),
    )


NEW_SHAPE_COST = 12
"""A shape's first payslip, laid out and drawn in full, costs about as much as this many
payslips replayed from the saved drawing (≈ 150 ms against 12 ms)."""


def shape_chunks(jobs: Sequence[RenderJob], size: int) -> list[list[RenderJob]]:
    """The jobs in runs of one shape (:func:`shape_order`), cut into chunks of ``size``.

    A worker takes a whole chunk, so a shape of few payslips is laid out by one worker
    only, not by every worker that happens to get one of them. The costliest chunks first
    (a shape's first chunk carries its layout, :data:`NEW_SHAPE_COST`), so that a shape is
    laid out before its other chunks are handed out and the last chunks are cheap: the
    workers finish together.
    """
    chunks: list[list[RenderJob]] = []
    costs: list[int] = []
    last: object = None
    for job in sorted(jobs, key=shape_order):
        key = shape_order(job)
        if not chunks or key != last or len(chunks[-1]) >= size:
            chunks.append([])
            costs.append(NEW_SHAPE_COST if key != last else 0)
        chunks[-1].append(job)
        costs[-1] += 1
        last = key
    order = sorted(range(len(chunks)), key=lambda i: -costs[i])  # stable: a shape's in order
    return [chunks[i] for i in order]


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
    left = Counter(job.out_path.parent for job in jobs)  # jobs not finished, by folder
    pending: dict[Path, list[tuple[Path, RenderJob]]] = {}  # rendered, not yet committed
    usage: dict[int, Usage] = {}  # by pid, the latest
    started_cpu = {os.getpid(): time.process_time()}  # workers count from their start

    def record(result: Result) -> None:
        status, job, error, tmp, used = result
        usage[used[0]] = used
        folder = job.out_path.parent
        if status == FAILED:
            failed.append(RenderFailure(job.out_path, job.view.participant_id, error))
        elif status == RENDERED and tmp is not None:
            pending.setdefault(folder, []).append((tmp, job))
        else:
            counts[status] += 1
        left[folder] -= 1
        if not left[folder]:
            commit(folder)
        if progress is not None:
            progress(1)

    def commit(folder: Path) -> None:
        written = pending.pop(folder, [])
        try:
            commit_temps((tmp, job.out_path) for tmp, job in written)
        except OSError as exc:  # the folder's files are reported; a new run redoes them
            error = f"{type(exc).__name__}: {exc}"
            for _, job in written:
                failed.append(RenderFailure(job.out_path, job.view.participant_id, error))
            return
        counts[RENDERED] += len(written)

    workers = min(processes or os.cpu_count() or 1, len(jobs))
    try:
        if workers <= 1:
            if jobs:
                renderer = Renderer(template_dir)
                for job in sorted(jobs, key=shape_order):
                    record(_guarded(renderer, job))
        else:
            chunks = shape_chunks(jobs, max(1, min(32, len(jobs) // (workers * 8))))
            with worker_pool(workers, _init_worker, (template_dir,)) as pool:
                for results in pool.imap_unordered(_worker_jobs, chunks):
                    for result in results:
                        record(result)
    finally:  # interrupted: what was rendered but not committed is not left behind
        for written in pending.values():
            for tmp, _ in written:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)

    failed.sort(key=lambda f: str(f.out_path))
    return RenderReport(
        rendered=counts[RENDERED],
        skipped=counts[SKIPPED],
        failed=tuple(failed),
        seconds=time.perf_counter() - started,
        render_peak_mb=max((used[1] for used in usage.values()), default=0.0),
        render_cpu_s=sum(used[2] - started_cpu.get(pid, 0.0) for pid, used in usage.items()),
    )
