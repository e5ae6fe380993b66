"""Layout reuse between payslips of the same shape (같은 모양의 명세서).

Payslips whose HTML differs only in the text of leaf elements (same tags, same
classes, same number of lines) have the same box tree. :class:`LayoutCache` lays out
the first payslip of each shape with WeasyPrint and, for the next ones, swaps the
changed leaf texts into the laid-out text boxes: each new text is shaped with
WeasyPrint's own ``split_first_line`` and its line is re-packed (following boxes move,
right-aligned and centred lines re-align inside their fixed-width container).

A swap is only made where the result is provably what a full layout gives: the new text
fits on its one line, has the font metrics of the old one, and no ancestor sizes itself
to its content. Anything else (a text that would wrap, a new font, a changed tag or
class, a leaf that is not one plain text box) returns ``None`` and the caller renders
the payslip in full. The full render then becomes the shape's new prototype.

With drawing reuse on, a shape also records its prototype's drawing
(:class:`~payroll.payslips.fast.redraw.PageDrawing`, on its first reuse) and a reused
payslip's page replays it, drawing only the texts of the lines that changed.
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from weasyprint import CSS, DEFAULT_OPTIONS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.document import Document, Page
from weasyprint.formatting_structure import boxes
from weasyprint.formatting_structure.build import build_formatting_structure
from weasyprint.html import get_html_metadata
from weasyprint.layout import LayoutContext, layout_document
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf.metadata import DocumentMetadata
from weasyprint.text.fonts import FontConfiguration
from weasyprint.text.line_break import split_first_line

from payroll.payslips.fast.redraw import (
    DrawCounts,
    DrawnPage,
    PageDrawing,
    Segment,
    line_segments,
)

LEAF_RE = re.compile(r"<([A-Za-z][A-Za-z0-9]*)\b[^>]*>([^<]*)</\1\s*>")
"""An element holding only text: ``<span class="v">김민지</span>``."""

_VOID_TAGS = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param")
    + ("source", "track", "wbr")
)
_EPSILON = 1e-3  # CSS px: a swapped line must stay this far inside its container
_SHRINK_TO_FIT = (
    boxes.InlineBlockBox,
    boxes.TableBox,
    boxes.TableCellBox,
    boxes.FlexContainerBox,
    boxes.GridContainerBox,
)


def leaf_texts(html: str) -> list[str]:
    """The raw (escaped) text of every leaf element, in document order."""
    return [m.group(2) for m in LEAF_RE.finditer(html)]


def shape_key(html: str) -> str:
    """The HTML with every leaf element's text removed: equal keys, equal box trees."""
    return LEAF_RE.sub(_without_text, html)


def _without_text(match: re.Match[str]) -> str:
    return match.group(0)[: match.start(2) - match.start(0)] + "</" + match.group(1) + ">"


def plain_text(raw: str) -> str | None:
    """Unescaped text that WeasyPrint would keep as is on one line, else ``None``.

    Refused: leading/trailing or repeated spaces, tabs, newlines, control and format
    characters (soft hyphen, zero-width space, bidi marks), other space characters.
    """
    text = html_lib.unescape(raw)
    if not text or text != " ".join(text.split(" ")).strip(" ") or "  " in text:
        return None
    for char in text:
        if char == " ":
            continue
        category = unicodedata.category(char)
        if category[0] in "CZ":  # Cc, Cf, Co, Cs, Cn, Zs, Zl, Zp
            return None
    return text


def render_document(
    html: HTML, stylesheets: list[CSS], font_config: FontConfiguration
) -> tuple[Document, LayoutContext]:
    """``html.render(stylesheets=...)``, also returning WeasyPrint's layout context.

    The same steps as ``weasyprint.document.Document._render`` with default options.
    """
    options = DEFAULT_OPTIONS.copy()
    options["stylesheets"] = stylesheets
    counter_style = CounterStyle()
    context = Document._build_layout_context(html, font_config, counter_style, {}, options)
    root_box = build_formatting_structure(
        html.etree_element,
        context.style_for,
        context.get_image_from_uri,
        html.base_url,
        context.target_collector,
        counter_style,
        context.footnotes,
    )
    page_boxes = layout_document(html, root_box, context)
    document = Document(
        [Page(page_box) for page_box in page_boxes],
        DocumentMetadata(**get_html_metadata(html)),
        html.url_fetcher,
        font_config,
        {},
        options["output_intent"],
    )
    return document, context


