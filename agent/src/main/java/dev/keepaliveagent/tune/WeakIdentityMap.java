package dev.keepaliveagent.tune;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A concurrent map whose keys are compared by identity and held weakly: an entry goes once its key is
 * collected, at the next {@link #putIfAbsent}. Reads take no lock, so that the app's threads, which
 * look sockets up on every connect, close and option change, never wait for one another or for the
 * agent's threads. ({@code WeakHashMap} behind one lock did make them wait.)
 */
final class WeakIdentityMap<K, V> {

    private final ConcurrentHashMap<Object, V> entries = new ConcurrentHashMap<>();
    private final ReferenceQueue<K> collected = new ReferenceQueue<>();

    V get(K key) {
        return entries.get(new Lookup(key));
    }

    /** The value for {@code key}: the one there, or {@code created}'s, put there now. */
    V putIfAbsent(K key, Supplier<V> created) {
        V value = entries.get(new Lookup(key));
        if (value != null) {
            return value;
        }
        expungeCollected();
        V fresh = created.get();
        V raced = entries.putIfAbsent(new WeakKey<>(key, collected), fresh);
        return raced != null ? raced : fresh;
    }

    /** Puts {@code value} for {@code key}, unless it has one; returns the value it then has. */
    V putIfAbsent(K key, V value) {
        return putIfAbsent(key, () -> value);
    }

    V remove(K key) {
        return entries.remove(new Lookup(key));
    }

    int size() {
        return entries.size();
    }

    /** Each value, as the map holds them meanwhile (no lock: one put or removed meanwhile may be seen or not). */
    void forEachValue(java.util.function.Consumer<V> action) {
        entries.values().forEach(action);
    }

    private void expungeCollected() {
        for (Object gone = collected.poll(); gone != null; gone = collected.poll()) {
            entries.remove(gone);
        }
    }

    /** A key held weakly; equal to another only while both name the same object, or to itself. */
    private static final class WeakKey<K> extends WeakReference<K> {
        private final int hash;

        WeakKey(K key, ReferenceQueue<K> queue) {
            super(key, queue);
            this.hash = System.identityHashCode(key);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (other == this) {
                return true;
            }
            Object referent = get();
            return referent != null && (other instanceof WeakKey && ((WeakKey<?>) other).get() == referent
                    || other instanceof Lookup && ((Lookup) other).key == referent);
        }
    }

    /** A strong key for a look-up, made and dropped at each call. */
    private static final class Lookup {
        private final Object key;

        Lookup(Object key) {
            this.key = key;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(key);
        }

        @Override
        public boolean equals(Object other) {
            return other == this || other instanceof WeakKey && ((WeakKey<?>) other).get() == key
                    || other instanceof Lookup && ((Lookup) other).key == key;
        }
    }
}
