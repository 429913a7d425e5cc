package dev.dimmer.e2e.soak;

import dev.dimmer.sdk.ClientStats;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * One sampling tick: each replica and the load generator as seen from outside, the SDKs' summed
 * counters, and the change latencies of the changes sent since the previous tick.
 *
 * @param seconds since the measured part began
 * @param machineCpuSeconds CPU time used so far by everything on the machine ({@code /proc/stat})
 * @param postgresCpuSeconds CPU time used so far by the PostgreSQL backends serving the soak's
 *     database (other databases on the same server are not counted)
 * @param forcedGc whether this tick first forced a full GC in every JVM (the heap-after-GC
 *     columns are filled only then)
 */
record Sample(
        double seconds,
        double loadAverage,
        double machineCpuSeconds,
        double postgresCpuSeconds,
        boolean forcedGc,
        Replica a,
        Replica b,
        Generator generator,
        ClientStats sdk,
        ChangeLatencies.Window latency) {

    /**
     * A replica. Heap from its Micrometer meters (MB); {@code heapAfterGc} is the heap used right
     * after a forced full GC (NaN on other ticks); threads, descriptors, RSS and CPU from {@code
     * /proc}; {@code pgConnections} counts its rows in {@code pg_stat_activity} (Hikari's pool
     * and the change feed's LISTEN connection); {@code tcp} the established connections to its
     * port.
     */
    record Replica(
            double heapUsed,
            double heapAfterGc,
            double oldGen,
            double jvmThreads,
            int threads,
            int fds,
            double rss,
            double cpuSeconds,
            double hikariActive,
            double hikariIdle,
            double hikariPending,
            double hikariTimeouts,
            int pgConnections,
            int tcp,
            double gcPauseSeconds,
            double ingestBatchesStored,
            double ingestBatchesShed) {}

    /** The load generator's own JVM (MB, counts). */
    record Generator(double heapUsed, double heapAfterGc, int threads, int fds, double rss, double cpuSeconds) {}

    Sample withLatency(ChangeLatencies.Window window) {
        return new Sample(
                seconds, loadAverage, machineCpuSeconds, postgresCpuSeconds, forcedGc, a, b, generator, sdk, window);
    }

    static final List<String> REPLICA_COLUMNS = List.of(
            "heap_used_mb",
            "heap_after_gc_mb",
            "old_gen_mb",
            "jvm_threads",
            "threads",
            "fds",
            "rss_mb",
            "cpu_s",
            "hikari_active",
            "hikari_idle",
            "hikari_pending",
            "hikari_timeouts",
            "pg_connections",
            "tcp_established",
            "gc_pause_s",
            "ingest_batches_stored",
            "ingest_batches_shed");

    static String csvHeader() {
        StringJoiner h = new StringJoiner(",");
        h.add("seconds").add("load1").add("machine_cpu_s").add("postgres_cpu_s").add("forced_gc");
        for (String replica : List.of("a", "b")) {
            REPLICA_COLUMNS.forEach(c -> h.add(replica + "_" + c));
        }
        List.of("heap_used_mb", "heap_after_gc_mb", "threads", "fds", "rss_mb", "cpu_s")
                .forEach(c -> h.add("gen_" + c));
        List.of(
                        "evaluations",
                        "events_queued",
                        "events_sent",
                        "events_dropped",
                        "impressions_sent",
                        "impressions_dropped",
                        "snapshot_fetches",
                        "snapshot_failures",
                        "stream_reconnects",
                        "batches_throttled",
                        "snapshots_streamed")
                .forEach(c -> h.add("sdk_" + c));
        List.of(
                        "changes",
                        "latency_samples",
                        "unseen",
                        "p50_ms",
                        "p95_ms",
                        "p99_ms",
                        "max_ms",
                        "all_clients_p50_ms",
                        "all_clients_max_ms",
                        "admin_p50_ms",
                        "admin_p99_ms")
                .forEach(h::add);
        return h.toString();
    }

    String csvRow() {
        StringJoiner r = new StringJoiner(",");
        r.add(number(seconds))
                .add(number(loadAverage))
                .add(number(machineCpuSeconds))
                .add(number(postgresCpuSeconds))
                .add(forcedGc ? "1" : "0");
        for (Replica x : List.of(a, b)) {
            r.add(number(x.heapUsed()))
                    .add(number(x.heapAfterGc()))
                    .add(number(x.oldGen()))
                    .add(number(x.jvmThreads()))
                    .add(Integer.toString(x.threads()))
                    .add(Integer.toString(x.fds()))
                    .add(number(x.rss()))
                    .add(number(x.cpuSeconds()))
                    .add(number(x.hikariActive()))
                    .add(number(x.hikariIdle()))
                    .add(number(x.hikariPending()))
                    .add(number(x.hikariTimeouts()))
                    .add(Integer.toString(x.pgConnections()))
                    .add(Integer.toString(x.tcp()))
                    .add(number(x.gcPauseSeconds()))
                    .add(number(x.ingestBatchesStored()))
                    .add(number(x.ingestBatchesShed()));
        }
        r.add(number(generator.heapUsed()))
                .add(number(generator.heapAfterGc()))
                .add(Integer.toString(generator.threads()))
                .add(Integer.toString(generator.fds()))
                .add(number(generator.rss()))
                .add(number(generator.cpuSeconds()));
        r.add(Long.toString(sdk.evaluations()))
                .add(Long.toString(sdk.eventsQueued()))
                .add(Long.toString(sdk.eventsSent()))
                .add(Long.toString(sdk.eventsDropped()))
                .add(Long.toString(sdk.impressionsSent()))
                .add(Long.toString(sdk.impressionsDropped()))
                .add(Long.toString(sdk.snapshotFetches()))
                .add(Long.toString(sdk.snapshotFailures()))
                .add(Long.toString(sdk.streamReconnects()))
                .add(Long.toString(sdk.batchesThrottled()))
                .add(Long.toString(sdk.snapshotsStreamed()));
        r.add(Integer.toString(latency.changes()))
                .add(Long.toString(latency.seen()))
                .add(Long.toString(latency.unseen()))
                .add(millis(latency.p50()))
                .add(millis(latency.p95()))
                .add(millis(latency.p99()))
                .add(millis(latency.max()))
                .add(millis(latency.allClientsP50()))
                .add(millis(latency.allClientsMax()))
                .add(millis(latency.adminP50()))
                .add(millis(latency.adminP99()));
        return r.toString();
    }

    static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.2f", value);
    }

    static String millis(long nanos) {
        return nanos < 0 ? "" : String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
