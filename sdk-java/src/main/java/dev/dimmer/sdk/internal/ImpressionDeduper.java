package dev.dimmer.sdk.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Drops repeats of an identical impression (flag, key, treatment, label) within one window
 * (default one hour, aligned to the epoch so every instance agrees). Lock-free: one
 * {@link ConcurrentHashMap} lookup and, for a first sighting, one put. Bounded: when it holds
 * {@code maxEntries} keys it is cleared, which at worst lets some duplicates through.
 */
public final class ImpressionDeduper {

    private record Key(String flag, String key, String treatment, String label) {}

    private final ConcurrentHashMap<Key, Long> seen = new ConcurrentHashMap<>();
    private final long windowMillis;
    private final int maxEntries;

    public ImpressionDeduper(long windowMillis, int maxEntries) {
        this.windowMillis = windowMillis;
        this.maxEntries = maxEntries;
    }

    /** True when this impression should be recorded (first of its kind in the current window). */
    public boolean firstInWindow(String flag, String key, String treatment, String label, long nowMillis) {
        if (windowMillis <= 0) {
            return true;
        }
        Long window = nowMillis / windowMillis;
        Key k = new Key(flag, key, treatment, label);
        Long previous = seen.get(k);
        if (window.equals(previous)) {
            return false;
        }
        if (previous == null && seen.size() >= maxEntries) {
            seen.clear();
        }
        previous = seen.put(k, window);
        return !window.equals(previous);
    }

    public int size() {
        return seen.size();
    }
}
