#!/usr/bin/env bash
# Makes sure headless Chromium and its WebDriver are installed from Debian's packages (/usr/bin/chromium,
# /usr/bin/chromedriver), for the dashboard's browser test. Nothing downloads a browser or driver at run time.
# Idempotent: does nothing if both are present. Installing needs root (as on CI); no service is started.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
"$(dirname "$0")/apt-install.sh" ensure-browser chromium chromium-driver
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || { echo "ensure-browser: chromium or chromedriver still missing after install" >&2; exit 1; }
