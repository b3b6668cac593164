#!/usr/bin/env bash
# Start-up a real service feels: a Javalin (Jetty) web app that reads Redis through Lettuce (Netty) at start
# and per request (bench/real-app), timed from exec to its first HTTP 200, with the process's CPU time at
# that moment. Each variant is started in pairs with the empty agent (a premain that does nothing, the floor
# every Java agent pays), back to back, the order alternating, and reported as the median of the paired
# differences with a 95% interval (distribution-free, from the sign test's order statistics): no agent,
# this agent with its cache warm and cold (an empty cache, as in a new pod), and the OpenTelemetry agent for
# scale; on two CPUs and pinned to one (taskset -c 0); on JDK 17 and 25 (the counted figures first, on JDK 8,
# 11, 17, 21, 25 and 27). Where an interval is wider than a target allows, it says so instead of a verdict.
#
#   bench/real-app.sh [pairs]    default 15 pairs per variant, 5 for OpenTelemetry (OTEL_PAIRS); about 30 minutes
#                                (needs redis-server: apt-get install redis-server)
#   BENCH_JDKS="/usr/lib/jvm/java-17-openjdk-amd64" bench/real-app.sh 5    one JDK, a quick look
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
pairs=${1:-15}
# The OpenTelemetry agent is there for scale: its difference is a hundred times the targets, and each of its
# starts takes seconds more, so it gets fewer pairs.
otel_pairs=${OTEL_PAIRS:-5}
agent_jar=$root/agent/target/keepalive-agent.jar
otel_version=2.33.1
[[ -f $agent_jar ]] || (cd "$root" && mvn -q -B package -DskipTests)
command -v redis-server >/dev/null || { echo "needs redis-server: apt-get install redis-server" >&2; exit 2; }
(cd "$here/real-app" && mvn -q -B package)
app_classpath="$here/real-app/target/real-app.jar:$here/real-app/target/lib/*"

work=$(mktemp -d)
redis_port=$((16380 + RANDOM % 1000))
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true; pkill -f "bench.Orders [0-9]+ $redis_port" 2>/dev/null || true; rm -rf "$work"' EXIT

empty_agent=$("$here/empty-agent.sh" "$work")
otel=$root/agent/target/other-agents/opentelemetry-javaagent.jar
if [[ ! -f $otel ]]; then
  (cd "$work" && mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$otel_version" -DoutputDirectory="$work" -Dmdep.stripVersion=true)
  otel=$work/opentelemetry-javaagent.jar
fi
ticks=$(getconf CLK_TCK)
http_port=18100

# One start of the service: "WALL CPU" in milliseconds, exec to first 200 and the process's CPU then.
start() { # java variant cpus
  local java=$1 variant=$2 cpus=$3 pin=() agent=() environment=() pid begin end stat
  [[ $cpus == 1 ]] && pin=(taskset -c 0)
  case $variant in
    none) ;;
    empty) agent=("-javaagent:$empty_agent") ;;
    warm) agent=("-javaagent:$agent_jar=cache=$work/warm-$(basename "$(dirname "$(dirname "$java")")")") ;;
    cold) agent=("-javaagent:$agent_jar=cache=$work/cold/$RANDOM$RANDOM") ;;
    otel) agent=("-javaagent:$otel")
          environment=(OTEL_TRACES_EXPORTER=none OTEL_METRICS_EXPORTER=none OTEL_LOGS_EXPORTER=none) ;;
  esac
  http_port=$((http_port >= 18900 ? 18100 : http_port + 1))
  begin=$(date +%s%N)
  env "${environment[@]}" "${pin[@]}" "$java" "${agent[@]}" -cp "$app_classpath" bench.Orders "$http_port" "$redis_port" \
    >/dev/null 2>"$work/service.err" &
  pid=$!
  until curl -sf --max-time 2 -o /dev/null "http://127.0.0.1:$http_port/"; do
    kill -0 "$pid" 2>/dev/null || { echo "the service died ($variant on $java):" >&2; tail -5 "$work/service.err" >&2; return 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  read -r -a stat < /proc/$pid/stat
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  # utime and stime (fields 14 and 15; the name in field 2 has no space here: "java").
  echo "$(((end - begin) / 1000000)) $(((stat[13] + stat[14]) * 1000 / ticks))"
}

