#!/usr/bin/env bash
# Two builds give the same release: builds the agent again from a copy of the sources in another directory
# and compares the SHA-256 of each file a release publishes (the jar, its sources and javadoc jars, its
# SBOM and its POM) with those of the build just made (agent/target).
set -euo pipefail
cd "$(dirname "$0")/.."
files=(keepalive-agent.jar keepalive-agent-sources.jar keepalive-agent-javadoc.jar keepalive-agent-sbom.json .flattened-pom.xml)
for file in "${files[@]}"; do
  [[ -f agent/target/$file ]] || { echo "no agent/target/$file: build first (mvn package)" >&2; exit 2; }
done
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
tar --exclude='./*/target' --exclude=./target --exclude=./.git -cf - . | tar -xf - -C "$copy"
# Not offline: the SBOM's plugin runs only online (it is skipped with a warning otherwise).
(cd "$copy" && mvn -q -B package -DskipTests -pl agent -am)
differ=0
for file in "${files[@]}"; do
  first=$(sha256sum "agent/target/$file" | cut -d' ' -f1)
  second=$(sha256sum "$copy/agent/target/$file" | cut -d' ' -f1)
  if [[ $first != "$second" ]]; then
    differ=1
    echo "$file is not reproducible: $first here, $second from a second build in $copy" >&2
    case $file in
      *.jar) diff <(unzip -lv "agent/target/$file") <(unzip -lv "$copy/agent/target/$file") | head -20 >&2 || true ;;
      *) diff "agent/target/$file" "$copy/agent/target/$file" | head -20 >&2 || true ;;
    esac
  fi
done
[[ $differ -eq 0 ]] || exit 1
echo "== reproducible: a second build in another directory gave the same ${files[*]} (jar sha256 $(sha256sum agent/target/keepalive-agent.jar | cut -d' ' -f1))"
