#!/usr/bin/env bash
# Fills bundled/libs with the server (built from this repository) and its pure-Python
# dependencies, for fastapiPractices.importStrategy = useBundled. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(cd .. && pwd)

python=${PYTHON:-}
if [ -z "$python" ]; then
  if [ -x "$repo/.venv/bin/python" ]; then python="$repo/.venv/bin/python"; else python=python3; fi
fi

libs=bundled/libs
rm -rf bundled
mkdir -p "$libs"
pip_install=("$python" -m pip install --quiet --disable-pip-version-check --no-compile --no-deps
  --target "$libs")

# Wheels only, chosen for the oldest supported Python so every interpreter can import them.
"${pip_install[@]}" --only-binary=:all: --python-version 3.10 -r bundled-requirements.txt

# Build the server from a copy of the sources, so the build leaves nothing in the repository.
source_copy=$(mktemp -d)
trap 'rm -rf "$source_copy"' EXIT
cp "$repo/pyproject.toml" "$repo/README.md" "$source_copy/"
cp -r "$repo/server" "$source_copy/server"
find "$source_copy" \( -name __pycache__ -o -name '*.egg-info' \) -prune -exec rm -rf {} +
"${pip_install[@]}" "$source_copy"

rm -rf "$libs/bin"
find "$libs" -name __pycache__ -prune -exec rm -rf {} +
echo "bundled: $(ls "$libs" | grep -v dist-info | tr '\n' ' ')"
