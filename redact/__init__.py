"""Child-safe risk summaries (POLICY.md sections 2 and 3): selection, composition, leak check.

The public functions are imported lazily: ``redact.model`` is imported by later stages that
must not pay for loading presidio and spaCy.
"""

from __future__ import annotations

from typing import Any

_PUBLIC = {
    "SummaryPolicy": "redact.policy",
    "SectionAction": "redact.policy",
    "summarise": "redact.summary",
    "leak_check": "redact.summary",
    "subject_is_child": "redact.summary",
    "write_summary_docx": "redact.docx_out",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(name)
