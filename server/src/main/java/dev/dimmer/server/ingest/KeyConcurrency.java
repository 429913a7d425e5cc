package dev.dimmer.server.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * At most {@code maxConcurrentPerKey} ingest requests per SDK key are in progress (body being read, waiting for a
 * slot, or being written). Bodies are read before a slot is taken, so a slow body holds only a request thread; this
 * bound keeps one key (a leaked one, or one misbehaving fleet) from holding every request thread of the server.
 */
@Component
class KeyConcurrency {

    private final int maxPerKey;
    private final ConcurrentHashMap<Long, Integer> inFlight = new ConcurrentHashMap<>();

    KeyConcurrency(IngestProperties properties, MeterRegistry meters) {
        this.maxPerKey = properties.maxConcurrentPerKey();
        Gauge.builder("dimmer.ingest.in.progress", this, KeyConcurrency::total)
                .description("Ingest requests in progress (body being received, waiting for a slot or being written)")
                .register(meters);
    }

    /** Counts one more request of {@code keyId}; false (and nothing counted) when the key is at its bound. */
    boolean tryEnter(long keyId) {
        boolean[] entered = {false};
        inFlight.compute(keyId, (key, n) -> {
            int current = n == null ? 0 : n;
            if (current >= maxPerKey) {
                return n;
            }
            entered[0] = true;
            return current + 1;
        });
        return entered[0];
    }

    void exit(long keyId) {
        inFlight.computeIfPresent(keyId, (key, n) -> n <= 1 ? null : n - 1);
    }

    /** Requests of {@code keyId} in progress (for metrics and tests). */
    int inFlight(long keyId) {
        return inFlight.getOrDefault(keyId, 0);
    }

    /** Requests in progress over all keys. */
    int total() {
        return inFlight.values().stream().mapToInt(Integer::intValue).sum();
    }
}
