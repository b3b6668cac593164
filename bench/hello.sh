#!/usr/bin/env bash
# Builds the Hello world the start-up benchmarks run in DIR/hello (the class path to give java). Its arguments:
# "await" waits until the agent's hooks are live (polling the switchboard, as an app cannot see otherwise);
# "io" then prints what the process read (/proc/self/io's rchar) instead of "hello".
#
#   hello=$(bench/hello.sh "$work")
set -euo pipefail
dir=$1/hello
mkdir -p "$dir"
cat >"$dir/Hello.java" <<'JAVA'
public class Hello {
  public static void main(String[] args) throws Exception {
    java.util.List<String> options = java.util.Arrays.asList(args);
    while (options.contains("await") && !agentStartedUp()) {
      Thread.sleep(1);
    }
    if (!options.contains("io")) {
      System.out.println("hello");
      return;
    }
    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Paths.get("/proc/self/io"))) {
      if (line.startsWith("rchar:")) System.out.println("read " + line.substring(6).trim());
    }
  }
  private static boolean agentStartedUp() throws Exception {
    try {
      return (Boolean) Class.forName("dev.keepaliveagent.boot.Switchboard", false, null).getMethod("hasStartedUp").invoke(null);
    } catch (ClassNotFoundException notYet) {
      return false;
    }
  }
}
JAVA
javac --release 8 -d "$dir" "$dir/Hello.java"
echo "$dir"
