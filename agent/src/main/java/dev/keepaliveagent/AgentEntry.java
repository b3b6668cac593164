package dev.keepaliveagent;

import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;

/**
 * The agent's entry, loaded by the app's class loader. It only creates the agent's own class
 * loader and hands over to {@link Agent} there, so that the agent's classes, Byte Buddy and tinylog
 * never mix with the app's, and the JDK internals the agent opens are opened to that loader alone.
 */
public final class AgentEntry {

    private AgentEntry() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation);
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        out.println("keepalive-agent: TCP keepalive for every connection of a JVM, without changing its code.");
        out.println();
        out.println("usage: java -javaagent:keepalive-agent.jar[=idle=600,intvl=60,cnt=20] -jar app.jar");
        out.println("   or: JAVA_TOOL_OPTIONS=-javaagent:/path/to/keepalive-agent.jar=idle=600,intvl=60,cnt=20");
        out.println();
        out.println("options (key=value, separated by commas):");
        out.println("  idle=DURATION   idle time before the first probe, 1..32767 s (600, 90s, 10m, 2h); default 120s");
        out.println("  intvl=DURATION  time between probes, 1..32767 s; default 30s");
        out.println("  cnt=N           unanswered probes before the connection is dropped, 1..127; default 4");
        out.println("  utimeout=TIME   with data in flight, give up after TIME unacknowledged (TCP_USER_TIMEOUT):");
        out.println("                  auto (idle + intvl x cnt, the default), off, 30000 (ms), 500ms, 30s, 2m");
        out.println("  rules=RULES     per destination, first match wins, ';' between rules, e.g.");
        out.println("                  127.0.0.0/8=>off;10.1.0.0/16+port=5432=>idle=30/intvl=5/cnt=3;listen=8443=>idle=120");
        out.println("  config=PATH     a file of key = value lines and rule = ... lines");
        out.println("  log=LEVEL       the agent's own log: off, error, warn, info (default), debug");
        out.println("  logfile=PATH    write the agent's log to PATH instead of standard error");
        out.println("  cache=DIR|off   where woven JDK classes are kept between starts");
        out.println();
        out.println("each setting may also come from -Dkeepalive.KEY=VALUE or KEEPALIVE_KEY=VALUE (in that order after");
        out.println("the agent argument, before the config file)");
    }

    private static void start(String arguments, Instrumentation instrumentation) {
        String refusal;
        try {
            URL jar = AgentEntry.class.getProtectionDomain().getCodeSource().getLocation();
            ClassLoader agentLoader = new AgentClassLoader(jar);
            // An exactly typed method handle rather than Method.invoke: on JDK 18+ core reflection
            // builds method-handle adapters that cost several milliseconds of start-up.
            MethodHandle start = MethodHandles.publicLookup().findStatic(agentLoader.loadClass("dev.keepaliveagent.Agent"),
                    "start", MethodType.methodType(String.class, String.class, Instrumentation.class));
            refusal = (String) start.invokeExact(arguments, instrumentation);
        } catch (Throwable t) {
            System.err.println("[keepalive-agent] ERROR: could not start, the app runs without keepalive: " + t);
            return;
        }
        if (refusal != null) {
            // Bad arguments: refuse to start rather than run silently without keepalive. One
            // line, no stack trace (throwing from premain would print one and a JVM abort).
            System.err.println(refusal);
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
    }
}
