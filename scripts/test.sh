#!/usr/bin/env bash
# Runs every test of streampatterns on a fresh machine: installs what is missing (the PostgreSQL server package the
# tests start their own throw-away servers from, headless Chromium, promtool), then builds and tests all modules with Maven.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
command -v java >/dev/null || { echo "test: java (17+) is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "test: Apache Maven is required (apt-get install -y maven)" >&2; exit 1; }
scripts/ensure-postgres.sh
scripts/ensure-browser.sh   # headless Chromium + chromedriver for the dashboard's browser test
scripts/ensure-promtool.sh  # promtool checks the sample Prometheus rules and the /metrics text
# Spark's local scratch space must not fill /tmp across modules
export SPARK_LOCAL_DIRS="${SPARK_LOCAL_DIRS:-$(mktemp -d)}"
mvn -B -ntp verify "$@"
