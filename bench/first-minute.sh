#!/usr/bin/env bash
# The app's first seconds: connect + accept + close from the first statement of main, per 15-second
# slice, wall and CPU per connection: the agent (cold: no cache of woven classes; and warm), the same
# loop without it, and the four options set by hand. One JVM per variant and JDK, one after another
# (a slice is a stretch of time, so variants cannot be interleaved inside one); JDK 17 and 25.
#
#   bench/first-minute.sh                 90 s a run, 4 variants, 2 JDKs (~13 minutes)
#   SECONDS_PER_RUN=30 bench/first-minute.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
seconds=${SECONDS_PER_RUN:-90}
slice=${SLICE_SECONDS:-15}
agent_jar=$root/agent/target/keepalive-agent.jar
[[ -f $agent_jar ]] || (cd "$root" && mvn -q -B package -DskipTests)
agent_args=idle=120,intvl=30,cnt=4,utimeout=off,log=warn

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac --release 8 -d "$work/classes" "$here"/src/ConnectLoop.java "$here"/src/ConnectSlices.java

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB, kernel $(uname -r), $(date -u +%F)"
for jdk in ${BENCH_JDKS:-/usr/lib/jvm/java-17-openjdk-amd64 ${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}; do
  java=$jdk/bin/java
  [[ -x $java ]] || { echo "no JDK at $jdk: left out"; continue; }
  version=$("$java" -version 2>&1 | head -1 | cut -d'"' -f2)
  echo
  echo "== JDK $version: per connection, wall / CPU in µs, slice by slice (seconds from the first statement of main)"
  slices() { # label, java arguments before the class… -> one table row per slice, kept in $work/$label
    local label=$1; shift
    "$java" -Xshare:auto -cp "$work/classes" "$@" ConnectSlices "$mode" "$seconds" "$slice" | grep ^SLICE >"$work/$label"
  }
  mode=none; slices "agent, cold" "-javaagent:$agent_jar=$agent_args,cache=off"
  "$java" -jar "$agent_jar" cache-warm "$work/cache-$version" >/dev/null
  mode=none; slices "agent, warm" "-javaagent:$agent_jar=$agent_args,cache=$work/cache-$version"
  mode=none; slices "no agent"
  mode=hand; slices "by hand"
  printf '%-9s' "slice"
  for label in "agent, cold" "agent, warm" "no agent" "by hand"; do printf '%22s' "$label"; done
  printf '%26s\n' "agent warm / no agent"
  rows=$(wc -l <"$work/no agent")
  for i in $(seq 1 "$rows"); do
    printf '%-9s' "$(sed -n "${i}p" "$work/no agent" | awk '{printf "%d-%ds", $2, $3}')"
    for label in "agent, cold" "agent, warm" "no agent" "by hand"; do
      printf '%22s' "$(sed -n "${i}p" "$work/$label" | awk '{printf "%.1f / %.1f", $5 / 1000, $6 / 1000}')"
    done
    printf '%26s\n' "$(paste <(sed -n "${i}p" "$work/agent, warm") <(sed -n "${i}p" "$work/no agent") \
      | awk '{printf "wall %.2f, CPU %.2f", $5 / $11, $6 / $12}')"
  done
done
