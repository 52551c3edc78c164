#!/usr/bin/env bash
# The VS Code extension's checks: strict type check, bundle, unit tests with node --test.
# Some tests run the real server, with $FASTAPI_PRACTICES_PYTHON (default: the repository's
# .venv, else python3). Safe to re-run.
set -euo pipefail
source "$(dirname "$0")/client-deps.sh"
ensure_client_deps
cd "$client_dir"
export FASTAPI_PRACTICES_PYTHON="${FASTAPI_PRACTICES_PYTHON:-$(project_python)}"
npm run --silent test
