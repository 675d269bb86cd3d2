# Sourced by the project's scripts: puts Node 22 on PATH and the dependencies in place, idempotently.
# Everything it installs lives inside the checkout (.tools/, node_modules/) except Debian's Samba packages.
set -euo pipefail

HR2AD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export HR2AD_ROOT
HR2AD_NODE_LINE=22

log() { printf '[hr2ad] %s\n' "$*" >&2; }

# `node --version` answers without starting the runtime (the launcher runs this on every command).
node_major() {
  local version
  version="$("${1:-node}" --version 2>/dev/null)" || version=v0
  version="${version#v}"
  echo "${version%%.*}"
}

ensure_node() {
  local tools="$HR2AD_ROOT/.tools/node"
  if [ -x "$tools/bin/node" ] && [ "$(node_major "$tools/bin/node")" = "$HR2AD_NODE_LINE" ]; then
    export PATH="$tools/bin:$PATH"
  elif [ "$(node_major)" != "$HR2AD_NODE_LINE" ]; then
    log "Node $HR2AD_NODE_LINE not found (have $(node --version 2>/dev/null || echo none)); installing node@$HR2AD_NODE_LINE from the npm registry into .tools/node"
    # The `node` package ships the binary in a platform package, so no install script is needed.
    npm install --global --prefix "$tools" --no-fund --no-audit --loglevel=error "node@$HR2AD_NODE_LINE" >&2
    export PATH="$tools/bin:$PATH"
  fi
  [ "$(node_major)" = "$HR2AD_NODE_LINE" ] || { log "could not put Node $HR2AD_NODE_LINE on PATH"; exit 1; }
}

ensure_dependencies() {
  local stamp="$HR2AD_ROOT/node_modules/.hr2ad-lock-stamp"
  if [ ! -f "$stamp" ] || ! cmp -s "$stamp" "$HR2AD_ROOT/package-lock.json"; then
    log "installing dependencies (npm ci)"
    (cd "$HR2AD_ROOT" && npm ci --no-fund --no-audit --loglevel=error >&2)
    cp "$HR2AD_ROOT/package-lock.json" "$stamp"
  fi
}

ensure_samba() {
  # openssl makes the test Service Bus broker's WebSocket (TLS) certificate.
  if command -v samba >/dev/null 2>&1 && command -v samba-tool >/dev/null 2>&1 \
    && [ -d /usr/share/samba/setup ] && command -v openssl >/dev/null 2>&1; then
    return 0
  fi
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  log "installing Samba AD DC from Debian's packages"
  mkdir -p "$HR2AD_ROOT/.data"
  local apt_log="$HR2AD_ROOT/.data/apt-install.log"
  # samba-ad-provision is only a Recommends of samba-ad-dc but provisioning needs it;
  # the other recommends would edit nsswitch.conf and krb5.conf, so they stay out.
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends samba-ad-dc samba-ad-provision openssl; } >"$apt_log" 2>&1; then
    tail -30 "$apt_log" >&2
    log "installing Samba failed (full output in $apt_log)"
    exit 1
  fi
}

# Runs a TypeScript entry point of the project with Node 22.
run_ts() { (cd "$HR2AD_ROOT" && node --import tsx "$@"); }

# Compiles the product (shared/, agent/, functions/) to JavaScript in .build/ when a source is newer than
# the last build, so the command line runs plain Node (faster to start and to run than transpiling on
# every start).
ensure_build() {
  local stamp="$HR2AD_ROOT/.build/.stamp"
  if [ -f "$stamp" ] && [ -z "$(cd "$HR2AD_ROOT" && find shared agent functions package.json tsconfig.json tsconfig.build.json \
    -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  (cd "$HR2AD_ROOT" && npx tsc -p tsconfig.build.json >&2) || { log "building .build/ failed"; exit 1; }
  touch "$stamp"
}
