#!/usr/bin/env bash
# What the browser tests need from the system: Debian's Chromium (driven by playwright-core, which
# never downloads a browser) and CJK fonts so Chinese pages render. As root, install what is missing;
# otherwise say exactly what to run. Shared by `make test` (through `make e2e`) and .ci/run.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "The browser tests need ${missing[*]}. Install with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]} for the browser tests (apt-get)"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
