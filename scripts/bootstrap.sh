#!/bin/sh
# One entry point for both quick-start commands, so a fresh Debian machine needs nothing
# installed by hand: Debian packages, a virtualenv with pinned Python packages, the spaCy model.
#   sh scripts/bootstrap.sh run    set up, create the defaults, process the inbox once
#   sh scripts/bootstrap.sh test   set up, then lint, type-check and run the whole test suite
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY=${PYTHON:-python3}

DEBS="tesseract-ocr tesseract-ocr-eng poppler-utils"
TEST_DEBS="chromium postgresql"

need_debs() {
  missing=""
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    echo "bootstrap: installing Debian packages:$missing"
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=""; fi
    $SUDO apt-get update -q >/dev/null || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
  fi
}

setup_python() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  stamp="$VENV/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    "$VENV/bin/pip" install -q --disable-pip-version-check -e ".[test]"
    touch "$stamp"
  fi
}

mode=${1:-run}
case "$mode" in
  run)
    need_debs $DEBS
    setup_python
    [ -f mappa.toml ] || "$VENV/bin/mappa" init --root "$ROOT"
    "$VENV/bin/mappa" watch --once --config mappa.toml
    "$VENV/bin/mappa" status --config mappa.toml
    ;;
  test)
    need_debs $DEBS $TEST_DEBS
    setup_python
    "$VENV/bin/ruff" check mappa ingest extract redact outputs tests benchmarks
    "$VENV/bin/mypy"
    shift
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
    ;;
  *)
    echo "usage: sh scripts/bootstrap.sh run|test" >&2
    exit 2
    ;;
esac
