#!/usr/bin/env bash
# Two builds give the same jar: builds the agent again from a copy of the sources in another
# directory and compares its SHA-256 with the jar of the build just made (agent/target).
set -euo pipefail
cd "$(dirname "$0")/.."
built=agent/target/keepalive-agent.jar
[[ -f $built ]] || { echo "no $built: build first (mvn package)" >&2; exit 2; }
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
tar --exclude='./*/target' --exclude=./target --exclude=./.git -cf - . | tar -xf - -C "$copy"
(cd "$copy" && mvn -q -B -o package -DskipTests -pl agent -am)
first=$(sha256sum "$built" | cut -d' ' -f1)
second=$(sha256sum "$copy/$built" | cut -d' ' -f1)
if [[ $first != "$second" ]]; then
  echo "the jar is not reproducible: $first here, $second from a second build in $copy" >&2
  (cd "$copy" && unzip -lv "$built") > "$copy/second.txt" || true
  diff <(unzip -lv "$built") "$copy/second.txt" | head -20 >&2 || true
  exit 1
fi
echo "== reproducible: a second build in another directory gave the same jar (sha256 $first)"
