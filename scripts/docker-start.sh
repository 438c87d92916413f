#!/bin/sh
# The image's command (`nn-playground`): the server, after saying plainly when the data directory
# cannot be written by the user the container runs as (a bind-mounted folder that root owns).
set -eu
dir=${PLAYGROUND_DATA_DIR:-/data}
if [ ! -w "$dir" ]; then
  uid=$(id -u) gid=$(id -g)
  echo "nn-playground: the data directory $dir belongs to $(stat -c %u:%g "$dir") and user $uid:$gid cannot write it." >&2
  echo "Give the folder to that user on the host (chown $uid:$gid <folder>), or run the container as its owner (--user <uid>:<gid>)." >&2
  exit 1
fi
exec python -m app.cli "$@"
