"""What a PDF page holds besides its visible text: hidden text, annotations, form fields, files.

Hidden text matters because a PDF "redacted" with a white font or a black box still carries
the words: a reader that skipped them would hand them on; a reader that mixed them into the
body would hide them from the reviewer. So hidden text is found by looking at each text
object (render mode, colour, position, what is drawn under and over it) and kept apart.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pr

from extract.limits import ReadLimits
from extract.model import Attachment, Flag

WHITE_LEVEL = 245  # every channel at or above this reads as white on paper
MIN_VISIBLE_HEIGHT = 1.0  # points; text shorter than this cannot be read when printed
MAX_OVERLAP_CHECKS = 2_000_000  # text objects x filled shapes per page, beyond which we do not look
FILL_MODES = {pr.FPDF_TEXTRENDERMODE_FILL, pr.FPDF_TEXTRENDERMODE_FILL_STROKE, pr.FPDF_TEXTRENDERMODE_FILL_CLIP,
              pr.FPDF_TEXTRENDERMODE_FILL_STROKE_CLIP}
INVISIBLE_MODES = {pr.FPDF_TEXTRENDERMODE_INVISIBLE, pr.FPDF_TEXTRENDERMODE_CLIP}
SKIPPED_ANNOTATIONS = {pr.FPDF_ANNOT_POPUP, pr.FPDF_ANNOT_LINK, pr.FPDF_ANNOT_WIDGET, pr.FPDF_ANNOT_XFAWIDGET}
ANNOTATION_NAMES = {
    pr.FPDF_ANNOT_TEXT: "note", pr.FPDF_ANNOT_FREETEXT: "text box", pr.FPDF_ANNOT_HIGHLIGHT: "highlight",
    pr.FPDF_ANNOT_UNDERLINE: "underline", pr.FPDF_ANNOT_STRIKEOUT: "strike-out", pr.FPDF_ANNOT_STAMP: "stamp",
    pr.FPDF_ANNOT_FILEATTACHMENT: "attached file", pr.FPDF_ANNOT_REDACT: "redaction mark",
}

Box = tuple[float, float, float, float]  # left, bottom, right, top


@dataclass
class PageObjects:
    """Addresses of hidden text objects with why, and whether the page carries an OCR text layer."""

    hidden: dict[int, str] = field(default_factory=dict)
    ocr_layer: bool = False
    path_count: int = 0
    skipped_checks: bool = False


def _address(raw: Any) -> int:
    return int(ctypes.cast(raw, ctypes.c_void_p).value or 0)


def _colour(getter: Callable[..., int], raw: object) -> tuple[int, int, int, int] | None:
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not getter(raw, r, g, b, a):
        return None
    return r.value, g.value, b.value, a.value


def _is_white(colour: tuple[int, int, int, int] | None) -> bool:
    return colour is not None and min(colour[:3]) >= WHITE_LEVEL


def _contains(outer: Box, inner: Box, slack: float = 1.0) -> bool:
    return (outer[0] - slack <= inner[0] and outer[1] - slack <= inner[1]
            and outer[2] + slack >= inner[2] and outer[3] + slack >= inner[3])


def _centre_in(outer: Box, inner: Box) -> bool:
    x, y = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= x <= outer[2] and outer[1] <= y <= outer[3]


def _intersects(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def scan_page_objects(page: pdfium.PdfPage) -> PageObjects:
    result = PageObjects()
    crop = page.get_cropbox()
    box: Box = (crop[0], crop[1], crop[2], crop[3])
    texts: list[tuple[int, object, Box]] = []
    backgrounds: list[tuple[int, Box, bool]] = []  # (z, box, white) for filled shapes and images
    images: list[Box] = []
    for z, obj in enumerate(page.get_objects(max_depth=4)):
        kind = obj.type
        if kind not in (pr.FPDF_PAGEOBJ_TEXT, pr.FPDF_PAGEOBJ_PATH, pr.FPDF_PAGEOBJ_IMAGE):
            continue
        try:
            bounds = obj.get_bounds()
        except pdfium.PdfiumError:
            continue
        if kind == pr.FPDF_PAGEOBJ_TEXT:
            texts.append((z, obj.raw, bounds))
        elif kind == pr.FPDF_PAGEOBJ_IMAGE:
            backgrounds.append((z, bounds, False))
            images.append(bounds)
        else:
            result.path_count += 1
            fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
            if pr.FPDFPath_GetDrawMode(obj.raw, fill_mode, stroke) and fill_mode.value:
                colour = _colour(pr.FPDFPageObj_GetFillColor, obj.raw)
                if colour is None or colour[3] > 200:
                    backgrounds.append((z, bounds, _is_white(colour)))
    if len(texts) * max(1, len(backgrounds)) > MAX_OVERLAP_CHECKS:
        result.skipped_checks = True
        backgrounds = []
    for z, raw, bounds in texts:
        reason = _hidden_reason(raw, z, bounds, box, backgrounds)
        if reason == "invisible" and any(_centre_in(image, bounds) for image in images):
            result.ocr_layer = True  # the usual "searchable scan": invisible words over the page image
            continue
        if reason:
            result.hidden[_address(raw)] = reason
    return result


def _hidden_reason(raw: object, z: int, bounds: Box, page_box: Box,
                   backgrounds: list[tuple[int, Box, bool]]) -> str | None:
    mode = pr.FPDFTextObj_GetTextRenderMode(raw)
    if mode in INVISIBLE_MODES:
        return "invisible"
    if not _intersects(bounds, page_box):
        return "outside the page"
    if 0 < bounds[3] - bounds[1] < MIN_VISIBLE_HEIGHT:
        return "too small to see"
    getter = pr.FPDFPageObj_GetFillColor if mode in FILL_MODES else pr.FPDFPageObj_GetStrokeColor
    colour = _colour(getter, raw)
    if colour is not None and colour[3] == 0:
        return "transparent"
    under = [(bz, b, white) for bz, b, white in backgrounds if bz < z and _centre_in(b, bounds)]
    if _is_white(colour) and not any(not white for _, _, white in under):
        return "white on white"
    if any(bz > z and not white and _contains(b, bounds) for bz, b, white in backgrounds):
        return "covered by a shape"
    return None


def _utf16(call: Callable[..., int], *args: object) -> str:
    """pdfium's two-call pattern: ask for the byte length, then fill a buffer."""
    n_bytes = call(*args, None, 0)
    if n_bytes <= 2:
        return ""
    buffer = (pr.FPDF_WCHAR * ((n_bytes + 1) // 2))()
    call(*args, buffer, n_bytes)
    return ctypes.string_at(buffer, n_bytes)[: n_bytes - 2].decode("utf-16-le", errors="replace")


@dataclass(frozen=True)
class PageNote:
    kind: str  # "annotation" or "form_field"
    text: str


def read_annotations(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, files: list[Attachment]) -> list[PageNote]:
    notes: list[PageNote] = []
    form = pdf.formenv.raw if pdf.formenv else None
    for i in range(pr.FPDFPage_GetAnnotCount(page)):
        annot = pr.FPDFPage_GetAnnot(page, i)
        if not annot:
            continue
        try:
            subtype = pr.FPDFAnnot_GetSubtype(annot)
            if subtype == pr.FPDF_ANNOT_WIDGET and form:
                name = _utf16(pr.FPDFAnnot_GetFormFieldName, form, annot)
                value = _utf16(pr.FPDFAnnot_GetFormFieldValue, form, annot)
                field_type = pr.FPDFAnnot_GetFormFieldType(form, annot)
                if field_type in (pr.FPDF_FORMFIELD_CHECKBOX, pr.FPDF_FORMFIELD_RADIOBUTTON):
                    value = "ticked" if pr.FPDFAnnot_IsChecked(form, annot) else ""
                if value.strip():
                    notes.append(PageNote("form_field", f"{name}: {value}" if name else value))
                continue
            if subtype in SKIPPED_ANNOTATIONS:
                continue
            contents = _utf16(pr.FPDFAnnot_GetStringValue, annot, b"Contents")
            author = _utf16(pr.FPDFAnnot_GetStringValue, annot, b"T")
            if subtype == pr.FPDF_ANNOT_FILEATTACHMENT:
                raw_file = pr.FPDFAnnot_GetFileAttachment(annot)
                if raw_file:
                    attached = pdfium.PdfAttachment(raw_file, pdf)
                    files.append(Attachment(attached.get_name(), bytes(attached.get_data()), "pdf_embedded_file"))
            label = ANNOTATION_NAMES.get(subtype, "annotation")
            if contents.strip():
                by = f" by {author}" if author.strip() else ""
                notes.append(PageNote("annotation", f"PDF {label}{by}: {contents}"))
        finally:
            pr.FPDFPage_CloseAnnot(annot)
    return notes


def embedded_files(pdf: pdfium.PdfDocument, limits: ReadLimits) -> tuple[list[Attachment], list[Flag]]:
    files: list[Attachment] = []
    flags: list[Flag] = []
    count = pdf.count_attachments()
    for i in range(count):
        if len(files) >= limits.max_attachments:
            flags.append(Flag("attachments_skipped", f"the PDF embeds {count} files; only the first "
                              f"{limits.max_attachments} were taken out: check the rest", review=True))
            break
        try:
            attached = pdf.get_attachment(i)
            name = attached.get_name() or f"embedded-{i + 1}"
            data = bytes(attached.get_data())
        except pdfium.PdfiumError:
            flags.append(Flag("attachment_unreadable", f"embedded file {i + 1} could not be taken out", review=True))
            continue
        if len(data) > limits.max_file_bytes:
            flags.append(Flag("attachment_too_large", f"embedded file {name} is too large to read", review=True))
            continue
        files.append(Attachment(name, data, "pdf_embedded_file"))
    return files, flags
