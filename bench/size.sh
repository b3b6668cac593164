#!/usr/bin/env bash
# Whether the agent's cost per call grows with the process: connect + accept + close, and a new
# socket's setKeepAlive(false) and close, with none, half and as many other connections open as the
# descriptor limit allows (said in the output). Their peers are in another process, so each costs the
# app one descriptor; they are opened from main's first statement while the agent starts cold
# (cache=off: its longest start-up), so that it meets most of them in its start-up window and watches
# those it found there. Each run is a new JVM, measured in steady state after the window closed;
# sizes with and without the agent interleaved. Printed per size: each variant's cost over its own
# cost with none open, and the agent's share of the growth (agent's ratio / no agent's ratio; the
# kernel's own growth cancels out). Target: the agent's share <= 1.05 at every size. The heap is fixed
# (1 GiB), so that the objects held for the open connections do not change how often a collection comes.
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
agent_args=idle=120,intvl=30,cnt=4,log=info,cache=off

work=$(mktemp -d)
peer_pid=
trap '[[ -n $peer_pid ]] && kill "$peer_pid" 2>/dev/null; rm -rf "$work"' EXIT
javac --release 8 -d "$work/classes" "$here"/src/OpenConnectionsCost.java "$here"/src/HoldingPeer.java

stats() { sort -g | awk '{v[NR]=$1} END {printf "%s\n", v[int((NR+1)/2)]}'; }
calc() { awk "BEGIN { printf \"%.3f\", $* }"; }
limit=$(ulimit -n)
most=$(( (limit - 600) / 100 * 100 )) # the JVM's own descriptors (jars, the JDK's modules, epoll) need some
echo "machine: $(nproc) cores, kernel $(uname -r), $(date -u +%F); $ops calls of each kind per run"
echo "open connections: up to $most, as many as ulimit -n $limit allows with 600 left to the JVM's own files (the peers' ends are in another process)"

for jdk in ${BENCH_JDKS:-$("$here/jdks.sh")}; do
  java=$jdk/bin/java
  [[ -x $java ]] || continue
  version=$("$java" -version 2>&1 | head -1 | cut -d'"' -f2)
  run() { # none|agent OPEN OPS: a new peer process, then the app; the app's COST line, with the agent's count
    local with=(); [[ $1 == agent ]] && with=(-javaagent:"$agent_jar=$agent_args")
    local port=0
    if (( $2 > 0 )); then
      coproc PEER { exec "$java" -Xss256k -cp "$work/classes" HoldingPeer; }
      peer_pid=$PEER_PID
      read -r _ port <&"${PEER[0]}"
    fi
    "$java" -Xshare:auto -Xms1g -Xmx1g "${with[@]}" -cp "$work/classes" OpenConnectionsCost "$2" "$3" "$port" \
      2>"$work/stderr" | tr '\n' ' '
    sed -n 's/.*sockets opened while it started: \([0-9]*\).*/met_in_window=\1/p' "$work/stderr"
    [[ $1 == agent ]] || echo
    if [[ -n $peer_pid ]]; then kill "$peer_pid" 2>/dev/null; wait "$peer_pid" 2>/dev/null || true; peer_pid=; fi
  }
  echo
  echo "== JDK $version, $rounds interleaved rounds"
  declare -A base=()
  for open in 0 $((most / 2)) $most; do
    : >"$work/none"; : >"$work/agent"
    for _ in $(seq "$rounds"); do
      run none "$open" "$ops" >>"$work/none"
      run agent "$open" "$ops" >>"$work/agent"
    done
    for kind in connect_close option; do
      for variant in none agent; do
        median=$(grep -o "${kind}_ns=[0-9]*" "$work/$variant" | cut -d= -f2 | stats)
        [[ $open == 0 ]] && base[$kind-$variant]=$median
        eval "${variant}_${kind}=$median"
      done
    done
    if [[ $open == 0 ]]; then
      printf 'no other connection open: connect+accept+close no agent %s ns, agent %s ns; setKeepAlive(false) on a new socket no agent %s ns, agent %s ns\n' \
        "$none_connect_close" "$agent_connect_close" "$none_option" "$agent_option"
      continue
    fi
    printf '%6d open connections, opened in %s ms (median); the agent met %s of them in its start-up, before its hooks were live (per run: %s)\n' \
      "$open" "$(grep -o 'opened_ms=[0-9]*' "$work/agent" | cut -d= -f2 | stats)" \
      "$(grep -o 'met_in_window=[0-9]*' "$work/agent" | cut -d= -f2 | stats)" \
      "$(grep -o 'met_in_window=[0-9]*' "$work/agent" | cut -d= -f2 | paste -sd,)"
    for kind in connect_close option; do
      n=$(eval echo "\$none_$kind"); a=$(eval echo "\$agent_$kind")
      rn=$(calc "$n / ${base[$kind-none]}"); ra=$(calc "$a / ${base[$kind-agent]}")
      printf '%6d open connections: %-14s no agent %s ns (x%s of none open), agent %s ns (x%s): the agent'"'"'s share %s (target <= 1.05)\n' \
        "$open" "$kind" "$n" "$rn" "$a" "$ra" "$(calc "$ra / $rn")"
    done
  done
done
