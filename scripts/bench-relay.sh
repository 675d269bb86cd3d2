#!/usr/bin/env bash
# Runs the relay benchmark (scripts/bench-relay.ts): the Service Bus test broker, the standalone agent
# process and a throwaway Samba AD DC of its own (durable writes unless HR2AD_DC_NOSYNC=1), on an address
# and in a directory of its own so it can run beside the test suite and the other benchmarks.
#   bash scripts/bench-relay.sh [--count 2000] [--receivers 1,4,16] [--session-idle-ms 100] [--agent build|tsx]
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
ensure_node
ensure_dependencies
ensure_samba
agent=build
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = --agent ]; then j=$((i + 1)); agent="${!j:-build}"; fi
done
# The compiled agent is what runs in production: plain Node, no TypeScript loader in its memory.
if [ "$agent" = build ]; then ensure_build; fi
export NODE_OPTIONS="${NODE_OPTIONS:-} --disable-warning=ExperimentalWarning"
export HR2AD_DC_DIR="${HR2AD_DC_DIR:-$HR2AD_ROOT/.data/samba-dc-bench-relay}" HR2AD_DC_IP="${HR2AD_DC_IP:-127.0.0.26}" \
  HR2AD_DC_NOSYNC="${HR2AD_DC_NOSYNC:-0}"
trap 'bash "$HR2AD_ROOT/scripts/samba-dc.sh" down' EXIT
bash "$HR2AD_ROOT/scripts/samba-dc.sh" up >/dev/null
run_ts scripts/bench-relay.ts "$@"
