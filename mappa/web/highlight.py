"""The source text as HTML with every extracted field's span marked, for the review page.

Spans may overlap (a subject's name inside the line that gave his level), so the text is cut
at every span boundary and each piece is wrapped once, listing every field covering it. The
first piece of each span carries the anchor id the field list links to, so a keyboard user
can jump from a field to its source and back.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Marked:
    """One field's place in the text."""

    anchor: str  # HTML id, e.g. "src-subjects-0-name"
    label: str  # what the field is, for the tooltip
    start: int
    end: int


def anchor_for(field: str) -> str:
    return "src-" + "".join(ch if ch.isalnum() else "-" for ch in field).strip("-")


def mark_text(text: str, spans: list[Marked]) -> Markup:
    good = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in good), *(s.end for s in good)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = str(escape(text[a:b]))
        covering = [s for s in good if s.start <= a and s.end >= b]
        if not covering:
            out.append(piece)
            continue
        starting = [s for s in covering if s.start == a]
        anchors = "".join(f'<span id="{escape(s.anchor)}"></span>' for s in starting[1:])
        ident = f' id="{escape(starting[0].anchor)}"' if starting else ""
        title = escape("; ".join(s.label for s in covering))
        out.append(f'{anchors}<mark{ident} title="{title}">{piece}</mark>')
    return Markup("".join(out))  # noqa: S704 - every piece of text is escaped above
