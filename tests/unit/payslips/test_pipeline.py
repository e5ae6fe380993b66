from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from payroll.payslips.encrypt import birth_password
from payroll.payslips.pipeline import RenderJob, render_payslips, shape_chunks, shape_order
from payroll.payslips.render import FINGERPRINT_KEY, default_template_dir
from payroll.payslips.view import sample_view

NAMES = ["김민지", "이서준", "박지우", "최하늘"]


def _jobs(out: Path, *, password: bool = False, draft: bool = False) -> list[RenderJob]:
    jobs = []
    for i, name in enumerate(NAMES, start=1):
        view = sample_view(participant_id=f"P-{i:04d}", name=name, draft=draft)
        pw = birth_password(view.birth_date) if password else None
        jobs.append(RenderJob(view, out / f"{view.participant_id}.pdf", pw))
    return jobs


def _no_temp_files(directory: Path) -> bool:
    return not [p for p in directory.iterdir() if p.name.startswith(".")]


def test_parallel_render_then_skip(tmp_path: Path):
    jobs = _jobs(tmp_path)
    ticks: list[int] = []
    report = render_payslips(jobs, processes=2, progress=ticks.append)
    assert report.ok, report.failed
    assert (report.rendered, report.skipped) == (4, 0)
    assert sum(ticks) == 4
    assert report.render_peak_mb > 0  # the workers' own peak memory and CPU, for the bench
    assert report.render_cpu_s > 0
    for job in jobs:
        reader = PdfReader(job.out_path)
        assert len(reader.pages) == 1
        assert job.view.name in reader.pages[0].extract_text()
    assert _no_temp_files(tmp_path)

    mtimes = {job.out_path: job.out_path.stat().st_mtime_ns for job in jobs}
    again = render_payslips(jobs, processes=2)
    assert (again.rendered, again.skipped) == (0, 4)
    assert mtimes == {job.out_path: job.out_path.stat().st_mtime_ns for job in jobs}


def test_changed_view_is_rendered_again(tmp_path: Path):
    jobs = _jobs(tmp_path)
    render_payslips(jobs, processes=1)
    changed = jobs[1]._replace(view=sample_view(participant_id="P-0002", name="이서준", net=1))
    report = render_payslips([jobs[0], changed, *jobs[2:]], processes=1)
    assert (report.rendered, report.skipped) == (1, 3)
    meta = PdfReader(changed.out_path).metadata
    assert meta[FINGERPRINT_KEY] != PdfReader(jobs[0].out_path).metadata[FINGERPRINT_KEY]
    assert "검토용" not in PdfReader(changed.out_path).pages[0].extract_text()

    drafts = render_payslips(_jobs(tmp_path, draft=True), processes=1)
    assert (drafts.rendered, drafts.skipped) == (4, 0)


def test_template_change_renders_again(tmp_path: Path):
    templates = tmp_path / "templates"
    shutil.copytree(default_template_dir(), templates)
    out = tmp_path / "out"
    jobs = _jobs(out)[:2]
    assert render_payslips(jobs, processes=1, template_dir=templates).rendered == 2
    assert render_payslips(jobs, processes=1, template_dir=templates).skipped == 2
    css = templates / "payslip.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert render_payslips(jobs, processes=1, template_dir=templates).rendered == 2


def test_encryption_and_password_changes(tmp_path: Path):
    plain = _jobs(tmp_path)[:2]
    render_payslips(plain, processes=1)
    locked = _jobs(tmp_path, password=True)[:2]
    report = render_payslips(locked, processes=2)
    assert (report.rendered, report.skipped) == (2, 0)
    for job in locked:
        reader = PdfReader(job.out_path)
        assert reader.is_encrypted
        assert reader.decrypt("700501")
    assert render_payslips(locked, processes=2).skipped == 2
    other = [job._replace(password="111111") for job in locked]
    assert render_payslips(other, processes=1).rendered == 2
    assert render_payslips(plain, processes=1).rendered == 2
    assert not PdfReader(plain[0].out_path).is_encrypted


