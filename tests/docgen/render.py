"""Writers: one ``Doc`` as PDF (text or scanned), DOCX, plain text or e-mail.

Output is byte-for-byte deterministic for the same ``Doc`` (reportlab invariant mode, fixed zip
timestamps, fixed MIME boundaries, fixed PDF dates), so the service's duplicate detection can be
tested with a regenerated corpus too.
"""

from __future__ import annotations

import io
import random
import textwrap
import zipfile
from datetime import UTC
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from tests.docgen.doc import Block, Doc

FIXED_ZIP_TIME = (2025, 1, 1, 9, 0, 0)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


# ---------------------------------------------------------------- plain text

def text_lines(doc: Doc, *, wrap: int = 0, kv_style: str = "colon", table_style: str = "pipe",
               bullet: str = "-") -> list[str]:
    """The document as plain text lines, in one of several house styles."""
    out: list[str] = []

    def para(t: str) -> None:
        if wrap:
            out.extend(textwrap.wrap(t, wrap, break_on_hyphens=False, break_long_words=False) or [""])
        else:
            out.append(t)

    if doc.header_text:
        out += [doc.header_text, ""]
    for i, b in enumerate(doc.blocks):
        if b.kind == "title":
            out += [b.text.upper(), "=" * min(len(b.text), 70), ""]
        elif b.kind == "h":
            if doc.heading_style == "underline":
                out += ["", b.text, "-" * len(b.text)]
            elif doc.heading_style == "caps":
                out += ["", b.text.upper()]
            else:
                out += ["", b.text]
        elif b.kind == "p":
            para(b.text)
            out.append("")
        elif b.kind == "letterhead":
            out += [r[0] for r in b.rows] + [""]
        elif b.kind == "bullets":
            for r in b.rows:
                para(f"{bullet} {r[0]}")
            out.append("")
        elif b.kind == "kv":
            width = max(len(r[0]) for r in b.rows) + 1
            for r in b.rows:
                if kv_style == "pipe":
                    out.append(f"{r[0]} | {r[1]}")
                elif kv_style == "aligned":
                    out.append(f"{(r[0] + ':').ljust(width + 1)} {r[1]}")
                else:
                    out.append(f"{r[0]}: {r[1]}")
            out.append("")
        elif b.kind == "table":
            sep = {"pipe": " | ", "tab": "\t", "semi": "; "}[table_style]
            for j, r in enumerate(b.rows):
                out.append(sep.join(r).rstrip())
                if j == 0 and table_style == "pipe":
                    out.append("-" * min(len(sep.join(r)), 100))
            out.append("")
        elif b.kind == "rule":
            out.append("_" * 60)
        del i
    if doc.footer_text:
        out += ["", doc.footer_text]
    return out


def to_txt(doc: Doc, path: Path, rng: random.Random) -> None:
    lines = text_lines(doc, wrap=rng.choice([0, 0, 76]), kv_style=rng.choice(["colon", "pipe", "aligned"]),
                       table_style=rng.choice(["pipe", "tab"]), bullet=rng.choice(["-", "*", "•"]))
    nl = "\r\n" if rng.random() < 0.3 else "\n"
    path.write_bytes(nl.join(lines).encode("utf-8"))


# ---------------------------------------------------------------- PDF (text layer)

def _fonts(name: str) -> tuple[str, str]:
    if name == "DejaVu" and (DEJAVU / "DejaVuSans.ttf").exists():
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(DEJAVU / "DejaVuSans-Bold.ttf")))
        return "DejaVu", "DejaVu-Bold"
    if name == "Times-Roman":
        return "Times-Roman", "Times-Bold"
    return "Helvetica", "Helvetica-Bold"


