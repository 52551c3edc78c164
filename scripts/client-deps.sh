# Sourced by client-build.sh and client-test.sh: installs client/node_modules with `npm ci`
# when it is missing or was installed from a different package-lock.json.
client_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../client" && pwd)"

ensure_client_deps() {
  command -v npm >/dev/null || { echo "error: npm (Node.js 20+) is needed for client/" >&2; return 1; }
  local stamp="$client_dir/node_modules/.installed-from-lock"
  local want
  want=$(cd "$client_dir" && node -e \
    'const c=require("crypto");process.stdout.write(c.createHash("sha256").update(require("fs").readFileSync("package-lock.json")).digest("hex"))')
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  echo "installing client dependencies (npm ci)"
  (cd "$client_dir" && npm ci --no-audit --no-fund --loglevel=error)
  printf '%s' "$want" >"$stamp"
}

# The Python that has fastapi-practices installed: $PYTHON, else the repository's .venv.
project_python() {
  if [ -n "${PYTHON:-}" ]; then
    printf '%s' "$PYTHON"
  elif [ -x "$client_dir/../.venv/bin/python" ]; then
    printf '%s' "$(cd "$client_dir/.." && pwd)/.venv/bin/python"
  else
    printf 'python3'
  fi
}
