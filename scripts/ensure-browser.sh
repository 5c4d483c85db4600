#!/usr/bin/env bash
# Makes sure headless Chromium and its WebDriver are installed from Debian's packages (/usr/bin/chromium,
# /usr/bin/chromedriver), for the dashboard's browser test. Nothing downloads a browser or driver at run time.
# Idempotent: does nothing if both are present. Installing needs root (as on CI); no service is started.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-browser: Chromium is missing and installing it needs root: apt-get install -y chromium chromium-driver" >&2
    exit 1
fi

# Forbid service starts during the install (the packages recommend avahi-daemon, upower...).
policy=/usr/sbin/policy-rc.d
own_policy=false
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    own_policy=true
fi
cleanup() { if $own_policy; then rm -f "$policy"; fi; }
trap cleanup EXIT

echo "ensure-browser: installing chromium chromium-driver" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver > /dev/null
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || { echo "ensure-browser: chromium or chromedriver still missing after install" >&2; exit 1; }
