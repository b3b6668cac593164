#!/usr/bin/env bash
# Every benchmark target of the agent, each printed as a ratio measured side by side in one run,
# with its spread and the machine it ran on. Variants are interleaved (A B A B …) so a noisy machine
# hurts both alike; medians are reported with p10-p90.
#
#   bench/run.sh            JDK 8, 11, 17, 21 and 25 (bench/jdks.sh), default sizes (~10 minutes)
#   ROUNDS=5 bench/run.sh   fewer rounds, for a quick look
#   BENCH_JDKS="/usr/lib/jvm/java-17-openjdk-amd64" bench/run.sh   one JDK
#   PARTS="connect read" bench/run.sh   some parts only (connect read setsockopt memory many size startup)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
rounds=${ROUNDS:-9}
agent_jar=$root/agent/target/keepalive-agent.jar
[[ -f $agent_jar ]] || (cd "$root" && mvn -q -B package -DskipTests)
# utimeout=off: hand-written Java cannot set TCP_USER_TIMEOUT, so the agent is compared doing the same work
agent_args=idle=120,intvl=30,cnt=4,utimeout=off,log=warn

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME=$work/cache
javac --release 8 -d "$work/classes" "$here"/src/*.java

stats() { # numbers on stdin -> "median p10 p90"
  sort -g | awk '{v[NR]=$1} END {printf "%s %s %s\n", v[int((NR+1)/2)], v[int(NR*0.1)+1], v[int(NR*0.9+0.5)]}'
}
calc() { awk "BEGIN { printf \"%.3f\", $* }"; }
part() { [[ " ${PARTS:-connect read setsockopt memory many size startup} " == *" $1 "* ]]; }
ratio() { calc "$1 / $2"; }
field() { grep "^$1" | awk -v n="$2" '{print $n}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB, kernel $(uname -r), $(date -u +%F)"

for jdk in ${BENCH_JDKS:-$("$here/jdks.sh")}; do
  java=$jdk/bin/java
  [[ -x $java ]] || continue
  version=$("$java" -version 2>&1 | head -1 | cut -d'"' -f2)
  # A warm cache, as cache-warm primes it: a short run would exit before the agent's start-up has woven
  # (and so cached) anything, and every agent run would start cold
  "$java" -jar "$agent_jar" cache-warm "$work/cache-$version" >/dev/null
  agent=("-javaagent:$agent_jar=$agent_args,cache=$work/cache-$version")
  run() { "$java" -Xshare:auto -cp "$work/classes" "$@"; }
  echo
  echo "== JDK $version, $rounds interleaved rounds"

  # connect + accept + close: the agent (no keepalive code) against the 4 options by hand, both ends
  if part connect; then
  : >"$work/hand"; : >"$work/agent"; : >"$work/none"
  for _ in $(seq "$rounds"); do
    run ConnectLoop hand 20000 5000 | grep ^NS_PER >>"$work/hand"
    run "${agent[@]}" ConnectLoop none 20000 5000 | grep ^NS_PER >>"$work/agent"
    run ConnectLoop none 20000 5000 | grep ^NS_PER >>"$work/none"
  done
  read -r h h10 h90 < <(awk '{print $2}' "$work/hand" | stats)
  read -r a a10 a90 < <(awk '{print $2}' "$work/agent" | stats)
  read -r n n10 n90 < <(awk '{print $2}' "$work/none" | stats)
  read -r hc hc10 hc90 < <(awk '{print $3}' "$work/hand" | stats)
  read -r ac ac10 ac90 < <(awk '{print $3}' "$work/agent" | stats)
  printf 'connect+accept+close   hand-written %s ns (%s-%s), agent %s ns (%s-%s), no keepalive %s ns: throughput agent/hand-written = %s (target >= 0.97)\n' \
    "$h" "$h10" "$h90" "$a" "$a10" "$a90" "$n" "$(ratio "$h" "$a")"
  printf 'connect+accept+close   CPU per connection hand-written %s ns (%s-%s), agent %s ns (%s-%s): the agent costs %+d ns more\n' \
    "$hc" "$hc10" "$hc90" "$ac" "$ac10" "$ac90" "$((ac - hc))"
  fi

  # the read path
  part read && for api in stream channel; do
    for size in 1 64; do
      : >"$work/plain"; : >"$work/agent"
      for _ in $(seq "$rounds"); do
        run ReadLoop $api $size 2000000 | grep ^NS_PER >>"$work/plain"
        run "${agent[@]}" ReadLoop $api $size 2000000 | grep ^NS_PER >>"$work/agent"
      done
      read -r p p10 p90 < <(awk '{print $3}' "$work/plain" | stats)
      read -r a a10 a90 < <(awk '{print $3}' "$work/agent" | stats)
      read -r pw pw10 pw90 < <(awk '{print $2}' "$work/plain" | stats)
      read -r aw aw10 aw90 < <(awk '{print $2}' "$work/agent" | stats)
      printf 'read %-7s %2s bytes   CPU per read no agent %s ns (%s-%s), agent %s ns (%s-%s): agent/no agent = %s (target >= 0.99); wall %s ns vs %s ns: %s\n' \
        "$api" "$size" "$p" "$p10" "$p90" "$a" "$a10" "$a90" "$(ratio "$p" "$a")" "$pw" "$aw" "$(ratio "$pw" "$aw")"
    done
  done

  # setsockopt calls per connection, counted exactly by strace
  if ! part setsockopt; then
    :
  elif command -v strace >/dev/null; then
    count_setsockopt() { # args… -> setsockopt calls
      strace -f -c -e trace=setsockopt -o "$work/strace" "$java" -cp "$work/classes" "$@" >/dev/null 2>&1
      awk '$NF == "setsockopt" {print $4}' "$work/strace" | head -1
    }
    h1=$(count_setsockopt ConnectLoop hand 1000 0); h2=$(count_setsockopt ConnectLoop hand 2000 0)
    a1=$(count_setsockopt "${agent[@]}" ConnectLoop none 1000 0); a2=$(count_setsockopt "${agent[@]}" ConnectLoop none 2000 0)
    printf 'setsockopt per connection (both ends)   hand-written %s, agent %s (target: equal)\n' \
      "$(( (h2 - h1) / 1000 ))" "$(( (a2 - a1) / 1000 ))"
  else
    echo "setsockopt per connection: strace not installed (apt-get install strace)"
  fi

  # memory after start-up and GC, and nothing kept per closed socket
  if part memory; then
  : >"$work/mem-plain"; : >"$work/mem-agent"
  for _ in 1 2 3; do
    run MemoryProbe | grep ^MEMORY >>"$work/mem-plain"
    run "${agent[@]}" MemoryProbe 200000 | grep ^MEMORY >>"$work/mem-agent"
  done
  read -r ph pm pc < <(awk '{print $2, $3, $4}' "$work/mem-plain" | sort -n | sed -n 2p)
  read -r ah am ac aafter < <(awk '{print $2, $3, $4, $5}' "$work/mem-agent" | sort -n | sed -n 2p)
  printf 'memory after start-up  heap %+.2f MB (target <= +2), metaspace %+.2f MB (target <= +3), classes %+d; heap after 200,000 more connections %+.2f MB\n' \
    "$(calc "($ah - $ph) / 1048576")" "$(calc "($am - $pm) / 1048576")" "$((ac - pc))" \
    "$(calc "($aafter - $ah) / 1048576")"
  fi

  # 5,000 connections open at once: in a fresh JVM (the agent's code still interpreted), and after
  # 20,000 connections have warmed the JIT up
  part many && for phase in cold warm; do
    warmup=0; [[ $phase == warm ]] && warmup=20000
    : >"$work/many-hand"; : >"$work/many-agent"; : >"$work/many-agent-lines"
    for _ in 1 2 3 4 5; do
      run ManyConnections hand 5000 $warmup | sed 's/.*establish_ms=//' >>"$work/many-hand"
      run "${agent[@]}" ManyConnections none 5000 $warmup | tee -a "$work/many-agent-lines" | sed 's/.*establish_ms=//' >>"$work/many-agent"
    done
    read -r mh mh10 mh90 < <(stats <"$work/many-hand")
    read -r ma ma10 ma90 < <(stats <"$work/many-agent")
    printf '5,000 open connections (%s)  %s; establish hand-written %s ms (%s-%s), agent %s ms (%s-%s): agent/hand-written = %s (target <= 1.05)\n' \
      "$phase" "$(tail -1 "$work/many-agent-lines" | sed 's/^MANY //; s/ establish_ms=.*//')" \
      "$mh" "$mh10" "$mh90" "$ma" "$ma10" "$ma90" "$(ratio "$ma" "$mh")"
  done
done

if part size; then echo; "$here/size.sh"; fi
if part startup; then echo; "$here/startup.sh" 20; fi
