package dev.keepaliveagent.observe;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts by name: sockets configured by kind, failures by option, dead peers by cause. Counting
 * takes no lock an app thread could wait on; reading takes a copy.
 */
final class Counters {

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    void increment(String name) {
        LongAdder count = counts.get(name);
        if (count == null) {
            count = counts.computeIfAbsent(name, key -> new LongAdder());
        }
        count.increment();
    }

    long get(String name) {
        LongAdder count = counts.get(name);
        return count == null ? 0 : count.sum();
    }

    long total() {
        long total = 0;
        for (LongAdder count : counts.values()) {
            total += count.sum();
        }
        return total;
    }

    /** A copy, sorted by name. */
    Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((name, count) -> copy.put(name, count.sum()));
        return copy;
    }
}
