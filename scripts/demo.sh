#!/usr/bin/env bash
# Quick start, command 1: the main job end to end on embedded defaults. Brings up a local Samba AD DC,
# writes a starter configuration (hr2ad init), creates the OUs it names (as an administrator would), then
#   1. syncs the bundled HR export (examples/sample/workers.csv, about 200 workers) into AD,
#   2. syncs the same export after two weeks of HR changes (movers, leavers, a rehire, a rescinded hire),
#   3. syncs again on 20 December: the leavers' end-of-day timers (Sydney, Los Angeles) have fired,
# printing each sync's summary, and lists what is scheduled for later. The sample's dates are relative
# to 1 December 2026, so the clock starts there (--now) and runs in real time.
# Installs what it needs first (Node 22, npm dependencies, Samba packages). --keep leaves the DC running.
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
ensure_node
ensure_dependencies
ensure_samba
ensure_build
export HR2AD_DC_DIR="$HR2AD_ROOT/.data/samba-dc-demo" HR2AD_DC_IP="${HR2AD_DC_IP:-127.0.0.2}"
keep=0
[ "${1:-}" = "--keep" ] && keep=1
if [ "$keep" = 0 ]; then trap 'bash "$HR2AD_ROOT/scripts/samba-dc.sh" down' EXIT; fi
log "starting a local Samba AD DC on $HR2AD_DC_IP (fresh state)"
connection=$(bash "$HR2AD_ROOT/scripts/samba-dc.sh" up)
work="$HR2AD_ROOT/.data/main-job"
rm -rf "$work" && mkdir -p "$work/hr"
cp "$HR2AD_ROOT/examples/sample/workers.csv" "$work/hr/workers.csv"
field() { node -p "require('$connection').$1"; }

log "hr2ad init: a starter configuration in $work"
"$HR2AD_ROOT/hr2ad" init --dir "$work" --domain "$(field baseDn)" --ldap-url "$(field url)" \
  --bind-password-file "$(field passwordFile)" --ca-file "$(field caFile)" --server-name "$(field serverName)" \
  --source "$work/hr/workers.csv"
run_ts --disable-warning=ExperimentalWarning scripts/prepare-directory.ts "$connection" "$work/hr2ad.config.json"

# A sync ends with 3 when records are quarantined: expected here (the sample has two bad rows).
sync() {
  local status=0
  "$HR2AD_ROOT/hr2ad" sync --config "$work/hr2ad.config.json" "$@" || status=$?
  [ "$status" = 0 ] || [ "$status" = 3 ] || { log "hr2ad sync failed with exit code $status"; exit "$status"; }
}
log "1/3 sync the HR export of 1 December 2026 (every worker is new)"
sync --now 2026-12-01T08:00:00Z
cp "$HR2AD_ROOT/examples/sample/changes.csv" "$work/hr/workers.csv"
log "2/3 HR keyed in two weeks of changes; sync again"
sync --now 2026-12-01T08:10:00Z
log "3/3 the clock moves to 20 December: due changes (the leavers at the end of their local day) apply"
sync --now 2026-12-20T08:00:00Z
log "hr2ad status hr:E1108 (left at the end of her day in Sydney)"
"$HR2AD_ROOT/hr2ad" status hr:E1108 --config "$work/hr2ad.config.json" --now 2026-12-20T08:05:00Z
if [ "$keep" = 1 ]; then
  log "the DC keeps running on ldaps://$HR2AD_DC_IP:636; configuration in $work; stop it with: HR2AD_DC_DIR=$HR2AD_DC_DIR HR2AD_DC_IP=$HR2AD_DC_IP bash scripts/samba-dc.sh down"
fi
