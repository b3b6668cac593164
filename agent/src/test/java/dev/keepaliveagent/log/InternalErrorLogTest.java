package dev.keepaliveagent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The first of each kind of swallowed error is written; the rest are counted. */
class InternalErrorLogTest {

    @Test
    void oneLinePerWhatTheAgentWasDoingAndTypeOfError() {
        InternalErrorLog log = new InternalErrorLog();
        for (int i = 0; i < 5; i++) {
            log.accept("configuring a test connection", new IllegalStateException("test " + i));
        }
        for (int i = 0; i < 2; i++) {
            log.accept("configuring a test connection", new NoClassDefFoundError("test"));
            log.accept("diagnosing a test connection", new IllegalStateException("test"));
        }

        assertEquals(4, AgentLog.repeatsOf("internal configuring a test connection java.lang.IllegalStateException"),
                "the same kind with another message is a repeat");
        assertEquals(1, AgentLog.repeatsOf("internal configuring a test connection java.lang.NoClassDefFoundError"),
                "another type of error is another kind, written once");
        assertEquals(1, AgentLog.repeatsOf("internal diagnosing a test connection java.lang.IllegalStateException"),
                "so is another thing the agent was doing");
    }
}
