"""Worker processes for PDF work (payslips, print files).

forkserver where available: workers never inherit the caller's Pango/GLib state, and the
rendering modules are imported once in the server, not in every worker.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import multiprocessing.pool
from collections.abc import Callable
from typing import Any


def mp_context() -> multiprocessing.context.BaseContext:
    """forkserver (preloading the renderer) where available, else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["payroll.payslips.render"])
        return ctx
    return multiprocessing.get_context("spawn")


def start_early() -> None:
    """Start the forkserver now, so that it imports the renderer while the caller reads
    the payslips' data (else the first pool waits for it); once per process."""
    if mp_context().get_start_method() == "forkserver":
        multiprocessing.forkserver.ensure_running()


def worker_pool(
    processes: int,
    initializer: Callable[..., Any] | None = None,
    initargs: tuple[Any, ...] = (),
) -> multiprocessing.pool.Pool:
    """A pool of ``processes`` PDF workers (use it as a context manager)."""
    return mp_context().Pool(processes, initializer=initializer, initargs=initargs)
