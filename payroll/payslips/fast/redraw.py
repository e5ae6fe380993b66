"""Drawing reuse between payslips of the same shape (같은 모양의 명세서 다시 그리기).

:class:`PageDrawing` draws a prototype page once into a PDF content stream, cut into
chunks: one chunk per *segment* (the drawing of one text box that a later payslip may
change) and static chunks between them. Each chunk keeps its operators, the stream state
after it (colours, alpha, font, transformation stack), the tail of the stream it relied
on (WeasyPrint merges ``ET``/``BT`` and drops empty ``q``/``Q`` by popping the last
operator), the glyphs it used per font and the resources it added.

:class:`DrawnPage` paints a later payslip of that shape through WeasyPrint's own PDF
writer: it replays the static chunks and draws the changed segments with WeasyPrint's
``draw_text`` on the real stream, so operators, text order, glyph collection (font
subsetting) and metadata are those of a full draw. Every replayed chunk is checked
against the state it was recorded in; on any difference the stream is reset and the
page is drawn in full.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pydyf
from weasyprint.document import Page
from weasyprint.draw.text import draw_text
from weasyprint.formatting_structure import boxes
from weasyprint.pdf.fonts import Font, ffi, harfbuzz, harfbuzz_subset
from weasyprint.pdf.stream import Stream
from weasyprint.text.fonts import get_pango_font_key

_STATE = (
    "_current_color",
    "_current_color_stroke",
    "_current_alpha",
    "_current_alpha_stroke",
    "_current_font",
    "_current_font_size",
    "_old_font",
    "_old_font_size",
)
_RESOURCES = ("ExtGState", "XObject", "Pattern", "Shading")
_SUBSETS = 64  # subset font files kept per font template
_REDUCED_CHECKS = 4  # subsets from a reduced face also made from the full one, compared
_CONTEXT = 4  # operators of earlier chunks a chunk may pop
_PAINTLESS = (boxes.LineBox, boxes.InlineBox, boxes.TextBox)
_PEEKED = (b"q", b"ET")  # the operators Stream.pop_state and begin_text look for

FontKey = tuple[int, float]  # WeasyPrint's font key (description hash) and size


@dataclass
class DrawCounts:
    """How many pages were painted by replaying a recorded drawing, or drawn in full."""

    replays: int = 0
    fallbacks: int = 0


class DrawingMismatch(Exception):
    """A replayed chunk would not be what a full draw gives."""


def _state(stream: Stream) -> tuple[object, ...]:
    return (*(getattr(stream, name) for name in _STATE), tuple(stream._ctm_stack))


def _set_state(stream: Stream, state: tuple[object, ...]) -> None:
    for name, value in zip(_STATE, state, strict=False):
        setattr(stream, name, value)
    stream._ctm_stack = list(state[-1])


class _Reduced:
    """A template's face cut down to the glyphs its payslips used so far (ids kept)."""

    def __init__(self) -> None:
        self.gids: frozenset[int] = frozenset()
        self.face: object = None
        self.checks = _REDUCED_CHECKS  # subsets still compared with the full face's
        self.off = False


def _reduced_face(face: object, gids: frozenset[int]) -> object:
    """``face`` with only ``gids`` (and what they need), every glyph id and table kept."""
    subset_input = ffi.gc(
        harfbuzz_subset.hb_subset_input_create_or_fail(),
        harfbuzz_subset.hb_subset_input_destroy,
    )
    glyphs = harfbuzz_subset.hb_subset_input_glyph_set(subset_input)
    array = ffi.new(f"hb_codepoint_t[{len(gids)}]", sorted(gids))
    harfbuzz.hb_set_add_sorted_array(glyphs, array, len(gids))
    harfbuzz_subset.hb_subset_input_set_flags(
        subset_input,
        harfbuzz_subset.HB_SUBSET_FLAGS_RETAIN_GIDS
        | harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
        | harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE,
    )
    reduced = harfbuzz_subset.hb_subset_or_fail(face, subset_input)
    return ffi.gc(reduced, harfbuzz.hb_face_destroy) if reduced else None


