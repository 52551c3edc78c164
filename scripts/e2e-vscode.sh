#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real editor (code-server + headless Chromium).
#
# Installs what it needs when missing (Debian packages; code-server and playwright-core into
# tests/e2e/vscode/node_modules from the committed lockfile), builds the .vsix with
# scripts/client-build.sh, runs tests/e2e/vscode/run.mjs, and always stops every process it
# started and removes its temp dir. Screenshots and logs go to test-artifacts/vscode/.
#
# Environment: FBP_PYTHON (default .venv/bin/python, else python3) must import fastapi_practices;
# FBP_VSIX skips the build and tests that file; FBP_CHROMIUM overrides /usr/bin/chromium.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HARNESS="$REPO/tests/e2e/vscode"
ARTIFACTS="${FBP_ARTIFACTS:-$REPO/test-artifacts/vscode}"
CHROMIUM="${FBP_CHROMIUM:-/usr/bin/chromium}"
# @vscode/ripgrep (inside code-server) downloads this archive from GitHub unless it is cached.
RIPGREP_CACHE="vscode-ripgrep-cache-1.15.11"
RIPGREP_ARCHIVE="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"

say() { echo "[e2e-vscode] $*" >&2; }
die() {
  say "error: $*"
  exit 1
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/fbp-e2e-vscode.XXXXXX")"
RUNNER_PID=""
clean_up() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$RUNNER_PID" ] && kill -0 "$RUNNER_PID" 2>/dev/null; then
    kill -TERM "$RUNNER_PID" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 "$RUNNER_PID" 2>/dev/null || break
      sleep 1
    done
    kill -KILL "$RUNNER_PID" 2>/dev/null || true
  fi
  # Process groups run.mjs started (code-server with its extension host and language server,
  # Chromium); normally already gone, but not if the runner itself was killed.
  if [ -f "$WORK/pids" ]; then
    while read -r pid; do
      [ -n "$pid" ] || continue
      kill -TERM -- "-$pid" 2>/dev/null || continue
      for _ in 1 2 3 4 5 6 7 8 9 10; do
        kill -0 -- "-$pid" 2>/dev/null || break
        sleep 0.5
      done
      kill -KILL -- "-$pid" 2>/dev/null || true
    done <"$WORK/pids"
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap clean_up EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_debian_packages() {
  local missing=()
  [ -x "$CHROMIUM" ] || missing+=(chromium)
  command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
  if [ ! -f "$HARNESS/node_modules/.fbp-installed" ]; then
    # Only to compile code-server's native modules on the first install.
    dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
    command -v make >/dev/null 2>&1 || missing+=(make)
    command -v g++ >/dev/null 2>&1 || missing+=(g++)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 ||
    die "${missing[*]} missing and apt-get is not available; install them by hand"
  say "installing ${missing[*]} with apt-get"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    die "node and npm are required (code-server 4.100 needs Node 20)"
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" = "20" ] || die "code-server 4.100.3 needs Node 20, found $(node --version)"
}

ensure_node_modules() {
  local stamp="$HARNESS/node_modules/.fbp-installed"
  local want
  want="$(cat "$HARNESS/package.json" "$HARNESS/package-lock.json" | sha256sum | cut -d' ' -f1)"
  want="$want $(node --version)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  say "installing code-server and playwright-core into $HARNESS/node_modules (takes a minute)"
  local npm_tmp="$WORK/npm-tmp"
  mkdir -p "$npm_tmp/$RIPGREP_CACHE" "$WORK/rg"
  cp "$(command -v rg)" "$WORK/rg/rg"
  tar -czf "$npm_tmp/$RIPGREP_CACHE/$RIPGREP_ARCHIVE" -C "$WORK/rg" rg
  rm -rf "$HARNESS/node_modules"
  # unsafe_perm: code-server's postinstall refuses to run as root without it; yes: node-pty
  # runs `npx node-gyp`; dangerously_allow_all_scripts: the nested `npm install` that
  # code-server's postinstall runs in lib/vscode must build its native modules too.
  (
    cd "$HARNESS"
    TMPDIR="$npm_tmp" npm_config_unsafe_perm=true npm_config_yes=true \
      npm_config_dangerously_allow_all_scripts=true \
      npm ci --no-audit --no-fund --loglevel=error
  ) || die "npm ci in $HARNESS failed"
  [ -x "$HARNESS/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] ||
    die "code-server's install did not finish (no ripgrep in lib/vscode)"
  echo "$want" >"$stamp"
}

find_python() {
  local python="${FBP_PYTHON:-}"
  if [ -z "$python" ]; then
    python="python3"
    if [ -x "$REPO/.venv/bin/python" ]; then python="$REPO/.venv/bin/python"; fi
  fi
  python="$(command -v "$python" || true)"
  [ -n "$python" ] || die "no Python found; set FBP_PYTHON"
  "$python" -c 'import fastapi_practices' 2>/dev/null ||
    die "$python cannot import fastapi_practices (run make, or set FBP_PYTHON)"
  echo "$python"
}

find_vsix() {
  if [ -n "${FBP_VSIX:-}" ]; then
    [ -f "$FBP_VSIX" ] || die "FBP_VSIX=$FBP_VSIX does not exist"
    realpath "$FBP_VSIX"
    return 0
  fi
  [ -f "$REPO/scripts/client-build.sh" ] ||
    die "scripts/client-build.sh is missing: cannot build the extension (or set FBP_VSIX)"
  PYTHON="$1" bash "$REPO/scripts/client-build.sh" >&2 || die "scripts/client-build.sh failed"
  local version vsix
  version="$(node -p 'require(process.argv[1]).version' "$REPO/client/package.json")"
  vsix="$REPO/client/fastapi-practices-$version.vsix"
  [ -f "$vsix" ] || die "scripts/client-build.sh did not produce $vsix"
  echo "$vsix"
}

main() {
  local began=$SECONDS
  ensure_node
  ensure_debian_packages
  ensure_node_modules
  local python vsix
  python="$(find_python)"
  vsix="$(find_vsix "$python")"
  rm -rf "$ARTIFACTS"
  mkdir -p "$ARTIFACTS"
  say "setup done in $((SECONDS - began))s; running the scenario"
  FBP_REPO="$REPO" FBP_PYTHON="$python" FBP_VSIX="$vsix" FBP_WORK="$WORK" \
    FBP_ARTIFACTS="$ARTIFACTS" FBP_CHROMIUM="$CHROMIUM" \
    node "$HARNESS/run.mjs" &
  RUNNER_PID=$!
  local status=0
  wait "$RUNNER_PID" || status=$?
  RUNNER_PID=""
  [ "$status" -eq 0 ] || die "the VS Code end-to-end test failed (exit $status); see $ARTIFACTS"
  say "passed in $((SECONDS - began))s"
}

main "$@"
