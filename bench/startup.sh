#!/usr/bin/env bash
# Start-up cost of the agent on a Hello-world JVM, measured side by side in one run: plain JVM,
# an empty -javaagent (a premain that does nothing: the floor every Java agent pays), keepalive-agent
# with its cache of woven classes warm, and cold (an empty cache, as in a new pod); each on two CPUs
# and on one (taskset -c 0), wall time and CPU time (user + system) of the whole process. The agent
# starts beside main, so a Hello world may end before the agent's start-up does: the rows "until its
# hooks are live" are the same Hello world made to wait for that, which counts all of the agent's
# work (what an app that runs for more than a moment pays in CPU). Runs are interleaved
# (A B C D A B C D …) so a noisy machine hurts all alike; medians are reported, with the spread
# (p10-p90) of wall time.
#
#   bench/startup.sh [runs]       default 40 runs per variant, on JDK 8, 11, 17, 21 and 25 (bench/jdks.sh)
#   BENCH_JDKS="/usr/lib/jvm/java-17-openjdk-amd64" bench/startup.sh 5    one JDK, a quick look
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${1:-40}
agent_jar=$root/agent/target/keepalive-agent.jar
[[ -f $agent_jar ]] || (cd "$root" && mvn -q -B package -DskipTests)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
hello=$("$here/hello.sh" "$work")
empty_agent=$("$here/empty-agent.sh" "$work")
export XDG_CACHE_HOME=$work/cache

measure() { # java variant cpus run -> "wall cpu" in tenths of a millisecond
  local java=$1 variant=$2 cpus=$3 run=$4 pin=() args=()
  [[ $cpus == 1 ]] && pin=(taskset -c 0)
  case $variant in
    plain) args=(-cp "$hello" Hello) ;;
    empty) args=("-javaagent:$empty_agent" -cp "$hello" Hello) ;;
    warm) args=("-javaagent:$agent_jar=log=warn" -cp "$hello" Hello) ;;
    cold) args=("-javaagent:$agent_jar=log=warn,cache=$work/cold/$cpus-$run" -cp "$hello" Hello) ;;
    warm-hooks) args=("-javaagent:$agent_jar=log=warn" -cp "$hello" Hello await) ;;
    cold-hooks) args=("-javaagent:$agent_jar=log=warn,cache=$work/cold/hooks-$cpus-$run" -cp "$hello" Hello await) ;;
  esac
  local TIMEFORMAT='%3R %3U %3S' t
  t=$( { time "${pin[@]}" "$java" "${args[@]}" >/dev/null; } 2>&1 )
  awk -v t="$t" 'BEGIN { split(t, f, " "); printf "%d %d\n", f[1] * 10000, (f[2] + f[3]) * 10000 }'
}
stats() { # values… -> "median p10 p90" in ms
  sort -n | awk '{v[NR]=$1} END {m=v[int((NR+1)/2)]; printf "%.1f %.1f %.1f\n", m/10, v[int(NR*0.1)+1]/10, v[int(NR*0.9)]/10}'
}
median() { sort -n | awk '{v[NR]=$1} END {printf "%.1f\n", v[int((NR+1)/2)]/10}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%F)"
variants=(plain empty warm cold warm-hooks cold-hooks)
for jdk in ${BENCH_JDKS:-$("$here/jdks.sh")}; do
  java=$jdk/bin/java
  [[ -x $java ]] || continue
  "$java" "-javaagent:$agent_jar=log=off" -cp "$hello" Hello >/dev/null # fills the warm cache
  rm -rf "$work/cold" "$work"/result-*; mkdir -p "$work/cold"
  for cpus in 2 1; do for v in "${variants[@]}"; do measure "$java" $v $cpus warmup >/dev/null; done; done # the disk cache
  for run in $(seq "$runs"); do
    for cpus in 2 1; do
      for v in "${variants[@]}"; do
        read -r wall cpu < <(measure "$java" $v $cpus "$run")
        echo "$wall" >>"$work/result-$v-$cpus-wall"; echo "$cpu" >>"$work/result-$v-$cpus-cpu"
      done
    done
  done
  echo "JDK $("$java" -version 2>&1 | head -1 | cut -d'"' -f2), $runs interleaved runs each; median wall time (p10-p90) and median CPU time of a Hello-world JVM:"
  printf '  %-26s %-36s %s\n' "" "2 CPUs" "1 CPU (taskset -c 0)"
  declare -A wall=() cpu=()
  for v in "${variants[@]}"; do
    line=""
    for cpus in 2 1; do
      read -r m p10 p90 < <(stats <"$work/result-$v-$cpus-wall")
      c=$(median <"$work/result-$v-$cpus-cpu")
      wall[$v-$cpus]=$m; cpu[$v-$cpus]=$c
      line+=$(printf '%7.1f ms (%s-%s), CPU %6.1f ms   ' "$m" "$p10" "$p90" "$c")
    done
    case $v in
      plain) name="plain JVM" ;; empty) name="empty -javaagent" ;; warm) name="agent, cache warm" ;; cold) name="agent, cache cold" ;;
      warm-hooks) name="warm, until hooks live" ;; cold-hooks) name="cold, until hooks live" ;;
    esac
    printf '  %-26s %s\n' "$name" "$line"
  done
  # Where the agent's own part goes (log=debug prints it), one warm and one cold start on two CPUs;
  # "arguments" is all the app's main waits for, the rest runs on the agent's thread.
  for v in warm cold; do
    cache=$([[ $v == cold ]] && echo ",cache=$work/cold/timeline" || true)
    phases=$("$java" "-javaagent:$agent_jar=log=debug$cache" -cp "$hello" Hello await 2>&1 >/dev/null | grep -o 'start-up phases: .*' || true)
    printf '  %-26s %s\n' "$v, the agent's phases" "${phases#start-up phases: }"
  done
  for v in warm cold warm-hooks cold-hooks; do
    printf '  %-26s' "$v - empty agent"
    for cpus in 2 1; do
      printf ' wall %+7.1f ms, CPU %+7.1f ms            ' \
        "$(awk "BEGIN { print ${wall[$v-$cpus]} - ${wall[empty-$cpus]} }")" "$(awk "BEGIN { print ${cpu[$v-$cpus]} - ${cpu[empty-$cpus]} }")"
    done
    echo
  done
done
