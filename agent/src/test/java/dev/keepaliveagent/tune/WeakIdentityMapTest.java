package dev.keepaliveagent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Keys by identity, held weakly, no lock: the registry's map of sockets. */
class WeakIdentityMapTest {

    /** Equal to every other instance, as a key that overrides equals would be: the map must not care. */
    private static final class AllEqual {
        @Override
        public boolean equals(Object other) {
            return other instanceof AllEqual;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    @Test
    void keysAreTheirOwnObjectsNotWhatEqualsSays() {
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
        AllEqual first = new AllEqual();
        AllEqual second = new AllEqual();
        assertEquals("first", map.putIfAbsent(first, "first"));
        assertNull(map.get(second));
        assertEquals("second", map.putIfAbsent(second, "second"));
        assertEquals("first", map.putIfAbsent(first, "again"), "a key's value stands");
        assertEquals("first", map.remove(first));
        assertNull(map.get(first));
        assertEquals("second", map.get(second));
    }

    @Test
    void aKeyNoOneHoldsGoesOnceCollected() throws InterruptedException {
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
        Object kept = new Object();
        map.putIfAbsent(kept, "kept");
        for (int i = 0; i < 1000; i++) {
            map.putIfAbsent(new Object(), "dropped");
        }
        for (int round = 0; round < 100 && map.size() > 2; round++) {
            System.gc();
            Thread.sleep(10);
            map.putIfAbsent(new Object(), "expunges"); // a put clears what was collected
        }
        assertEquals(true, map.size() <= 2, () -> map.size() + " entries left");
        assertEquals("kept", map.get(kept));
    }

    @Test
    void threadsPuttingOneKeyAtOnceGetOneValue() throws InterruptedException {
        WeakIdentityMap<Object, Object> map = new WeakIdentityMap<>();
        Object key = new Object();
        AtomicInteger made = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                seen.add(map.putIfAbsent(key, () -> {
                    made.incrementAndGet();
                    return new Object();
                }));
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(8, seen.size());
        for (Object value : seen) {
            assertSame(map.get(key), value, "every thread got the one value in the map (" + made + " made)");
        }
    }
}
