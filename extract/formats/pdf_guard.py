"""Checks on a PDF's raw bytes before any PDF library parses it.

pdfium and pdfminer inflate a content stream completely when they read it, so a stream that
inflates a thousandfold (a decompression bomb) must be caught here, by inflating each Flate
stream ourselves in small pieces and stopping at the budget. Images are not inflated (the
text readers never decode them); their stated size is checked instead, because rendering a
page for OCR would decode them.
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass

from extract.formats.common import refuse
from extract.limits import ReadLimits

_STREAM = re.compile(rb"stream\r?\n")
_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")
_DIM = re.compile(rb"/(Width|Height)\s+(\d{1,12})\b")
CHUNK = 64 * 1024
# Total inflated bytes below this are never a bomb, whatever the ratio (a small PDF of text
# compresses 1:10 and more).
RATIO_FLOOR_BYTES = 20 * 1024 * 1024
MAX_DICT_LOOKBACK = 4096


@dataclass(frozen=True)
class PdfScan:
    streams: int
    inflated_bytes: int
    largest_image_pixels: int
    encrypted: bool


def scan_pdf(data: bytes, limits: ReadLimits) -> PdfScan:
    inflated = 0
    streams = 0
    largest_image = 0
    encrypted = b"/Encrypt" in data
    for match in _STREAM.finditer(data):
        start = match.end()
        if data[max(0, match.start() - 3):match.start()] == b"end":
            continue
        head_from = max(0, match.start() - MAX_DICT_LOOKBACK)
        head = data[head_from:match.start()]
        objs = list(_OBJ.finditer(head))
        if objs:
            head = head[objs[-1].end():]
        if not head.rstrip().endswith(b">>"):
            continue  # "stream" inside some other token, not a stream keyword
        streams += 1
        if b"/Image" in head:
            dims = dict(_DIM.findall(head))
            pixels = int(dims.get(b"Width", b"0")) * int(dims.get(b"Height", b"0"))
            largest_image = max(largest_image, pixels)
            continue
        if encrypted or b"/FlateDecode" not in head and b"/Fl " not in head and b"/Fl]" not in head:
            continue
        budget = limits.max_uncompressed_bytes - inflated
        source, offset = _ascii_decoded(data, start, head)
        inflated += _inflated_size(source, offset, budget)
        if inflated > limits.max_uncompressed_bytes:
            raise refuse("too_large", f"the PDF's content expands to more than "
                         f"{limits.max_uncompressed_bytes / 1e6:,.0f} MB: it looks like a decompression bomb; "
                         "ask the sender for a fresh copy")
    if inflated > RATIO_FLOOR_BYTES and inflated / max(1, len(data)) > limits.max_compression_ratio:
        raise refuse("too_large", f"the PDF's content expands {inflated / len(data):,.0f} times (more than "
                     f"{limits.max_compression_ratio:,.0f}): it looks like a decompression bomb; ask the sender "
                     "for a fresh copy")
    return PdfScan(streams, inflated, largest_image, encrypted)


def _ascii_decoded(data: bytes, start: int, head: bytes) -> tuple[bytes, int]:
    """Undo an ASCII85/ASCIIHex layer in front of Flate (reportlab writes streams so), which
    would otherwise hide a bomb from the check. These layers only shrink the data."""
    ascii85 = b"/ASCII85Decode" in head or b"/A85" in head
    ascii_hex = b"/ASCIIHexDecode" in head or b"/AHx" in head
    if not (ascii85 or ascii_hex):
        return data, start
    end = data.find(b"endstream", start)
    raw = data[start:end if end >= 0 else len(data)]
    try:
        if ascii85:
            raw = re.sub(rb"\s", b"", raw)
            raw = raw[: raw.find(b"~>")] if b"~>" in raw else raw
            return base64.a85decode(raw), 0
        cleaned = re.sub(rb"[^0-9A-Fa-f]", b"", raw.split(b">")[0])
        return bytes.fromhex((cleaned + b"0" * (len(cleaned) % 2)).decode()), 0
    except ValueError:
        return b"", 0


def _inflated_size(data: bytes, start: int, budget: int) -> int:
    """Inflate from ``start`` until the zlib stream ends, fails, or passes ``budget`` (+1 chunk)."""
    inflater = zlib.decompressobj()
    size = 0
    position = start
    end = len(data)
    while position < end and not inflater.eof:
        piece = data[position:position + CHUNK]
        position += CHUNK
        try:
            out = inflater.decompress(piece, CHUNK * 16)
            size += len(out)
            # At the end of the zlib stream the tail may stay non-empty: stop on eof or no progress.
            while inflater.unconsumed_tail and not inflater.eof and size <= budget and out:
                out = inflater.decompress(inflater.unconsumed_tail, CHUNK * 16)
                size += len(out)
        except zlib.error:
            break
        if size > budget:
            break
    return size
