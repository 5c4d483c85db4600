#!/usr/bin/env bash
# Makes sure the PostgreSQL server binaries (/usr/lib/postgresql/<ver>/bin) are installed, for the
# tests' PostgresServer, which runs its own throw-away server. Idempotent: does nothing if present.
# Installing needs root (as on CI). The Debian package's own cluster is never left running or
# set to start at boot: we start our own servers.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; then
    exit 0
fi
"$(dirname "$0")/apt-install.sh" ensure-postgres postgresql

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
