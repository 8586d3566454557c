"""Warming the process up before the first document, so that document is not the one to pay
for presidio's regular expressions, the lexicon matchers and spaCy's first call.

Done once in the driver before the service says it is ready; the batch workers are forked from
the warmed driver and start warm too.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from extract.model import ReadFailure

log = logging.getLogger("mappa.warm")

WARM_TEXT = (
    "MAPPA Level 2 Meeting Minutes\n\nDate of meeting: 03/03/2025\n\nSubject: John SMITH, date of birth "
    "01/02/1980, PNC 99/123456A.\n\nChildren: Ellie Smith (daughter), date of birth 02/03/2016.\n\nRisk\n"
    "John poses a high risk of serious harm to children.\n\nIndex offence\nConvicted at Snaresbrook Crown "
    "Court of sexual assault and sentenced to 6 years' imprisonment at HMP Pentonville.\n\nActions\n"
    "Children's Services to complete a home visit within 28 days.\nNext review: 03/07/2025\n"
)


def warm(stages: Any, limits: Any) -> float:
    """Run the pure stages once on a small invented document, so the first real one does not pay
    for presidio's regular expressions, the lexicon matchers and spaCy's first call. Returns seconds.
    The spaCy pass counter is reset afterwards, so it counts real documents only."""
    from extract import nlp
    from extract.matching import KnownRecords

    started = time.perf_counter()
    try:
        text = stages.read(WARM_TEXT.encode(), "warm-up.txt", limits)
        if not isinstance(text, ReadFailure):
            parsed = stages.parse(text.text)
            facts = stages.understand(text, parsed, "", KnownRecords())
            stages.summarise(text, facts, parsed, ())
    except Exception:  # noqa: BLE001 - a failed warm-up only costs the first document time
        log.warning("warm-up failed; the first document will be slower", exc_info=True)
    nlp.reset_counters()
    return time.perf_counter() - started
