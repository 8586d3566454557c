"""How much work a file will be, guessed from its bytes without parsing them.

The driver starts the dearest documents of a batch first, so that a long one is not left
running alone on one core at the end (``mappa.pipeline``). Parsing a hostile file to count its
pages is the readers' job, in their sandbox; this only searches the bytes, which is safe. The
unit is a page of text (about 0.05 s in a worker): measured on the benchmark's corpus, a scanned
page (rendered, OCRed, then the same work as any page) costs 0.8-0.9 s, as much as 15-18 pages
with a text layer, and a Word document about one page per 8 kB.
"""

from __future__ import annotations

import re

_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_PDF_IMAGE = re.compile(rb"/Subtype\s*/Image")
OCR_PAGE = 15.0  # an image-only page, in pages of text
_PDF_BYTES_PER_PAGE = 20_000  # when the page objects are packed in object streams
_DOCX_BYTES_PER_PAGE = 8_000
_TEXT_BYTES_PER_PAGE = 2_500
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def work_estimate(data: bytes) -> float:
    """Roughly how many pages of text' worth of work ``data`` is (never below a small floor)."""
    if b"%PDF-" in data[:1024]:
        pages = len(_PDF_PAGE.findall(data))
        if not pages:
            return max(1.0, len(data) / _PDF_BYTES_PER_PAGE)
        images = len(_PDF_IMAGE.findall(data))
        return pages + OCR_PAGE * min(images, pages)
    if data.startswith(_IMAGE_MAGIC):
        return OCR_PAGE
    if data.startswith(b"PK\x03\x04"):
        return max(1.0, len(data) / _DOCX_BYTES_PER_PAGE)
    return max(0.5, len(data) / _TEXT_BYTES_PER_PAGE)
