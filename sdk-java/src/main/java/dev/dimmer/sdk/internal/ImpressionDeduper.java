package dev.dimmer.sdk.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * Drops repeats of an identical impression (flag, key, treatment, label) within one window (default one hour,
 * numbered from the epoch so that every instance agrees; {@link DedupeWindow} says which window is current).
 *
 * <p><b>Why this shape.</b> It runs on every evaluation, and the common case is a repeat: a service evaluates the same
 * flag for the same user many times an hour. A repeat must therefore cost a few nanoseconds and allocate nothing (the
 * {@code ConcurrentHashMap<Key, Long>} this replaces allocated a key record and a boxed window per call, 56 B). The
 * cache is a fixed array of references to immutable entries, organised as 8-way buckets: a tuple hashes (from the four
 * strings' cached {@code hashCode}s, no allocation) to one bucket of eight adjacent slots (32 bytes of compressed
 * references), and a repeat is found by comparing the entries there, usually the first: the stored hash, the window,
 * then the four strings ({@code ==} first, so the engine's shared treatment and label strings compare by reference).
 * Only a first sighting allocates (one entry, 40 B).
 *
 * <p><b>Never a false "already seen".</b> An entry answers "seen" only when all four strings are equal and its window
 * is the current one: two tuples whose hashes collide are told apart by {@code equals}, so a collision costs at most a
 * second look, never an impression. The cache is bounded, so it forgets; forgetting errs the safe way, towards a
 * duplicate impression: when a bucket's eight slots hold live entries of the current window, a new tuple replaces one
 * of them (chosen by its hash), and the evicted tuple is recorded again on its next evaluation. With the table sized
 * to twice the requested capacity: with {@code maxEntries} (50 000) distinct tuples in one window, a second pass over
 * them recorded 0.4% again; with half as many, 0.02% ({@code ImpressionDeduperTests} checks it). The map this
 * replaced was exact below its capacity and then cleared itself entirely, letting every tuple through again.
 *
 * <p><b>Threads.</b> Lock-free: slots are read with acquire and written with a compare-and-set, so of two threads
 * that see the same new tuple at once one wins the slot and records it, and the other, on retrying, finds it and
 * does not. Entries are immutable (final fields), so a thread that reads one sees it whole. Two threads can still
 * both record a tuple when a third evicts it from the bucket between them: again a duplicate, never a loss.
 */
public final class ImpressionDeduper {

    static final int WAYS = 8;
    static final int MAX_SLOTS = 1 << 22; // 16 MB of references at most, whatever the configured capacity

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Entry[].class);

    private record Entry(int hash, long window, String flag, String key, String treatment, String label) {
        boolean is(int h, long w, String f, String k, String t, String l) {
            return hash == h && window == w && same(key, k) && same(flag, f) && same(treatment, t) && same(label, l);
        }

        private static boolean same(String a, String b) {
            return a == b || (a != null && a.equals(b));
        }
    }

    private final boolean enabled;
    private final Entry[] slots;
    private final int bucketMask;

    /**
     * @param windowMillis the window length; {@code <= 0} turns deduplication off (every impression is first)
     * @param maxEntries about how many distinct tuples per window it should tell apart without evicting
     */
    public ImpressionDeduper(long windowMillis, int maxEntries) {
        this.enabled = windowMillis > 0;
        int wanted = (int) Math.min(MAX_SLOTS, Math.max(WAYS, 2L * Math.max(1, maxEntries)));
        int size = Integer.highestOneBit(wanted - 1) << 1; // next power of two >= wanted
        this.slots = new Entry[enabled ? size : 0];
        this.bucketMask = (size - 1) & -WAYS;
    }

    /**
     * True when this impression should be recorded: it is the first of its kind in {@code window}, or it was
     * forgotten (see the class comment). Never allocates when it answers false.
     */
    public boolean firstInWindow(String flag, String key, String treatment, String label, long window) {
        if (!enabled) {
            return true;
        }
        int h = hash(flag, key, treatment, label);
        int base = h & bucketMask;
        Entry fresh = null;
        while (true) {
            int victim = -1;
            Entry replaced = null;
            for (int i = 0; i < WAYS; i++) {
                Entry e = (Entry) SLOTS.getAcquire(slots, base + i);
                if (e == null) {
                    if (victim < 0) {
                        victim = i;
                    }
                    break; // slots are never emptied, so the ones after an empty slot are empty too
                }
                if (e.is(h, window, flag, key, treatment, label)) {
                    return false;
                }
                if (victim < 0 && e.window != window) {
                    victim = i; // an entry of an earlier window: free to reuse
                    replaced = e;
                }
            }
            if (victim < 0) { // a bucket of live entries: evict one, chosen by bits of the hash the index did not use
                victim = (h >>> 29) & (WAYS - 1);
                replaced = (Entry) SLOTS.getAcquire(slots, base + victim);
            }
            if (fresh == null) {
                fresh = new Entry(h, window, flag, key, treatment, label);
            }
            if (SLOTS.compareAndSet(slots, base + victim, replaced, fresh)) {
                return true;
            }
            // Another thread wrote the bucket since we read it: look again (it may have stored this very tuple).
        }
    }

    /** The number of slots (for tests and sizing). */
    int capacity() {
        return slots.length;
    }

    /** Entries currently held, of any window (walks the table: for tests and diagnostics). */
    public int size() {
        int n = 0;
        for (int i = 0; i < slots.length; i++) {
            if (SLOTS.getAcquire(slots, i) != null) {
                n++;
            }
        }
        return n;
    }

    static int hash(String flag, String key, String treatment, String label) {
        int h = Objects.hashCode(flag);
        h = 31 * h + Objects.hashCode(key);
        h = 31 * h + Objects.hashCode(treatment);
        h = 31 * h + Objects.hashCode(label);
        // MurmurHash3's finaliser: String.hashCode differs little between similar keys ("user-1", "user-2").
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
