package dev.dimmer.sdk;

import java.util.Map;

/**
 * Latency and errors of a block of code, recorded as Dimmer events for the user it ran for, so that latency and error
 * guardrails need one line in a service ({@link DimmerClient#time}) instead of a metrics pipeline. Guardrail metrics
 * apply to every flag of a project, and the analysis attributes a user's events to the treatment the user was served,
 * so a flag whose treatment makes the block slower or fail more often shows up in its own report.
 *
 * <p><b>Events</b> (documented in docs/sdk-java.md, with the matching metric definitions):
 *
 * <ul>
 *   <li>{@value #LATENCY_EVENT}: one per timed call; value = elapsed wall time in milliseconds (fractional);
 *       properties {@code operation} and {@code outcome} ({@code ok} or {@code error});
 *   <li>{@value #ERROR_EVENT}: one per call that threw; value = 1; properties {@code operation} and {@code exception}
 *       (the class name of what was thrown).
 * </ul>
 *
 * <p>A latency guardrail is an {@code AVERAGE} metric of {@value #LATENCY_EVENT} events (mean latency per call, a ratio
 * metric), an error guardrail a {@code COUNT} (errors per exposed user) or {@code CONVERSION} (share of exposed users
 * who saw one) metric of {@value #ERROR_EVENT} events; both {@code DECREASE}.
 *
 * <p><b>Cost.</b> Two {@link System#nanoTime()} reads and one {@link DimmerClient#track} (two on failure) per call,
 * whose properties are taken from a per-operation cache: the timed code's own hot path is not touched, and recording
 * never blocks (a full queue drops the event and counts it, as {@code track} does).
 */
public final class Timing {

    /** The type of the event carrying a timed call's latency in milliseconds. */
    public static final String LATENCY_EVENT = "latency";

    /** The type of the event recorded when a timed call throws. */
    public static final String ERROR_EVENT = "error";

    /** A block that returns a value and may throw {@code E}. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T call() throws E;
    }

    /** A block that returns nothing and may throw {@code E}. */
    @FunctionalInterface
    public interface Task<E extends Exception> {
        void run() throws E;
    }

    /** Properties of an operation's latency events, built once per operation name. */
    private record Shapes(Map<String, Object> ok, Map<String, Object> failed) {}

    private static final int MAX_CACHED_OPERATIONS = 1024;

    private static final java.util.concurrent.ConcurrentHashMap<String, Shapes> SHAPES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private Timing() {}

    /** Runs {@code work} for {@code key}, recording its latency and, if it throws, the error; returns its result. */
    static <T, E extends Exception> T time(DimmerClient client, String key, String operation, Work<T, E> work)
            throws E {
        long start = System.nanoTime();
        T result;
        try {
            result = work.call();
        } catch (Throwable failure) {
            record(client, key, operation, System.nanoTime() - start, failure);
            throw failure;
        }
        record(client, key, operation, System.nanoTime() - start, null);
        return result;
    }

    /**
     * Records one timed call: a {@value #LATENCY_EVENT} event and, when {@code failure} is not null, an {@value
     * #ERROR_EVENT} event. For integrations that time code themselves (the OpenFeature {@code TimingHook}); never
     * throws, never blocks.
     *
     * @param elapsedNanos how long the call took
     * @param failure what it threw, or null when it returned
     */
    public static void record(DimmerClient client, String key, String operation, long elapsedNanos, Throwable failure) {
        if (client == null || key == null || key.isEmpty() || operation == null) {
            return;
        }
        Shapes shapes = shapes(operation);
        client.track(key, LATENCY_EVENT, elapsedNanos / 1_000_000.0, failure == null ? shapes.ok() : shapes.failed());
        if (failure != null) {
            client.track(
                    key,
                    ERROR_EVENT,
                    1.0,
                    Map.of(
                            "operation",
                            operation,
                            "exception",
                            failure.getClass().getName()));
        }
    }

    private static Shapes shapes(String operation) {
        Shapes shapes = SHAPES.get(operation);
        if (shapes == null) {
            shapes = new Shapes(
                    Map.of("operation", operation, "outcome", "ok"),
                    Map.of("operation", operation, "outcome", "error"));
            if (SHAPES.size() < MAX_CACHED_OPERATIONS) { // operation names are few; a caller passing ids must not leak
                SHAPES.putIfAbsent(operation, shapes);
            }
        }
        return shapes;
    }
}
