#!/usr/bin/env bash
# Quick start, command 2: the whole test suite. Installs what it needs first (Node 22, npm dependencies,
# Samba packages), then type-checks, checks formatting, lints (including the architecture boundaries), checks the published
# schemas, and runs every jest suite — unit and against a real Samba AD DC, which it always stops.
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
ensure_node
ensure_dependencies
ensure_samba
cd "$HR2AD_ROOT"
trap 'bash scripts/samba-dc.sh down >/dev/null 2>&1 || true' EXIT

log "type-check (tsc --noEmit)"
npx tsc --noEmit -p tsconfig.json
log "format (prettier --check)"
npx prettier --check --log-level=warn .
log "lint (eslint) and boundaries (dependency-cruiser)"
npx eslint .
npx depcruise --config .dependency-cruiser.cjs --output-type err shared agent functions test scripts
log "published schemas are current"
node --import tsx scripts/export-schemas.ts --check
log "jest: unit and directory suites"
mkdir -p .data
set +e
npx jest --ci --json --outputFile=.data/jest-results.json "$@"
status=$?
set -e
node -e '
const r = require("./.data/jest-results.json");
console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit $status
