"""PDFs generated for the reader tests: prose, tables, columns, scans, hidden text, hostile files."""

from __future__ import annotations

import io
import os
import zlib

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
STYLES = getSampleStyleSheet()


def unicode_font() -> str | None:
    """A TTF with Welsh letters (ŵ, ŷ); reportlab's built-in fonts are Latin-1 only."""
    if not os.path.exists(DEJAVU):
        return None
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", DEJAVU))
    return "DejaVu"


def _running(header: str, footer: str):
    def draw(c: canvas.Canvas, doc) -> None:
        width, height = doc.pagesize
        c.saveState()
        c.setFont("Helvetica", 8)
        c.drawString(20 * mm, height - 12 * mm, header)
        c.drawRightString(width - 20 * mm, 10 * mm, footer.format(page=doc.page))
        c.restoreState()
    return draw


def prose_pdf(title: str, paragraphs: list[str], header: str = "OFFICIAL - SENSITIVE",
              footer: str = "Page {page}", page_breaks: int = 0, font: str | None = None) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title=title)
    body = STYLES["BodyText"].clone("body", fontName=font) if font else STYLES["BodyText"]
    head = STYLES["Heading1"].clone("head", fontName=font) if font else STYLES["Heading1"]
    story: list = [Paragraph(title, head)]
    per_page = -(-len(paragraphs) // (page_breaks + 1)) if page_breaks else len(paragraphs) + 1
    for i, text in enumerate(paragraphs, 1):
        story.append(Paragraph(text, body))
        if page_breaks and i % per_page == 0 and i < len(paragraphs):
            story.append(PageBreak())
    doc.build(story, onFirstPage=_running(header, footer), onLaterPages=_running(header, footer))
    return buf.getvalue()


def key_value_pdf(title: str, pairs: list[tuple[str, str]], after: list[str]) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    table = Table([[k, v] for k, v in pairs], colWidths=[60 * mm, 100 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("BACKGROUND", (0, 0), (0, -1), colors.lightgrey)]))
    story = [Paragraph(title, STYLES["Heading1"]), table, Spacer(1, 8 * mm)]
    story += [Paragraph(t, STYLES["BodyText"]) for t in after]
    doc.build(story)
    return buf.getvalue()


def landscape_agenda_pdf(title: str, header_row: list[str], rows: list[list[str]], note: str) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm)
    table = Table([header_row, *rows], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1F3864")),
                               ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                               ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold")]))
    doc.build([Paragraph(title, STYLES["Title"]), table, Spacer(1, 6 * mm), Paragraph(note, STYLES["BodyText"])],
              onFirstPage=_running("MAPPA agenda - RESTRICTED", "Page {page} of 1"))
    return buf.getvalue()


def two_column_pdf(left: list[str], right: list[str]) -> bytes:
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4)
    gap = 8 * mm
    width = (doc.width - gap) / 2
    frames = [Frame(doc.leftMargin, doc.bottomMargin, width, doc.height, id="left"),
              Frame(doc.leftMargin + width + gap, doc.bottomMargin, width, doc.height, id="right")]
    doc.addPageTemplates([PageTemplate(id="cols", frames=frames, onPage=_running("Newsletter", "Page {page}"))])
    from reportlab.platypus import FrameBreak

    story = [Paragraph(t, STYLES["BodyText"]) for t in left] + [FrameBreak()]
    story += [Paragraph(t, STYLES["BodyText"]) for t in right]
    doc.build(story)
    return buf.getvalue()


def hidden_text_pdf(visible: str, white: str, invisible: str, outside: str, covered: str,
                    banner: str = "") -> bytes:
    """One page with every trick: white on white, render mode 3, off the page, under a black box.

    ``banner`` is white text on a dark fill: visible, and must not be flagged.
    """
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, visible)
    if banner:
        c.setFillColor(colors.HexColor("#1F3864"))
        c.rect(60, 720, 400, 22, fill=1, stroke=0)
        c.setFillColor(colors.white)
        c.drawString(72, 726, banner)
    c.setFillColor(colors.white)
    c.drawString(72, 690, white)
    c.setFillColor(colors.black)
    text = c.beginText(72, 660)
    text.setTextRenderMode(3)
    text.textLine(invisible)
    text.setTextRenderMode(0)  # the render mode outlives BT/ET: set it back for what follows
    c.drawText(text)
    c.drawString(72, 1200, outside)
    c.drawString(72, 620, covered)
    c.rect(66, 612, 420, 20, fill=1, stroke=0)
    c.showPage()
    c.save()
    return buf.getvalue()


def annotated_pdf(body: str, note: str, field_name: str, field_value: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, body)
    c.textAnnotation(note, Rect=(72, 700, 200, 740), relative=0)
    c.acroForm.textfield(name=field_name, value=field_value, x=72, y=600, width=300, height=20)
    c.showPage()
    c.save()
    return buf.getvalue()


def with_embedded_file(pdf: bytes, name: str, data: bytes) -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    doc.new_attachment(name).set_data(data)
    out = io.BytesIO()
    doc.save(out)
    doc.close()
    return out.getvalue()


def encrypted_pdf(text: str, password: str = "s3cret") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=password)
    c.drawString(72, 760, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def text_image(lines: list[str], width: int = 1654, height: int = 2339, size: int = 42) -> Image.Image:
    """A white A4 page at 200 dpi with black text, as a scanner would produce."""
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(DEJAVU, size) if os.path.exists(DEJAVU) else ImageFont.load_default(size)
    y = 160
    for line in lines:
        draw.text((140, y), line, fill=0, font=font)
        y += int(size * 1.8)
    return image


def scanned_pdf(pages: list[list[str]], text_page: str | None = None) -> bytes:
    """Image-only pages (no text layer); optionally a normal text page first."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    if text_page:
        c.drawString(72, 760, text_page)
        c.showPage()
    for lines in pages:
        image = text_image(lines)
        c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return buf.getvalue()


# Hand-written PDFs for the hostile suite ------------------------------------------------------

def _assemble(objects: list[bytes], root: int = 1) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def many_pages_pdf(pages: int) -> bytes:
    """``pages`` pages sharing one font and one content stream: a few hundred KB for 5,000 pages."""
    content = b"BT /F1 12 Tf 72 720 Td (A page of a very long bundle) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    first_page = len(objects) + 1
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects[1] = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages
    for _ in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>")
    return _assemble(objects)


def decompression_bomb_pdf(inflated_mb: int = 60, ascii85: bool = False) -> bytes:
    """A page whose content stream is a few KB deflated and ``inflated_mb`` MB inflated
    (optionally wrapped in ASCII85, as reportlab writes its streams)."""
    import base64

    squeeze = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    body = b"".join(squeeze.compress(chunk) for _ in range(inflated_mb)) + squeeze.flush()
    filters = b"/FlateDecode"
    if ascii85:
        body = base64.a85encode(body, wrapcol=72) + b"~>"
        filters = b"[/ASCII85Decode /FlateDecode]"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter %s >>\nstream\n" % (len(body), filters) + body + b"\nendstream"]
    return _assemble(objects)


def circular_pdf() -> bytes:
    """Objects that point at each other: a page tree that contains itself, a font that is a loop.

    The page also draws a line, so the table finder (pdfminer) is asked about it too.
    """
    content = b"0 0 0 RG 72 700 m 500 700 l S BT /F2 12 Tf 72 720 Td (Circular references here) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R /F2 7 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"6 0 R",
               b"5 0 R",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return _assemble(objects)
