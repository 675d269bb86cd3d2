#!/usr/bin/env bash
# A throwaway Samba AD DC on loopback, answering LDAPS, kept entirely inside one directory.
#   samba-dc.sh up      provision (once; later runs restore the snapshot) and start; prints the connection file
#   samba-dc.sh reset   kill, restore the stopped-DC snapshot, start again (about half a second)
#   samba-dc.sh down    stop it (always safe to call)
#   samba-dc.sh status
# Environment: HR2AD_DC_DIR (default .data/samba-dc), HR2AD_DC_IP (default 127.0.0.1), HR2AD_DC_NOSYNC=1
# to skip fsync (test runs; benchmarks keep the default durable writes unless told otherwise).
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

DC_DIR="${HR2AD_DC_DIR:-$HR2AD_ROOT/.data/samba-dc}"
DC_IP="${HR2AD_DC_IP:-127.0.0.1}"
REALM="CORP.EXAMPLE.TEST"
DOMAIN="CORP"
SNAPSHOT="$DC_DIR.snapshot"
PIDFILE="$DC_DIR/samba.pid"
CONNECTION="$DC_DIR/connection.json"

nosync_value() { [ "${HR2AD_DC_NOSYNC:-1}" = 1 ] && echo true || echo false; }

# Provision-time options that keep every runtime path inside DC_DIR and serve LDAP only.
dc_options() {
  printf '%s\n' \
    "--option=interfaces = $DC_IP/8" \
    "--option=bind interfaces only = yes" \
    "--option=server services = ldap" \
    "--option=pid directory = $DC_DIR/run" \
    "--option=ncalrpc dir = $DC_DIR/run/ncalrpc" \
    "--option=winbindd socket directory = $DC_DIR/run/winbindd" \
    "--option=ntp signd socket directory = $DC_DIR/run/ntp_signd" \
    "--option=log file = $DC_DIR/log/%m.log" \
    "--option=ldb:nosync = $(nosync_value)"
}

pid_alive() {
  # A stopped samba can linger as a zombie until PID 1 reaps it: that counts as gone.
  local pid="$1" state
  state=$(ps -o stat= -p "$pid" 2>/dev/null || true)
  [ -n "$state" ] && [[ "$state" != Z* ]]
}

wait_for_ldaps() {
  local deadline=$((SECONDS + 60))
  while (( SECONDS < deadline )); do
    if (exec 3<>"/dev/tcp/$DC_IP/636") 2>/dev/null; then
      # The port opens before the TLS key exists on a first start: wait for the CA file too.
      [ -s "$DC_DIR/private/tls/ca.pem" ] && return 0
    fi
    if [ -f "$PIDFILE" ] && ! pid_alive "$(cat "$PIDFILE")"; then
      log "samba exited during start; see $DC_DIR/log"; tail -20 "$DC_DIR"/log/*.log >&2 || true; return 1
    fi
    sleep 0.1
  done
  log "samba did not answer LDAPS on $DC_IP:636 within 60 s"; return 1
}

start_dc() {
  mkdir -p "$DC_DIR/run" "$DC_DIR/log"
  # setsid gives samba its own process group so the whole tree can be killed at once.
  setsid samba -i -s "$DC_DIR/etc/smb.conf" </dev/null >"$DC_DIR/log/samba.out" 2>&1 &
  echo $! >"$PIDFILE"
  disown $! 2>/dev/null || true
  wait_for_ldaps
}

kill_dc() {
  [ -f "$PIDFILE" ] || return 0
  local pid; pid=$(cat "$PIDFILE")
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 10))
  while pid_alive "$pid" && (( SECONDS < deadline )); do sleep 0.05; done
  while (exec 3<>"/dev/tcp/$DC_IP/636") 2>/dev/null && (( SECONDS < deadline )); do sleep 0.05; done
  rm -f "$PIDFILE"
}

write_connection() {
  local password; password=$(cat "$DC_DIR/admin-password")
  local domain_dn="DC=corp,DC=example,DC=test"
  umask 077
  cat >"$CONNECTION" <<JSON
{
  "url": "ldaps://$DC_IP:636",
  "serverName": "DC1.corp.example.test",
  "caFile": "$DC_DIR/private/tls/ca.pem",
  "bindDn": "CN=Administrator,CN=Users,$domain_dn",
  "passwordFile": "$DC_DIR/admin-password",
  "baseDn": "$domain_dn",
  "realm": "$REALM",
  "durableWrites": $(grep -Eq "ldb:nosync *= *true" "$DC_DIR/etc/smb.conf" && echo false || echo true),
  "snapshot": "$SNAPSHOT"
}
JSON
  unset password
}

provision() {
  ensure_samba
  log "provisioning a Samba AD DC ($REALM) in $DC_DIR"
  rm -rf "$DC_DIR" "$SNAPSHOT"
  mkdir -p "$DC_DIR"
  umask 077
  # A fresh random administrator password that meets AD complexity; it never leaves DC_DIR.
  local password="Adm1n!$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)"
  printf '%s' "$password" >"$DC_DIR/admin-password"
  mapfile -t opts < <(dc_options)
  samba-tool domain provision -s /dev/null -q --realm="$REALM" --domain="$DOMAIN" --server-role=dc \
    --dns-backend=NONE --adminpass="$password" --use-rfc2307 --host-name=dc1 --host-ip="$DC_IP" \
    --targetdir="$DC_DIR" "${opts[@]}" >"$DC_DIR/provision.log" 2>&1 \
    || { tail -20 "$DC_DIR/provision.log" >&2; exit 1; }
  # An administrator reset is followed by the user's own change at first logon: allow it at once.
  samba-tool domain passwordsettings set --min-pwd-age=0 -H "$DC_DIR/private/sam.ldb" >/dev/null
  # First start generates the TLS keys; the snapshot is taken after it so resets skip that.
  start_dc
  kill_dc
  cp -a "$DC_DIR" "$SNAPSHOT"
}

restore_snapshot() {
  rm -rf "$DC_DIR"
  cp -a "$SNAPSHOT" "$DC_DIR"
}

cmd="${1:-status}"
case "$cmd" in
  up)
    kill_dc
    # The snapshot is reused only if it was provisioned with the same address and write durability.
    if [ -d "$SNAPSHOT" ] && [ -f "$SNAPSHOT/etc/smb.conf" ] && grep -q "interfaces = $DC_IP/" "$SNAPSHOT/etc/smb.conf" \
      && grep -Eq "ldb:nosync *= *$(nosync_value)\$" "$SNAPSHOT/etc/smb.conf" && command -v samba >/dev/null 2>&1; then
      restore_snapshot
    else
      provision
    fi
    start_dc
    write_connection
    echo "$CONNECTION"
    ;;
  reset)
    kill_dc
    restore_snapshot
    start_dc
    write_connection
    ;;
  start)
    start_dc
    ;;
  down|stop)
    kill_dc
    ;;
  status)
    if [ -f "$PIDFILE" ] && pid_alive "$(cat "$PIDFILE")"; then echo "running (pid $(cat "$PIDFILE"))"; else echo "stopped"; fi
    ;;
  *)
    echo "usage: $0 up|reset|start|down|status" >&2; exit 2 ;;
esac
