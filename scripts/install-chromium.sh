#!/usr/bin/env bash
# Installs Debian's chromium (and a Korean font, so Korean screenshots show text, not boxes)
# for the browser tests, when they are missing.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/fonts/truetype/nanum ] || need+=(fonts-nanum)
[ ${#need[@]} -eq 0 ] && exit 0
bash "$(dirname "$0")/apt-install.sh" "${need[@]}"
