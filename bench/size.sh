#!/usr/bin/env bash
# Whether the agent's cost per call grows with the process: connect + accept + close, and a new
# socket's setKeepAlive(false) and close, with 0, 10,000 and 50,000 other connections open (opened
# while the agent starts, so it watches them), each size with and without the agent, interleaved.
# Printed per size: each variant's cost over its own cost with none open, and the agent's share of the
# growth (agent's ratio / no agent's ratio; the kernel's own growth, its hash tables and ephemeral
# ports, cancels out). Target: the agent's share <= 1.05 at every size. The heap is fixed (1 GiB), so that
# the thousands of objects held for the open connections do not change how often a collection comes.
#
#   bench/size.sh [rounds]        default 7 rounds, on JDK 8, 11, 17, 21 and 25 (bench/jdks.sh)
#   BENCH_JDKS="/usr/lib/jvm/java-17-openjdk-amd64" bench/size.sh 3    one JDK, a quick look
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
rounds=${1:-7}
ops=${OPS:-20000}
agent_jar=$root/agent/target/keepalive-agent.jar
[[ -f $agent_jar ]] || (cd "$root" && mvn -q -B package -DskipTests)
agent_args=idle=120,intvl=30,cnt=4,log=warn

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME=$work/cache
javac --release 8 -d "$work/classes" "$here"/src/OpenConnectionsCost.java

stats() { sort -g | awk '{v[NR]=$1} END {printf "%s\n", v[int((NR+1)/2)]}'; }
calc() { awk "BEGIN { printf \"%.3f\", $* }"; }
limit=$(ulimit -n)
echo "machine: $(nproc) cores, kernel $(uname -r), ulimit -n $limit, $(date -u +%F); $ops calls of each kind per run"

for jdk in ${BENCH_JDKS:-$("$here/jdks.sh")}; do
  java=$jdk/bin/java
  [[ -x $java ]] || continue
  version=$("$java" -version 2>&1 | head -1 | cut -d'"' -f2)
  run() { # none|agent PAIRS OPS
    local with=(); [[ $1 == agent ]] && with=(-javaagent:"$agent_jar=$agent_args")
    "$java" -Xshare:auto -Xms1g -Xmx1g "${with[@]}" -cp "$work/classes" OpenConnectionsCost "$2" "$3"
  }
  run agent 0 100 >/dev/null # fills the cache of woven classes
  echo
  echo "== JDK $version, $rounds interleaved rounds"
  declare -A base=()
  for pairs in 0 5000 25000; do
    if (( 2 * pairs + 400 > limit )); then
      echo "$((2 * pairs)) open connections: skipped, they need ulimit -n >= $((2 * pairs + 400)) (it is $limit here)"
      continue
    fi
    : >"$work/none"; : >"$work/agent"
    for _ in $(seq "$rounds"); do
      run none "$pairs" "$ops" >>"$work/none"
      run agent "$pairs" "$ops" >>"$work/agent"
    done
    for kind in connect_close option; do
      for variant in none agent; do
        median=$(grep -o "${kind}_ns=[0-9]*" "$work/$variant" | cut -d= -f2 | stats)
        [[ $pairs == 0 ]] && base[$kind-$variant]=$median
        eval "${variant}_${kind}=$median"
      done
    done
    if [[ $pairs == 0 ]]; then
      printf 'no other connection open: connect+accept+close no agent %s ns, agent %s ns; setKeepAlive(false) on a new socket no agent %s ns, agent %s ns\n' \
        "$none_connect_close" "$agent_connect_close" "$none_option" "$agent_option"
      continue
    fi
    for kind in connect_close option; do
      n=$(eval echo "\$none_$kind"); a=$(eval echo "\$agent_$kind")
      rn=$(calc "$n / ${base[$kind-none]}"); ra=$(calc "$a / ${base[$kind-agent]}")
      printf '%6d open connections: %-14s no agent %s ns (x%s of none open), agent %s ns (x%s): the agent'"'"'s share %s (target <= 1.05)\n' \
        "$((2 * pairs))" "$kind" "$n" "$rn" "$a" "$ra" "$(calc "$ra / $rn")"
    done
  done
done
