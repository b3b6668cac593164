#!/usr/bin/env bash
# Start-up cost of the agent on a Hello-world JVM, measured side by side in one run: plain JVM,
# an empty -javaagent (a premain that does nothing: the floor every Java agent pays), and
# keepalive-agent with its cache of woven classes warm. Runs are interleaved (A B C A B C …) so a
# noisy machine hurts all alike; medians are reported, with the spread (p10–p90).
#
#   bench/startup.sh [runs]       default 40 runs per variant, on JDK 11, 17, 21 and 25 (bench/jdks.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${1:-40}
agent_jar=$root/agent/target/keepalive-agent.jar
[[ -f $agent_jar ]] || (cd "$root" && mvn -q -B package -DskipTests)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/hello" "$work/empty"
cat >"$work/hello/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] args) { System.out.println("hello"); } }
JAVA
cat >"$work/empty/EmptyAgent.java" <<'JAVA'
public class EmptyAgent { public static void premain(String args, java.lang.instrument.Instrumentation inst) { } }
JAVA
javac --release 11 -d "$work/hello" "$work/hello/Hello.java"
javac --release 11 -d "$work/empty" "$work/empty/EmptyAgent.java"
printf 'Premain-Class: EmptyAgent\n' >"$work/empty/manifest"
jar cfm "$work/empty-agent.jar" "$work/empty/manifest" -C "$work/empty" EmptyAgent.class
export XDG_CACHE_HOME=$work/cache

millis() { date +%s%N; }
measure() { # java variant -> ms
  local java=$1 variant=$2 start end
  case $variant in
    plain) start=$(millis); "$java" -cp "$work/hello" Hello >/dev/null; end=$(millis) ;;
    empty) start=$(millis); "$java" "-javaagent:$work/empty-agent.jar" -cp "$work/hello" Hello >/dev/null; end=$(millis) ;;
    agent) start=$(millis); "$java" "-javaagent:$agent_jar=log=warn" -cp "$work/hello" Hello >/dev/null; end=$(millis) ;;
  esac
  echo $(( (end - start) / 100000 )) # tenths of a millisecond
}
stats() { # values… -> "median p10 p90" in ms
  sort -n | awk '{v[NR]=$1} END {m=v[int((NR+1)/2)]; printf "%.1f %.1f %.1f\n", m/10, v[int(NR*0.1)+1]/10, v[int(NR*0.9)]/10}'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%F)"
for jdk in $("$here/jdks.sh"); do
  java=$jdk/bin/java
  [[ -x $java ]] || continue
  "$java" "-javaagent:$agent_jar=log=off" -cp "$work/hello" Hello >/dev/null # fills the cache
  for v in plain empty agent; do : >"$work/result-$v"; done
  for _ in 1 2 3; do for v in plain empty agent; do measure "$java" $v >/dev/null; done; done # warm the disk cache
  for _ in $(seq "$runs"); do
    for v in plain empty agent; do measure "$java" $v >>"$work/result-$v"; done
  done
  read -r p p10 p90 < <(stats <"$work/result-plain")
  read -r e e10 e90 < <(stats <"$work/result-empty")
  read -r a a10 a90 < <(stats <"$work/result-agent")
  echo "JDK $("$java" -version 2>&1 | head -1 | cut -d'"' -f2), $runs interleaved runs each, median (p10-p90) wall time of a Hello-world JVM:"
  printf '  plain JVM           %7.1f ms (%s-%s)\n' "$p" "$p10" "$p90"
  printf '  empty -javaagent    %7.1f ms (%s-%s)\n' "$e" "$e10" "$e90"
  printf '  keepalive-agent     %7.1f ms (%s-%s)\n' "$a" "$a10" "$a90"
  printf '  agent - empty agent %+7.1f ms   agent - plain %+7.1f ms   agent / plain %.2f\n' \
    "$(awk "BEGIN { print $a - $e }")" "$(awk "BEGIN { print $a - $p }")" "$(awk "BEGIN { printf \"%.2f\", $a / $p }")"
done
