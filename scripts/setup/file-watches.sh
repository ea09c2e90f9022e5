#!/usr/bin/env bash
# Raises the inotify limits the Hot Reload tests need: dotnet-watch opens one inotify instance per watched folder
# (55 for SampleApi + ServiceDefaults), and Debian's default of 128 instances per user is used up by two of them beside
# the other .NET processes of a test run ("The configured user limit (128) on the number of inotify instances has been
# reached"). Best effort: where /proc/sys is read-only (some containers) it says so and the run goes on.
set -euo pipefail
want_instances=1024
want_watches=524288
instances=$(cat /proc/sys/fs/inotify/max_user_instances)
watches=$(cat /proc/sys/fs/inotify/max_user_watches)
if [ "$instances" -ge "$want_instances" ] && [ "$watches" -ge "$want_watches" ]; then
  echo "file watches: inotify limits ok ($instances instances, $watches watches)"
  exit 0
fi
if { echo "$want_instances" > /proc/sys/fs/inotify/max_user_instances && echo "$want_watches" > /proc/sys/fs/inotify/max_user_watches; } 2>/dev/null; then
  echo "file watches: inotify limits raised to $want_instances instances, $want_watches watches"
else
  echo "file watches: cannot raise the inotify limits here ($instances instances); Hot Reload tests may fail with 'user limit on the number of inotify instances'"
fi
