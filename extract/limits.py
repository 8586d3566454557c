"""Limits that keep a hostile file from exhausting the machine.

They live with the readers (the settings object fills them in) so that each reader can be
tested with tight limits without the rest of the service.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadLimits:
    max_file_bytes: int = 50 * 1024 * 1024
    max_pages: int = 1000
    max_chars: int = 5_000_000
    max_zip_members: int = 2000
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: float = 100.0
    max_xml_depth: int = 200
    max_attachments: int = 50
    max_nesting: int = 3  # e-mail inside e-mail inside ...
    ocr_min_confidence: float = 60.0
    ocr_max_pages: int = 50
    ocr_dpi: int = 200
