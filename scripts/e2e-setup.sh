#!/usr/bin/env bash
# Installs what the e2e stage needs to run a real VS Code here (see docs in README, "Testing in a real VS Code"):
# Debian chromium + ripgrep, code-server (VS Code 1.100.3) in a git-ignored cache, playwright-core.
# Idempotent: each step is skipped when its result is already present.
set -euo pipefail
cd "$(dirname "$0")/.."

CS_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CACHE="${E2E_CACHE:-$PWD/.vscode-test}"
CS_DIR="$CACHE/code-server-$CS_VERSION"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
dpkg -s build-essential >/dev/null 2>&1 || need_apt+=(build-essential)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "e2e-setup: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ]; then
  echo "e2e-setup: installing code-server@$CS_VERSION into $CS_DIR"
  # @vscode/ripgrep's postinstall would download rg from GitHub; it first looks for the release
  # tarball in <tmpdir>/vscode-ripgrep-cache-<version>/, so we hand it Debian's rg under that name.
  tmp="${TMPDIR:-/tmp}"
  for rgver in 1.15.11 1.15.9 1.15.10; do
    d="$tmp/vscode-ripgrep-cache-$rgver"
    mkdir -p "$d"
    for asset in ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz ripgrep-v13.0.0-4-x86_64-unknown-linux-musl.tar.gz; do
      [ -f "$d/$asset" ] || tar -czf "$d/$asset" -C "$(dirname "$(command -v rg)")" rg
    done
  done
  mkdir -p "$CS_DIR"
  [ -f "$CS_DIR/package.json" ] || echo '{"name":"code-server-cache","private":true}' > "$CS_DIR/package.json"
  (cd "$CS_DIR" && npm_config_yes=true npm install --no-audit --no-fund --no-save \
      "code-server@$CS_VERSION" --unsafe-perm=true)
fi
echo "$CS_DIR/node_modules/code-server" > "$CACHE/code-server.path"

if [ ! -d node_modules/playwright-core ]; then
  echo "e2e-setup: playwright-core missing; run npm ci" >&2
  exit 1
fi
echo "e2e-setup: ready (code-server $CS_VERSION, $(chromium --version 2>/dev/null | head -1))"
