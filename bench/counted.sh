#!/usr/bin/env bash
# What the agent adds to a JVM's start that can be counted rather than timed, so no noise hides it: the
# classes it loads (its own and the JDK's it brings in), the bytes the process reads, the JDK classes it
# weaves and how many of them come from its cache, and the CPU time of its own start-up thread (the
# kernel's schedstat, in nanoseconds). Per JDK, warm (cache filled) and cold (an empty cache, as in a new
# pod), each over a Hello world with an empty -javaagent that waits until the agent's hooks are live.
#
#   bench/counted.sh            on JDK 8, 11, 17, 21 and 25 (bench/jdks.sh), 5 runs each for the CPU's median
#   BENCH_JDKS="/usr/lib/jvm/java-17-openjdk-amd64" bench/counted.sh 3
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${1:-5}
agent_jar=$root/agent/target/keepalive-agent.jar
[[ -f $agent_jar ]] || (cd "$root" && mvn -q -B package -DskipTests)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
hello=$("$here/hello.sh" "$work")
empty_agent=$("$here/empty-agent.sh" "$work")

# One start: prints "classes OWN OTHER read BYTES woven N cached M cpu MS" (agent) or "classes 0 OTHER read BYTES" (empty).
start() { # java feature variant log
  local java=$1 feature=$2 variant=$3 log=$4 agent classlog out await=await
  if [[ $feature -ge 9 ]]; then classlog=("-Xlog:class+load=info:file=$log"); else classlog=(-verbose:class); fi
  case $variant in
    empty) agent="-javaagent:$empty_agent" await= ;;
    warm) agent="-javaagent:$agent_jar=log=debug,cache=$work/warm" ;;
    cold) agent="-javaagent:$agent_jar=log=debug,cache=$work/cold-$RANDOM$RANDOM" ;;
  esac
  out=$("$java" "${classlog[@]}" "$agent" -cp "$hello" Hello $await io 2>"$log.err")
  [[ $feature -ge 9 ]] || grep '^\[Loaded ' <<< "$out" > "$log" || true
  local own other
  own=$(grep -c 'dev\.keepaliveagent\.' "$log" || true)
  other=$(grep -E -c '^\[(Loaded |[0-9.]+s\]\[info\]\[class,load\] )' "$log" || true)
  other=$((other - own))
  printf 'classes %s %s read %s' "$own" "$other" "$(sed -n 's/^read //p' <<< "$out")"
  if [[ $variant != empty ]]; then
    sed -n 's/.*hooked (start-up took .*, \([0-9]*\) of \([0-9]*\) classes from the cache).*/ woven \2 cached \1/p' "$log.err" | head -1 | tr -d '\n'
    sed -n 's/.*CPU of this thread ([^)]*): \([0-9.]*\) ms.*/ cpu \1/p' "$log.err" | head -1 | tr -d '\n'
  fi
  echo
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

echo "machine: $(nproc) cores, $(date -u +%F); counted over a Hello world with an empty agent, until the agent's hooks are live"
printf '%-8s %-5s %12s %14s %14s %16s %12s %22s\n' JDK cache "own classes" "JDK classes +" "bytes read +" "woven (cached)" "JVM classes" "its thread's CPU (median of $runs)"
declare -A phases=()
for jdk in ${BENCH_JDKS:-$("$here/jdks.sh")}; do
  java=$jdk/bin/java
  [[ -x $java ]] || continue
  version=$("$java" -version 2>&1 | head -1 | cut -d'"' -f2)
  feature=${version%%.*}; [[ $feature == 1 ]] && feature=8
  "$java" "-javaagent:$agent_jar=log=off,cache=$work/warm" -cp "$hello" Hello await >/dev/null 2>&1 # fills the warm cache
  read -r _ _ empty_other _ empty_read < <(start "$java" "$feature" empty "$work/empty.log")
  for variant in warm cold; do
    cpus=()
    for run in $(seq "$runs"); do
      read -r _ own other _ bytes _ woven _ cached _ cpu < <(start "$java" "$feature" "$variant" "$work/$variant.log")
      cpus+=("${cpu:-?}")
    done
    printf '%-8s %-5s %12s %14s %14s %16s %12s %22s\n' "$version" "$variant" "$own" "$((other - empty_other))" \
      "$((bytes - empty_read))" "$woven ($cached)" "$((own + other))" "$(printf '%s\n' "${cpus[@]}" | median) ms"
    phases[$variant]=$(grep -o 'start-up phases: .*' "$work/$variant.log.err" | sed 's/start-up phases: //; s/; CPU of this thread.*//' || true)
  done
  for variant in warm cold; do
    echo "         $variant, where the agent's start-up time went (wall, last run): ${phases[$variant]}"
  done
done
echo "own classes: the agent's and its relocated ASM (Byte Buddy's) and tinylog; JDK classes +: those the JVM loaded beyond the"
echo "empty agent's run (the agent's work brings them in); bytes read +: /proc/self/io rchar beyond it (the jar, the cache);"
echo "woven: JDK classes woven at start-up, of which from the cache; its thread's CPU: the agent's start-up thread, whole."
