from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from payroll.payslips.encrypt import birth_password
from payroll.payslips.pipeline import RenderJob, render_payslips
from payroll.payslips.print_file import CoverInfo, sorted_by_name, write_print_file
from payroll.payslips.view import sample_view

# File names (participant numbers) deliberately out of name order.
PEOPLE = [("P-0001", "최하늘"), ("P-0002", "김민지"), ("P-0003", "박지우"), ("P-0004", "이서준")]


def _render(tmp_path: Path, *, encrypted: bool, draft: bool = False):
    jobs = []
    for pid, name in PEOPLE:
        view = sample_view(participant_id=pid, name=name, draft=draft)
        pw = birth_password(view.birth_date) if encrypted else None
        jobs.append(RenderJob(view, tmp_path / "slips" / f"{pid}.pdf", pw))
    assert render_payslips(jobs, processes=1).ok
    return jobs


def test_cover_and_pages_sorted_by_name(tmp_path: Path):
    jobs = _render(tmp_path, encrypted=False)
    paths = sorted_by_name((job.view, job.out_path) for job in jobs)
    cover = CoverInfo.for_view(jobs[0].view, encrypted=False)
    out = tmp_path / "print.pdf"
    assert write_print_file(paths, cover, out) == 5

    reader = PdfReader(out)
    assert not reader.is_encrypted
    texts = [page.extract_text() for page in reader.pages]
    cover_text = " ".join(texts[0].split())
    for item in [
        "임금명세서 인쇄본",
        "서울특별시 종로구청",
        "서울 동행일자리",
        "2025년 3월분",
        "임금명세서 수 4매",
        "확정",
    ]:
        assert item in cover_text, item
    assert "검토용" not in cover_text
    assert "생년월일" not in cover_text
    names = [next(n for _, n in PEOPLE if n in text) for text in texts[1:]]
    assert names == ["김민지", "박지우", "이서준", "최하늘"]
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]


def test_encrypted_sources_draft_cover(tmp_path: Path):
    jobs = _render(tmp_path, encrypted=True, draft=True)
    paths = sorted_by_name((job.view, job.out_path) for job in jobs)
    cover = CoverInfo.for_view(jobs[0].view, encrypted=True)
    out = tmp_path / "print.pdf"

    with pytest.raises(ValueError, match="encrypted"):
        write_print_file(paths, cover, out)
    assert not out.exists()

    passwords = {job.out_path: job.password for job in jobs}
    assert write_print_file(paths, cover, out, passwords=passwords) == 5
    reader = PdfReader(out)
    assert not reader.is_encrypted  # the administrator's print file
    cover_text = " ".join(reader.pages[0].extract_text().split())
    assert "검토용" in cover_text
    assert "생년월일 6자리(YYMMDD)를 비밀번호로" in cover_text
    assert "700501" not in cover_text
    assert all("검토용" in page.extract_text() for page in reader.pages[1:])


def test_print_file_protected_with_the_administrators_password(tmp_path: Path):
    jobs = _render(tmp_path, encrypted=True)
    paths = sorted_by_name((job.view, job.out_path) for job in jobs)
    cover = CoverInfo.for_view(jobs[0].view, encrypted=True)
    out = tmp_path / "print.pdf"
    wrong = {job.out_path: "000000" for job in jobs}
    with pytest.raises(ValueError, match="does not open"):
        write_print_file(paths, cover, out, passwords=wrong)
    assert not out.exists()

    passwords = {job.out_path: job.password for job in jobs}
    assert write_print_file(paths, cover, out, passwords=passwords, password="관리자-암호1") == 5
    reader = PdfReader(out)
    assert reader.is_encrypted
    encrypt = reader.trailer["/Encrypt"].get_object()
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)  # AES-256
    assert not PdfReader(out).decrypt("700501")  # a participant's password does not open it
    assert reader.decrypt("관리자-암호1")
    assert reader.metadata["/Title"] == "임금명세서 인쇄본 서울특별시 종로구청 2025년 3월"
    names = [next(n for _, n in PEOPLE if n in p.extract_text()) for p in reader.pages[1:]]
    assert names == ["김민지", "박지우", "이서준", "최하늘"]


def test_print_files_of_many_runs_in_worker_processes(tmp_path: Path):
    from payroll.payslips.print_file import PrintJob, write_print_files

    jobs = _render(tmp_path, encrypted=False)
    paths = tuple(sorted_by_name((job.view, job.out_path) for job in jobs))
    cover = CoverInfo.for_view(jobs[0].view, encrypted=False)
    targets = [tmp_path / f"print-{n}.pdf" for n in range(3)]
    pages = write_print_files(
        [PrintJob(paths[: n + 1], cover, target) for n, target in enumerate(targets)], processes=2
    )
    assert pages == [2, 3, 4]
    assert [len(PdfReader(t).pages) for t in targets] == [2, 3, 4]
