#!/usr/bin/env bash
# Installs Debian's PostgreSQL server binaries for the tests that run on PostgreSQL, when they are
# missing. The tests start a throw-away cluster of their own (tests/postgres.py: initdb in a
# temporary directory, on a free port); nothing here starts or enables a system service.
set -euo pipefail
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "missing postgresql and this user cannot install it: apt-get install postgresql (as root)" >&2
    exit 1
  fi
else SUDO=""; fi
$SUDO apt-get update -qq
# The package may create and start a "main" cluster of its own: the tests do not use it.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
