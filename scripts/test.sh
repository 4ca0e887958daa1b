#!/usr/bin/env bash
# Set up cliploom with its test extras in .venv and run the test suite.
# Usage: bash scripts/test.sh [pytest options]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test,models]"
exec .venv/bin/python -m pytest "$@"
