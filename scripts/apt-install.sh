#!/usr/bin/env bash
# apt-install.sh WHO PACKAGE...: installs Debian packages quietly without letting them start any service
# (policy-rc.d exit 101 = action not allowed, removed afterwards). Needs root (as on CI); WHO names the caller in messages.
set -euo pipefail
who="$1"
shift
if [ "$(id -u)" -ne 0 ]; then
    echo "$who: $* missing and installing needs root: apt-get install -y $*" >&2
    exit 1
fi
policy=/usr/sbin/policy-rc.d
own_policy=false
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    own_policy=true
fi
cleanup() { if $own_policy; then rm -f "$policy"; fi; }
trap cleanup EXIT

echo "$who: installing $*" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" > /dev/null
