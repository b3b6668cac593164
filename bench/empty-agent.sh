#!/usr/bin/env bash
# Builds the empty agent the benchmarks measure against (a premain that does nothing: the floor every Java
# agent pays) in DIR, and prints the jar's path.
#
#   empty_agent=$(bench/empty-agent.sh "$work")
set -euo pipefail
dir=$1/empty
mkdir -p "$dir"
cat >"$dir/EmptyAgent.java" <<'JAVA'
public class EmptyAgent { public static void premain(String args, java.lang.instrument.Instrumentation inst) { } }
JAVA
javac --release 8 -d "$dir" "$dir/EmptyAgent.java"
printf 'Premain-Class: EmptyAgent\n' >"$dir/manifest"
jar cfm "$1/empty-agent.jar" "$dir/manifest" -C "$dir" EmptyAgent.class
echo "$1/empty-agent.jar"
