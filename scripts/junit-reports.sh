#!/usr/bin/env bash
# Reads the JUnit XML reports Surefire and Failsafe write (TEST-*.xml), for run-tests.sh and flakiness.sh.
#
#   scripts/junit-reports.sh counts DIR         "RUN FAILED SKIPPED" over DIR's reports (failed: failures and errors)
#   scripts/junit-reports.sh skipped DIR        one line per skipped test: "   Class#test: reason"
#   scripts/junit-reports.sh rates DIR...       per test over all DIRs: its failure rate, the flakiest first
set -uo pipefail
what=${1:?usage: scripts/junit-reports.sh counts|skipped|rates DIR...}
shift
reports=()
for dir in "$@"; do
  for file in "$dir"/TEST-*.xml; do [[ -f $file ]] && reports+=("$file"); done
done

# Sets cls and name from a <testcase line: the class's simple name when the argument is "simple".
testcase='
  function testcase(line, simple) {
    name = line; sub(/.*<testcase[^>]* name="/, "", name); sub(/".*/, "", name)
    cls = line; sub(/.*classname="/, "", cls); sub(/".*/, "", cls)
    if (simple) sub(/.*\./, "", cls)
  }'

case $what in
  counts)
    [[ ${#reports[@]} -gt 0 ]] || { echo "0 0 0"; exit 0; }
    awk '/<testsuite / {
        for (i = 1; i <= NF; i++) if (split($i, kv, "=") == 2) { gsub(/["\/>]/, "", kv[2]); v[kv[1]] = kv[2] }
        t += v["tests"]; f += v["failures"] + v["errors"]; s += v["skipped"]
      } END { print t + 0, f + 0, s + 0 }' "${reports[@]}"
    ;;
  skipped)
    [[ ${#reports[@]} -gt 0 ]] || exit 0
    awk "$testcase"'
      /<testcase / { testcase($0, 0) }
      /<skipped/ {
        why = $0
        if (why ~ /message="/) { sub(/.*message="/, "", why); sub(/".*/, "", why) }
        else if (why ~ /CDATA\[[^:]*Exception: /) { sub(/.*CDATA\[[^:]*Exception: /, "", why) }
        else { why = "(no reason given)" }
        gsub(/&quot;/, "\"", why); gsub(/&apos;/, "'"'"'", why); gsub(/&lt;/, "<", why); gsub(/&gt;/, ">", why)
        gsub(/&amp;/, "\\&", why)
        print "   " cls "#" name ": " why
      }' "${reports[@]}"
    ;;
  rates)
    [[ ${#reports[@]} -gt 0 ]] || { echo "no reports in $*" >&2; exit 1; }
    awk "$testcase"'
      /<testcase / { testcase($0, 1); key = cls "#" name; runs[key]++ }
      /<failure|<error/ { failed[key]++ }
      /<skipped/ { skipped[key]++ }
      END {
        for (k in runs) printf "%6.1f %%  %3d of %3d failed%s  %s\n", 100 * failed[k] / runs[k], failed[k], runs[k],
          (skipped[k] ? ", " skipped[k] " skipped" : ""), k
      }' "${reports[@]}" | sort -k1,1nr -k6
    ;;
  *)
    echo "scripts/junit-reports.sh: '$what' is not counts, skipped or rates" >&2
    exit 2
    ;;
esac
