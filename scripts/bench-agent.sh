#!/usr/bin/env bash
# Runs the agent benchmark against its own throwaway Samba AD DC (durable writes unless HR2AD_DC_NOSYNC=1).
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
ensure_node
ensure_dependencies
export HR2AD_DC_DIR="$HR2AD_ROOT/.data/samba-dc-bench" HR2AD_DC_IP="${HR2AD_DC_IP:-127.0.0.3}" HR2AD_DC_NOSYNC="${HR2AD_DC_NOSYNC:-0}"
trap 'bash "$HR2AD_ROOT/scripts/samba-dc.sh" down' EXIT
bash "$HR2AD_ROOT/scripts/samba-dc.sh" up >/dev/null
run_ts scripts/bench-agent.ts "$@"