def to_pdf(doc: Doc, path: Path, rng: random.Random) -> None:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

    rl_config.invariant = 1
    regular, bold = _fonts(doc.font)
    size = landscape(A4) if doc.landscape else A4
    margin = 18 * mm
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5 if doc.columns == 1 else 9, leading=12.5)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5)
    head = ParagraphStyle("head", parent=body, fontName=bold, fontSize=11.5, leading=15, spaceBefore=6,
                          spaceAfter=3)
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=15, leading=19, spaceAfter=8)

    def on_page(canvas, _doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(regular, 8)
        w, h = size
        if doc.header_text:
            canvas.drawCentredString(w / 2, h - 10 * mm, doc.header_text)
        footer = doc.footer_text + ("   " if doc.footer_text else "") + f"Page {canvas.getPageNumber()}"
        canvas.drawCentredString(w / 2, 9 * mm, footer)
        canvas.restoreState()

    width = size[0] - 2 * margin
    height = size[1] - 2 * margin
    if doc.columns == 2:
        gap = 8 * mm
        cw = (width - gap) / 2
        frames = [Frame(margin, margin, cw, height, id="c1"), Frame(margin + cw + gap, margin, cw, height, id="c2")]
        frame_w = cw
    else:
        frames = [Frame(margin, margin, width, height, id="f")]
        frame_w = width
    tpl = BaseDocTemplate(str(path), pagesize=size, leftMargin=margin, rightMargin=margin, topMargin=margin,
                          bottomMargin=margin, title=doc.stem, author="", creator="")
    tpl.addPageTemplates([PageTemplate(id="p", frames=frames, onPage=on_page)])

    story: list = []
    grid = rng.choice(["grid", "box", "lines"])
    for b in doc.blocks:
        if b.kind == "title":
            story.append(Paragraph(escape(b.text), title))
        elif b.kind == "h":
            t = b.text.upper() if doc.heading_style == "caps" else b.text
            t = f"<u>{escape(t)}</u>" if doc.heading_style == "underline" else escape(t)
            story.append(Paragraph(t, head))
        elif b.kind == "p":
            story.append(Paragraph(escape(b.text), body))
            story.append(Spacer(1, 4))
        elif b.kind == "letterhead":
            for r in b.rows:
                story.append(Paragraph(escape(r[0]), body))
            story.append(Spacer(1, 8))
        elif b.kind == "bullets":
            for r in b.rows:
                story.append(Paragraph(escape(r[0]), body, bulletText="•"))
            story.append(Spacer(1, 4))
        elif b.kind in ("kv", "table"):
            story.append(_table(b, frame_w, cell, bold, grid, colors, Table, TableStyle, Paragraph))
            story.append(Spacer(1, 6))
    tpl.build(story)


def _table(b: Block, frame_w: float, cell, bold: str, grid: str, colors, Table, TableStyle, Paragraph):  # type: ignore[no-untyped-def]
    ncol = max(len(r) for r in b.rows)
    rel = b.widths if b.widths and len(b.widths) == ncol else [1.0] * ncol
    tot = sum(rel)
    widths = [frame_w * w / tot for w in rel]
    data = []
    for i, r in enumerate(b.rows):
        row = []
        for j, c in enumerate(r + [""] * (ncol - len(r))):
            t = escape(c)
            if (b.header and i == 0) or (b.kind == "kv" and j == 0):
                t = f"<b>{t}</b>"
            row.append(Paragraph(t, cell))
        data.append(row)
    t = Table(data, colWidths=widths, repeatRows=1 if b.header else 0)
    style: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    if grid == "grid":
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif grid == "box":
        style += [("BOX", (0, 0), (-1, -1), 0.8, colors.black), ("INNERGRID", (0, 0), (-1, -1), 0.25, colors.grey)]
    else:
        style.append(("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.grey))
    if b.header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey))
    t.setStyle(TableStyle(style))
    return t


# ---------------------------------------------------------------- DOCX

def docx_bytes(doc: Doc, rng: random.Random) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    cp = d.core_properties
    cp.author = rng.choice(["MAPPA Unit", "MAPPA Coordinator", "Admin", ""])
    from datetime import datetime
    cp.created = cp.modified = datetime(2025, 1, 1, 9, 0, 0)
    cp.last_modified_by = ""
    sec = d.sections[0]
    if doc.landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    if doc.header_text:
        sec.header.paragraphs[0].text = doc.header_text
    if doc.footer_text:
        sec.footer.paragraphs[0].text = doc.footer_text
    use_styles = rng.random() < 0.6
    for b in doc.blocks:
        if b.kind == "title":
            if use_styles:
                d.add_heading(b.text, level=0)
            else:
                r = d.add_paragraph().add_run(b.text)
                r.bold = True
        elif b.kind == "h":
            t = b.text.upper() if doc.heading_style == "caps" else b.text
            if use_styles:
                d.add_heading(t, level=1)
            else:
                r = d.add_paragraph().add_run(t)
                r.bold = True
                r.underline = doc.heading_style == "underline"
        elif b.kind == "p":
            d.add_paragraph(b.text)
        elif b.kind == "letterhead":
            for line in b.rows:
                para = d.add_paragraph(line[0])
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif b.kind == "bullets":
            for line in b.rows:
                d.add_paragraph(line[0], style="List Bullet")
        elif b.kind in ("kv", "table"):
            ncol = max(len(r) for r in b.rows)
            t = d.add_table(rows=0, cols=ncol)
            t.style = "Table Grid"
            for i, row in enumerate(b.rows):
                cells = t.add_row().cells
                for j, text in enumerate(row):
                    cells[j].text = text
                    if (b.header and i == 0) or (b.kind == "kv" and j == 0):
                        for run in cells[j].paragraphs[0].runs:
                            run.bold = True
            d.add_paragraph("")
    buf = io.BytesIO()
    d.save(buf)
    return _fix_zip(buf.getvalue())


def _fix_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def to_docx(doc: Doc, path: Path, rng: random.Random) -> None:
    path.write_bytes(docx_bytes(doc, rng))


# ---------------------------------------------------------------- scanned PDF (image only)

def to_scan(doc: Doc, path: Path, rng: random.Random) -> None:
    """Typed letter, printed and scanned: an image-only PDF with slight skew and speckle."""
    import time
    from datetime import datetime

    from PIL import Image, ImageDraw, ImageFont

    lines = text_lines(doc, wrap=68, kv_style="colon", table_style="pipe")
    font_path = DEJAVU / ("DejaVuSerif.ttf" if rng.random() < 0.5 else "DejaVuSans.ttf")
    font = ImageFont.truetype(str(font_path), 27) if font_path.exists() else ImageFont.load_default(27)
    w, h, top, step = 1654, 2339, 150, 40
    per_page = (h - 2 * top) // step
    pages = []
    for start in range(0, max(len(lines), 1), per_page):
        img = Image.new("L", (w, h), 255)
        dr = ImageDraw.Draw(img)
        for k, ln in enumerate(lines[start:start + per_page]):
            dr.text((150, top + k * step), ln, fill=rng.randint(0, 40), font=font)
        for _ in range(400):
            x, y = rng.randrange(w), rng.randrange(h)
            dr.point((x, y), fill=rng.randint(60, 160))
        img = img.rotate(rng.uniform(-0.8, 0.8), fillcolor=255, resample=Image.Resampling.BILINEAR)
        pages.append(img)
    stamp = time.gmtime(datetime(2025, 1, 1, 9, 0, 0, tzinfo=UTC).timestamp())
    pages[0].save(path, "PDF", resolution=200.0, save_all=True, append_images=pages[1:],
                  title="Scan", creationDate=stamp, modDate=stamp)


# ---------------------------------------------------------------- e-mail

def to_eml(doc: Doc, path: Path, rng: random.Random) -> None:
    """The body is ``doc``; ``doc.email['attachments']`` holds (filename, Doc, format) to attach."""
    info = doc.email or {}
    msg = EmailMessage()
    msg["From"] = info.get("from", "MAPPA Coordinator <mappa.unit@example-police.uk>")
    msg["To"] = info.get("to", "mappa.cs@example.gov.uk")
    msg["Subject"] = info.get("subject", "MAPPA")
    msg["Date"] = format_datetime(info["date"])
    msg["Message-ID"] = f"<{doc.stem}@mappa.example-police.uk>"
    body = "\n".join(text_lines(doc, wrap=0, kv_style=rng.choice(["colon", "pipe"]), table_style="pipe"))
    msg.set_content(body)
    if info.get("html"):
        msg.add_alternative(_html(doc), subtype="html")
    for fname, att, fmt in info.get("attachments", []):
        sub = random.Random(fname)
        if fmt == "docx":
            msg.add_attachment(docx_bytes(att, sub), maintype="application",
                               subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename=fname)
        else:
            tmp = path.with_suffix(".tmp.pdf")
            to_pdf(att, tmp, sub)
            msg.add_attachment(tmp.read_bytes(), maintype="application", subtype="pdf", filename=fname)
            tmp.unlink()
    for k, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_mappa_{doc.stem}_{k}")
    path.write_bytes(msg.as_bytes())


def _html(doc: Doc) -> str:
    parts = ["<html><body>"]
    for b in doc.blocks:
        if b.kind in ("title", "h"):
            parts.append(f"<p><b>{escape(b.text)}</b></p>")
        elif b.kind == "p":
            parts.append(f"<p>{escape(b.text)}</p>")
        elif b.kind in ("letterhead", "bullets"):
            parts.append("<br>".join(escape(r[0]) for r in b.rows))
        elif b.kind in ("kv", "table"):
            rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in b.rows)
            parts.append(f"<table border=1>{rows}</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


WRITERS = {"pdf": to_pdf, "docx": to_docx, "txt": to_txt, "eml": to_eml, "scan": to_scan}
SUFFIX = {"pdf": ".pdf", "docx": ".docx", "txt": ".txt", "eml": ".eml", "scan": ".pdf"}


def write(doc: Doc, out_dir: Path, fmt: str, rng: random.Random) -> Path:
    path = out_dir / f"{doc.stem}{SUFFIX[fmt]}"
    WRITERS[fmt](doc, path, rng)
    return path
