"""Running a real ``mappa watch`` process against a temporary workspace."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

FIRST = ["John", "Gareth", "Siân", "Patrick", "Daniel", "Mark", "Lee", "Connor", "Pádraig", "Rhys", "Tomasz", "Kyle"]
SURNAMES = ["SMITH", "JONES", "O'NEILL", "AP RHYS", "McDONAGH", "WOJCIK", "PRICE-DAVIES", "EVANS", "KHAN", "BROWN"]
CHILDREN = ["Ellie", "Mason", "Ava", "Noah", "Ffion", "Aoife", "Leo", "Maisie"]


def minutes_case(i: int, rng: random.Random) -> dict[str, str]:
    """One small, unique set of MAPPA minutes in plain text, worded differently each time, and who is in it.

    The people are returned too, so a test can load them into the records store as the council
    would hold them (then the document is filed and its summary delivered, not held for a match).
    """
    subject = f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}"
    child = f"{rng.choice(CHILDREN)} {subject.split()[-1].title()}"
    day = 1 + i % 27
    level = 1 + i % 3
    subject_dob = f"{1 + i % 28:02d}/0{1 + i % 9}/198{i % 10}"
    child_dob = (date(2012, 1, 2) + timedelta(days=7 * i)).strftime("%d/%m/%Y")  # unique: a match is certain
    heading = rng.choice(["MAPPA Level {l} Meeting Minutes", "Minutes of MAPPA meeting (Level {l})",
                          "MULTI-AGENCY PUBLIC PROTECTION ARRANGEMENTS - MINUTES - LEVEL {l}"]).format(l=level)
    text = (
        f"{heading}\nReference: CASE-{i:05d}\n\n"
        f"Date of meeting: {day:02d}/05/2025\n"
        f"Subject: {subject}\nDate of birth: {subject_dob}\n\n"
        f"Children: {child} (daughter), date of birth {child_dob}.\n\n"
        "Risk\n"
        f"{subject.split()[0]} poses a high risk of serious harm to children.\n\n"
        "Index offence\n"
        "Convicted of sexual assault at Snaresbrook Crown Court and sentenced to 6 years' imprisonment.\n\n"
        "Actions\n"
        f"Children's Services to complete a home visit within 28 days. (item {i})\n"
        f"Next review: {day:02d}/09/2025\n"
    )
    return {"text": text, "subject": subject, "subject_dob": subject_dob, "child": child, "child_dob": child_dob}


def minutes_text(i: int, rng: random.Random) -> str:
    return minutes_case(i, rng)["text"]


RECORDS_HEADER = ("kind,ref,name,aliases,dob,case_status,social_worker,social_worker_email,team,district,spoc_email,"
                  "pnc,prison_number,subject_ref,child_ref,relationship")


def records_csv(cases: list[dict[str, str]]) -> str:
    """The council's records for these cases, in the documented import layout (README)."""
    lines = [RECORDS_HEADER]
    for i, c in enumerate(cases):
        lines.append(f'subject,S-{i:04d},"{c["subject"]}",,{c["subject_dob"]},,,,,,,,,,,')
        lines.append(f'child,C-{i:04d},"{c["child"]}",,{c["child_dob"]},open,sw{i % 5},,North,North,,,,,,')
        lines.append(f"relationship,,,,,,,,,,,,,S-{i:04d},C-{i:04d},daughter")
    return "\n".join(lines) + "\n"


class Workspace:
    def __init__(self, root: Path, settle: float = 0.3, extra_env: dict[str, str] | None = None) -> None:
        self.root = root
        self.env = dict(os.environ)
        self.env.update({
            "MAPPA_SERVICE__SETTLE_SECONDS": str(settle),
            "MAPPA_SERVICE__POLL_INTERVAL_SECONDS": "0.1",
            "MAPPA_SERVICE__RESCAN_SECONDS": "1",
            "MAPPA_SERVICE__RETRY_BASE_SECONDS": "0.05",
            "MAPPA_WEB__SECURE_COOKIES": "false",
        })
        self.env.update(extra_env or {})
        self.env.pop("MAPPA_CONFIG", None)
        self.run("init", "--root", str(root))
        self.config = root / "mappa.toml"
        self.inbox = root / "watch_folders" / "inbox"

    def cli(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "mappa.cli", *args]

    def run(self, *args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        out = subprocess.run(self.cli(*args), capture_output=True, text=True, env=self.env, cwd=self.root,
                             timeout=timeout)
        if check and out.returncode != 0:
            raise AssertionError(f"mappa {' '.join(args)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
        return out

    def start_watch(self, *extra: str) -> subprocess.Popen[bytes]:
        log = open(self.root / "watch.log", "ab")  # noqa: SIM115 - lives as long as the process
        return subprocess.Popen(self.cli("watch", "--config", str(self.config), *extra), env=self.env,
                                cwd=self.root, stdout=log, stderr=log, start_new_session=True)

    def status(self) -> list[dict[str, Any]]:
        return json.loads(self.run("status", "--json", "--config", str(self.config)).stdout)

    def wait_for(self, predicate, timeout: float = 120, interval: float = 0.5) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        rows: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            rows = self.status()
            if predicate(rows):
                return rows
            time.sleep(interval)
        raise AssertionError(f"timed out; last status: {json.dumps(rows)[:3000]}\nlog:\n{self.log_tail()}")

    def log_tail(self) -> str:
        log = self.root / "watch.log"
        return log.read_text(errors="replace")[-4000:] if log.exists() else ""


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


RESTING = {"filed", "shred_queued", "in_review", "destroyed", "duplicate"}
