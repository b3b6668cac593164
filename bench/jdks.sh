#!/usr/bin/env bash
# Prints the Java homes the benchmarks run on, one a line, oldest first: JDK 8, 11, 21 (and 26, 27, 28 when
# asked for) from Debian's packages (scripts/fetch-jdks.sh, fetched once), the machine's JDK 17, Temurin's
# JDK 25 where present.
#
#   bench/jdks.sh [VERSION...]    default: 8 11 17 21 25
here=$(cd "$(dirname "$0")" && pwd)
versions=("$@")
[[ ${#versions[@]} -gt 0 ]] || versions=(8 11 17 21 25)
fetched=()
for version in "${versions[@]}"; do
  [[ $version == 17 || $version == 25 ]] || fetched+=("$version")
done
declare -A home=()
if [[ ${#fetched[@]} -gt 0 ]]; then
  while read -r version path; do home[$version]=$path; done < <("$here/../scripts/fetch-jdks.sh" "${fetched[@]}" 2>/dev/null)
fi
home[17]=/usr/lib/jvm/java-17-openjdk-amd64
home[25]=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
for version in "${versions[@]}"; do
  if [[ -x ${home[$version]:-}/bin/java ]]; then
    echo "${home[$version]}"
  else
    echo "bench: no JDK $version here (scripts/fetch-jdks.sh says why): its figures are left out" >&2
  fi
done
