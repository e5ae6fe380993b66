"""Payslips of stored runs: drafts marked 검토용, every figure of the stored payslip on the
page, print files sorted by name behind a cover page."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import PayslipLineRow, PayslipRow
from payroll.db.uow import SqlUnitOfWork
from payroll.domain.labels import label
from payroll.services.payslips.output import write_payslips
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from tests.support.factories import add_enrolled


def page_text(path: Path) -> str:
    return PdfReader(path).pages[0].extract_text()


def test_draft_then_final_payslips_show_every_stored_figure(engine: Engine, tmp_path: Path) -> None:
    add_enrolled(engine, "P-2", name="박하늘")
    add_enrolled(engine, "P-1", name="김가람")
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03")
    out = tmp_path / "out"
    report = write_payslips(SqlUnitOfWork(engine), "2025-03", out, processes=1)
    assert (report.rendered, report.drafts) == (2, 2)
    folder = out / "2025-03" / "11110" / "dongheng"
    assert "검토용" in page_text(folder / "P-1.pdf")

    approve_run(SqlUnitOfWork(engine), str(run.id), "lee")
    finalize_run(SqlUnitOfWork(engine), str(run.id), "park")
    report = write_payslips(SqlUnitOfWork(engine), "2025-03", out, processes=1)
    assert report.rendered == 2  # the draft mark is gone, so both are rendered again
    text = page_text(folder / "P-1.pdf")
    assert "검토용" not in text
    with transaction(engine) as session:
        slip = session.scalars(select(PayslipRow)).first()
        assert slip is not None
        lines = list(
            session.scalars(select(PayslipLineRow).where(PayslipLineRow.payslip_id == slip.id))
        )
    for line in lines:
        if line.kind == "employer":
            continue
        assert label(line.code) in text and f"{line.amount:,}" in text
        assert line.explanation.split(" (")[0] in text
    for item in (
        "임금명세서",
        "김가람",
        "1970",
        "P-1",
        "2025.04.10",
        "서울특별시 종로구청",
        f"{slip.gross:,}",
        f"{slip.total_deductions:,}",
        f"{slip.net:,}",
    ):
        assert item in text, item

    [print_file] = report.print_files
    pages = PdfReader(print_file).pages
    assert len(pages) == 3  # cover, then 김가람 before 박하늘 (가나다 order)
    assert "김가람" in pages[1].extract_text() and "박하늘" in pages[2].extract_text()
