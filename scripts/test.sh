#!/usr/bin/env bash
# The default test run (unit, GUI offscreen, end-to-end under Xvfb). Benchmarks are separate.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${VIRTUAL_ENV:-}" ] || . .venv/bin/activate
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
exec python -m pytest -q --timeout=300 tests "$@"
