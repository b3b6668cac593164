#!/usr/bin/env bash
# Deletes network namespaces that test runs (ka-it-*) and demos (ka-demo-*) made and left behind: a run
# killed in mid-test cannot delete its own. Only those with no process in them and made more than ten
# minutes ago, so that a run going on beside this one keeps its namespaces. Quiet where there are none,
# or where namespaces cannot be listed (not root, no iproute2).
set -uo pipefail
command -v ip >/dev/null || exit 0
now=$(date +%s)
ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^ka-(it|demo)-' | while read -r namespace; do
  made=$(stat -c %Y "/run/netns/$namespace" 2>/dev/null || echo "$now")
  [[ $((now - made)) -gt 600 ]] || continue
  [[ -z $(ip netns pids "$namespace" 2>/dev/null) ]] || continue
  ip netns del "$namespace" 2>/dev/null && echo "== deleted the stale network namespace $namespace (made $(((now - made) / 60)) min ago)"
done
exit 0
