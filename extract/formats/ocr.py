"""Tesseract OCR of one page image, with the confidence a reviewer needs.

OCR is the one reader that guesses, so every OCRed page carries its mean word confidence and
a page read badly is put in front of a person rather than trusted.

The page goes to Tesseract as an uncompressed image in an in-memory file (``memfd``) and its
words come back on a pipe. pytesseract, used before, wrote the page as a PNG file and
Tesseract's answer as a text file in the system's temporary folder: plaintext copies of a
restricted document, left behind if the machine died during the read, and the PNG took 0.07 s
to encode per page. A memfd is never on a disk, so nothing of the page outlives the read; it
is not standard input because Tesseract copies that one character at a time through C++
streams, 0.08 s of its 0.6 s on a 200-dpi A4 page, where a file is read in blocks.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

from PIL import Image

from extract.model import Flag

# Tesseract's own threads fight the service's workers for the few cores; one each is faster overall.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
OCR_LANGUAGES = "eng"
OCR_TIMEOUT_SECONDS = 90
TESSERACT = "tesseract"
# Pillow's own decompression-bomb threshold: an image bigger than this is refused, not OCRed.
MAX_IMAGE_PIXELS = 89_478_485


class OcrError(RuntimeError):
    """Tesseract could not read the page; the reader turns it into a reason a person can act on."""


@dataclass(frozen=True)
class OcrPage:
    paragraphs: tuple[str, ...]
    confidence: float  # mean word confidence 0-100; 0 when no words were found


def ocr_image(image: Image.Image) -> OcrPage:
    """Paragraphs in Tesseract's reading order (block, paragraph, line)."""
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    data = _word_table(image)
    paragraphs: dict[tuple[int, int], dict[int, list[str]]] = {}
    confidences: list[float] = []
    for i, word in enumerate(data.get("text", ())):
        word = (word or "").strip()
        try:
            conf = float(data["conf"][i])
        except (KeyError, IndexError, ValueError):
            continue
        if not word or conf < 0:
            continue
        confidences.append(conf)
        key = (int(data["block_num"][i]), int(data["par_num"][i]))
        paragraphs.setdefault(key, {}).setdefault(int(data["line_num"][i]), []).append(word)
    texts = tuple("\n".join(" ".join(words) for _, words in sorted(lines.items()))
                  for _, lines in sorted(paragraphs.items()))
    confidence = sum(confidences) / len(confidences) if confidences else 0.0
    return OcrPage(texts, round(confidence, 1))


def confidence_flag(page_number: int, confidence: float, minimum: float) -> Flag | None:
    if confidence >= minimum:
        return None
    return Flag("ocr_low_confidence",
                f"page {page_number} read by OCR with confidence {confidence:.0f}%: check the text", review=True)


def _word_table(image: Image.Image) -> dict[str, list[str]]:
    """Tesseract's TSV word table of ``image`` (an L or RGB image), by column name."""
    page = os.memfd_create("ocr-page", os.MFD_CLOEXEC)
    try:
        with os.fdopen(os.dup(page), "wb") as out:
            image.save(out, format="PPM")  # binary PGM or PPM
        done = subprocess.run([TESSERACT, f"/dev/fd/{page}", "stdout", "-l", OCR_LANGUAGES, "tsv"], pass_fds=(page,),
                              capture_output=True, timeout=OCR_TIMEOUT_SECONDS, check=False)
    except FileNotFoundError as exc:
        raise OcrError("Tesseract is not installed: run scripts/bootstrap.sh") from exc
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"Tesseract took more than {OCR_TIMEOUT_SECONDS} s on one page") from exc
    finally:
        os.close(page)
    if done.returncode != 0:
        raise OcrError(f"Tesseract failed (exit {done.returncode}): "
                       f"{done.stderr.decode('utf-8', 'replace').strip()[-200:]}")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    if not lines:
        return {}
    header = lines[0].split("\t")
    rows = [line.split("\t") for line in lines[1:] if line]
    # a row whose word is empty may lack its last cell: pad, so the columns stay aligned
    return {name: [row[i] if i < len(row) else "" for row in rows] for i, name in enumerate(header)}
