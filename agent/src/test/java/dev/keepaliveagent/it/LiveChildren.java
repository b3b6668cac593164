package dev.keepaliveagent.it;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every test's children, ended with it. Registered for every test class through JUnit's extension
 * autodetection ({@code junit-platform.properties}): after each test, a child JVM it started and left
 * running is killed, and where the test failed (a timeout, say) each child's output is printed, so
 * that a hung child neither outlives its test nor hides what it was doing.
 */
public final class LiveChildren implements BeforeEachCallback, AfterEachCallback {

    private static final List<ForkedJvm> OF_THIS_TEST = new ArrayList<>();

    static void started(ForkedJvm child) {
        synchronized (OF_THIS_TEST) {
            OF_THIS_TEST.add(child);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (OF_THIS_TEST) {
            OF_THIS_TEST.clear();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<ForkedJvm> children;
        synchronized (OF_THIS_TEST) {
            children = new ArrayList<>(OF_THIS_TEST);
            OF_THIS_TEST.clear();
        }
        boolean failed = context.getExecutionException().isPresent();
        for (ForkedJvm child : children) {
            if (failed) {
                System.out.println("[" + context.getDisplayName() + " failed] " + child.transcript());
            }
            child.kill();
        }
    }
}
