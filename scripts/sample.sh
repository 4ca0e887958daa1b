#!/usr/bin/env bash
# Set up cliploom in .venv and run the pipeline on the bundled sample videos.
# Usage: bash scripts/sample.sh [OUT_DIR] [extra cliploom options]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/sample}"
shift || true
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
.venv/bin/cliploom run samples --out "$out" "$@"
