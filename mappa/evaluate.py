"""Scoring the service against gold files (DESIGN.md, "Evaluation format").

Pure: it takes what the service understood (the ``mappa show ID --json`` shape) and the gold,
and returns figures. Running the pipeline is someone else's job, so the scorer can be tested on
hand-built cases and can score results produced anywhere.

Conventions, chosen to make the figures hard to flatter:
- a gold field that is absent or null is not scored (neither credit nor penalty);
- a wrong value counts as both a false positive and a false negative;
- the leak check compares case-insensitively with all whitespace removed (and quotes/dashes
  folded), so a line break or a curly apostrophe cannot hide a leak;
- ``leak_rate`` counts released summaries only (what reached a child's file); ``leak_rate_all``
  counts every summary produced, released or not, to show how much the final check caught.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rich.table import Table

FIELDS = ("subject_names", "subject_dob", "subject_level", "subject_category", "subject_pnc",
          "subject_prison_number", "meeting_date", "next_review_date", "release_date", "linked_children",
          "child_dob", "actions")
TITLES = {"mr", "mrs", "ms", "miss", "dr", "mx"}
STOPWORDS = frozenset(
    ["a", "an", "the", "of", "to", "and", "or", "in", "on", "at", "for", "by", "with", "from", "as", "is", "are", "was", "were", "be", "been", "being", "he", "she", "they", "it", "his", "her", "their", "them", "him", "who", "whom", "which", "that", "this", "these", "those", "any", "all", "some", "there", "has", "have", "had", "not", "no"])
_QUOTES = str.maketrans("’‘“”–—", "''\"\"--")
ACTION_MATCH = 0.5  # share of a gold action's words a predicted action must contain


@dataclass(frozen=True)
class EvalCase:
    """One document: its gold, the service's result (``mappa show --json`` shape), pages, seconds."""

    gold: dict[str, Any]
    result: dict[str, Any]
    pages: int = 1
    seconds: float = 0.0
    name: str = ""


# ---------------------------------------------------------------- normalisation

def value(v: Any) -> Any:
    """A field may be plain or ``{"value": ..., "span": ..., "confidence": ...}``."""
    if isinstance(v, dict) and "value" in v:
        return v["value"]
    return v


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def name_tokens(name: Any) -> tuple[str, ...]:
    text = fold(str(value(name) or "")).casefold()
    text = re.sub(r"[’`]", "'", text)
    tokens = [t for t in re.split(r"[\s,]+", text) if t]
    tokens = [t.strip(".") for t in tokens]
    while tokens and tokens[0] in TITLES:
        tokens = tokens[1:]
    return tuple(t for t in tokens if t)


def names_match(gold: Any, pred: Any) -> bool:
    """Equal after normalisation, or the same words in any order."""
    g, p = name_tokens(gold), name_tokens(pred)
    return bool(g) and (g == p or sorted(g) == sorted(p))


def leak_norm(text: str) -> str:
    text = fold(text).casefold()
    text = text.translate(_QUOTES)
    return re.sub(r"\s+", "", text)


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", fold(text).casefold()) if w not in STOPWORDS}


def norm_date(v: Any) -> str | None:
    v = value(v)
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)[:10]


def norm_int(v: Any) -> int | None:
    v = value(v)
    if v is None or v == "":
        return None
    m = re.search(r"\d", str(v))
    return int(m.group()) if m else None


def norm_pnc(v: Any) -> str | None:
    v = value(v)
    if not v:
        return None
    m = re.fullmatch(r"(\d{2}|\d{4})/0*(\d{1,7})([A-Z])", re.sub(r"\s+", "", str(v)).upper())
    if not m:
        return re.sub(r"\s+", "", str(v)).upper()
    return f"{int(m.group(1)) % 100:02d}/{int(m.group(2))}{m.group(3)}"


def norm_text_id(v: Any) -> str | None:
    v = value(v)
    return re.sub(r"\s+", "", str(v)).upper() if v else None


# ---------------------------------------------------------------- counting

