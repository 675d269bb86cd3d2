#!/usr/bin/env bash
# Runs the ingest benchmark (scripts/bench-ingest.ts). Part b gets a throwaway Samba AD DC of its own
# (durable writes unless HR2AD_DC_NOSYNC=1), on an address and in a directory of its own so it can run
# beside the test suite and the other benchmarks; part a needs no DC.
#   bash scripts/bench-ingest.sh [--part a|b|all] [--clients 4] [--requests 100] [--operations 50] [--samples 20]
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
ensure_node
ensure_dependencies
export NODE_OPTIONS="${NODE_OPTIONS:-} --disable-warning=ExperimentalWarning"
part=all
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = --part ]; then j=$((i + 1)); part="${!j:-all}"; fi
done
if [ "$part" != a ]; then
  ensure_samba
  export HR2AD_DC_DIR="${HR2AD_DC_DIR:-$HR2AD_ROOT/.data/samba-dc-bench-ingest}" HR2AD_DC_IP="${HR2AD_DC_IP:-127.0.0.27}" \
    HR2AD_DC_NOSYNC="${HR2AD_DC_NOSYNC:-0}"
  trap 'bash "$HR2AD_ROOT/scripts/samba-dc.sh" down' EXIT
  bash "$HR2AD_ROOT/scripts/samba-dc.sh" up >/dev/null
fi
run_ts scripts/bench-ingest.ts "$@"
