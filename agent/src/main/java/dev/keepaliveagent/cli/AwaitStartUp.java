package dev.keepaliveagent.cli;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The main of the JVM that {@code cache-warm} starts with the agent: waits until the agent's
 * start-up, which runs beside {@code main}, has ended, so that every class it weaves is in the cache
 * before the JVM exits. Exits 1 if it has not ended within five minutes.
 */
public final class AwaitStartUp {

    private AwaitStartUp() {
    }

    public static void main(String[] args) throws Throwable {
        System.exit(ended(java.time.Duration.ofMinutes(5)) ? 0 : 1);
    }

    /**
     * Whether the agent's start-up in this JVM ends within {@code time}, looking every 2 ms (also
     * where a test's scenario waits for the hooks before it begins).
     */
    public static boolean ended(java.time.Duration time) throws Throwable {
        long deadline = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Class<?> switchboard = Class.forName("dev.keepaliveagent.boot.Switchboard", false, null);
                if ((boolean) MethodHandles.publicLookup().findStatic(switchboard, "hasStartedUp",
                        MethodType.methodType(boolean.class)).invokeExact()) {
                    return true;
                }
            } catch (ClassNotFoundException notYet) {
                // the agent injects it early in its start-up
            }
            Thread.sleep(2);
        }
        return false;
    }
}
