from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from payroll.payslips.render import FINGERPRINT_KEY, PayslipLayoutError, naive_render
from payroll.payslips.view import sample_view

from .conftest import pdf_text

REQUIRED = [
    # 근로기준법 §48②, 시행령 §27-2
    "성명 김민지",
    "생년월일 1970.05.01",
    "사원번호(참여자번호) P-0001",
    "임금지급일 2025.04.10",
    "임금 계산 기간 2025.03.01 ~ 2025.03.31",
    "임금 총액 1,684,680원",
    "공제 합계 158,270원",
    "실지급액",
    "1,526,410원",
    "계산방법",
    # program, employer, term, facts
    "서울 동행일자리",
    "서울특별시 종로구청",
    "2025.01.10 ~ 2025.06.30",
    "2025년 상반기",
    "2025년 3월분",
    "시간급 · 보수월액 10,030원 · 1,564,680원",
]
EARNINGS = [
    "기본급 20일 × 6시간 × 10,030원 1,203,600원",
    "유급휴일수당 1일 × 6시간 × 10,030원 (3/3 대체공휴일) 60,180원",
    "주휴수당 5주 × 6시간 × 10,030원 300,900원",
    "식비(간식비) 20일 × 6,000원 120,000원",
]
DEDUCTIONS = [
    "국민연금 기준소득월액 1,564,000원 × 4.5% 70,380원",
    "건강보험 보수월액 1,564,680원 × 3.545% 55,460원",
    "장기요양보험 건강보험료 55,460원 × 12.95% 7,180원",
    "고용보험 1,564,680원 × 0.9% 14,080원",
    "소득세 근로소득 간이세액표 (공제대상가족 1명) 10,160원",
    "지방소득세 소득세 10,160원 × 10% 1,010원",
]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def sample_pdf(renderer) -> bytes:
    return renderer.render(sample_view())


def test_one_a4_page(sample_pdf):
    reader = PdfReader(io.BytesIO(sample_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert round(float(box.width) * 25.4 / 72) == 210
    assert round(float(box.height) * 25.4 / 72) == 297


def test_required_items_and_amounts(sample_pdf):
    (text,) = pdf_text(sample_pdf)
    flat = _flat(text)
    for item in REQUIRED + EARNINGS + DEDUCTIONS:
        assert item in flat, item


def test_work_facts_and_leave(sample_pdf):
    flat = _flat(pdf_text(sample_pdf)[0])
    for item in [
        "소정근로일수 20일",
        "근로일수 20일",
        "총 근로시간 120시간",
        "유급휴일 수 1일",
        "주휴 발생 주 수 5주",
        "결근일수 0일",
        "휴가 사용일수 0일",
        "연차유급휴가 발생 2일 사용 0일 잔여 2일",
    ]:
        assert item in flat, item


def test_retro_adjustment_names_its_month(renderer):
    base = sample_view()
    earnings = [*base.to_dict()["earnings"]]
    earnings.append(
        ("retro_adjustment", "소급 정산", -12_036, "2025년 2월분 근로시간 정정 (-2시간 × 6,018원)")
    )
    view = sample_view(earnings=earnings, gross=base.gross - 12_036, net=base.net - 12_036)
    flat = _flat(pdf_text(renderer.render(view))[0])
    assert "소급 정산 2025년 2월분 근로시간 정정 (-2시간 × 6,018원) -12,036원" in flat
    assert "임금 총액 1,672,644원" in flat
    assert "1,514,374원" in flat


def test_hours_with_fraction(renderer):
    facts = sample_view().to_dict()["facts"] | {"worked_hours": "117.5"}
    flat = _flat(pdf_text(renderer.render(sample_view(facts=facts)))[0])
    assert "총 근로시간 117.5시간" in flat


def test_draft_mark_only_on_drafts(renderer, sample_pdf):
    assert "검토용" not in pdf_text(sample_pdf)[0]
    draft_text = pdf_text(renderer.render(sample_view(draft=True)))[0]
    assert draft_text.count("검토용") >= 2  # banner and watermark


def test_fonts_embedded_nanum_subsets(sample_pdf):
    reader = PdfReader(io.BytesIO(sample_pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    base_fonts = []
    for ref in fonts.values():
        font = ref.get_object()
        base_fonts.append(str(font["/BaseFont"]))
        for descendant in font.get("/DescendantFonts", []):
            descriptor = descendant.get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
    assert base_fonts
    for name in base_fonts:
        assert re.fullmatch(r"/[A-Z]{6}\+NanumGothic(-Bold)?", name), name


def test_pdffonts_reports_embedded_subsets(sample_pdf, tmp_path: Path):
    path = tmp_path / "p.pdf"
    path.write_bytes(sample_pdf)
    try:
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    except FileNotFoundError:
        pytest.skip("pdffonts not installed")
    rows = out.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        assert "NanumGothic" in cols[0]
        assert cols[-5:-2] == ["yes", "yes", "yes"]  # emb sub uni


def test_fingerprint_in_metadata(renderer, sample_pdf):
    meta = PdfReader(io.BytesIO(sample_pdf)).metadata
    assert meta[FINGERPRINT_KEY] == renderer.fingerprint(sample_view())
    assert renderer.fingerprint(sample_view(net=1)) != renderer.fingerprint(sample_view())


def test_naive_and_fast_renderers_same_text(renderer):
    for view in (sample_view(), sample_view(draft=True)):
        fast = renderer.render(view)
        naive = naive_render(view)
        assert pdf_text(fast) == pdf_text(naive)
        assert (
            PdfReader(io.BytesIO(fast)).metadata[FINGERPRINT_KEY]
            == PdfReader(io.BytesIO(naive)).metadata[FINGERPRINT_KEY]
        )


def test_text_is_escaped(renderer):
    flat = _flat(pdf_text(renderer.render(sample_view(name="<b>김&민지</b>")))[0])
    assert "<b>김&민지</b>" in flat


def test_too_many_lines_is_an_error_not_two_pages(renderer):
    base = sample_view()
    lines = [("base_pay", "기본급", 1, "x")] * 60
    with pytest.raises(PayslipLayoutError):
        renderer.render(sample_view(earnings=lines, gross=60, net=60 - base.total_deductions))
