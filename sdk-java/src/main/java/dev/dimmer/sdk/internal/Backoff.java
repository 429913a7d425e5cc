package dev.dimmer.sdk.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": attempt n waits a random time in
 * [d/2, d] with d = min(max, initial * 2^(n-1)), so retries from many instances spread out but
 * never collapse to zero.
 */
public record Backoff(Duration initial, Duration max) {

    public long delayMillis(int attempt) {
        long base = Math.max(1, initial.toMillis());
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long d = Math.min(max.toMillis(), base << shift);
        if (d <= 1) {
            return d;
        }
        long half = d / 2;
        return half + ThreadLocalRandom.current().nextLong(d - half + 1);
    }
}
