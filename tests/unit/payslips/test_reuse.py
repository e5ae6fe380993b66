"""Layout reuse (:mod:`payroll.payslips.fast.reuse`) prints exactly what a full render prints."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from payroll.payslips.render import (
    FINGERPRINT_KEY,
    FullLayout,
    PayslipLayoutError,
    Renderer,
    naive_render,
)
from payroll.payslips.view import sample_view

from .conftest import pdf_text

NAMES = ["김민", "이서준", "남궁민수아", "황보다은하늘별", "<b>김&민지</b>"]
EXPLANATIONS = [
    "20일 × 6시간 × 10,030원",
    "1일 × 6시간 × 10,030원 (3/3 대체공휴일)",
    "주 4회 × 6시간 × 10,030원 (3/2, 3/16, 3/23, 3/30 주)",
    "x",
]
LONG = "근로시간 정정 " * 14  # wraps in the 계산방법 column: must fall back


def _views():
    base = sample_view()
    views = []
    for i in range(24):
        count = 1 + i % 9
        amount = [1_234, 56_789, 1_203_600, 12_345_678, 123_456_789][i % 5]
        earnings = [
            ("base_pay", "기본급", amount + k, EXPLANATIONS[(i + k) % len(EXPLANATIONS)])
            for k in range(count)
        ]
        if i % 4 == 3:
            earnings.append(("retro_adjustment", "소급 정산", -12_036 - i, "2025년 2월분 정정"))
        if i == 22:
            earnings[0] = ("base_pay", "기본급", amount, LONG)
        gross = sum(line[2] for line in earnings)
        deductions = base.to_dict()["deductions"][: 2 if count >= 7 else 6]
        total = sum(line["amount"] for line in deductions)
        maeryeok = i % 3 == 0
        views.append(
            sample_view(
                participant_id=f"P-{i:04d}",
                name=NAMES[i % len(NAMES)],
                draft=i % 5 == 1 and count < 7,
                district_name=["종로구", "동대문구", "중구"][i % 3],
                program_code="maeryeok" if maeryeok else "dongheng",
                program_name="서울 매력일자리" if maeryeok else "서울 동행일자리",
                hourly_rate=[10_030, 11_779][i % 2],
                earnings=earnings,
                gross=gross,
                deductions=deductions,
                total_deductions=total,
                net=gross - total,
                leave={"accrued": i % 13, "used": i % 3, "balance": i % 13 - i % 3},
            )
        )
    return views


@pytest.fixture(scope="module")
def reused():
    renderer = Renderer()
    views = _views()
    return views, [renderer.render(view) for view in views], renderer


def test_text_identical_to_naive_page_for_page(reused):
    views, pdfs, _ = reused
    for view, data in zip(views, pdfs, strict=True):
        naive = naive_render(view)
        assert pdf_text(data) == pdf_text(naive), view.participant_id
        assert (
            PdfReader(io.BytesIO(data)).metadata[FINGERPRINT_KEY]
            == PdfReader(io.BytesIO(naive)).metadata[FINGERPRINT_KEY]
        )


def test_byte_identical_to_the_full_renderer(reused):
    """The fast path (layout and drawing reuse) writes exactly what FullLayout writes."""
    views, pdfs, renderer = reused
    assert renderer.layouts is not None and renderer.layouts.hits >= 1
    full = Renderer(reuse_layout=False)
    assert isinstance(full.layout, FullLayout)
    for view, data in zip(views, pdfs, strict=True):
        assert data == full.render(view), view.participant_id


def test_layouts_are_reused_and_wrapping_text_falls_back(reused):
    views, pdfs, renderer = reused
    cache = renderer.layouts
    assert cache.hits >= 1
    assert cache.hits + cache.misses == len(views)
    # The long explanation wraps: its payslip is laid out in full and prints in full.
    flat = re.sub(r"\s+", "", pdf_text(pdfs[22])[0])
    assert re.sub(r"\s+", "", LONG) in flat


def test_same_shape_other_texts_is_a_hit():
    renderer = Renderer()
    renderer.render(sample_view())
    view = sample_view(name="황보다은하늘별", participant_id="P-9999", district_name="동대문구")
    data = renderer.render(view)
    assert (renderer.layouts.hits, renderer.layouts.misses) == (1, 1)
    assert pdf_text(data) == pdf_text(naive_render(view))
    assert PdfReader(io.BytesIO(data)).metadata["/Title"] == "임금명세서 2025년 3월 P-9999"


def test_reused_pdfs_embed_nanum_subsets(reused):
    _, pdfs, _ = reused
    for data in pdfs[:3]:
        fonts = PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]
        names = [str(ref.get_object()["/BaseFont"]) for ref in fonts.values()]
        assert names
        assert all(re.fullmatch(r"/[A-Z]{6}\+NanumGothic(-Bold)?", n) for n in names), names


def test_two_pages_still_an_error_after_reuse():
    renderer = Renderer()
    renderer.render(sample_view())
    lines = [("base_pay", "기본급", 1, "x")] * 60
    base = sample_view()
    with pytest.raises(PayslipLayoutError):
        renderer.render(sample_view(earnings=lines, gross=60, net=60 - base.total_deductions))
    assert pdf_text(renderer.render(sample_view())) == pdf_text(naive_render(sample_view()))


def test_reuse_is_off_for_a_weasyprint_release_it_was_not_verified_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from payroll.payslips import fast, render

    assert fast.supported("70.0") and not fast.supported("71.0")
    monkeypatch.setattr(render.weasyprint, "__version__", "71.0")
    renderer = render.Renderer()
    assert renderer.layouts is None  # every payslip is rendered in full
    assert isinstance(renderer.layout, render.FullLayout)
    view = sample_view()
    assert pdf_text(renderer.render(view)) == pdf_text(naive_render(view))
