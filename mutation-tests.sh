#!/usr/bin/env bash
# Mutation testing (PIT) of the unit-tested packages: config, diagnose and the pure parts of tune.
# Takes a few minutes, so it is not part of ./run-tests.sh. Prints the score per package; the full
# report is agent/target/pit-reports/index.html.
set -euo pipefail
cd "$(dirname "$0")"

mvn -B -q -pl agent -am -Pmutation test-compile org.pitest:pitest-maven:mutationCoverage -DskipTests=false
# mutations.xml: one line a mutation, <mutation detected='..' status='..'> with its <mutatedClass>.
awk '
  /<mutation / { status = $0; sub(/.*status=./, "", status); sub(/[^A-Z_].*/, "", status) }
  /<mutatedClass>/ {
    cls = $0; sub(/.*<mutatedClass>/, "", cls); sub(/<\/mutatedClass>.*/, "", cls)
    pkg = cls; sub(/\.[^.]*$/, "", pkg); sub(/\$.*/, "", pkg)
    total[pkg]++; if (status == "KILLED" || status == "TIMED_OUT" || status == "MEMORY_ERROR") killed[pkg]++
    if (status == "SURVIVED" || status == "NO_COVERAGE") left[pkg]++
  }
  END {
    for (p in total) { printf "%-32s %4d mutants, %4d killed, %3d survived or not covered: %5.1f %%\n", p, total[p], killed[p], left[p], 100 * killed[p] / total[p] }
  }' agent/target/pit-reports/mutations.xml | sort
