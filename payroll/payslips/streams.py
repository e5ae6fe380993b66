"""A payslip PDF's streams as the renderer writes them (:class:`StreamWriter`)."""

from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

import pydyf

DEFLATE_LEVEL = 4
"""zlib level of the payslips' streams (WeasyPrint's own: 9)."""


def deflated(data: bytes) -> bytes:
    """``data`` deflated at :data:`DEFLATE_LEVEL` (a complete zlib stream)."""
    deflate = zlib.compressobj(level=DEFLATE_LEVEL)
    return deflate.compress(data) + deflate.flush()


class StreamWriter:
    """How the payslip renderer writes a PDF's streams: deflated at
    :data:`DEFLATE_LEVEL`, and a font file embedded again is not deflated again.

    WeasyPrint writes every stream deflated at level 9, the most expensive step of writing
    a payslip after the drawing itself. Level 4 deflates a payslip's font subsets and page
    several times faster for files about 3 % larger (measured on the bench's payslips);
    deflate gives the same bytes for the same input at any level, so files stay
    reproducible. A font subset repeats from payslip to payslip (the fast path's templated fonts):
    their compressed bytes are kept.
    """

    size = 64

    def __init__(self) -> None:
        self._kept: OrderedDict[bytes, bytes] = OrderedDict()
        self._data = pydyf.Stream.data

    def data(self, stream: pydyf.Stream) -> bytes:
        if not stream.compress:
            return self._data.fget(stream)
        extra = stream.extra
        if "Length1" in extra and len(stream.stream) == 1 and isinstance(stream.stream[0], bytes):
            raw = stream.stream[0]  # a font file
            compressed = self._kept.get(raw)
            if compressed is None:
                compressed = self._kept[raw] = deflated(raw)
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
            else:
                self._kept.move_to_end(raw)
        else:  # as pydyf.Stream.data, at DEFLATE_LEVEL
            compressed = deflated(b"\n".join(pydyf._to_bytes(item) for item in stream.stream))
        extra = pydyf.Dictionary(extra.copy())
        extra["Filter"] = "/FlateDecode"
        extra["Length"] = len(compressed)
        return b"\n".join((extra.data, b"stream", compressed, b"endstream"))

    @contextmanager
    def installed(self) -> Iterator[None]:
        """Within the block, pydyf writes its streams through this writer."""
        pydyf.Stream.data = property(self.data)
        try:
            yield
        finally:
            pydyf.Stream.data = self._data