# -- one substitutable leaf ----------------------------------------------------------------


@dataclass
class _Slot:
    """A leaf element laid out as one text box alone in its own line's path."""

    box: boxes.TextBox
    path: tuple[boxes.Box, ...]  # line box, inline boxes…, the text box
    container: boxes.Box  # the block container of the line (fixed width)
    align: str  # "start", "end" or "center"


@dataclass
class _Saved:
    """The laid-out state of every box of a line that a swap may move."""

    geometry: list[tuple[boxes.Box, float, float]]  # box, position_x, width
    texts: list[tuple[boxes.TextBox, str, object, float, float, float, float, float]]

    @classmethod
    def of(cls, line: boxes.Box) -> _Saved:
        geometry, texts = [], []
        for box in _descendants(line):
            geometry.append((box, box.position_x, box.width))
            if isinstance(box, boxes.TextBox):
                texts.append(
                    (
                        box,
                        box.text,
                        box.pango_layout,
                        box.width,
                        box.height,
                        box.baseline,
                        box.margin_top,
                        box.margin_bottom,
                    )
                )
        return cls(geometry, texts)

    def restore(self) -> None:
        for box, x, width in self.geometry:
            box.position_x, box.width = x, width
        for box, text, layout, width, height, baseline, top, bottom in self.texts:
            box.text, box.pango_layout, box.width = text, layout, width
            box.height, box.baseline, box.margin_top, box.margin_bottom = (
                height,
                baseline,
                top,
                bottom,
            )


def _unwrap(box: boxes.Box) -> boxes.Box:
    """The laid-out box behind an absolutely positioned box's placeholder."""
    return box._box if isinstance(box, AbsolutePlaceholder) else box


def _descendants(box: boxes.Box) -> Iterator[boxes.Box]:
    box = _unwrap(box)
    yield box
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from _descendants(child)


def _parents(root: boxes.Box) -> dict[int, boxes.Box]:
    parents: dict[int, boxes.Box] = {}
    stack = [_unwrap(root)]
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.ParentBox):
            for child in box.children:
                child = _unwrap(child)
                parents[id(child)] = box
                stack.append(child)
    return parents


def _line_align(line: boxes.LineBox) -> str | None:
    """``text-align`` of a block's single (so last) line, as ``text_align`` resolves it."""
    style = line.style
    align = style["text_align_all"]
    if style["text_align_last"] != "auto":
        align = style["text_align_last"]
    if style["direction"] != "ltr":
        return None
    if align in ("left", "start"):
        return "start"
    if align in ("right", "end"):
        return "end"
    if align == "center":
        return "center"
    return None  # justify


def _aligned(line: boxes.Box, container: boxes.Box, align: str) -> bool:
    """Whether the line sits exactly where ``text-align`` puts it in its container."""
    left, available = container.content_box_x(), container.width
    if line.width >= available - _EPSILON:
        return False
    expected = {
        "start": left,
        "end": left + available - line.width,
        "center": left + (available - line.width) / 2,
    }[align]
    return abs(line.position_x - expected) < 1e-6


def _fixed_width_chain(box: boxes.Box, parents: dict[int, boxes.Box]) -> bool:
    """No ancestor sizes itself to its content (shrink-to-fit) or is a table/flex/grid."""
    node: boxes.Box | None = box
    while node is not None:
        if isinstance(node, _SHRINK_TO_FIT) and not isinstance(node, boxes.InlineBlockBox):
            return False
        shrinks = (
            isinstance(node, boxes.InlineBlockBox)
            or node.is_floated()
            or node.is_absolutely_positioned()
        )
        if shrinks and node.style["width"] == "auto":
            return False
        node = parents.get(id(node))
    return True


def _slot_for(
    text_boxes: list[boxes.TextBox], parents: dict[int, boxes.Box], text: str | None
) -> _Slot | None:
    """The slot of a leaf laid out as exactly one plain text box, else ``None``."""
    if text is None or len(text_boxes) != 1:
        return None
    box = text_boxes[0]
    if box.text != text or box.style["text_transform"] != "none":
        return None
    path = [box]
    node = parents.get(id(box))
    while isinstance(node, boxes.InlineBox):
        path.append(node)
        node = parents.get(id(node))
    if not isinstance(node, boxes.LineBox):
        return None
    line = node
    path.append(line)
    container = parents.get(id(line))
    if not isinstance(container, boxes.BlockContainerBox) or container.children != [line]:
        return None
    align = _line_align(line)
    if align is None or line.text_indent or not _aligned(line, container, align):
        return None
    if not _fixed_width_chain(container, parents):
        return None
    for inner in _descendants(line):
        if inner is not line and (inner.is_floated() or inner.is_absolutely_positioned()):
            return None
    return _Slot(box, tuple(reversed(path)), container, align)


