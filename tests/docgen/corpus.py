"""Generate the test corpus: documents, their gold files and the council's records.csv.

    python -m tests.docgen.corpus OUT [--n N] [--seed S]

The mix follows what a children's services MAPPA inbox receives (mostly minutes, then prison
notifications and agendas), across PDF (portrait, landscape, two-column, scanned), DOCX, e-mail
and plain text.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from datetime import UTC, date, timedelta
from pathlib import Path

from tests.docgen import letters, minutes, render
from tests.docgen.doc import Doc
from tests.docgen.world import ARCHETYPES, COUNCILS, DATE_STYLES, Subject, make_subject

MIX = {"minutes": 30, "agenda": 12, "invitation": 8, "prison_notification": 12, "referral": 4, "other": 6}
FORMATS = {
    "minutes": ["pdf", "docx", "pdf", "txt", "pdf2col", "docx", "eml", "pdf", "docx", "pdf2col"],
    "agenda": ["pdf", "docx", "eml", "txt", "pdf", "docx"],
    "invitation": ["docx", "eml", "pdf", "txt"],
    "prison_notification": ["pdf", "scan", "docx", "scan", "pdf", "txt"],
    "referral": ["docx", "pdf"],
    "other": ["txt", "pdf", "docx"],
}
MINUTE_STYLES = ["prose", "kv_header", "numbered", "tickbox", "prose", "kv_header", "numbered"]
RECORD_COLUMNS = ["kind", "ref", "name", "aliases", "dob", "case_status", "social_worker", "social_worker_email",
                  "team", "district", "spoc_email", "pnc", "prison_number", "subject_ref", "child_ref", "relationship"]
SOCIAL_WORKERS = ["Julie Price", "Bethan Roberts", "Samina Akhtar", "Daniel Frost", "Ifeoma Eze", "Lowri Evans"]


def _counts(n: int) -> dict[str, int]:
    total = sum(MIX.values())
    counts = {k: max(1, round(v * n / total)) if n >= len(MIX) else 0 for k, v in MIX.items()}
    if n < len(MIX):
        for k in list(MIX)[:n]:
            counts[k] = 1
    while sum(counts.values()) > n:
        counts[max(counts, key=lambda k: counts[k])] -= 1
    while sum(counts.values()) < n:
        counts["minutes"] += 1
    return counts


def _world(rng: random.Random, n_subjects: int) -> list[Subject]:
    used: set[str] = set()
    plan = (["contact_sexual", "online_sexual", "domestic", "violence"] * 20)[: max(0, n_subjects - 6)]
    plan += ["youth_sexual", "youth_sexual", "not_mappa", "not_mappa", "cat3", "cat3"]
    rng.shuffle(plan)
    subjects = []
    for i, arch in enumerate(plan):
        assert arch in ARCHETYPES
        council = COUNCILS[i % len(COUNCILS)] if rng.random() < 0.5 else COUNCILS[rng.randrange(len(COUNCILS))]
        meeting = date(2025, 1, 6) + timedelta(days=rng.randint(0, 330))
        s = make_subject(rng, arch, council, meeting, used)
        # known to the council? (some subjects and children are, some are new)
        if rng.random() < 0.6:
            s.ref = f"S{100000 + i * 37:06d}"
        for j, ch in enumerate(s.children):
            if rng.random() < 0.55:
                ch.ref = f"C{300000 + i * 53 + j:06d}"
                ch.status = "open" if rng.random() < 0.6 else "closed"
                ch.worker = rng.randrange(len(SOCIAL_WORKERS))
        subjects.append(s)
    return subjects


def _meeting(s: Subject, rng: random.Random) -> date:
    d = s.release + timedelta(days=rng.randint(-40, 60))
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def _records(subjects: list[Subject], rng: random.Random, path: Path) -> None:
    rows: list[dict[str, str]] = []
    for s in subjects:
        if s.ref:
            rows.append({"kind": "subject", "ref": s.ref, "name": s.name, "aliases": ";".join(s.aliases),
                         "dob": s.dob.isoformat(), "pnc": s.pnc if rng.random() < 0.8 else "",
                         "prison_number": s.nomis if rng.random() < 0.4 else ""})
        for ch in s.children:
            if not ch.ref:
                continue
            sw = SOCIAL_WORKERS[ch.worker]
            district = s.council.districts[0]
            rows.append({"kind": "child", "ref": ch.ref, "name": ch.name, "dob": ch.dob.isoformat(),
                         "case_status": ch.status, "social_worker": sw if ch.status == "open" else "",
                         "social_worker_email": (sw.lower().replace(" ", ".") + "@" + s.council.domain)
                         if ch.status == "open" else "",
                         "team": f"{district} Assessment and Intervention" if ch.status == "open" else "",
                         "district": district, "spoc_email": f"mappa.spoc@{s.council.domain}"})
            if s.ref:
                rows.append({"kind": "relationship", "subject_ref": s.ref, "child_ref": ch.ref,
                             "relationship": ch.relationship})
    # people the council knows who appear in no document
    for k in range(8):
        rows.append({"kind": "child", "ref": f"C9{k:05d}", "name": f"{rng.choice(['Harry', 'Olivia', 'Mia', 'Theo'])} "
                     f"{rng.choice(['Dunn', 'Hale', 'Quinn', 'Shaw'])}", "dob": f"201{k}-0{k + 1}-1{k}",
                     "case_status": rng.choice(["open", "closed"]), "district": "North",
                     "spoc_email": "mappa.spoc@example.gov.uk"})
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=RECORD_COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in RECORD_COLUMNS})


def _emailise(d: Doc, when: date, kind: str, attach: Doc | None, fmt: str) -> None:
    from datetime import datetime
    subject = {"minutes": "MAPPA minutes", "agenda": "MAPPA case list", "invitation": "MAPPA meeting invitation"}
    d.email = {"date": datetime(when.year, when.month, when.day, 9, 15, tzinfo=UTC),
               "subject": f"OFFICIAL-SENSITIVE: {subject.get(kind, 'MAPPA')} - {when.strftime('%d/%m/%Y')}",
               "html": kind == "agenda", "attachments": []}
    if attach is not None:
        fname = f"{attach.stem}.{fmt}"
        d.email["attachments"].append((fname, attach, fmt))
        d.extra["attachments"] = [{"filename": fname, "gold": attach.gold()}]


def generate(out_dir: Path, n: int = 72, seed: int = 1) -> list[Path]:
    """Write n documents with STEM.gold.json beside each, and records.csv; return the document paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    counts = _counts(n)
    subjects = _world(rng, max(24, counts["minutes"] + counts["prison_notification"] + counts["referral"] + 6))
    by_arch: dict[str, list[Subject]] = {}
    for s in subjects:
        by_arch.setdefault(s.archetype, []).append(s)
    adults = [s for s in subjects if not s.child_offender and not s.not_mappa]
    special = [s for s in subjects if s.child_offender or s.not_mappa]
    minute_subjects = special + adults
    rng.shuffle(minute_subjects)
    # make sure the special cases are among the first documents written
    minute_subjects = special + [s for s in minute_subjects if s not in special]
    plan: list[tuple[str, int]] = []
    for kind, k in counts.items():
        plan += [(kind, i) for i in range(k)]
    paths: list[Path] = []
    mi = pi = 0
    for idx, (kind, i) in enumerate(plan):
        doc_rng = random.Random(f"{seed}-{idx}")
        style = rng.choice(DATE_STYLES)
        fmt = FORMATS[kind][i % len(FORMATS[kind])]
        stem = f"{idx + 1:03d}_{kind}"
        attach = None
        if kind == "minutes":
            s = minute_subjects[mi % len(minute_subjects)]
            mi += 1
            mstyle = "bilingual" if s.council.welsh and doc_rng.random() < 0.5 else MINUTE_STYLES[i % len(MINUTE_STYLES)]
            d = minutes.make(stem, s, _meeting(s, doc_rng), doc_rng, mstyle, style)
        elif kind == "agenda":
            group = doc_rng.sample(adults + special[:2], k=doc_rng.randint(3, 7))
            when = date(2025, 2, 3) + timedelta(days=doc_rng.randint(0, 40) * 7 + 2)
            d = letters.agenda(stem, group, when, doc_rng, style)
            if fmt == "eml" and i % 2 == 0:
                attach = minutes.make(f"{stem}_prev_minutes", group[0], when - timedelta(days=112), doc_rng,
                                      "kv_header", style)
        elif kind == "invitation":
            s = doc_rng.choice(adults)
            d = letters.invitation(stem, s, _meeting(s, doc_rng), doc_rng, style)
        elif kind == "prison_notification":
            s = [x for x in adults + special if not x.not_mappa][pi % (len(adults) + 2)]
            pi += 1
            d = letters.prison(stem, s, doc_rng, style)
        elif kind == "referral":
            s = doc_rng.choice(adults)
            d = letters.referral(stem, s, _meeting(s, doc_rng) - timedelta(days=30), doc_rng, style)
        else:
            d = letters.other(stem, i, COUNCILS[i % len(COUNCILS)].name, date(2025, 3, 3) + timedelta(days=i * 9),
                              doc_rng, style)
        if fmt == "pdf2col":
            d.columns, fmt = 2, "pdf"
        if fmt == "eml":
            _emailise(d, d.meeting_date or date(2025, 4, 1), kind, attach, "docx" if i % 4 == 0 else "pdf")
        d.extra["format"] = fmt if not (fmt == "pdf" and d.columns == 2) else "pdf-2col"
        if fmt == "pdf" and d.landscape:
            d.extra["format"] = "pdf-landscape"
        d.extra["date_style"] = style
        path = render.write(d, out_dir, fmt, doc_rng)
        (out_dir / f"{stem}.gold.json").write_text(json.dumps(d.gold(), indent=2, ensure_ascii=False) + "\n",
                                                    encoding="utf-8")
        paths.append(path)
    _records(subjects, rng, out_dir / "records.csv")
    return paths


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=72)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    paths = generate(a.out, a.n, a.seed)
    print(f"wrote {len(paths)} documents to {a.out}")


if __name__ == "__main__":
    main()
