#!/usr/bin/env bash
# Mutation testing (PIT) of the unit-tested packages: config, diagnose, and the pure parts of lifecycle and tune.
# Takes a few minutes, so it is not part of ./run-tests.sh. Writes the score per package, as this run
# measured it, to docs/mutation-score.md (the figures docs and README point to, never typed by hand),
# and fails if a package scores below its floor here. The full report: agent/target/pit-reports/index.html.
set -euo pipefail
cd "$(dirname "$0")"

# The floor of each package's score, in per cent: what the suite killed when the floor was set, less a
# little. Raise it when the score rises; lowering it needs a reason in the commit.
declare -A floor=([dev.keepaliveagent.config]=88 [dev.keepaliveagent.diagnose]=97 [dev.keepaliveagent.lifecycle]=77 [dev.keepaliveagent.tune]=50)

mvn -B -q -pl agent -am -Pmutation test-compile org.pitest:pitest-maven:mutationCoverage -DskipTests=false
# mutations.xml: one line a mutation, <mutation detected='..' status='..'> with its <mutatedClass>.
scores=$(awk '
  /<mutation / { status = $0; sub(/.*status=./, "", status); sub(/[^A-Z_].*/, "", status) }
  /<mutatedClass>/ {
    cls = $0; sub(/.*<mutatedClass>/, "", cls); sub(/<\/mutatedClass>.*/, "", cls)
    pkg = cls; sub(/\.[^.]*$/, "", pkg); sub(/\$.*/, "", pkg)
    total[pkg]++; if (status == "KILLED" || status == "TIMED_OUT" || status == "MEMORY_ERROR") killed[pkg]++
  }
  END { for (p in total) printf "%s %d %d %.1f\n", p, total[p], killed[p], 100 * killed[p] / total[p] }' \
  agent/target/pit-reports/mutations.xml | sort)

below=0
{
  echo "# Mutation score"
  echo
  echo "Written by \`./mutation-tests.sh\` (PIT over the unit tests) on $(date -u +%Y-%m-%d), from commit"
  echo "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' with changes'). Do not edit: run the script again."
  echo
  echo "| package | mutants | killed | score | floor |"
  echo "|---|---|---|---|---|"
  while read -r package total killed score; do
    echo "| \`$package\` | $total | $killed | $score % | ${floor[$package]:-none} % |"
  done <<< "$scores"
} > docs/mutation-score.md
while read -r package total killed score; do
  printf '%-32s %4d mutants, %4d killed: %5.1f %% (floor %s %%)\n' "$package" "$total" "$killed" "$score" "${floor[$package]:-none}"
  if [[ -n ${floor[$package]:-} ]] && awk -v s="$score" -v f="${floor[$package]}" 'BEGIN { exit !(s < f) }'; then
    echo "  below its floor" >&2
    below=1
  fi
done <<< "$scores"
echo "== written to docs/mutation-score.md"
exit $below
