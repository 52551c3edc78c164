#!/usr/bin/env bash
# Builds the VS Code extension: client/fastapi-practices-<version>.vsix, with the server and its
# pure-Python dependencies in bundled/libs. Safe to re-run.
set -euo pipefail
source "$(dirname "$0")/client-deps.sh"
ensure_client_deps
cd "$client_dir"
PYTHON="$(project_python)" npm run --silent package
version=$(node -p 'require("./package.json").version')
ls -l "$client_dir/fastapi-practices-$version.vsix"
