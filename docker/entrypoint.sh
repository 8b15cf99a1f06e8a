#!/bin/sh
# Airbyte entrypoint of a Tributary connector image (also used as is outside Docker).
# Sizes the Node heap from the container's memory limit: 75% of the cgroup limit, leaving room
# for buffers and the driver's native memory; without a limit Node's own default applies.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
limit=""
if [ -r /sys/fs/cgroup/memory.max ]; then
  limit=$(cat /sys/fs/cgroup/memory.max)
elif [ -r /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
  limit=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)
fi
heap_opt=""
case "$limit" in
  ""|max) ;;
  *)
    # A v1 "no limit" is a huge number; only honour limits below 1 TiB.
    if [ "$limit" -lt 1099511627776 ] 2>/dev/null; then
      heap_opt="--max-old-space-size=$((limit / 1048576 * 3 / 4))"
    fi
    ;;
esac
exec node $heap_opt "$here/bin.js" "$@"
