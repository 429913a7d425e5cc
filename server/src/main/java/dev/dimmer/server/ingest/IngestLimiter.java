package dev.dimmer.server.ingest;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Load shedding: at most {@code maxConcurrentBatches} batches are read and written at once. A batch that finds no
 * slot within {@code acquireTimeout} is answered 429 with {@code Retry-After} instead of queueing without bound
 * (each waiting batch would hold a thread, a connection's worth of work and up to 5 MB). The SDKs retry with
 * backoff and jitter, which spreads a burst over the next seconds.
 */
@Component
class IngestLimiter {

    private final Semaphore permits;
    private final long waitNanos;

    IngestLimiter(IngestProperties properties) {
        this.permits = new Semaphore(properties.maxConcurrentBatches(), true);
        this.waitNanos = properties.acquireTimeout().toNanos();
    }

    boolean tryAcquire() {
        try {
            return permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void release() {
        permits.release();
    }

    /** For tests: the semaphore, to hold its permits and simulate overload. */
    Semaphore permits() {
        return permits;
    }
}