# -- a laid-out shape ----------------------------------------------------------------------


class ShapeLayout:
    """One laid-out payslip page whose leaf texts can be replaced."""

    def __init__(
        self,
        document: Document,
        html: HTML,
        context: LayoutContext,
        raw: list[str],
        drawing: _DrawingReuse | None = None,
    ):
        self.document = document
        self.context = context
        self.raw = list(raw)
        self.title_index: int | None = None
        self.slots: dict[int, _Slot] = {}
        self._saved: dict[int, _Saved] = {}
        self._dirty = False
        self._reuse = drawing
        self._drawing: PageDrawing | None = None
        self._recorded = False
        self._segments: dict[int, list[Segment] | None] = {}  # by line box id
        self.metadata = document.metadata
        (page,) = document.pages
        page_box = page._page_box
        leaves = [
            el
            for el in html.etree_element.iter()
            if isinstance(el.tag, str) and len(el) == 0 and el.tag not in _VOID_TAGS
        ]
        self.valid = len(leaves) == len(raw) and all(
            html_lib.unescape(text) == (el.text or "") for el, text in zip(leaves, raw, strict=True)
        )
        if not self.valid:
            return
        index_of = {id(el): i for i, el in enumerate(leaves)}
        found: dict[int, list[boxes.TextBox]] = {}
        for box in _descendants(page_box):
            if isinstance(box, boxes.TextBox) and id(box.element) in index_of:
                found.setdefault(index_of[id(box.element)], []).append(box)
        parents = _parents(page_box)
        for i, el in enumerate(leaves):
            if el.tag == "title":
                if document.metadata.title == html_lib.unescape(raw[i]) and i not in found:
                    self.title_index = i
                continue
            slot = _slot_for(found.get(i, []), parents, plain_text(raw[i]))
            if slot is not None:
                self.slots[i] = slot
                line = slot.path[0]
                self._saved.setdefault(id(line), _Saved.of(line))
                if drawing is not None and id(line) not in self._segments:
                    self._segments[id(line)] = line_segments(line)

    def fill(self, raw: list[str]) -> Document | None:
        """The document with these leaf texts, or ``None`` if a swap is not exact."""
        if not self.valid or len(raw) != len(self.raw):
            return None
        changed = [i for i, (old, new) in enumerate(zip(self.raw, raw, strict=True)) if old != new]
        if any(i not in self.slots and i != self.title_index for i in changed):
            return None
        if self._dirty:
            for saved in self._saved.values():
                saved.restore()
        self._record()
        self._dirty = True
        lines: dict[int, tuple[boxes.Box, _Slot]] = {}
        for i in changed:
            if i == self.title_index:
                continue
            slot = self.slots[i]
            if not self._swap(slot, plain_text(raw[i])):
                return None
            lines[id(slot.path[0])] = (slot.path[0], slot)
        for line, slot in lines.values():
            if line.width >= slot.container.width - _EPSILON:
                return None
        metadata = self.metadata
        if self.title_index is not None:
            metadata = DocumentMetadata(**vars(self.metadata))
            metadata.title = html_lib.unescape(raw[self.title_index])
        pages = self.document.pages
        if self._drawing is not None:
            changed: set[int] | None = set()
            for line, _ in lines.values():
                segments = self._segments.get(id(line))
                if segments is None:
                    changed = None
                    break
                changed.update(id(segment.box) for segment in segments)
            if changed is not None:
                pages = [DrawnPage(pages[0], self._drawing, changed)]
        document = Document(
            pages,
            metadata,
            self.document.url_fetcher,
            self.document.font_config,
            self.document.color_profiles,
            self.document.output_intent,
        )
        return document

    def _record(self) -> None:
        """Record the prototype's drawing (once, on its own layout, before any swap)."""
        if self._reuse is not None and not self._recorded:
            self._recorded = True
            self._drawing = self._reuse.record(self.document, self._segments)

    def prototype(self) -> Document:
        """The prototype's own document, painted by replaying its recorded drawing."""
        self._record()
        if self._drawing is None or self._dirty:
            return self.document
        document = Document(
            [DrawnPage(self.document.pages[0], self._drawing, set())],
            self.metadata,
            self.document.url_fetcher,
            self.document.font_config,
            self.document.color_profiles,
            self.document.output_intent,
        )
        return document

    def _swap(self, slot: _Slot, text: str | None) -> bool:
        """Put ``text`` in the slot's text box and re-pack its line; ``False`` if not exact."""
        if text is None:
            return False
        box = slot.box
        line = slot.path[0]
        room = slot.container.width - (line.width - box.width)
        layout, _, resume_index, width, height, baseline = split_first_line(
            text, box.style, self.context, room, box.justification_spacing
        )
        if resume_index is not None or layout.text != text:
            return False
        half_leading = box.margin_top  # unchanged: the strut and the height are unchanged
        if height != box.height or baseline + half_leading != box.baseline:
            return False
        delta = width - box.width
        box.text, box.pango_layout, box.width = text, layout, width
        # Boxes after the text box in its line move by delta; its inline ancestors grow.
        for parent, child in zip(slot.path, slot.path[1:], strict=False):
            after = False
            for sibling in parent.children:
                if after:
                    sibling.translate(delta, 0)
                elif sibling is child:
                    after = True
            if parent is not line:
                parent.width += delta
        line.width += delta
        if slot.align == "end":
            line.translate(-delta, 0)
        elif slot.align == "center":
            line.translate(-delta / 2, 0)
        return True


