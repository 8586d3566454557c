"""QA figures: extraction errors over time, from the reviewers' corrections.

A correction is an extraction error a person found. Counted by week, by field, by document
type and by source (the watched folder or sender), beside the number of documents received,
so a rising rate shows whatever changed (a new template from one police area, a new field).
The chart is server-rendered SVG: no script, readable by a screen reader through its title,
description and the table printed under it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from mappa.corrections import LABEL_FIELD, generic
from outputs.records import Correction
from outputs.schema import Document


@dataclass(frozen=True)
class Week:
    start: date
    corrections: int
    documents: int  # received that week
    corrected_documents: int  # of the documents corrected that week

    @property
    def label(self) -> str:
        return self.start.strftime("%d %b")


@dataclass(frozen=True)
class Figures:
    total: int
    weeks: tuple[Week, ...]
    by_field: tuple[tuple[str, int], ...]
    by_doc_type: tuple[tuple[str, int], ...]
    by_source: tuple[tuple[str, int], ...]
    documents: int
    corrected_documents: int

    @property
    def error_rate(self) -> float:
        return self.corrected_documents / self.documents if self.documents else 0.0


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def compute(session: Session, today: date, weeks: int = 12) -> Figures:
    rows = session.execute(
        select(Correction.at, Correction.field, Correction.document_id, Document.doc_type, Document.source)
        .join(Document, Document.id == Correction.document_id)
        .where(Correction.field != LABEL_FIELD)
    ).all()
    received = list(session.scalars(select(Document.received_at).where(Document.duplicate_of.is_(None))))
    first = _monday(today) - timedelta(weeks=weeks - 1)
    per_week: Counter[date] = Counter()
    docs_week: Counter[date] = Counter()
    corrected_week: dict[date, set[int]] = {}
    for at, _field, doc_id, _t, _s in rows:
        wk = _monday(at.date())
        per_week[wk] += 1
        corrected_week.setdefault(wk, set()).add(doc_id)
    for at in received:
        docs_week[_monday(at.date())] += 1
    series = tuple(Week(first + timedelta(weeks=i), per_week[first + timedelta(weeks=i)],
                        docs_week[first + timedelta(weeks=i)],
                        len(corrected_week.get(first + timedelta(weeks=i), set()))) for i in range(weeks))
    return Figures(
        total=len(rows),
        weeks=series,
        by_field=tuple(Counter(generic(r[1]) for r in rows).most_common()),
        by_doc_type=tuple(Counter(r[3] or "unknown" for r in rows).most_common()),
        by_source=tuple(Counter(r[4] or "unknown" for r in rows).most_common()),
        documents=len(received),
        corrected_documents=len({r[2] for r in rows}),
    )


def bar_chart(weeks: tuple[Week, ...], title: str, width: int = 720, height: int = 240) -> Markup:
    """Corrections per week as bars, documents received as a line; SVG with presentation attributes only (CSP)."""
    left, right, top, bottom = 40, 10, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max([w.corrections for w in weeks] + [w.documents for w in weeks] + [1])
    step = plot_w / max(1, len(weeks))
    bar_w = step * 0.6

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / top_value

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title chart-desc" '
             f'viewBox="0 0 {width} {height}" width="100%" class="chart">',
             f'<title id="chart-title">{escape(title)}</title>',
             '<desc id="chart-desc">Bars: corrections per week. Line: documents received per week. '
             'The same figures are in the table below.</desc>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#333"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>',
             f'<text x="{left - 6}" y="{y(top_value) + 4:.1f}" text-anchor="end" font-size="11">{top_value}</text>',
             f'<text x="{left - 6}" y="{top + plot_h + 4}" text-anchor="end" font-size="11">0</text>']
    points = []
    for i, w in enumerate(weeks):
        x = left + i * step + (step - bar_w) / 2
        parts.append(f'<rect x="{x:.1f}" y="{y(w.corrections):.1f}" width="{bar_w:.1f}" '
                     f'height="{top + plot_h - y(w.corrections):.1f}" fill="#1d70b8">'
                     f'<title>week of {w.label}: {w.corrections} corrections, {w.documents} documents</title></rect>')
        if i % max(1, len(weeks) // 6) == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                         f'font-size="11">{escape(w.label)}</text>')
        points.append(f"{x + bar_w / 2:.1f},{y(w.documents):.1f}")
    parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#d4351c" stroke-width="2"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers and escaped labels only


def today_utc() -> date:
    return datetime.now().date()
