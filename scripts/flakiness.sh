#!/usr/bin/env bash
# Flakiness measured, not hidden: runs integration test classes N times, each run's reports apart, and prints
# each test's failure rate, the flakiest first. No retries anywhere: a test that fails 1 run in 20 here fails
# CI as often.
#
#   scripts/flakiness.sh N [CLASSES] [JAVA_HOME]
#   scripts/flakiness.sh 20 'DoctorIT,RescueIT,NonEventsIT'      JDK 17 (the machine's), these classes
#   scripts/flakiness.sh 5 '' /usr/lib/jvm/temurin-25-jdk-amd64  the whole integration suite on JDK 25
#
# Builds first if there is no jar. Within a run the classes go side by side, as in ./run-tests.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:?usage: scripts/flakiness.sh N [CLASSES] [JAVA_HOME]}
classes=${2:-}
java_home=${3:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
out=agent/target/flakiness
[[ -f agent/target/keepalive-agent.jar && -d agent/target/test-classes ]] || mvn -B -q verify -DskipTests -DskipITs || exit 1
rm -rf "$out"
scripts/sweep-test-namespaces.sh
for run in $(seq "$runs"); do
  selection=()
  [[ -n $classes ]] && selection=(-Dit.test="$classes")
  mvn -B -q -pl agent failsafe:integration-test "${selection[@]}" -Dkeepalive.test.javaHome="$java_home" \
    -Dkeepalive.it.reports="$PWD/$out/run-$run" > "$out.run-$run.log" 2>&1
  exit=$?
  read -r tests failed _ < <(scripts/junit-reports.sh counts "$out/run-$run")
  echo "== run $run of $runs: $tests tests, $failed failure(s)$([[ $exit -ne 0 && $failed -eq 0 ]] && echo ", but Maven exited $exit: a fork killed or no test run?") (log: $out.run-$run.log)"
done
echo "== failure rate per test over $runs run(s) on $java_home"
scripts/junit-reports.sh rates "$out"/run-*