class _TemplateFont(Font):
    """A ``Font`` copied from a template; equal subsets are made once per template.

    WeasyPrint subsets a font (HarfBuzz) from its face, the glyph ids used, the hinting
    option and whether glyphs are missing: the same inputs give the same file. A new
    glyph set of a TrueType font is subset from the template's reduced face
    (:class:`_Reduced`: the glyphs used so far, grown when a payslip needs more) instead
    of the whole font, several times cheaper for a Korean font of thousands of glyphs
    and the same file: the first subsets of each template are also made from the full
    face and compared, and on any difference the reduced face is no longer used.
    """

    _subsets: OrderedDict[tuple[object, ...], bytes]
    _reduced: _Reduced

    def subset(self, to_unicode, hinting):
        if not to_unicode or "fvar" in self.tables:
            return super().subset(to_unicode, hinting)
        key = (tuple(sorted(to_unicode)), bool(hinting), bool(self.missing))
        cache = self._subsets
        content = cache.get(key)
        if content is None:
            self._new_subset(to_unicode, hinting)
            content = cache[key] = self.file_content
            while len(cache) > _SUBSETS:
                cache.popitem(last=False)
        else:
            cache.move_to_end(key)
            self.file_content = content
        return None

    def _new_subset(self, to_unicode, hinting) -> None:
        reduced = self._reduced
        usable = (
            not reduced.off
            and harfbuzz_subset
            and harfbuzz.hb_version_atleast(4, 1, 0)
            and "glyf" in self.tables
            and "CFF " not in self.tables
        )
        if not usable:
            super().subset(to_unicode, hinting)
            return
        needed = frozenset(to_unicode) | {0}
        if not needed <= reduced.gids:
            face = _reduced_face(self.hb_face, reduced.gids | needed)
            if face is None:
                reduced.off = True
                super().subset(to_unicode, hinting)
                return
            reduced.gids, reduced.face = reduced.gids | needed, face
        full_face = self.hb_face
        self.hb_face = reduced.face
        try:
            super().subset(to_unicode, hinting)
        finally:
            self.hb_face = full_face
        if reduced.checks > 0:
            reduced.checks -= 1
            from_reduced = self.file_content
            super().subset(to_unicode, hinting)
            if self.file_content != from_reduced:
                reduced.off = True


def fresh_font(template: Font) -> Font:
    """A copy of ``template`` as ``Font.__init__`` leaves it: no glyph used yet."""
    font = copy.copy(template)
    if type(font) is Font:
        font.__class__ = _TemplateFont
        font._subsets = OrderedDict()
        font._reduced = _Reduced()
    font.widths, font.to_unicode, font.missing = {}, {}, {}
    font.variations = dict(template.variations)
    font.used_in_forms = False
    return font


def _add_font(stream: Stream, templates: dict[FontKey, Font], pango_font: object):
    """``Stream.add_font``, taking new fonts from ``templates`` by (key, size)."""
    key, description, font_size = get_pango_font_key(pango_font)
    fonts = stream._fonts
    if key not in fonts:
        template = templates.get((key, font_size))
        if template is None:
            template = templates[key, font_size] = fresh_font(
                Font(pango_font, description, font_size)
            )
        fonts[key] = fresh_font(template)
    return fonts[key], font_size


@contextmanager
def templated_fonts(stream: Stream, templates: dict[FontKey, Font]) -> Iterator[None]:
    """Within the block, ``stream.add_font`` copies fonts from ``templates``."""
    stream.add_font = lambda pango_font: _add_font(stream, templates, pango_font)
    try:
        yield
    finally:
        del stream.add_font


# -- segments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A text box of a replaceable line, with its path from the line box."""

    box: boxes.TextBox
    path: tuple[boxes.Box, ...]  # line box, inline boxes…, the text box

    def draw(self, stream: Stream) -> None:
        """``draw_text`` with the arguments ``draw_inline_level`` gives it."""
        line = self.path[0]
        offset_x = 0
        ellipsis = line.block_ellipsis
        for parent, child in zip(self.path, self.path[1:], strict=False):
            offset_x = offset_x + child.position_x - parent.position_x
            if parent.children[-1] is not child:
                ellipsis = "none"
        draw_text(stream, self.box, offset_x, line.text_overflow, ellipsis)


def line_segments(line: boxes.LineBox) -> list[Segment] | None:
    """The text boxes of a line whose drawing is theirs alone, else ``None``.

    Accepted: a line of plain inline boxes and text boxes, none positioned, transformed,
    translucent or clipped, the inline boxes without background, border or mask (so the
    line draws nothing but its texts, in order, within its block's drawing).
    """
    segments: list[Segment] = []

    def walk(box: boxes.Box, path: tuple[boxes.Box, ...]) -> bool:
        style = box.style
        if type(box) not in _PAINTLESS:
            return False
        if style["position"] != "static" or style["opacity"] < 1 or style["transform"]:
            return False
        if style["overflow"] != "visible" or box.is_floated() or style["outline_width"]:
            return False  # an outline is drawn after the stacking context, at the old place
        if isinstance(box, boxes.TextBox):
            segments.append(Segment(box, (*path, box)))
            return True
        if getattr(box, "background", None) is not None:
            return False
        if style["mask_border_source"][0] != "none":
            return False
        if any(getattr(box, f"border_{side}_width") for side in ("top", "right", "bottom", "left")):
            return False
        return all(walk(child, (*path, box)) for child in box.children)

    return segments if walk(line, ()) else None


