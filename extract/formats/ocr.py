"""Tesseract OCR of one page image, with the confidence a reviewer needs.

OCR is the one reader that guesses, so every OCRed page carries its mean word confidence and
a page read badly is put in front of a person rather than trusted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytesseract
from PIL import Image

from extract.model import Flag

# Tesseract's own threads fight the service's workers for the few cores; one each is faster overall.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
OCR_LANGUAGES = "eng"
OCR_TIMEOUT_SECONDS = 90
# Pillow's own decompression-bomb threshold: an image bigger than this is refused, not OCRed.
MAX_IMAGE_PIXELS = 89_478_485


@dataclass(frozen=True)
class OcrPage:
    paragraphs: tuple[str, ...]
    confidence: float  # mean word confidence 0-100; 0 when no words were found


def ocr_image(image: Image.Image) -> OcrPage:
    """Paragraphs in Tesseract's reading order (block, paragraph, line)."""
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    data = pytesseract.image_to_data(image, lang=OCR_LANGUAGES, output_type=pytesseract.Output.DICT,
                                     timeout=OCR_TIMEOUT_SECONDS)
    paragraphs: dict[tuple[int, int], dict[int, list[str]]] = {}
    confidences: list[float] = []
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        conf = float(data["conf"][i])
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
