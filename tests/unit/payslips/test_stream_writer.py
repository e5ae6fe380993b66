"""The payslip renderer's streams: deflated at its own level, readable by any PDF reader
(a complete zlib stream whose /Length is its size), a font file deflated once."""

from __future__ import annotations

import re
import zlib

import pydyf

from payroll.payslips import streams
from payroll.payslips.streams import StreamWriter


def _parts(data: bytes) -> tuple[int, bytes]:
    head, rest = data.split(b"\nstream\n", 1)
    body = rest.removesuffix(b"\nendstream")
    length = int(re.search(rb"/Length (\d+)", head).group(1))
    assert b"/Filter /FlateDecode" in head
    return length, body


def test_a_page_stream_is_a_whole_deflate_of_its_operators() -> None:
    stream = pydyf.Stream(compress=True)
    stream.move_to(10, 20)
    stream.line_to(30.5, 40)
    stream.stroke()
    with StreamWriter().installed():
        data = stream.data
    length, body = _parts(data)
    assert length == len(body)
    assert zlib.decompress(body) == b"10 20 m\n30.5 40 l\nS"
    assert pydyf.Stream.data is not None and stream.data != data  # pydyf's own level after


def test_a_font_file_is_deflated_once_and_kept(monkeypatch) -> None:
    calls: list[int] = []
    real = streams.deflated
    monkeypatch.setattr(streams, "deflated", lambda raw: calls.append(len(raw)) or real(raw))
    font = bytes(range(256)) * 40
    writer = StreamWriter()
    with writer.installed():
        first = pydyf.Stream([font], {"Length1": len(font)}, compress=True).data
        again = pydyf.Stream([font], {"Length1": len(font)}, compress=True).data
    assert first == again and calls == [len(font)]
    length, body = _parts(first)
    assert length == len(body) and zlib.decompress(body) == font


def test_an_uncompressed_stream_is_left_to_pydyf() -> None:
    stream = pydyf.Stream([b"BT", b"ET"])
    with StreamWriter().installed():
        assert stream.data == pydyf.Stream([b"BT", b"ET"]).data
    assert b"FlateDecode" not in stream.data