# Median and 95% interval of the values on stdin: the order statistics the sign test gives (k-th smallest
# and largest, with P(Binomial(n, 1/2) < k) <= 2.5%), so no assumption on their distribution.
interval() {
  sort -n | awk '{v[NR] = $1} END {
    n = NR; m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    p = 0.5 ^ n; cdf = p; k = 0
    while (k + 1 <= n && cdf <= 0.025) { k++; p = p * (n - k + 1) / k; cdf += p }
    if (k < 1) printf "%+.0f [n too small]", m; else printf "%+.0f [%+.0f, %+.0f]", m, v[k], v[n - k + 1]
  }'
}

# "met", "missed" or "unresolved" for an interval against a target, both in ms.
verdict() { # "median [low, high]" target
  awk -v text="$1" -v target="$2" 'BEGIN {
    if (text ~ /too small/) { print "unresolved (too few pairs for an interval)"; exit }
    gsub(/[\[\],]/, " ", text); split(text, f, " ")
    if (f[3] + 0 <= target) print "met"; else if (f[2] + 0 > target) print "missed";
    else printf "unresolved (interval %s to %s ms is wider than the target of %d ms allows)\n", f[2], f[3], target
  }'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%F)"
echo "service: Javalin 7.2.3 (Jetty 12) + Lettuce 7.7.0 (Netty) reading Redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-); $pairs pairs per variant ($otel_pairs for OpenTelemetry)"
jdks=${BENCH_JDKS:-/usr/lib/jvm/java-17-openjdk-amd64 ${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}
echo
echo "== counted, not timed (bench/counted.sh), on every JDK the issue names (COUNTED_JDKS)"
BENCH_JDKS=${COUNTED_JDKS:-$("$here/jdks.sh" 8 11 17 21 25 27)} "$here/counted.sh" 5
echo
echo "== the real service, paired with the empty agent"
variants=(none warm cold otel)
for jdk in $jdks; do
  java=$jdk/bin/java
  [[ -x $java ]] || { echo "no JDK at $jdk" >&2; continue; }
  version=$("$java" -version 2>&1 | head -1 | cut -d'"' -f2)
  start "$java" warm 2 >/dev/null # fills the warm cache
  for cpus in 2 1; do
    for v in empty "${variants[@]}"; do start "$java" "$v" "$cpus" >/dev/null; done # the disk cache
    rm -f "$work"/d-* "$work"/base-*
    for pair in $(seq "$pairs"); do
      for v in "${variants[@]}"; do
        [[ $v == otel && $pair -gt $otel_pairs ]] && continue
        if ((pair % 2)); then
          read -r ew ec < <(start "$java" empty "$cpus"); read -r vw vc < <(start "$java" "$v" "$cpus")
        else
          read -r vw vc < <(start "$java" "$v" "$cpus"); read -r ew ec < <(start "$java" empty "$cpus")
        fi
        echo $((vw - ew)) >>"$work/d-$v-wall"; echo $((vc - ec)) >>"$work/d-$v-cpu"
        echo "$ew" >>"$work/base-wall"; echo "$ec" >>"$work/base-cpu"
      done
    done
    echo
    echo "JDK $version, $([[ $cpus == 1 ]] && echo "1 CPU (taskset -c 0)" || echo "2 CPUs"): the empty agent's own start, median: first 200 after" \
      "$(sort -n "$work/base-wall" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}') ms, CPU $(sort -n "$work/base-cpu" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}') ms"
    printf '  %-30s %-32s %s\n' "minus the empty agent (ms)" "wall to first 200, median [95%]" "process CPU at it, median [95%]"
    for v in "${variants[@]}"; do
      case $v in none) name="no agent" ;; warm) name="keepalive-agent, cache warm" ;; cold) name="keepalive-agent, cache cold" ;;
                 otel) name="OpenTelemetry agent $otel_version" ;; esac
      cpu_interval=$(interval <"$work/d-$v-cpu")
      printf '  %-30s %-32s %s\n' "$name" "$(interval <"$work/d-$v-wall")" "$cpu_interval"
      if [[ $cpus == 1 && $v == warm ]]; then echo "    target: CPU warm <= 50 ms on one CPU: $(verdict "$cpu_interval" 50)"; fi
      if [[ $cpus == 1 && $v == cold ]]; then echo "    target: CPU cold <= 150 ms on one CPU: $(verdict "$cpu_interval" 150)"; fi
    done
  done
done
