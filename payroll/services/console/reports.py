"""Workbooks the web console hands out, each checked for the acting user.

The review workbook (검토표) of a run for its district's clerks and managers, the empty
import templates for clerks, and the severance review (퇴직금 검토) for finance. Each is
written by the same code as its CLI command, into a temporary folder, and returned as
bytes; a workbook with personal data is audited as downloaded by the user.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from payroll.formats.import_templates import TEMPLATES, write_template
from payroll.services.common.access import Action, Actor, NotFound, require
from payroll.services.console.files import _downloaded
from payroll.services.console.runs import load_run
from payroll.services.enrollment.severance import severance_cases
from payroll.services.enrollment.severance_file import write_severance
from payroll.services.runs.review import write_review
from payroll.services.unit_of_work import UnitOfWork


def _bytes_of(name: str, write: Callable[[Path], object]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="payroll-console-") as folder:
        path = Path(folder) / name
        write(path)
        return path.read_bytes()


def review_workbook(uow: UnitOfWork, actor: Actor, run_id: int) -> tuple[str, bytes]:
    """The run's review workbook (``payroll run review``): its district's clerk or manager."""
    run = load_run(uow, actor, run_id)
    require(actor, Action.REVIEW)
    name = f"review-{run.month}-{run.district_code}-{run.program_code}.xlsx"
    data = _bytes_of(name, lambda path: write_review(uow, str(run_id), path))
    _downloaded(uow, actor, "review", "payroll_run", run_id)
    return name, data


def import_template(actor: Actor, kind: str) -> tuple[str, bytes]:
    """An empty import workbook (``payroll template``): roster, history or attendance."""
    require(actor, Action.UPLOAD)
    if kind not in TEMPLATES:
        raise NotFound(f"양식 {kind}: 찾을 수 없습니다")
    name = f"template-{kind}.xlsx"
    return name, _bytes_of(name, lambda path: write_template(kind, path))


def severance_workbook(uow: UnitOfWork, actor: Actor, district: str = "") -> tuple[str, bytes]:
    """The severance review (``payroll report severance``) of every or one district."""
    require(actor, Action.LEDGER)
    cases = severance_cases(uow, district.strip() or None)
    name = "severance-review.xlsx"
    data = _bytes_of(name, lambda path: write_severance(path, cases))
    _downloaded(uow, actor, "severance", "district", district.strip() or "*")
    return name, data
