"""PDF: pdfium for text, objects and rendering; pdfplumber for tables; Tesseract for scans.

Order of work is chosen so that a hostile file costs little: the raw bytes are scanned for
decompression bombs first, the page count is checked before any page is parsed, and the slow
readers (pdfplumber, OCR) run only on the pages that need them.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pr

from extract.formats.common import CharBudget, Clock, Outcome, refuse
from extract.formats.ocr import MAX_IMAGE_PIXELS, confidence_flag, ocr_image
from extract.formats.pdf_guard import scan_pdf
from extract.formats.pdf_layout import (
    HiddenRun,
    Line,
    PageLines,
    body_size,
    group_paragraphs,
    mark_running_lines,
    page_lines,
)
from extract.formats.pdf_objects import PageNote, embedded_files, read_annotations, scan_page_objects
from extract.formats.pdf_tables import FoundTable, find_tables
from extract.limits import ReadLimits
from extract.model import Attachment, BlockKind, Flag, TextBuilder

READ_SECONDS = 600.0
SCANNED_MAX_CHARS = 20  # a page with fewer visible characters than this and a large image is a scan
SCAN_IMAGE_SHARE = 0.4  # ... where the images cover at least this share of the page
METADATA_BLOCKS = ("Title", "Subject", "Keywords")
# Values PDF writers fill in when nobody gave one: not worth a block.
PLACEHOLDERS = {"(anonymous)", "(unspecified)", "untitled", "unspecified", "anonymous", "unknown"}


class _Page:
    def __init__(self, index: int, width: float, height: float) -> None:
        self.index = index
        self.width = width
        self.height = height
        self.lines = PageLines()
        self.notes: list[PageNote] = []
        self.tables: list[FoundTable] = []
        self.ocr: tuple[tuple[str, ...], float] | None = None
        self.scanned = False
        self.has_paths = False


def read_pdf(data: bytes, limits: ReadLimits) -> Outcome:
    scan = scan_pdf(data, limits)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pr.FPDF_ERR_PASSWORD, pr.FPDF_ERR_SECURITY):
            raise refuse("password_protected",
                         "The PDF is password protected: ask the sender for an unprotected copy") from exc
        raise refuse("corrupt", "the PDF is damaged and cannot be read (it may be truncated): ask the sender "
                     "to send it again", detail=str(exc)) from exc
    try:
        return _read_open_pdf(pdf, data, limits, scan.largest_image_pixels)
    finally:
        pdf.close()


def _read_open_pdf(pdf: pdfium.PdfDocument, data: bytes, limits: ReadLimits, largest_image: int) -> Outcome:
    pdf.init_forms()
    n_pages = len(pdf)
    if n_pages > limits.max_pages:
        raise refuse("too_large", f"the PDF has {n_pages:,} pages, more than the {limits.max_pages:,} this service "
                     "reads: send the MAPPA document on its own")
    clock = Clock(READ_SECONDS)
    budget = CharBudget(limits)
    flags: list[Flag] = []
    files, file_flags = embedded_files(pdf, limits)
    flags += file_flags
    pages: list[_Page] = []
    hidden_pages: dict[str, list[int]] = {}
    ocr_layer_pages: list[int] = []
    unchecked_pages: list[int] = []
    broken_pages: list[int] = []
    for index in range(n_pages):
        clock.check(f"page {index + 1}")
        try:
            page = pdf[index]
        except pdfium.PdfiumError:
            broken_pages.append(index + 1)
            pages.append(_Page(index, 0.0, 0.0))
            continue
        width, height = page.get_size()
        info = _Page(index, width, height)
        objects = scan_page_objects(page)
        textpage = page.get_textpage()
        info.lines = page_lines(textpage, objects.hidden)
        budget.spend(info.lines.visible_chars + sum(len(h.text) for h in info.lines.hidden))
        info.notes = read_annotations(pdf, page, files)
        info.has_paths = objects.path_count > 0
        info.scanned = info.lines.visible_chars < SCANNED_MAX_CHARS and _image_share(page) >= SCAN_IMAGE_SHARE
        for run in info.lines.hidden:
            hidden_pages.setdefault(run.reason, []).append(index + 1)
        if objects.ocr_layer:
            ocr_layer_pages.append(index + 1)
        if objects.skipped_checks:
            unchecked_pages.append(index + 1)
        if info.scanned:
            _ocr_page(page, info, limits, largest_image, flags, sum(1 for p in pages if p.ocr))
            if info.ocr:
                budget.spend(sum(len(p) for p in info.ocr[0]))
        textpage.close()
        page.close()
        pages.append(info)
    table_pages = [p.index for p in pages if p.has_paths and p.lines.lines]
    if broken_pages:
        flags.append(Flag("pages_unreadable", f"the PDF is damaged and could not be read on {_pages(broken_pages)}: "
                          "check the original", review=True))
    found_tables, table_failures = find_tables(data, table_pages)
    for index, tables in found_tables.items():
        pages[index].tables = tables
    if table_failures:
        flags.append(Flag("tables_unread", f"the table layout of {_pages([i + 1 for i in table_failures])} could not "
                          "be read (text kept line by line): check the tables", review=True))
    metadata = {k: v for k, v in pdf.get_metadata_dict(skip_empty=True).items()
                if isinstance(v, str) and v.strip().lower() not in PLACEHOLDERS}
    flags += _document_flags(pages, hidden_pages, ocr_layer_pages, unchecked_pages, files, data)
    builder = _build(pages, metadata, budget)
    return builder.build("pdf", flags=flags, attachments=files, metadata={**metadata, "pages": str(n_pages)})


def _image_share(page: pdfium.PdfPage) -> float:
    width, height = page.get_size()
    area = max(width * height, 1.0)
    covered = 0.0
    for obj in page.get_objects(filter=[pr.FPDF_PAGEOBJ_IMAGE], max_depth=4):
        left, bottom, right, top = obj.get_bounds()
        covered = max(covered, max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0)))
    return covered / area


def _ocr_page(page: pdfium.PdfPage, info: _Page, limits: ReadLimits, largest_image: int, flags: list[Flag],
              done: int) -> None:
    number = info.index + 1
    if done >= limits.ocr_max_pages:
        flags.append(Flag("ocr_page_skipped", f"page {number} is a scan and was not read: more than "
                          f"{limits.ocr_max_pages} scanned pages; check it", review=True))
        return
    if largest_image > MAX_IMAGE_PIXELS:
        flags.append(Flag("ocr_image_too_large", f"page {number} is a scan whose image is too large to read "
                          "safely: check it", review=True))
        return
    scale = limits.ocr_dpi / 72
    pixels = info.width * info.height * scale * scale
    if pixels > MAX_IMAGE_PIXELS:
        scale *= (MAX_IMAGE_PIXELS / pixels) ** 0.5
    image = page.render(scale=scale, grayscale=True).to_pil()
    result = ocr_image(image)
    info.ocr = (result.paragraphs, result.confidence)
    low = confidence_flag(number, result.confidence, limits.ocr_min_confidence)
    if low:
        flags.append(low)


def _document_flags(pages: list[_Page], hidden: dict[str, list[int]], ocr_layer: list[int], unchecked: list[int],
                    files: list[Attachment], data: bytes) -> list[Flag]:
    flags: list[Flag] = []
    for reason, numbers in hidden.items():
        flags.append(Flag("hidden_text", f"hidden text ({reason}) on {_pages(numbers)}: a person must check it; "
                          "it was kept apart from the visible text", review=True))
    annotated = [p.index + 1 for p in pages if any(n.kind == "annotation" for n in p.notes)]
    if annotated:
        flags.append(Flag("pdf_annotations", f"comments or annotations on {_pages(annotated)}: check them",
                          review=True))
    forms = [p.index + 1 for p in pages if any(n.kind == "form_field" for n in p.notes)]
    if forms:
        flags.append(Flag("pdf_form_fields", f"filled-in form fields on {_pages(forms)} were read"))
    if ocr_layer:
        flags.append(Flag("pdf_ocr_layer", f"an earlier OCR text layer was read as it is on {_pages(ocr_layer)}"))
    ocred = [p.index + 1 for p in pages if p.ocr]
    if ocred:
        flags.append(Flag("ocr", f"read by OCR (no text layer) on {_pages(ocred)}"))
    if unchecked:
        flags.append(Flag("hidden_text_unchecked", f"too many drawing objects to check for hidden text on "
                          f"{_pages(unchecked)}: check them", review=True))
    if files:
        flags.append(Flag("pdf_embedded_files", f"the PDF carries {len(files)} embedded file(s), each read as a "
                          "document of its own"))
    if b"%%EOF" not in data[-2048:]:
        flags.append(Flag("pdf_truncated", "the PDF has no end marker, so it may be cut short: check no pages are "
                          "missing", review=True))
    if not any(p.lines.lines or p.ocr or p.notes for p in pages):
        flags.append(Flag("no_text", "no text was found in the PDF", review=True))
    return flags


def _pages(numbers: list[int]) -> str:
    unique = sorted(set(numbers))
    shown = ", ".join(str(n) for n in unique[:10]) + (" …" if len(unique) > 10 else "")
    return f"page {shown}" if len(unique) == 1 else f"pages {shown}"


def _build(pages: list[_Page], metadata: dict[str, str], budget: CharBudget) -> TextBuilder:
    mark_running_lines([(p.lines, p.height) for p in pages])
    normal = body_size([p.lines for p in pages])
    builder = TextBuilder()
    table_count = 0
    for page in pages:
        if page.ocr:
            for paragraph in page.ocr[0]:
                builder.add(BlockKind.PARAGRAPH, paragraph)
        else:
            table_count = _add_page_body(builder, page, normal, table_count)
        for note in page.notes:
            builder.add(BlockKind.FORM_FIELD if note.kind == "form_field" else BlockKind.ANNOTATION, note.text)
        for run in _merge_hidden(page.lines.hidden):
            builder.add(BlockKind.HIDDEN, run.text)
        if page is pages[-1]:
            for key in METADATA_BLOCKS:
                if metadata.get(key):
                    budget.spend(len(metadata[key]))
                    builder.add(BlockKind.METADATA, f"{key}: {metadata[key]}")
        builder.end_page(ocr_confidence=page.ocr[1] if page.ocr else None, width=page.width, height=page.height)
    return builder


def _add_page_body(builder: TextBuilder, page: _Page, normal: float, table_count: int) -> int:
    """Lines in stream order; a table replaces its lines where its first line stood."""
    placed: dict[int, int] = {}  # table number on page -> index of the first line inside it
    remaining: list[Line | FoundTable] = []
    for line in page.lines.lines:
        inside = next((i for i, t in enumerate(page.tables) if _in_box(line, t.box)), None)
        if inside is None:
            remaining.append(line)
        elif inside not in placed:
            placed[inside] = len(remaining)
            remaining.append(page.tables[inside])
    for i, table in enumerate(page.tables):
        if i not in placed:
            remaining.append(table)
    headers = [x for x in remaining if isinstance(x, Line) and x.kind == BlockKind.HEADER]
    footers = [x for x in remaining if isinstance(x, Line) and x.kind == BlockKind.FOOTER]
    body = [x for x in remaining if not (isinstance(x, Line) and x.kind in (BlockKind.HEADER, BlockKind.FOOTER))]
    for kind, text in group_paragraphs(headers, normal):
        builder.add(kind, text)
    run: list[Line] = []
    for item in [*body, None]:
        if isinstance(item, Line):
            run.append(item)
            continue
        for kind, text in group_paragraphs(run, normal):
            builder.add(kind, text)
        run = []
        if isinstance(item, FoundTable):
            for row_index, row in enumerate(item.rows):
                builder.add_row(list(row), table_count, row_index)
            table_count += 1
    for kind, text in group_paragraphs(footers, normal):
        builder.add(kind, text)
    return table_count


def _in_box(line: Line, box: tuple[float, float, float, float]) -> bool:
    x = (line.left + line.right) / 2
    y = (line.top + line.bottom) / 2
    return box[0] - 2 <= x <= box[2] + 2 and box[1] - 2 <= y <= box[3] + 2


def _merge_hidden(runs: list[HiddenRun]) -> list[HiddenRun]:
    merged: list[HiddenRun] = []
    for run in runs:
        if merged and merged[-1].reason == run.reason:
            merged[-1] = HiddenRun(merged[-1].text + "\n" + run.text, run.reason)
        else:
            merged.append(run)
    return merged
