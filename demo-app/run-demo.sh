#!/usr/bin/env bash
# The story in one command: a server vanishes without a word; a client without the agent waits
# forever, the same client with the agent is told within idle + intvl × cnt.
#
# As root (or with CAP_NET_ADMIN) it builds two network namespaces joined by a veth pair, runs the
# server in one and two clients in the other, then cuts the link. Otherwise it falls back to
# showing the keepalive timers on loopback.
#
#   demo-app/run-demo.sh                 idle=5,intvl=2,cnt=3 (about 20 s)
#   AGENT_ARGS=idle=10,intvl=2,cnt=5 demo-app/run-demo.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
agent_args=${AGENT_ARGS:-idle=5,intvl=2,cnt=3}
java=${JAVA:-java}
agent_jar=$root/agent/target/keepalive-agent.jar
demo_jar=$root/demo-app/target/demo-app.jar
port=7000

if [[ ! -f $agent_jar || ! -f $demo_jar || -n ${DEMO_REBUILD:-} ]]; then
  echo "== building the agent and the demo app (mvn -q -B package -DskipTests)"
  (cd "$root" && mvn -q -B package -DskipTests)
fi

settings() { # idle intvl cnt of $agent_args, as "idle intvl cnt"
  local idle=120 intvl=30 cnt=4 kv
  IFS=',' read -ra kv <<<"$agent_args"
  for pair in "${kv[@]}"; do
    case $pair in idle=*) idle=${pair#idle=} ;; intvl=*) intvl=${pair#intvl=} ;; cnt=*) cnt=${pair#cnt=} ;; esac
  done
  echo "${idle%s} ${intvl%s} ${cnt}"
}
read -r idle intvl cnt < <(settings)
bound=$((idle + intvl * cnt))

work=$(mktemp -d)
pids=()
ns_srv="" ns_cli=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n $ns_srv ]] && ip netns del "$ns_srv" 2>/dev/null || true
  [[ -n $ns_cli ]] && ip netns del "$ns_cli" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo; echo "== interrupted, cleaning up"; exit 130' INT TERM

show() { # prefix file: follow a log file, each line prefixed
  tail -n +1 -F "$2" 2>/dev/null | sed -u "s/^/$1 /" &
  pids+=($!)
}

can_namespace() {
  [[ $(id -u) -eq 0 ]] && command -v ip >/dev/null && ip netns add "ka-probe-$$" 2>/dev/null && ip netns del "ka-probe-$$"
}

if ! can_namespace; then
  echo "== no network namespaces here (needs root and iproute2: 'ip netns add' failed),"
  echo "   so the link cannot be cut; showing the keepalive timers on loopback instead."
  "$java" -jar "$demo_jar" server $port >"$work/server.log" 2>&1 & pids+=($!)
  sleep 1
  "$java" -jar "$demo_jar" client 127.0.0.1 $port >"$work/plain.log" 2>&1 & pids+=($!)
  "$java" "-javaagent:$agent_jar=$agent_args" -jar "$demo_jar" client 127.0.0.1 $port >"$work/agent.log" 2>&1 & pids+=($!)
  sleep 3
  cat "$work/plain.log" | sed 's/^/[without agent] /'
  cat "$work/agent.log" | sed 's/^/[with agent]    /'
  echo "== the kernel's view (ss -tno): only the client with the agent has a keepalive timer"
  ss -tno "( dport = :$port )" | sed 's/^/   /'
  exit 0
fi

ns_srv=ka-demo-srv-$$
ns_cli=ka-demo-cli-$$
srv_ip=10.231.$((RANDOM % 250)).1
cli_ip=${srv_ip%.1}.2
echo "== two network namespaces joined by a veth pair: server $ns_srv ($srv_ip), clients $ns_cli ($cli_ip)"
ip netns add "$ns_srv"
ip netns add "$ns_cli"
ip link add ka-srv-$$ netns "$ns_srv" type veth peer name ka-cli-$$ netns "$ns_cli"
ip -n "$ns_srv" addr add "$srv_ip/30" dev ka-srv-$$
ip -n "$ns_cli" addr add "$cli_ip/30" dev ka-cli-$$
ip -n "$ns_srv" link set ka-srv-$$ up
ip -n "$ns_cli" link set ka-cli-$$ up
ip -n "$ns_srv" link set lo up
ip -n "$ns_cli" link set lo up

