"""Long work (calculate a month, render payslips) in a background thread, polled by htmx."""

from __future__ import annotations

import secrets
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from payroll.domain.model import PayrollError
from payroll.services.common.access import NotFound

Work = Callable[[Callable[[int], None]], str]  # gets a progress callback, returns a summary


@dataclass
class Job:
    """One piece of background work: who started it, how far it is, how it ended."""

    id: str
    owner: str
    title: str
    total: int
    link: str  # where the result is seen
    done: int = 0
    state: str = "running"  # running | done | failed
    message: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def percent(self) -> int:
        if self.state != "running":
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    def advance(self, n: int) -> None:
        with self.lock:
            self.done += n


class Jobs:
    """The jobs of one console process (kept in memory; the newest 200)."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, owner: str, title: str, total: int, link: str, work: Work) -> Job:
        job = Job(secrets.token_urlsafe(12), owner, title, total, link)
        with self._lock:
            self._jobs[job.id] = job
            for old in list(self._jobs)[:-200]:
                self._jobs.pop(old, None)
        threading.Thread(target=self._run, args=(job, work), daemon=True).start()
        return job

    @staticmethod
    def _run(job: Job, work: Work) -> None:
        try:
            job.message = work(job.advance)
            job.state = "done"
        except PayrollError as exc:
            job.message, job.state = str(exc), "failed"
        except Exception as exc:  # shown as one line; the traceback goes to the server log
            traceback.print_exc()
            job.message, job.state = f"처리 중 오류: {type(exc).__name__}: {exc}", "failed"

    def get(self, job_id: str, owner: str) -> Job:
        """A job of ``owner``; anyone else's is not found."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.owner != owner:
            raise NotFound("작업을 찾을 수 없습니다")
        return job
