#!/usr/bin/env bash
# The agent on its own: brings up a local Samba AD DC and applies a bundled lifecycle of commands through the agent.
# Installs what it needs first (Node 22, npm dependencies, Samba packages). Pass --keep to leave the DC running.
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
ensure_node
ensure_dependencies
ensure_samba
export HR2AD_DC_DIR="$HR2AD_ROOT/.data/samba-dc-demo-agent" HR2AD_DC_IP="${HR2AD_DC_IP:-127.0.0.5}"
keep=0
[ "${1:-}" = "--keep" ] && keep=1
if [ "$keep" = 0 ]; then trap 'bash "$HR2AD_ROOT/scripts/samba-dc.sh" down' EXIT; fi
log "starting a local Samba AD DC on $HR2AD_DC_IP (fresh state)"
connection=$(bash "$HR2AD_ROOT/scripts/samba-dc.sh" up)
run_ts agent/demo/run-demo.ts "$connection"
if [ "$keep" = 1 ]; then
  log "the DC keeps running on ldaps://$HR2AD_DC_IP:636; connection details in $connection; stop it with: HR2AD_DC_DIR=$HR2AD_DC_DIR HR2AD_DC_IP=$HR2AD_DC_IP bash scripts/samba-dc.sh down"
fi
