#!/usr/bin/env bash
# The whole test suite: build, unit tests, and the integration tests (forked JVMs started with
# -javaagent:) on JDK 17, then again forking JDK 8, 11, 21 and 25 (8, 11 and 21 from Debian's
# packages, fetched once by scripts/fetch-jdks.sh; 25 from $JDK25_HOME or /usr/lib/jvm).
# Network-namespace tests need root and iproute2; without them they skip with the reason, except
# under CI=true, where they must run, as must every JDK pass.
# After each pass it prints how many tests were skipped and why; under CI a skipped test fails the run.
# After the first pass, a second build from a copy of the sources must give the same jar.
set -euo pipefail
cd "$(dirname "$0")"

jdk25=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

# Skipped tests of the last Maven run, from Surefire's and Failsafe's XML reports: a count, then one
# line each with its reason. Under CI=true a skip is a failure (network namespaces, a missing JDK...),
# but for a test of a feature the forked JDK does not have ("not on JDK 17: virtual threads need JDK 21").
report_skipped() {
  local pass=$1 skipped="" reports
  reports=$(compgen -G 'agent/target/*-reports/TEST-*.xml' || true)
  [[ -n $reports ]] && skipped=$(awk '
    /<testcase / {
      name = $0; sub(/.*<testcase[^>]* name="/, "", name); sub(/".*/, "", name)
      cls = $0; sub(/.*classname="/, "", cls); sub(/".*/, "", cls)
    }
    /<skipped/ {
      why = $0
      if (why ~ /message="/) { sub(/.*message="/, "", why); sub(/".*/, "", why) }
      else if (why ~ /CDATA\[[^:]*Exception: /) { sub(/.*CDATA\[[^:]*Exception: /, "", why) }
      else { why = "(no reason given)" }
      gsub(/&quot;/, "\"", why); gsub(/&apos;/, "'"'"'", why); gsub(/&lt;/, "<", why); gsub(/&gt;/, ">", why); gsub(/&amp;/, "\\&", why)
      print "   " cls "#" name ": " why
    }' $reports)
  local count=0
  [[ -n $skipped ]] && count=$(printf '%s\n' "$skipped" | wc -l)
  echo "== $pass: $count test(s) skipped"
  [[ -n $skipped ]] && printf '%s\n' "$skipped"
  # A test for a later JDK's feature (virtual threads) says "not on JDK N"; any other skip fails under CI.
  local unexpected=0
  [[ -n $skipped ]] && unexpected=$(printf '%s\n' "$skipped" | grep -vc ': not on JDK [0-9]*:' || true)
  if [[ ${CI:-} == true && $unexpected -gt 0 ]]; then
    echo "under CI=true no test may be skipped but for a JDK without the feature it tests: $unexpected were" >&2
    exit 1
  fi
}

# The other JDKs the agent runs on, from Debian's packages.
declare -A jdk=()
if fetched=$(scripts/fetch-jdks.sh 8 11 21); then
  while read -r version home; do jdk[$version]=$home; done <<< "$fetched"
elif [[ ${CI:-} == true ]]; then
  echo "could not fetch JDKs 8, 11 and 21 (scripts/fetch-jdks.sh); under CI every JDK pass is required" >&2
  exit 1
else
  echo "== could not fetch JDKs 8, 11 and 21 (scripts/fetch-jdks.sh above says why): their passes are skipped"
fi
[[ -x $jdk25/bin/java ]] && jdk[25]=$jdk25

echo "== mvn verify (build on $(java -version 2>&1 | head -1); integration tests fork the same JDK)"
mvn -B verify
report_skipped "JDK $(java -version 2>&1 | head -1 | awk -F'"' '{print $2}')"
scripts/check-reproducible.sh

for version in 8 11 21 25; do
  if [[ -n ${jdk[$version]:-} ]]; then
    echo "== integration tests again, forking JDK $version (${jdk[$version]})"
    mvn -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dkeepalive.test.javaHome="${jdk[$version]}"
    report_skipped "JDK $version (integration tests)"
  elif [[ ${CI:-} == true ]]; then
    echo "JDK $version not found; under CI every JDK pass is required" >&2
    exit 1
  else
    echo "== JDK $version not found: its pass is skipped"
  fi
done