@dataclass
class Count:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def as_dict(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        return {"precision": p, "recall": r, "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class DocReport:
    name: str
    misses: list[str] = field(default_factory=list)
    leaks: list[dict[str, str]] = field(default_factory=list)
    dropped_risks: list[str] = field(default_factory=list)


def _pair(golds: list[dict[str, Any]], preds: list[dict[str, Any]], *, aliases: bool) -> list[tuple[int, int | None]]:
    """Greedy one-to-one name matching: exact matches first, then a gold alias against a predicted name."""
    used: set[int] = set()
    pairs: dict[int, int] = {}
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if pi not in used and names_match(g.get("name"), p.get("name")):
                pairs[gi] = pi
                used.add(pi)
                break
    if aliases:
        for gi, g in enumerate(golds):
            if gi in pairs:
                continue
            for pi, p in enumerate(preds):
                pnames = [p.get("name")] + [value(a) for a in p.get("aliases") or []]
                gnames = [g.get("name")] + list(g.get("aliases") or [])
                if pi not in used and any(names_match(a, b) for a in gnames for b in pnames):
                    pairs[gi] = pi
                    used.add(pi)
                    break
    return [(gi, pairs.get(gi)) for gi in range(len(golds))]


def _attr(count: Count, gold: Any, pred: Any, label: str, rep: DocReport) -> None:
    if gold is None:
        return
    if pred is None:
        count.fn += 1
        rep.misses.append(f"missed {label} {gold}")
    elif pred == gold:
        count.tp += 1
    else:
        count.fp += 1
        count.fn += 1
        rep.misses.append(f"wrong {label}: {pred} (gold {gold})")


def _score_subjects(gold: dict[str, Any], fields: dict[str, Any], counts: dict[str, Count], rep: DocReport) -> None:
    gsubs = gold.get("subjects")
    if gsubs is None:
        return
    psubs = [s for s in (value(fields.get("subjects")) or []) if isinstance(s, dict)]
    pairs = _pair(gsubs, psubs, aliases=True)
    matched = {p for _, p in pairs if p is not None}
    c = counts["subject_names"]
    c.tp += len(matched)
    c.fn += len(gsubs) - len(matched)
    c.fp += len(psubs) - len(matched)
    rep.misses += [f"missed subject {gsubs[g]['name']}" for g, p in pairs if p is None]
    rep.misses += [f"extra subject {value(psubs[p].get('name'))}" for p in range(len(psubs)) if p not in matched]
    attrs = (("subject_dob", "dob", norm_date), ("subject_level", "mappa_level", norm_int),
             ("subject_category", "mappa_category", norm_int), ("subject_pnc", "pnc", norm_pnc),
             ("subject_prison_number", "prison_number", norm_text_id))
    for gi, pi in pairs:
        g = gsubs[gi]
        p = psubs[pi] if pi is not None else {}
        for fname, key, fn in attrs:
            _attr(counts[fname], fn(g.get(key)), fn(p.get(key)), f"{key} of {g.get('name')}", rep)


def _score_children(gold: dict[str, Any], fields: dict[str, Any], counts: dict[str, Count], rep: DocReport) -> None:
    gkids = gold.get("linked_children")
    if gkids is None:
        return
    pkids = [k for k in (value(fields.get("linked_children")) or []) if isinstance(k, dict)]
    pairs = _pair(gkids, pkids, aliases=False)
    matched = {p for _, p in pairs if p is not None}
    c = counts["linked_children"]
    c.tp += len(matched)
    c.fn += len(gkids) - len(matched)
    c.fp += len(pkids) - len(matched)
    rep.misses += [f"missed child {gkids[g]['name']}" for g, p in pairs if p is None]
    rep.misses += [f"extra child {value(pkids[p].get('name'))}" for p in range(len(pkids)) if p not in matched]
    for gi, pi in pairs:
        p = pkids[pi] if pi is not None else {}
        _attr(counts["child_dob"], norm_date(gkids[gi].get("dob")), norm_date(p.get("dob")),
              f"dob of {gkids[gi].get('name')}", rep)


def _score_actions(gold: dict[str, Any], fields: dict[str, Any], counts: dict[str, Count], rep: DocReport) -> None:
    gacts = gold.get("actions_for_childrens_services")
    if gacts is None:
        return
    pacts = [str(value(a.get("text")) if isinstance(a, dict) and "text" in a else value(a))
             for a in (value(fields.get("actions_for_childrens_services")) or [])]
    used: set[int] = set()
    c = counts["actions"]
    for ga in gacts:
        gw = words(ga)
        hit = next((i for i, pa in enumerate(pacts) if i not in used and gw
                    and len(gw & words(pa)) / len(gw) >= ACTION_MATCH), None)
        if hit is None:
            c.fn += 1
            rep.misses.append(f"missed action: {ga}")
        else:
            used.add(hit)
            c.tp += 1
    c.fp += len(pacts) - len(used)
    rep.misses += [f"extra action: {pacts[i]}" for i in range(len(pacts)) if i not in used]


def _summaries(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in result.get("summaries") or [] if isinstance(s, dict)]


def score(cases: list[EvalCase]) -> dict[str, Any]:
    """Figures for a set of documents; see the module docstring for the conventions."""
    counts = {f: Count() for f in FIELDS}
    type_right = type_total = 0
    leak = {"released": [0, 0], "all": [0, 0]}  # [found, checked]
    keep_kept = keep_total = 0
    any_summaries = False
    reviews: Counter[str] = Counter()
    in_review = 0
    pages = 0
    seconds = 0.0
    per_doc: list[dict[str, Any]] = []
    for case in cases:
        gold, result = case.gold, case.result
        rep = DocReport(case.name or str(result.get("filename") or result.get("id") or len(per_doc)))
        fields = result.get("fields") or {}
        pages += case.pages
        seconds += case.seconds
        if gold.get("doc_type") is not None:
            type_total += 1
            got = value(result.get("doc_type"))
            if got == gold["doc_type"]:
                type_right += 1
            else:
                rep.misses.append(f"wrong type: {got} (gold {gold['doc_type']})")
        _score_subjects(gold, fields, counts, rep)
        for key in ("meeting_date", "next_review_date", "release_date"):
            _attr(counts[key], norm_date(gold.get(key)), norm_date(fields.get(key)), key, rep)
        _score_children(gold, fields, counts, rep)
        _score_actions(gold, fields, counts, rep)
        if result.get("state") == "in_review":
            in_review += 1
            for r in result.get("reasons") or ["(no reason given)"]:
                reviews[str(r).split(":")[0].strip()] += 1
        summaries = _summaries(result)
        forbidden = list(gold.get("must_not_appear_in_child_summary") or [])
        per_child = gold.get("per_child_must_not_appear") or {}
        for which, pool in (("released", [s for s in summaries if s.get("released")]), ("all", summaries)):
            if not pool:
                continue
            texts = [leak_norm(str(s.get("text") or "")) for s in pool]
            for bad in forbidden:
                leak[which][1] += 1
                nb = leak_norm(bad)
                if nb and any(nb in t for t in texts):
                    leak[which][0] += 1
                    if which == "released":
                        rep.leaks.append({"string": bad, "child": "*"})
            for child, bads in per_child.items():
                mine = [leak_norm(str(s.get("text") or "")) for s in pool if names_match(child, s.get("child"))]
                if not mine:
                    continue
                for bad in bads:
                    leak[which][1] += 1
                    nb = leak_norm(bad)
                    if nb and any(nb in t for t in mine):
                        leak[which][0] += 1
                        if which == "released":
                            rep.leaks.append({"string": bad, "child": child})
        risks = list(gold.get("risk_statements_to_keep") or [])
        if summaries:
            any_summaries = True
            bags = [words(str(s.get("text") or "")) for s in summaries]
            for r in risks:
                keep_total += 1
                if any(words(r) <= b for b in bags):
                    keep_kept += 1
                else:
                    rep.dropped_risks.append(r)
        elif risks:
            rep.misses.append("no summaries made (risk statements not scored)")
        per_doc.append({"name": rep.name, "doc_type": gold.get("doc_type"), "state": result.get("state"),
                        "misses": rep.misses, "leaks": rep.leaks, "dropped_risks": rep.dropped_risks})
    n = len(cases)
    return {
        "documents": n,
        "doc_type_accuracy": type_right / type_total if type_total else None,
        "field_scores": {f: c.as_dict() for f, c in counts.items()},
        "leaks": leak["released"][0],
        "leak_checked": leak["released"][1],
        "leak_rate": leak["released"][0] / leak["released"][1] if leak["released"][1] else None,
        "leaks_all": leak["all"][0],
        "leak_rate_all": leak["all"][0] / leak["all"][1] if leak["all"][1] else None,
        "keep_rate": (keep_kept / keep_total if keep_total else None) if any_summaries else None,
        "keep_checked": keep_total,
        "review_rate": in_review / n if n else None,
        "reviews_by_reason": dict(reviews.most_common()),
        "seconds_per_page": seconds / pages if pages else None,
        "per_document": per_doc,
    }


def _pct(v: Any) -> str:
    return "-" if v is None else f"{100 * v:.1f}%"


def render_table(result: dict[str, Any]) -> Table:
    """Headline figures and per-field precision / recall, for people."""
    t = Table(title=f"Evaluation: {result['documents']} documents")
    t.add_column("measure")
    t.add_column("precision", justify="right")
    t.add_column("recall", justify="right")
    t.add_column("tp / fp / fn", justify="right")
    t.add_row("document type accuracy", _pct(result["doc_type_accuracy"]), "", "")
    for f, s in result["field_scores"].items():
        t.add_row(f, _pct(s["precision"]), _pct(s["recall"]), f"{s['tp']} / {s['fp']} / {s['fn']}")
    t.add_row("leak rate (released)", _pct(result["leak_rate"]), "", f"{result['leaks']} of {result['leak_checked']}")
    t.add_row("leak rate (all summaries)", _pct(result["leak_rate_all"]), "", f"{result['leaks_all']}")
    t.add_row("keep rate", _pct(result["keep_rate"]), "", f"of {result['keep_checked']}")
    t.add_row("review rate", _pct(result["review_rate"]), "", "")
    spp = result["seconds_per_page"]
    t.add_row("seconds per page", "-" if spp is None else f"{spp:.2f}", "", "")
    return t


def render_problems(result: dict[str, Any], limit: int = 40) -> Table:
    """The documents with misses, leaks or dropped risks, and the review reasons."""
    t = Table(title="Problems by document")
    t.add_column("document")
    t.add_column("what went wrong")
    shown = 0
    for d in result["per_document"]:
        lines = [f"LEAK: {x['string']!r}" + ("" if x["child"] == "*" else f" (to {x['child']})") for x in d["leaks"]]
        lines += d["misses"] + [f"dropped risk: {r}" for r in d["dropped_risks"]]
        if lines and shown < limit:
            t.add_row(d["name"], "\n".join(lines))
            shown += 1
    for reason, k in result["reviews_by_reason"].items():
        t.add_row("(review reason)", f"{reason}: {k}")
    return t
