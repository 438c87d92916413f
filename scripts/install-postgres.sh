#!/usr/bin/env bash
# Installs Debian's PostgreSQL server binaries for the tests that run on PostgreSQL, when they are
# missing. The tests start a throw-away cluster of their own (tests/postgres.py: initdb in a
# temporary directory, on a free port); nothing here starts or enables a system service.
set -euo pipefail
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && exit 0
# The package may create and start a "main" cluster of its own: the tests do not use it.
bash "$(dirname "$0")/apt-install.sh" postgresql
