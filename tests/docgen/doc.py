"""A format-neutral document, and the gold that is recorded while it is written.

Templates never write gold by hand after the fact: every forbidden fragment and every risk
statement passes through ``Doc.forbid`` / ``Doc.keep`` at the moment it is put into the text, so
the gold strings are exactly what the renderers print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tests.docgen.world import Child, Subject


@dataclass
class Block:
    kind: str  # title | h | p | kv | table | bullets | letterhead | rule
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    header: bool = True  # table: first row is a header row
    widths: list[float] | None = None  # relative column widths


@dataclass
class Doc:
    doc_type: str
    stem: str
    blocks: list[Block] = field(default_factory=list)
    header_text: str = ""
    footer_text: str = ""
    landscape: bool = False
    columns: int = 1
    font: str = "Helvetica"
    heading_style: str = "bold"  # bold | caps | underline | numbered
    # gold
    subjects: list[dict[str, Any]] | None = field(default_factory=list)
    meeting_date: date | None = None
    next_review_date: date | None = None
    release_date: date | None = None
    children: list[dict[str, Any]] | None = field(default_factory=list)
    actions: list[str] | None = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    per_child: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    # e-mail
    email: dict[str, Any] | None = None

    # -- writing helpers: return the text so templates can inline them
    def forbid(self, text: str) -> str:
        if text not in self.forbidden:
            self.forbidden.append(text)
        return text

    def keep(self, text: str) -> str:
        if text not in self.kept:
            self.kept.append(text)
        return text

    def action(self, text: str) -> str:
        assert self.actions is not None
        self.actions.append(text)
        return text

    def h(self, text: str) -> None:
        self.blocks.append(Block("h", text))

    def p(self, text: str) -> None:
        self.blocks.append(Block("p", text))

    def title(self, text: str) -> None:
        self.blocks.append(Block("title", text))

    def kv(self, rows: list[list[str]]) -> None:
        self.blocks.append(Block("kv", rows=rows, header=False, widths=[1, 2.6]))

    def table(self, rows: list[list[str]], widths: list[float] | None = None) -> None:
        self.blocks.append(Block("table", rows=rows, header=True, widths=widths))

    def bullets(self, items: list[str]) -> None:
        self.blocks.append(Block("bullets", rows=[[i] for i in items]))

    def letterhead(self, lines: list[str]) -> None:
        self.blocks.append(Block("letterhead", rows=[[ln] for ln in lines]))

    # -- gold
    def add_subject(self, s: Subject, *, name: str | None = None, dob: bool = True, level: bool = True,
                    category: bool = True, pnc: bool = True, prison: bool = False,
                    aliases: list[str] | None = None) -> None:
        assert self.subjects is not None
        self.subjects.append({
            "name": name or s.police_name,
            "aliases": list(aliases if aliases is not None else []),
            "dob": s.dob.isoformat() if dob else None,
            "mappa_level": s.level if level else None,
            "mappa_category": s.category if category else None,
            "pnc": s.pnc if pnc else None,
            "prison_number": s.nomis if prison else None,
            "record_ref": s.ref,
        })

    def add_child(self, c: Child, *, name: str | None = None, dob: bool = True) -> None:
        assert self.children is not None
        self.children.append({"name": name or c.name, "dob": c.dob.isoformat() if dob else None,
                              "relationship": c.relationship, "record_ref": c.ref})

    def gold(self) -> dict[str, Any]:
        g: dict[str, Any] = {
            "doc_type": self.doc_type,
            "subjects": self.subjects,
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "next_review_date": self.next_review_date.isoformat() if self.next_review_date else None,
            "release_date": self.release_date.isoformat() if self.release_date else None,
            "linked_children": self.children,
            "actions_for_childrens_services": self.actions,
            "must_not_appear_in_child_summary": self.forbidden,
            "risk_statements_to_keep": self.kept,
            "per_child_must_not_appear": self.per_child,
        }
        g.update(self.extra)
        return g
