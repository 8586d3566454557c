"""Options every ``mappa`` command shares, declared once so each sub-command spells them alike."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ConfigOpt = Annotated[Path | None, typer.Option("--config", "-c", help="Path to mappa.toml", envvar="MAPPA_CONFIG")]
