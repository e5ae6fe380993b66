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
    # Corrupt what a recorded chunk expects to follow (an empty ``q`` that WeasyPrint's
    # stream would have dropped): the replay must notice.
    for chunk in drawing.chunks:
        if chunk.segment is None and chunk.items and chunk.context[-1] != b"q":
            chunk.context = [b"q"]
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


def test_a_changed_note_above_a_recorded_note_is_replayed():
    """Consecutive 비고 lines (one BT…ET merged by WeasyPrint): these pages used to fall
    back to a full draw; now they replay and write what a full draw writes."""
    first = ("2025년 2월분 근로시간 정정 반영", "고용보험 미가입: 65세 이후 신규 고용")
    views = [
        sample_view(notes=first),
        sample_view(name="이서준", participant_id="P-0042", notes=("3월분 정정", first[1])),
        sample_view(name="박지우", participant_id="P-0043", notes=(first[0], "국민연금 미가입")),
    ]
    renderer = Renderer()
    pdfs = [renderer.render(view) for view in views]
    assert (renderer.layouts.drawing.replays, renderer.layouts.drawing.fallbacks) == (3, 0)
    full_draw = Renderer(reuse_drawing=False)
    for view, data in zip(views, pdfs, strict=True):
        assert data == full_draw.render(view), view.participant_id
        assert pdf_text(data) == pdf_text(naive_render(view))


def _font_files(data: bytes) -> list[bytes]:
    fonts = PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]
    files = []
    for ref in fonts.values():
        descriptor = ref.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        files.append(descriptor.get_object()["/FontFile2"].get_object().get_data())
    return files


def test_cached_font_subsets_embed_the_same_glyphs(monkeypatch):
    """A glyph set seen before is not subset again, and embeds the same font file."""
    from weasyprint.pdf.fonts import Font

    calls: list[int] = []
    real = Font._harfbuzz_subset

    def counted(self, to_unicode, hinting):
        calls.append(len(to_unicode))
        return real(self, to_unicode, hinting)

    monkeypatch.setattr(Font, "_harfbuzz_subset", counted)
    renderer = Renderer()
    view = sample_view(name="남궁민수아", participant_id="P-0007")
    renderer.render(sample_view())
    first = renderer.render(view)
    renderer.render(sample_view(name="황보다은", participant_id="P-0008"))
    subsets = len(calls)
    again = renderer.render(view)
    assert len(calls) == subsets  # 남궁민수아's glyph sets were subset before: reused
    assert _font_files(again) == _font_files(first)
    assert _font_files(again) == _font_files(Renderer(reuse_drawing=False).render(view))


def test_new_glyph_sets_subset_from_the_reduced_face_give_the_same_files():
    """After its first checked subsets a font's new glyph sets come from the reduced face
    (the glyphs used so far), and every PDF is still the full draw's, byte for byte."""
    names = ["남궁민수아", "황보다은", "선우재현", "독고영재"]
    names += ["제갈공명", "사공미래", "서문탁", "을지문덕"]
    renderer = Renderer()
    full_draw = Renderer(reuse_drawing=False)
    for i, name in enumerate(names):
        view = sample_view(name=name, participant_id=f"P-10{i:02d}", net=1_000_000 + i * 7_919)
        assert renderer.render(view) == full_draw.render(view), name
    templates = renderer.layouts._drawing_reuse.templates.values()
    used = [font._reduced for font in templates if font._reduced.gids]
    assert used, "no font was subset from a reduced face"
    assert not any(reduced.off for reduced in used)  # every check found the same file
    assert any(reduced.checks == 0 for reduced in used)  # the bold names: past the checks
