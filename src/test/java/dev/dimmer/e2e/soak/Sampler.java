package dev.dimmer.e2e.soak;

import dev.dimmer.sdk.ClientStats;
import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.server.testsupport.Api;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Takes one {@link Sample}: each replica from outside (its Prometheus scrape, {@code /proc}, its
 * rows in {@code pg_stat_activity}, TCP connections to its port), this JVM, and the clients'
 * summed counters. The latency columns are filled in later, when every change has arrived.
 */
final class Sampler {

    private static final double MB = 1024.0 * 1024.0;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ReplicaProcess a;
    private final ReplicaProcess b;
    private final Connection pg;
    private final String databaseName;
    private final List<DimmerClient> clients;
    private final long self = ProcessHandle.current().pid();

    /** {@code pg} is a connection of the soak's own (application name {@code dimmer-soak}). */
    Sampler(ReplicaProcess a, ReplicaProcess b, Connection pg, String databaseName, List<DimmerClient> clients) {
        this.a = a;
        this.b = b;
        this.pg = pg;
        this.databaseName = databaseName;
        this.clients = List.copyOf(clients);
    }

    /**
     * With {@code forceGc}, first a full GC in both replicas (jcmd) and in this JVM, so the heap
     * read right after is what survives a collection. The sample's time is when it was actually
     * taken, in seconds since {@code t0} (nanoTime): on a starved machine a sample can be late, and
     * rates need the truth.
     */
    Sample sample(long t0, boolean forceGc) throws IOException, InterruptedException, SQLException {
        double generatorAfterGc = Double.NaN;
        if (forceGc) {
            Process gcA = a.startFullGc();
            Process gcB = b.startFullGc();
            System.gc();
            generatorAfterGc = oldGenAfterLastGcMb();
            a.awaitFullGc(gcA);
            b.awaitFullGc(gcB);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        CompletableFuture<PrometheusText> scrapeA = scrape(a);
        CompletableFuture<PrometheusText> scrapeB = scrape(b);
        Map<String, Integer> connections = new HashMap<>();
        double postgresCpu = backends(connections);
        return new Sample(
                seconds,
                ProcessProbe.loadAverage(),
                ProcessProbe.machineBusySeconds(),
                postgresCpu,
                forceGc,
                replica(a, scrapeA.join(), forceGc, connections),
                replica(b, scrapeB.join(), forceGc, connections),
                new Sample.Generator(
                        heapUsedMb(),
                        generatorAfterGc,
                        ProcessProbe.threads(self),
                        ProcessProbe.openFileDescriptors(self),
                        ProcessProbe.rssMb(self),
                        ProcessProbe.cpuSeconds(self)),
                totals(clients),
                null);
    }

    private Sample.Replica replica(
            ReplicaProcess replica, PrometheusText metrics, boolean afterGc, Map<String, Integer> connections) {
        double heap = metrics.sum("jvm_memory_used_bytes", "area=\"heap\"") / MB;
        return new Sample.Replica(
                heap,
                // What the full GC left (G1's old generation after a major collection): unlike the heap
                // read a moment later, it does not include what the replica allocated since.
                afterGc ? metrics.sum("jvm_gc_live_data_size_bytes") / MB : Double.NaN,
                metrics.sum("jvm_memory_used_bytes", "id=\"G1 Old Gen\"") / MB,
                metrics.sum("jvm_threads_live_threads"),
                ProcessProbe.threads(replica.pid()),
                ProcessProbe.openFileDescriptors(replica.pid()),
                ProcessProbe.rssMb(replica.pid()),
                ProcessProbe.cpuSeconds(replica.pid()),
                metrics.sum("hikaricp_connections_active"),
                metrics.sum("hikaricp_connections_idle"),
                metrics.sum("hikaricp_connections_pending"),
                metrics.sum("hikaricp_connections_timeout_total"),
                connections.getOrDefault(replica.applicationName(), 0),
                ProcessProbe.establishedTo(replica.port()),
                metrics.sum("jvm_gc_pause_seconds_sum"),
                metrics.sum("dimmer_ingest_batches_total", "outcome=\"stored\""),
                zeroIfAbsent(metrics.sum("dimmer_ingest_batches_total", "outcome=\"shed\""))
                        + zeroIfAbsent(metrics.sum("dimmer_ingest_batches_total", "outcome=\"shed_key\""))
                        + zeroIfAbsent(metrics.sum("dimmer_ingest_batches_total", "outcome=\"timeout\"")));
    }

    /**
     * The replica's Prometheus scrape with the admin token (a metrics token would do as well); a
     * failed or late scrape gives empty cells, not a failed soak.
     */
    private CompletableFuture<PrometheusText> scrape(ReplicaProcess replica) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(20)) // a starved replica answers late; a sample is taken every 10 s
                .header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response ->
                        response.statusCode() == 200 ? PrometheusText.parse(response.body()) : PrometheusText.EMPTY)
                .exceptionally(failure -> PrometheusText.EMPTY);
    }

    /**
     * Counts the database's backends per application name into {@code connections} and returns
     * their CPU time so far (PostgreSQL runs a process per connection, on this machine).
     */
    private double backends(Map<String, Integer> connections) throws SQLException {
        double cpu = 0;
        try (PreparedStatement query =
                pg.prepareStatement("SELECT application_name, pid FROM pg_stat_activity WHERE datname = ?")) {
            query.setString(1, databaseName);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    connections.merge(rows.getString(1), 1, Integer::sum);
                    cpu += Math.max(0, ProcessProbe.cpuSeconds(rows.getLong(2)));
                }
            }
        }
        return cpu;
    }

    static ClientStats totals(List<DimmerClient> clients) {
        long[] t = new long[13];
        for (DimmerClient client : clients) {
            ClientStats s = client.stats();
            t[0] += s.evaluations();
            t[1] += s.impressionsQueued();
            t[2] += s.impressionsDeduplicated();
            t[3] += s.impressionsDropped();
            t[4] += s.impressionsSent();
            t[5] += s.eventsQueued();
            t[6] += s.eventsDropped();
            t[7] += s.eventsSent();
            t[8] += s.snapshotFetches();
            t[9] += s.snapshotFailures();
            t[10] += s.streamReconnects();
            t[11] += s.batchesThrottled();
            t[12] += s.snapshotsStreamed();
        }
        return new ClientStats(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12]);
    }

    private static double heapUsedMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / MB;
    }

    /** G1's old generation after the last collection: after {@code System.gc()}, the live heap. */
    private static double oldGenAfterLastGcMb() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP
                    && pool.getName().contains("Old Gen")
                    && pool.getCollectionUsage() != null) {
                return pool.getCollectionUsage().getUsed() / MB;
            }
        }
        return heapUsedMb();
    }

    private static double zeroIfAbsent(double value) {
        return Double.isNaN(value) ? 0 : value;
    }
}
