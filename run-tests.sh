#!/usr/bin/env bash
# The whole test suite: build, unit tests, and the integration tests (forked JVMs started with
# -javaagent:) on JDK 17 and again on JDK 25. Network-namespace tests need root and iproute2;
# without them they skip with the reason, except under CI=true, where they must run.
# After each pass it prints how many tests were skipped and why; under CI a skipped test fails the run.
set -euo pipefail
cd "$(dirname "$0")"

jdk25=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

# Skipped tests of the last Maven run, from Surefire's and Failsafe's XML reports: a count, then one
# line each with its reason. Under CI=true any skip is a failure: there every test must run.
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
      if (why ~ /message="/) { sub(/.*message="/, "", why); sub(/".*/, "", why) } else { why = "(no reason given)" }
      gsub(/&quot;/, "\"", why); gsub(/&apos;/, "'"'"'", why); gsub(/&lt;/, "<", why); gsub(/&gt;/, ">", why); gsub(/&amp;/, "\\&", why)
      print "   " cls "#" name ": " why
    }' $reports)
  local count=0
  [[ -n $skipped ]] && count=$(printf '%s\n' "$skipped" | wc -l)
  echo "== $pass: $count test(s) skipped"
  [[ -n $skipped ]] && printf '%s\n' "$skipped"
  if [[ ${CI:-} == true && $count -gt 0 ]]; then
    echo "under CI=true no test may be skipped (network-namespace tests included): $count were" >&2
    exit 1
  fi
}

echo "== mvn verify (build on $(java -version 2>&1 | head -1); integration tests fork the same JDK)"
mvn -B verify
report_skipped "JDK $(java -version 2>&1 | head -1 | awk -F'"' '{print $2}')"

if [[ -x $jdk25/bin/java ]]; then
  echo "== integration tests again, forking JDK 25 ($jdk25)"
  mvn -B verify -Dkeepalive.test.javaHome="$jdk25"
  report_skipped "JDK 25 (integration tests)"
elif [[ ${CI:-} == true ]]; then
  echo "JDK 25 not found at $jdk25 (set JDK25_HOME); under CI the JDK 25 pass is required" >&2
  exit 1
else
  echo "== JDK 25 not found at $jdk25 (set JDK25_HOME): JDK 25 pass skipped"
fi