def _peeked(operator: object) -> object:
    """What WeasyPrint's stream sees of an operator it only looks at (``q``, ``ET`` or other)."""
    return operator if operator in _PEEKED else None


def _continues(out: list[object], context: list[object]) -> bool:
    """Whether a chunk recorded after ``context`` draws the same after ``out``.

    ``context`` is the operators the chunk popped (``ET`` merged into a ``BT``, an empty
    ``q`` dropped), which must be there again, and the one below them, which the stream
    only compares with ``q`` and ``ET`` (``pop_state``, ``begin_text``): any other
    operator there, e.g. the ``TJ`` of a text that changed, draws the same.
    """
    if len(out) < len(context):
        return False
    tail = out[len(out) - len(context) :]
    return tail[1:] == context[1:] and _peeked(tail[0]) == _peeked(context[0])


# -- recording -----------------------------------------------------------------------------


class _TrackedList(list):
    """A stream's operator list that notes how far down the current chunk popped."""

    low = 0

    def pop(self, index: int = -1) -> object:
        assert index == -1
        value = super().pop()
        self.low = min(self.low, len(self))
        return value


@dataclass
class _Chunk:
    segment: Segment | None
    context: list[object]  # the stream's tail this chunk relied on
    pops: int  # operators of earlier chunks it removed
    items: list[object] = field(default_factory=list)
    state: tuple[object, ...] = ()  # the stream state after it
    fonts: list[tuple[int, float, dict, dict]] = field(default_factory=list)
    resources: list[tuple[str, str, dict]] = field(default_factory=list)


