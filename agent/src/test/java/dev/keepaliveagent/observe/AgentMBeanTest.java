package dev.keepaliveagent.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.diagnose.Mesh;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Info is read at every scrape, on the scraper's thread: the mesh is looked for on the agent's own. */
class AgentMBeanTest {

    @Test
    void aStaleMeshIsLookedForOnAThreadOfTheAgentsOwnNeverTheReaders() throws Exception {
        BlockingQueue<String> lookers = new ArrayBlockingQueue<>(4);
        java.util.concurrent.CountDownLatch firstReadDone = new java.util.concurrent.CountDownLatch(1);
        AgentMBean mbean = new AgentMBean("test", AgentArguments.load("idle=600", Map.of(), Map.of()), new Telemetry(),
                () -> "none", () -> {
                    lookers.add(Thread.currentThread().getName());
                    // The look ends only after the first read returned: else, fast enough, it would be that read's answer.
                    try {
                        firstReadDone.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Mesh.listeningOn(java.util.Set.of(15001, 15006)); // Istio's capture ports
                });
        String info = mbean.getInfo(); // never looked: stale
        firstReadDone.countDown();
        assertTrue(info.endsWith(" mesh=none"), info + ": the reader gets the last answer at once");
        assertEquals("keepalive-agent-mesh-look", lookers.poll(10, TimeUnit.SECONDS));
        for (int i = 0; i < 200 && !mbean.getInfo().endsWith(" mesh=istio"); i++) {
            Thread.sleep(10);
        }
        assertTrue(mbean.getInfo().endsWith(" mesh=istio"), mbean::getInfo);
        assertEquals(null, lookers.poll(200, TimeUnit.MILLISECONDS), "looked for once a minute at most");
    }
}