class _DrawingReuse:
    """Records prototype drawings; font templates and counters shared by all shapes."""

    def __init__(self) -> None:
        self.templates: dict = {}
        self.counts = DrawCounts()

    def record(
        self, document: Document, segments: dict[int, list[Segment] | None]
    ) -> PageDrawing | None:
        drawable = [segment for line in segments.values() if line for segment in line]
        return PageDrawing.record(
            document.pages[0],
            drawable,
            self.templates,
            self.counts,
            color_profiles=document.color_profiles,
            output_intent=document.output_intent,
        )


class LayoutCache:
    """Laid-out prototypes by shape (:func:`shape_key`), least recently used dropped.

    A shape keeps up to ``variants`` prototypes, newest first (e.g. one whose 계산방법
    wraps and one whose does not), and a payslip reuses the first that fits it exactly.
    ``reuse_drawing``: reused payslips also replay their prototype's recorded drawing
    (:mod:`payroll.payslips.fast.redraw`); ``drawing`` counts replays and full draws.
    """

    def __init__(
        self,
        render: Callable[[str], tuple[Document, HTML, LayoutContext]],
        size: int = 32,
        *,
        variants: int = 3,
        reuse_drawing: bool = False,
    ) -> None:
        self._render = render
        self._size = size
        self._variants = variants
        self._drawing_reuse = _DrawingReuse() if reuse_drawing else None
        self._shapes: OrderedDict[str, list[ShapeLayout]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    @property
    def drawing(self) -> DrawCounts | None:
        """Pages painted by replay vs. drawn in full (``None``: drawing reuse off)."""
        return self._drawing_reuse.counts if self._drawing_reuse is not None else None

    def prototypes(self) -> list[ShapeLayout]:
        """Every cached prototype, least recently used shape first."""
        return [shape for variants in self._shapes.values() for shape in variants]

    def document(self, html: str) -> Document:
        """The laid-out document of this HTML, reusing a prototype of its shape if exact."""
        key = shape_key(html)
        raw = leaf_texts(html)
        variants = self._shapes.get(key)
        if variants is not None:
            self._shapes.move_to_end(key)
            for i, shape in enumerate(variants):
                document = shape.fill(raw)
                if document is not None:
                    variants.insert(0, variants.pop(i))
                    self.hits += 1
                    return document
        self.misses += 1
        document, parsed, context = self._render(html)
        if len(document.pages) == 1:
            shape = ShapeLayout(document, parsed, context, raw, self._drawing_reuse)
            variants = self._shapes.setdefault(key, [])
            variants.insert(0, shape)
            del variants[self._variants :]
            self._shapes.move_to_end(key)
            while len(self._shapes) > self._size:
                self._shapes.popitem(last=False)
            if self._drawing_reuse is not None:
                return shape.prototype()
        return document