ip netns exec "$ns_srv" "$java" -jar "$demo_jar" server $port >"$work/server.log" 2>&1 & pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/server.log" 2>/dev/null && break; sleep 0.2; done
show "[server]        " "$work/server.log"

echo "== two clients, the same unchanged app: one without the agent, one with -javaagent:keepalive-agent.jar=$agent_args"
ip netns exec "$ns_cli" "$java" -jar "$demo_jar" client "$srv_ip" $port >"$work/plain.log" 2>&1 & pids+=($!)
plain_pid=$!
ip netns exec "$ns_cli" "$java" "-javaagent:$agent_jar=$agent_args" -jar "$demo_jar" client "$srv_ip" $port >"$work/agent.log" 2>&1 & pids+=($!)
agent_pid=$!
show "[without agent] " "$work/plain.log"
show "[with agent]    " "$work/agent.log"
for _ in $(seq 100); do
  [[ $(grep -c "waiting in read" "$work/plain.log" "$work/agent.log" | grep -c ':1$') -eq 2 ]] && break
  sleep 0.2
done
sleep 0.5

kernel_view() {
  ip netns exec "$ns_cli" ss -tno state established "( dport = :$port )" | tail -n +2 | while read -r line; do
    timer=$(grep -o 'timer:([^)]*)' <<<"$line" || echo "no timer")
    if [[ $timer =~ ^timer:\(keepalive,([^,]*),([0-9]+)\)$ ]]; then
      # ss prints a time above one second as "4.368ms", meaning 4.368 s
      when=${BASH_REMATCH[1]} probes=${BASH_REMATCH[2]}
      [[ $when =~ ^([0-9]+)\.([0-9]+)ms$ ]] && when="${BASH_REMATCH[1]}.${BASH_REMATCH[2]:0:1}s"
      timer="$timer  (keepalive timer fires in $when; unanswered probes so far: $probes)"
    fi
    local_port=$(awk '{print $3}' <<<"$line")
    echo "   [kernel] $local_port -> $srv_ip:$port  $timer"
  done
}
echo "== the kernel's view of both connections (ss -tno): the idle countdown, then probes sent so far"
for _ in 1 2; do kernel_view; sleep 1; done

echo "== cutting the link: the server's side of the cable goes down, without a FIN or a reset"
ip -n "$ns_srv" link set ka-srv-$$ down
cut=$(date +%s.%N)

while kill -0 "$agent_pid" 2>/dev/null; do
  kernel_view
  now=$(date +%s.%N)
  if awk -v now="$now" -v cut="$cut" -v bound="$bound" 'BEGIN { exit !(now - cut > bound + 30) }'; then
    echo "== the client with the agent is still blocked $bound + 30 s after the cut: something is wrong"
    exit 1
  fi
  sleep 1
done
detected=$(date +%s.%N)
sleep 0.3
elapsed=$(awk -v a="$detected" -v b="$cut" 'BEGIN { printf "%.3f", a - b }')
printf '== the client with the agent was told after %.1f s (bound: idle + intvl × cnt = %s + %s × %s = %s s, counted from the last packet)\n' \
  "$elapsed" "$idle" "$intvl" "$cnt" "$bound"
if kill -0 "$plain_pid" 2>/dev/null; then
  echo "== the client without the agent is still blocked in read(), its connection ESTABLISHED with no timer:"
  kernel_view
  echo "   with the kernel's defaults it would notice after 7200 + 75 × 9 = 7875 s (2 h 11 min), if it had keepalive on at all;"
  echo "   without keepalive, never."
fi
echo "DEMO-RESULT detected_after_s=$elapsed bound_s=$bound plain_client_still_blocked=$(kill -0 "$plain_pid" 2>/dev/null && echo yes || echo no)"
