"""A second, independent document writer: MAPPA paperwork as other authors write it.

    python -m tests.docgen.foreign OUT [--n N] [--seed S]

The home generator (``tests.docgen.corpus``) was used to tune the service, so its scores
overstate how the service does on documents from forces, probation regions, prisons and
councils it has never seen. This writer shares no templates, names or phrasing with it: chair's
notes from a police force, probation meeting records with a household-composition table,
bilingual Welsh/English minutes, e-mailed case lists, numbered case lists with "Person of
interest" labels, HMP/YOI discharge letters and "You are invited to attend" invitations. The
forbidden detail sits where it is hardest to take out: inside the risk sentences.

Gold is recorded as the text is written (``Doc.forbid`` / ``Doc.keep``), in the format of
DESIGN.md, so ``mappa eval OUT`` scores it like the home corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.docgen import render
from tests.docgen.doc import Doc
from tests.docgen.foreign_letters import case_list, email_agenda, invitation, prison_discharge
from tests.docgen.foreign_minutes import bilingual, chair_notes, narrative, probation_record, rosh_grid
from tests.docgen.foreign_more import (
    agency_table,
    mappa_f,
    noms_letter,
    other_letter,
    split_names,
    youth_record,
)
from tests.docgen.foreign_third import carers_table, mappa_a, numbered_cases, pom_email, prose_minutes
from tests.docgen.foreign_world import STYLES, Person, make_person

TEMPLATES = (
    ("minutes", chair_notes, ("docx", "txt", "pdf")),
    ("minutes", probation_record, ("pdf", "docx")),
    ("minutes", bilingual, ("docx", "pdf")),
    ("minutes", narrative, ("txt", "pdf", "eml")),
    ("minutes", rosh_grid, ("pdf", "docx")),
    ("agenda", email_agenda, ("eml",)),
    ("agenda", case_list, ("docx", "pdf", "txt")),
    ("prison_notification", prison_discharge, ("pdf", "docx", "txt")),
    ("invitation", invitation, ("docx", "eml", "txt")),
    ("minutes", mappa_f, ("docx", "pdf")),
    ("minutes", agency_table, ("docx", "pdf")),
    ("prison_notification", noms_letter, ("pdf", "txt")),
    ("agenda", split_names, ("docx", "pdf", "eml")),
    ("minutes", youth_record, ("txt", "docx")),
    ("other", other_letter, ("eml", "pdf", "docx")),
    ("minutes", prose_minutes, ("docx", "pdf", "txt")),
    ("minutes", carers_table, ("pdf", "docx")),
    ("prison_notification", pom_email, ("eml",)),
    ("referral", mappa_a, ("docx", "pdf")),
    ("agenda", numbered_cases, ("docx", "txt")),
)
WEIGHTS = (5, 4, 3, 4, 3, 2, 2, 3, 2, 4, 3, 2, 2, 1, 2, 3, 3, 2, 2, 2)


def _meeting(rng: random.Random) -> date:
    d = date(2025, 1, 13) + timedelta(days=rng.randint(0, 300))
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def _email(d: Doc, sent: date, subject: str) -> None:
    d.email = {"date": datetime(sent.year, sent.month, sent.day, 16, 42, tzinfo=UTC), "subject": subject,
               "from": "MAPPA Admin <mappa.admin@example-constabulary.police.uk>", "html": False, "attachments": []}


def _only_written(d: Doc) -> None:
    """Gold lists only what the document really prints (a template may not print the address)."""
    written = " ".join([d.header_text, d.footer_text] + [b.text for b in d.blocks]
                       + [c for b in d.blocks for r in b.rows for c in r])
    def printed(x: str) -> bool:
        return re.search(r"(?<!\w)" + re.escape(x) + r"(?!\w)", written) is not None

    d.forbidden[:] = [f for f in d.forbidden if printed(f)]
    for child, bad in list(d.per_child.items()):
        d.per_child[child] = [x for x in bad if printed(x)]


def generate(out_dir: Path, n: int = 40, seed: int = 7) -> list[Path]:
    """Write ``n`` documents with STEM.gold.json beside each; return the document paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"foreign-{seed}")
    used: set[str] = set()
    plan = [TEMPLATES[i % len(TEMPLATES)] for i in range(len(TEMPLATES))]
    while len(plan) < n:
        plan.append(rng.choices(TEMPLATES, WEIGHTS)[0])
    plan = plan[:n]
    paths: list[Path] = []
    for idx, (kind, make, formats) in enumerate(plan):
        doc_rng = random.Random(f"foreign-{seed}-{idx}")
        style = doc_rng.choice(STYLES)
        meeting = _meeting(doc_rng)
        stem = f"f{idx + 1:03d}_{kind}"
        fmt = formats[idx % len(formats)]
        if kind == "agenda":
            people: list[Person] = [make_person(doc_rng, used, meeting) for _ in range(doc_rng.randint(3, 6))]
            d = make(stem, people, meeting, doc_rng, style)
        else:
            d = make(stem, make_person(doc_rng, used, meeting), meeting, doc_rng, style)
        if fmt == "eml":
            _email(d, meeting - timedelta(days=doc_rng.randint(1, 9)) if kind != "minutes" else meeting + timedelta(days=3),
                   d.extra.pop("email_subject", "MAPPA"))
        _only_written(d)
        d.font = doc_rng.choice(["Helvetica", "Times-Roman", "DejaVu"])
        if any(ord(c) > 255 for c in json.dumps(d.gold(), ensure_ascii=False)):
            d.font = "DejaVu"  # a PDF font that has "ą": the base-14 fonts print another letter
        d.extra["format"] = fmt
        d.extra["date_style"] = style
        d.extra["template"] = make.__name__
        path = render.write(d, out_dir, fmt, doc_rng)
        (out_dir / f"{stem}.gold.json").write_text(json.dumps(d.gold(), indent=2, ensure_ascii=False) + "\n",
                                                    encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args(argv)
    paths = generate(a.out, a.n, a.seed)
    print(f"wrote {len(paths)} documents to {a.out}")


if __name__ == "__main__":
    main()
