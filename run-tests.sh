#!/usr/bin/env bash
# The whole test suite: build, unit tests, and the integration tests (forked JVMs started with
# -javaagent:) on JDK 17 and again on JDK 25. Network-namespace tests need root and iproute2;
# without them they skip with the reason, except under CI=true, where they must run.
set -euo pipefail
cd "$(dirname "$0")"

jdk25=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

echo "== mvn verify (build on $(java -version 2>&1 | head -1); integration tests fork the same JDK)"
mvn -B verify

if [[ -x $jdk25/bin/java ]]; then
  echo "== integration tests again, forking JDK 25 ($jdk25)"
  mvn -B verify -Dkeepalive.test.javaHome="$jdk25"
elif [[ ${CI:-} == true ]]; then
  echo "JDK 25 not found at $jdk25 (set JDK25_HOME); under CI the JDK 25 pass is required" >&2
  exit 1
else
  echo "== JDK 25 not found at $jdk25 (set JDK25_HOME): JDK 25 pass skipped"
fi