def test_damaged_file_and_stale_temp_are_replaced(tmp_path: Path):
    jobs = _jobs(tmp_path)[:2]
    render_payslips(jobs, processes=1)
    data = jobs[0].out_path.read_bytes()
    jobs[0].out_path.write_bytes(data[: len(data) // 2])  # truncated by some other tool
    stale = tmp_path / f".{jobs[1].out_path.name}.abc123.part"
    stale.write_bytes(b"%PDF-1.7 half")
    unrelated = tmp_path / ".keep.part"
    unrelated.write_bytes(b"x")
    report = render_payslips(jobs, processes=1)
    assert (report.rendered, report.skipped) == (1, 1)
    assert len(PdfReader(jobs[0].out_path).pages) == 1
    assert not stale.exists()
    assert unrelated.exists()


def test_failed_job_is_reported_and_others_written(tmp_path: Path):
    jobs = _jobs(tmp_path)[:3]
    too_long = sample_view(participant_id="P-9999", earnings=[("base_pay", "기본급", 1, "x")] * 60)
    bad = RenderJob(too_long, tmp_path / "P-9999.pdf", None)
    report = render_payslips([*jobs, bad], processes=2)
    assert report.rendered == 3
    assert [f.participant_id for f in report.failed] == ["P-9999"]
    assert "PayslipLayoutError" in report.failed[0].error
    assert not bad.out_path.exists()
    assert _no_temp_files(tmp_path)


def test_duplicate_targets_refused(tmp_path: Path):
    job = _jobs(tmp_path)[0]
    with pytest.raises(ValueError):
        render_payslips([job, job], processes=1)


def test_plain_tuples_and_nested_dirs(tmp_path: Path):
    view = sample_view()
    target = tmp_path / "a" / "b" / "p.pdf"
    report = render_payslips([(view, str(target), None)], processes=4)
    assert report.rendered == 1
    assert PdfReader(io.BytesIO(target.read_bytes())).pages


def test_files_appear_only_when_their_folder_is_committed(tmp_path: Path):
    """Interrupted before the folder is done: no file under a final name, no temp left."""
    jobs = _jobs(tmp_path / "out")
    seen: list[list[str]] = []

    def interrupt(_n: int) -> None:
        seen.append(sorted(p.name for p in (tmp_path / "out").iterdir()))
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_payslips(jobs, processes=1, progress=interrupt)
    assert all(not any(n.endswith(".pdf") for n in names) for names in seen)
    assert [len(names) for names in seen] == [1, 2, 3]  # written, as temporary files
    assert list((tmp_path / "out").iterdir()) == []
    report = render_payslips(jobs, processes=1)  # the next run writes them all
    assert (report.rendered, report.skipped) == (4, 0)


def test_crash_mid_commit_leaves_only_whole_files(tmp_path: Path, monkeypatch):
    """A rename failing half way through a folder: the files already renamed are whole
    payslips, the others are reported and absent, no temporary file is left."""
    import payroll.formats.atomic as atomic

    jobs = _jobs(tmp_path)
    renames: list[str] = []
    real_replace = atomic.os.replace

    def replace(src, dst):
        if len(renames) == 2:
            raise OSError("disk gone")
        renames.append(str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    report = render_payslips(jobs, processes=1)
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    assert report.rendered == 0 and len(report.failed) == 4
    assert "disk gone" in report.failed[0].error
    finals = sorted(p for p in tmp_path.iterdir() if p.suffix == ".pdf")
    assert [str(p) for p in finals] == sorted(renames)
    for path in finals:
        reader = PdfReader(path)
        assert len(reader.pages) == 1 and reader.metadata[FINGERPRINT_KEY]
    assert _no_temp_files(tmp_path)
    again = render_payslips(jobs, processes=1)  # the whole files are kept
    assert (again.rendered, again.skipped) == (2, 2)


def test_a_small_shape_goes_to_one_worker_whole(tmp_path: Path):
    """Chunks never mix shapes, and a shape of few payslips is one chunk (one layout)."""
    plain = _jobs(tmp_path)
    noted = [
        RenderJob(sample_view(participant_id=f"P-01{i}", notes=("비고",)), tmp_path / f"{i}.pdf")
        for i in range(3)
    ]
    chunks = shape_chunks([plain[0], noted[0], *plain[1:], noted[1], noted[2]], 3)
    assert all(len({shape_order(job) for job in chunk}) == 1 for chunk in chunks)
    assert sorted(len(chunk) for chunk in chunks) == [1, 3, 3]
    assert any(chunk == noted for chunk in chunks)
    # costs (NEW_SHAPE_COST = 12): plain's first chunk 12 + 3, noted 12 + 3, plain's
    # second chunk 1 (its shape is laid out by then): the cheap continuation goes last
    assert chunks[-1] == [plain[3]]


def test_a_shapes_first_chunk_is_handed_out_before_longer_chunks_of_known_shapes(
    tmp_path: Path,
):
    """Chunk order follows cost: a one-payslip shape (laid out in full, 12 + 1) goes before
    a second chunk of ten payslips of a shape already laid out (10)."""
    plain = [
        RenderJob(sample_view(participant_id=f"P-1{i:02d}"), tmp_path / f"p{i}.pdf")
        for i in range(20)
    ]
    odd = RenderJob(sample_view(participant_id="P-999", notes=("비고",)), tmp_path / "odd.pdf")
    chunks = shape_chunks([*plain, odd], 10)
    assert [len(c) for c in chunks] == [10, 1, 10]
    assert chunks[1] == [odd] and chunks[0] == plain[:10]
