package dev.dimmer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.DimmerClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §7: flag change → SDK sees it (streaming, 2 replicas) ≤ 1 s p99.
 *
 * <p><b>Definition.</b> For each change: from just before the admin API call is sent to replica
 * A until the SDK, streaming from replica B, calls {@code onConfigurationChanged} with that
 * change's number. This includes the admin request and its transaction on A, PostgreSQL {@code
 * NOTIFY} to B, the SSE event to the SDK, the SDK's snapshot request to B (B builds and caches the
 * new snapshot), and compiling it. Changes are sequential (each waits for the previous one to
 * arrive) and cycle through a configuration PUT (If-Match, the ETag read before the clock starts),
 * a kill and a restore.
 */
@Tag("benchmark")
class PropagationBenchmarkTests {

    static final int CHANGES = Integer.getInteger("e2e.bench.changes", 100);
    static final int WARMUP_CHANGES = 10;

    @Test
    void changeToSdkLatencyAcrossTwoReplicas() throws Exception {
        DimmerServer replicaA = SharedServers.replicaA();
        DimmerServer replicaB = SharedServers.replicaB();
        Scenario scenario = Scenario.create(replicaA, "bench-propagation");
        scenario.configure(Scenario.dogfoodThenSplit(1000));
        BenchmarkReport report = new BenchmarkReport("propagation");

        Map<Long, Long> seenAt = new ConcurrentHashMap<>();
        try (DimmerClient client = Scenario.client(replicaB, scenario.sdkKey()).build()) {
            client.onConfigurationChanged(change -> seenAt.putIfAbsent(change.changeNumber(), System.nanoTime()));
            client.start();
            client.awaitReady(Duration.ofSeconds(10));
            Awaiting.streamConnected(client);
            long changeNumber = client.getTreatment("bench-propagation", "k").changeNumber();

            long[] latencies = new long[CHANGES];
            long[] adminCalls = new long[CHANGES];
            int missed = 0;
            for (int i = -WARMUP_CHANGES; i < CHANGES; i++) {
                int kind = Math.floorMod(i + WARMUP_CHANGES, 3); // PUT, kill, restore, PUT, …
                String etag = kind == 0
                        ? scenario.admin().get(scenario.configurationPath()).header("ETag")
                        : null;
                long expected = ++changeNumber;
                long sent = System.nanoTime();
                if (kind == 0) {
                    assertThat(scenario.admin()
                                    .withHeader("If-Match", etag)
                                    .put(
                                            scenario.configurationPath(),
                                            Scenario.dogfoodThenSplit(1000 + Math.floorMod(i, 50)))
                                    .status())
                            .isEqualTo(200);
                } else if (kind == 1) {
                    scenario.kill();
                } else {
                    scenario.restore();
                }
                long returned = System.nanoTime();
                boolean arrived = Awaiting.until(Duration.ofSeconds(5), () -> seenAt.containsKey(expected));
                if (i >= 0) {
                    adminCalls[i] = returned - sent;
                    latencies[i] = arrived ? seenAt.get(expected) - sent : TimeUnit.SECONDS.toNanos(5);
                    if (!arrived) {
                        missed++;
                    }
                }
                changeNumber = Math.max(changeNumber, expected);
            }
            long p50 = BenchmarkReport.percentile(latencies, 0.50);
            long p90 = BenchmarkReport.percentile(latencies, 0.90);
            long p99 = BenchmarkReport.percentile(latencies, 0.99);
            long max = BenchmarkReport.percentile(latencies, 1.0);
            report.line(String.format(
                    Locale.ROOT,
                    "%d changes (after %d warm-up), PUT/kill/restore on A, SDK streaming from B:"
                            + " p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, not seen within 5 s: %d",
                    CHANGES,
                    WARMUP_CHANGES,
                    p50 / 1e6,
                    p90 / 1e6,
                    p99 / 1e6,
                    max / 1e6,
                    missed));
            report.line(String.format(
                    Locale.ROOT,
                    "of which the admin call alone (send → response): p50 %.1f ms, p99 %.1f ms",
                    BenchmarkReport.percentile(adminCalls, 0.50) / 1e6,
                    BenchmarkReport.percentile(adminCalls, 0.99) / 1e6));
            report.line(String.format(
                    Locale.ROOT, "target p99 <= 1 s: %s", p99 <= TimeUnit.SECONDS.toNanos(1) ? "met" : "MISSED"));
            report.line("SDK stats: " + client.stats());
            assertThat(missed).as("changes the SDK never saw").isZero();
        }
    }
}
