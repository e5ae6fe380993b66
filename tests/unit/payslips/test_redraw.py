"""Drawing reuse (:mod:`payroll.payslips.fast.redraw`) writes what a full draw writes."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from payroll.payslips.render import Renderer, naive_render
from payroll.payslips.view import sample_view

from .conftest import pdf_text
from .test_reuse import _views


@pytest.fixture(scope="module")
def drawn():
    views = _views()
    renderer = Renderer()
    pdfs = [renderer.render(view) for view in views]
    return views, pdfs, renderer


def test_text_identical_to_naive_page_for_page(drawn):
    views, pdfs, renderer = drawn
    assert renderer.layouts.drawing.replays >= len(views) // 2
    for view, data in zip(views, pdfs, strict=True):
        assert pdf_text(data) == pdf_text(naive_render(view)), view.participant_id


def test_same_bytes_as_layout_reuse_alone(drawn):
    """Content stream, font subsets, widths, ToUnicode maps and metadata: all equal."""
    views, pdfs, _ = drawn
    full_draw = Renderer(reuse_drawing=False)
    for view, data in zip(views, pdfs, strict=True):
        assert data == full_draw.render(view), view.participant_id


def _unicode_maps(data: bytes) -> bytes:
    fonts = PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]
    return b"".join(
        ref.get_object()["/ToUnicode"].get_object().get_data() for ref in fonts.values()
    )


def test_replayed_pdfs_embed_only_their_own_glyphs(drawn):
    _, pdfs, _ = drawn
    for data in pdfs[:6]:
        fonts = PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]
        names = [str(ref.get_object()["/BaseFont"]) for ref in fonts.values()]
        assert all(re.fullmatch(r"/[A-Z]{6}\+NanumGothic(-Bold)?", n) for n in names), names
    renderer = Renderer()
    renderer.render(sample_view())
    first = renderer.render(sample_view(name="남궁민수아"))
    second = renderer.render(sample_view(name="황보다은"))
    assert renderer.layouts.drawing.replays == 3
    gung = b"<" + "궁".encode("utf-16-be").hex().encode() + b">"
    assert gung in _unicode_maps(first)
    assert gung not in _unicode_maps(second)  # no glyph left over from the last payslip


def test_a_recording_that_does_not_match_falls_back_to_a_full_draw():
    renderer = Renderer()
    renderer.render(sample_view())
    (shape,) = renderer.layouts.prototypes()
    drawing = shape._drawing
    assert drawing is not None
    # Corrupt what a recorded chunk expects to follow: the replay must notice.
    for chunk in drawing.chunks:
        if chunk.segment is None and chunk.items:
            chunk.context = [b"% not what was drawn"]
            break
    view = sample_view(name="이서준", participant_id="P-0042")
    data = renderer.render(view)
    assert renderer.layouts.drawing.fallbacks == 1
    assert data == Renderer(reuse_drawing=False).render(view)
    assert pdf_text(data) == pdf_text(naive_render(view))


def test_switches_off():
    view = sample_view(name="남궁민수아")
    for renderer in (Renderer(reuse_layout=False), Renderer(reuse_drawing=False)):
        renderer.render(sample_view())
        assert pdf_text(renderer.render(view)) == pdf_text(naive_render(view))
    assert Renderer(reuse_layout=False).layouts is None
    assert Renderer(reuse_drawing=False).layouts.drawing is None
