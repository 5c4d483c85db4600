#!/usr/bin/env bash
# Makes sure promtool (Debian's prometheus package) is installed, for the test that checks the sample Prometheus
# rules and the dashboard's /metrics text with it. Idempotent: does nothing if promtool is present. Installing needs
# root (as on CI; about a minute, 20 MB); the Prometheus server it brings is not started.
set -euo pipefail

if command -v promtool >/dev/null; then
    exit 0
fi
"$(dirname "$0")/apt-install.sh" ensure-promtool prometheus
command -v promtool >/dev/null || { echo "ensure-promtool: promtool still missing after install" >&2; exit 1; }
