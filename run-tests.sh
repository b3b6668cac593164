#!/usr/bin/env bash
# The whole test suite: build and unit tests once (JDK 17, the machine's), the release's dry run (reproducible,
# checked artifacts and image), then
# the integration tests (forked JVMs started with -javaagent:) once per JDK a fleet runs: 17 and 25 (the
# machine's; 25 from $JDK25_HOME or /usr/lib/jvm), then 8, 11, 21, 26, 27 and 28's early access (from Debian's
# packages, fetched once by scripts/fetch-jdks.sh, in the background while the first passes run). Within a pass the test classes run side by
# side, each in a JVM of its own (agent/pom.xml: keepalive.it.forks).
#
#   ./run-tests.sh                 everything
#   JDKS="17 25" ./run-tests.sh    the integration tests on these JDKs only (not under CI)
#
# Every pass runs, whatever an earlier one did; each keeps its reports apart
# (agent/target/it-reports/jdk-N); a table of all passes closes the run, which then exits non-zero if any
# pass failed. Network-namespace tests need root and iproute2; without them they skip with the reason,
# except under CI=true, where they must run, as must every JDK's pass, and a skip is a failure but for a
# test of a feature the forked JDK does not have ("not on JDK 17: virtual threads need JDK 21"). A failure
# on a JDK that does not gate (28's early access, whose build changes under us) is
# reported as one, in the table and at the end, without failing the run.
set -uo pipefail
cd "$(dirname "$0")"

jdk25=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# The machine's own JDKs first: the others are fetched meanwhile.
all_jdks=(17 25 8 11 21 26 27 28)
# Not gating: 28, an early-access build whose behaviour changes under us. Its pass runs and is reported.
early_access=(28)
not_gating=(28)
reports=agent/target/it-reports
rows=()
failed=0
ea_failed=()

is_early_access() { local v; for v in "${early_access[@]}"; do [[ $v == "$1" ]] && return 0; done; return 1; }
is_gating() { local v; for v in "${not_gating[@]}"; do [[ $v == "$1" ]] && return 1; done; return 0; }
label() { if is_early_access "$1"; then echo "$1-ea"; else echo "$1"; fi; }

# Tests run, failed (failures and errors) and skipped in the JUnit XML reports under DIR.
counts() { scripts/junit-reports.sh counts "$1"; }

# The skipped tests under DIR, one line each with its reason; returns how many were not of the
# "not on JDK N" kind.
list_skipped() {
  local skipped
  skipped=$(scripts/junit-reports.sh skipped "$1")
  [[ -n $skipped ]] || return 0
  printf '%s\n' "$skipped"
  return "$(printf '%s\n' "$skipped" | grep -vc ': not on JDK [0-9]*:' || true)"
}

# Records one pass: NAME, its JUnit reports' directory, Maven's exit code, its seconds, whether it gates.
record() {
  local name=$1 dir=$2 exit=$3 seconds=$4 gates=${5:-yes} run failures skipped verdict unexpected=0
  read -r run failures skipped < <(counts "$dir")
  echo "== $name: $run run, $failures failed, $skipped skipped"
  list_skipped "$dir" || unexpected=$?
  verdict=passed
  if [[ $exit -ne 0 || $failures -gt 0 || $run -eq 0 ]]; then
    verdict=FAILED
  elif [[ ${CI:-} == true && $unexpected -gt 0 ]]; then
    verdict="FAILED (under CI=true no test may skip but for a JDK without the feature: $unexpected did)"
  fi
  if [[ $verdict != passed ]]; then
    if [[ $gates != yes ]]; then
      verdict="$verdict (reported, not gating)"
      ea_failed+=("$name")
    else
      failed=1
    fi
  fi
  rows+=("$(printf '%-28s %6s %7s %8s %6dm%02ds  %s' "$name" "$run" "$failures" "$skipped" $((seconds / 60)) $((seconds % 60)) "$verdict")")
}

missing() { # NAME, why, gates: a pass that could not run
  if [[ ${CI:-} == true && ${3:-yes} == yes ]]; then failed=1; fi
  rows+=("$(printf '%-28s %6s %7s %8s %9s  %s' "$1" - - - - "NOT RUN: $2")")
}

scripts/sweep-test-namespaces.sh

jdks=("${all_jdks[@]}")
if [[ -n ${JDKS:-} ]]; then
  [[ ${CI:-} == true ]] && { echo "JDKS is not for CI: every JDK's pass is required there" >&2; exit 2; }
  read -ra jdks <<< "$JDKS"
fi

