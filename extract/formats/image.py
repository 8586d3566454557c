"""Image files (a scan or a phone photo of a letter): every frame is OCRed."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageSequence

from extract.formats.common import CharBudget, Outcome, refuse
from extract.formats.ocr import MAX_IMAGE_PIXELS, confidence_flag, ocr_image
from extract.limits import ReadLimits
from extract.model import BlockKind, Flag, TextBuilder


def read_image(data: bytes, limits: ReadLimits, fmt: str) -> Outcome:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise refuse("too_large", "the image is too large to read safely", detail=str(exc)) from exc
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise refuse("too_large", f"the image is {width}x{height} pixels, too large to OCR safely")
        builder = TextBuilder()
        flags: list[Flag] = []
        budget = CharBudget(limits)
        frames = getattr(image, "n_frames", 1)
        if frames > limits.max_pages:
            raise refuse("too_large", f"the image has {frames} pages, more than the {limits.max_pages} allowed")
        for number, frame in enumerate(ImageSequence.Iterator(image), 1):
            if number > limits.ocr_max_pages:
                flags.append(Flag("ocr_pages_skipped", f"only the first {limits.ocr_max_pages} of {frames} scanned "
                                  "pages were read by OCR: check the rest", review=True))
                break
            frame.load()
            page = ocr_image(frame.copy())
            for paragraph in page.paragraphs:
                budget.spend(len(paragraph))
                builder.add(BlockKind.PARAGRAPH, paragraph)
            low = confidence_flag(number, page.confidence, limits.ocr_min_confidence)
            if low:
                flags.append(low)
            builder.end_page(ocr_confidence=page.confidence, width=float(frame.size[0]), height=float(frame.size[1]))
    flags.append(Flag("ocr", f"{fmt.upper()} image read by OCR"))
    if not builder.blocks:
        flags.append(Flag("no_text", "no text was found in the image", review=True))
    return builder.build(fmt, flags=flags)
