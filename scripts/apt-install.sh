#!/usr/bin/env bash
# Installs Debian packages with apt-get, as root or through sudo; the install-*.sh scripts call it
# with what they found missing.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "missing $* and this user cannot install them: apt-get install $* (as root)" >&2
    exit 1
  fi
else SUDO=""; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
