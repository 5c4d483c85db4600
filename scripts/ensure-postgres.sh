#!/usr/bin/env bash
# Makes sure the PostgreSQL server binaries (/usr/lib/postgresql/<ver>/bin) are installed, for the
# tests' PostgresServer, which runs its own throw-away server. Idempotent: does nothing if present.
# Installing needs root (as on CI). The Debian package's own cluster is never left running or
# set to start at boot: we start our own servers.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-postgres: PostgreSQL is missing and installing it needs root: apt-get install -y postgresql" >&2
    exit 1
fi

# Forbid service starts during the install (policy-rc.d exit 101 = action not allowed).
policy=/usr/sbin/policy-rc.d
own_policy=false
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    own_policy=true
fi
cleanup() { if $own_policy; then rm -f "$policy"; fi; }
trap cleanup EXIT

echo "ensure-postgres: installing postgresql" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null

# Whatever apt did: stop the Debian clusters and keep them from starting automatically.
if command -v pg_lsclusters > /dev/null; then
    pg_lsclusters --no-header | while read -r ver name _port status _rest; do
        case "$status" in
            online*) pg_ctlcluster "$ver" "$name" stop || true ;;
        esac
        sed -i 's/^auto$/manual/' "/etc/postgresql/$ver/$name/start.conf" || true
    done
fi
if [ -d /run/systemd/system ]; then
    systemctl disable --now postgresql > /dev/null 2>&1 || true
fi
compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || { echo "ensure-postgres: initdb still missing after install" >&2; exit 1; }
