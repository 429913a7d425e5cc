package dev.dimmer.e2e;

import dev.dimmer.sdk.DimmerClient;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waits for conditions that other threads make true. */
final class Awaiting {

    private Awaiting() {}

    /** Polls {@code condition} every 10 ms for at most {@code timeout}; true when it held. */
    static boolean until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        return until(timeout, Duration.ofMillis(10), condition);
    }

    /**
     * Polls {@code condition} every {@code every} for at most {@code timeout}; true when it held. Conditions that ask
     * a server over HTTP poll less often, so the waiting does not load the machine that does the work.
     */
    static boolean until(Duration timeout, Duration every, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(every.toMillis());
        }
        return condition.getAsBoolean();
    }

    /**
     * Waits until the client's stream is connected: on (re)connect the SDK fetches once to catch
     * up, so the second snapshot request after start means the stream is open.
     */
    static void streamConnected(DimmerClient client) throws InterruptedException {
        if (!until(Duration.ofSeconds(10), () -> client.stats().snapshotFetches() >= 2)) {
            throw new AssertionError("the SDK's stream did not connect within 10 s: " + client.stats());
        }
    }
}
