#!/usr/bin/env bash
# Runs the control-plane benchmark (scripts/bench-control-plane.ts). Parts a and b get their own
# throwaway Samba AD DC (durable writes unless HR2AD_DC_NOSYNC=1), on an address and in a directory of
# their own so it can run beside bench-agent.sh; part c needs no DC.
#   bash scripts/bench-control-plane.sh [--part a|b|c|all] [--count 10000] ...
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
ensure_node
ensure_dependencies
export NODE_OPTIONS="${NODE_OPTIONS:-} --disable-warning=ExperimentalWarning"
part=all
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = --part ]; then j=$((i + 1)); part="${!j:-all}"; fi
done
if [ "$part" != c ]; then
  export HR2AD_DC_DIR="${HR2AD_DC_DIR:-$HR2AD_ROOT/.data/samba-dc-bench-cp}" HR2AD_DC_IP="${HR2AD_DC_IP:-127.0.0.4}" \
    HR2AD_DC_NOSYNC="${HR2AD_DC_NOSYNC:-0}"
  trap 'bash "$HR2AD_ROOT/scripts/samba-dc.sh" down' EXIT
  bash "$HR2AD_ROOT/scripts/samba-dc.sh" up >/dev/null
fi
run_ts scripts/bench-control-plane.ts "$@"
