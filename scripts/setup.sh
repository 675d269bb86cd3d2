#!/usr/bin/env bash
# Installs everything the project needs on this machine: Node 22, npm dependencies, Samba AD DC packages.
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
ensure_node
ensure_dependencies
ensure_samba
log "ready: node $(node --version), samba $(samba --version 2>/dev/null || echo '?')"