class _RecordingStream(Stream):
    """WeasyPrint's stream, cut into chunks around the segments' ``draw_text``."""

    def __init__(self, *args, segments: dict[int, Segment], templates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stream = _TrackedList(self.stream)
        self._segments = segments
        self._templates = templates
        self.chunks: list[_Chunk] = []
        self.seen: set[int] = set()
        self._open()

    def _open(self) -> None:
        self._floor = self.stream.low = len(self.stream)
        self._tail = list(self.stream[-_CONTEXT:])
        self._refs: dict[int, float] = {}
        self._res_before = {name: set(self._resources[name]) for name in _RESOURCES}

    def cut(self, segment: Segment | None) -> None:
        """Close the current chunk (drawn by ``segment``, or static) and open the next."""
        stream = self.stream
        low = stream.low
        pops = self._floor - low
        if low == 0 or pops >= _CONTEXT:
            raise DrawingMismatch("a chunk pops too far")
        context = self._tail[len(self._tail) - pops - 1 :]
        chunk = _Chunk(segment, context, pops, list(stream[low:]), _state(self))
        for key, size in self._refs.items():
            font = self._fonts[key]
            chunk.fonts.append((key, size, font.to_unicode, font.widths))
        for font in self._fonts.values():
            font.to_unicode, font.widths = {}, {}
        for name in _RESOURCES:
            for key in set(self._resources[name]) - self._res_before[name]:
                chunk.resources.append((name, key, self._resources[name][key]))
        self.chunks.append(chunk)
        self._open()

    def add_font(self, pango_font):
        key, description, font_size = get_pango_font_key(pango_font)
        self._refs.setdefault(key, font_size)
        if (key, font_size) not in self._templates:  # a replayed chunk may need it first
            self._templates[key, font_size] = fresh_font(Font(pango_font, description, font_size))
        return _add_font(self, self._templates, pango_font)

    @contextmanager
    def marked(self, box, tag):
        segment = self._segments.get(id(box))
        if segment is None:
            with super().marked(box, tag):
                yield
            return
        if id(box) in self.seen:
            raise DrawingMismatch("a text box is drawn twice")
        self.seen.add(id(box))
        self.cut(None)
        yield
        self.cut(segment)


def _page_geometry(page: Page, scale: float) -> tuple[float, float, float, float]:
    """The ``page_rectangle`` ``generate_pdf`` gives the page's stream."""
    page_width = scale * (page.width + page.bleed["left"] + page.bleed["right"])
    page_height = scale * (page.height + page.bleed["top"] + page.bleed["bottom"])
    left = -scale * page.bleed["left"]
    top = -scale * page.bleed["top"]
    right, bottom = left + page_width, top + page_height
    return (left / scale, top / scale, (right - left) / scale, (bottom - top) / scale)


def _new_resources() -> pydyf.Dictionary:
    resources = pydyf.Dictionary({name: pydyf.Dictionary() for name in _RESOURCES})
    resources["ColorSpace"] = None
    return resources


class PageDrawing:
    """The recorded drawing of a prototype page, replayable for pages of its shape."""

    def __init__(
        self,
        chunks: list[_Chunk],
        initial: list[object],
        initial_state: tuple[object, ...],
        page_rectangle: tuple[float, ...],
        scale: float,
        templates: dict[FontKey, Font],
        counts: DrawCounts,
    ) -> None:
        self.chunks = chunks
        self.initial = initial
        self.initial_state = initial_state
        self.page_rectangle = page_rectangle
        self.scale = scale
        self.templates = templates
        self.counts = counts

    @classmethod
    def record(
        cls,
        page: Page,
        segments: list[Segment],
        templates: dict[FontKey, Font],
        counts: DrawCounts,
        *,
        color_profiles: dict,
        output_intent: str | None,
        scale: float = 0.75,
    ) -> PageDrawing | None:
        """Draw ``page`` as ``generate_pdf`` does, cut around ``segments``; ``None`` if unfit."""
        if page.links or any(page.forms.values()):
            return None
        by_id = {id(segment.box): segment for segment in segments}
        rectangle = _page_geometry(page, scale)
        stream = _RecordingStream(
            {},
            rectangle,
            _new_resources(),
            {},
            None,
            color_profiles,
            output_intent,
            segments=by_id,
            templates=templates,
            compress=True,
        )
        stream.transform(d=-1, f=(page.height * scale))
        initial, initial_state = list(stream.stream), _state(stream)
        stream._open()
        try:
            Page.paint(page, stream, scale)
            stream.cut(None)
        except DrawingMismatch:
            return None
        if stream.seen != set(by_id):
            return None  # a segment's text was not drawn in its line (e.g. invisible)
        if any(stream._resources[name] for name in _RESOURCES[1:]) or stream._images:
            return None  # groups, patterns, images: not replayable
        for key, value in stream._resources["ExtGState"].items():
            if not (key[:1] in "aA" and set(value) <= {"ca", "CA"}):
                return None
        for font in stream._fonts.values():
            if font.missing or font.png or font.svg or font.colr or font.used_in_forms:
                return None
        return cls(stream.chunks, initial, initial_state, rectangle, scale, templates, counts)

    def replay(self, stream: Stream, scale: float, changed: set[int]) -> bool:
        """Paint onto ``stream`` redrawing the ``changed`` text boxes; ``False``: not exact.

        On ``False`` the stream, its fonts and resources are as they were before.
        """
        fonts, resources = stream._fonts, stream._resources
        if (
            scale != self.scale
            or stream._tags is not None
            or stream.page_rectangle != self.page_rectangle
            or fonts
            or stream._images
            or any(resources[name] for name in _RESOURCES)
            or stream.stream != self.initial
            or _state(stream) != self.initial_state
        ):
            return False
        try:
            with templated_fonts(stream, self.templates):
                self._replay(stream, changed)
        except DrawingMismatch:
            stream.stream[:] = self.initial
            _set_state(stream, self.initial_state)
            fonts.clear()
            for name in _RESOURCES:
                resources[name].clear()
            return False
        return True

    def _replay(self, stream: Stream, changed: set[int]) -> None:
        out = stream.stream
        fonts, resources = stream._fonts, stream._resources
        templates = self.templates
        for chunk in self.chunks:
            segment = chunk.segment
            if segment is not None and id(segment.box) in changed:
                segment.draw(stream)
                if _state(stream) != chunk.state:
                    raise DrawingMismatch("the stream state differs after a new text")
                continue
            if not _continues(out, chunk.context):
                raise DrawingMismatch("the stream differs before a recorded chunk")
            if chunk.pops:
                del out[len(out) - chunk.pops :]
            out.extend(chunk.items)
            _set_state(stream, chunk.state)
            for key, size, to_unicode, widths in chunk.fonts:
                font = fonts.get(key)
                if font is None:
                    template = templates.get((key, size))
                    if template is None:
                        raise DrawingMismatch("no font template")
                    font = fonts[key] = fresh_font(template)
                target = font.to_unicode
                for glyph, text in to_unicode.items():
                    if glyph not in target:
                        target[glyph] = text
                target = font.widths
                for glyph, width in widths.items():
                    known = target.setdefault(glyph, width)
                    if known != width:
                        raise DrawingMismatch("a glyph width differs between chunks")
            for name, key, value in chunk.resources:
                if key not in resources[name]:
                    resources[name][key] = pydyf.Dictionary(dict(value))


class DrawnPage(Page):
    """A laid-out page painted by replaying its shape's :class:`PageDrawing`."""

    def __init__(self, page: Page, drawing: PageDrawing, changed: set[int]) -> None:
        self.__dict__.update(page.__dict__)
        self._drawing = drawing
        self._changed = changed

    def paint(self, stream: Stream, scale: float = 1) -> None:
        if self._drawing.replay(stream, scale, self._changed):
            self._drawing.counts.replays += 1
        else:
            self._drawing.counts.fallbacks += 1
            Page.paint(self, stream, scale)