# The other JDKs the agent runs on, from Debian's packages.
declare -A home=([17]=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")"))
[[ -x $jdk25/bin/java ]] && home[25]=$jdk25
wanted=()
for v in "${jdks[@]}"; do [[ $v == 17 || $v == 25 ]] || wanted+=("$v"); done
# Fetched in the background while the build, the unit tests and the passes on the machine's JDKs run (a
# fresh machine downloads and unpacks them: 2.5 min); the first pass that needs one waits for the fetch.
fetch_log=$(mktemp)
fetch_out=$(mktemp)
trap 'rm -f "$fetch_log" "$fetch_out"' EXIT
fetch_pid=
if [[ ${#wanted[@]} -gt 0 ]]; then
  scripts/fetch-jdks.sh "${wanted[@]}" > "$fetch_out" 2> "$fetch_log" &
  fetch_pid=$!
fi
await_fetch() {
  [[ -n $fetch_pid ]] || return 0
  local status=0 fetched_version fetched_home
  wait "$fetch_pid" || status=$?
  fetch_pid=
  if [[ $status -eq 0 ]]; then
    echo "== fetched JDKs ${wanted[*]} (scripts/fetch-jdks.sh, in the background)"
    while read -r fetched_version fetched_home; do
      [[ -n $fetched_version ]] && home[$fetched_version]=$fetched_home
    done < "$fetch_out"
  else
    cat "$fetch_log"
    echo "== could not fetch JDKs ${wanted[*]} (scripts/fetch-jdks.sh above says why)"
  fi
}

echo "== build and unit tests (mvn verify on $(java -version 2>&1 | head -1), integration tests after, per JDK)"
start=$SECONDS
mvn -B clean verify -DskipITs
build=$?
record "unit tests (JDK 17)" agent/target/surefire-reports $build $((SECONDS - start))
if [[ $build -ne 0 ]]; then
  echo "the build or its unit tests failed: no jar to run the integration tests with" >&2
  printf '%s\n' "${rows[@]}"
  [[ -z $fetch_pid ]] || kill "$fetch_pid" 2>/dev/null
  exit 1
fi

# The release's dry run, on the build just made: the artifact set and the init container's image, checked (a
# second build gives the same bytes, every class relocated, the POM, the SBOM, the image's install run).
release_needs=$(scripts/release.sh --missing-tools)
if [[ -n $release_needs ]]; then
  echo "== release dry run: not run, this machine lacks $release_needs (apt-get install $release_needs; .ci/run does)"
  missing "release dry run" "needs $release_needs"
else
  echo "== release dry run (scripts/release.sh --dry-run --reuse-build)"
  start=$SECONDS
  scripts/release.sh --dry-run --reuse-build
  release=$?
  [[ $release -eq 0 ]] || failed=1
  rows+=("$(printf '%-28s %6s %7s %8s %6dm%02ds  %s' "release dry run" - - - $(((SECONDS - start) / 60)) $(((SECONDS - start) % 60)) \
    "$([[ $release -eq 0 ]] && echo passed || echo FAILED)")")
fi

rm -rf "$reports"
for version in "${jdks[@]}"; do
  name="integration, JDK $(label "$version")"
  [[ $version == 17 || $version == 25 ]] || await_fetch
  if [[ -z ${home[$version]:-} || ! -x ${home[$version]}/bin/java ]]; then
    echo "== JDK $version not found: its pass cannot run"
    missing "$name" "JDK $version not found" "$(is_gating "$version" && echo yes || echo no)"
    continue
  fi
  echo "== integration tests forking JDK $(label "$version") (${home[$version]})"
  start=$SECONDS
  mvn -B -pl agent failsafe:integration-test failsafe:verify \
    -Dkeepalive.test.javaHome="${home[$version]}" -Dkeepalive.it.reports="$PWD/$reports/jdk-$version"
  record "$name" "$reports/jdk-$version" $? $((SECONDS - start)) "$(is_gating "$version" && echo yes || echo no)"
done

echo
echo "== results ($(date -u +%Y-%m-%dT%H:%MZ), $((SECONDS / 60)) min in all; reports in $reports/jdk-N)"
printf '%-28s %6s %7s %8s %9s  %s\n' pass run failed skipped time verdict
printf '%s\n' "${rows[@]}"
if [[ ${#ea_failed[@]} -gt 0 ]]; then
  echo "== failed on a JDK that does not gate the run (see the comment at not_gating): ${ea_failed[*]}"
fi
if [[ $failed -ne 0 ]]; then
  echo "== FAILED: see the table above"
  exit 1
fi
echo "== all passes passed"
