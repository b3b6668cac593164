#!/usr/bin/env bash
# Prints the Java homes the benchmarks run on, one a line, oldest first: JDK 8, 11 and 21 from Debian's
# packages (scripts/fetch-jdks.sh, fetched once), the machine's JDK 17, Temurin's JDK 25 where present.
here=$(cd "$(dirname "$0")" && pwd)
declare -A home=()
while read -r version path; do home[$version]=$path; done < <("$here/../scripts/fetch-jdks.sh" 8 11 21 2>/dev/null)
home[17]=/usr/lib/jvm/java-17-openjdk-amd64
home[25]=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
for version in 8 11 17 21 25; do
  if [[ -x ${home[$version]:-}/bin/java ]]; then
    echo "${home[$version]}"
  else
    echo "bench: no JDK $version here (scripts/fetch-jdks.sh says why): its figures are left out" >&2
  fi
done
