package dev.keepaliveagent.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Loopback ports a test names before its child binds them (in a rule, say). Each of Failsafe's parallel
 * forks has a block of its own ({@code surefire.forkNumber}), below the kernel's ephemeral range
 * (32768 and up), so that neither another test class running beside it nor a connection's own local port
 * can take a port between the moment it is chosen and the child's bind.
 */
final class TestPorts {

    private static final int FIRST = 20_000;
    private static final int BLOCK = 200;
    private static int next;

    private TestPorts() {
    }

    /** A port of this fork's block that nothing listens on now. */
    static synchronized int next() throws IOException {
        int base = FIRST + BLOCK * forkNumber();
        for (int tries = 0; tries < BLOCK; tries++) {
            int port = base + next;
            next = (next + 1) % BLOCK;
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return probe.getLocalPort();
            } catch (IOException taken) {
                // left over from an earlier class of this fork, in TIME_WAIT or still held: the next one
            }
        }
        throw new IOException("no free port in " + base + ".." + (base + BLOCK - 1));
    }

    /** Failsafe's fork number; 0 where no build set it (a test run from an IDE, alone). */
    private static int forkNumber() {
        String number = System.getProperty("keepalive.test.fork");
        if (number == null) {
            return 0;
        }
        if (!number.matches("[1-9][0-9]?")) {
            throw new IllegalStateException("keepalive.test.fork is '" + number + "', not a fork number from 1 to 99:"
                    + " parallel test classes would share one block of ports (agent/pom.xml sets it in argLine)");
        }
        return Integer.parseInt(number);
    }
}
