package dev.dimmer.sdk.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.FakeDimmerServer;
import dev.dimmer.sdk.openfeature.DimmerProvider;
import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Snapshot;
import dev.dimmer.sdk.snapshot.Split;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The allocation budget of DESIGN.md §7, checked on every build rather than only in the benchmark: the common path
 * (key list, attribute list, split) allocates nothing, even before the JIT; so does what a service calls, {@link
 * DimmerClient#getTreatment} with impressions on, once a key's impression is recorded in the current window; and the
 * Dimmer OpenFeature provider adds a bounded number of bytes to what OpenFeature allocates itself with a no-op
 * provider (docs/performance.md, "SDK hot path").
 */
class AllocationTests {

    private static final String FLAG = "f";
    private static final String[] KEYS = IntStream.range(0, 64)
            .mapToObj(i -> i % 8 == 0 ? "staff-" + i : "user-" + i)
            .toArray(String[]::new);
    private static final Map<String, Object> NORDIC = Map.of("country", "NO");
    private static final Map<String, Object> OTHER = Map.of("country", "US");

    private com.sun.management.ThreadMXBean allocation;

    @BeforeEach
    void allocationCounter() {
        var threads = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(
                threads instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported(),
                "this JVM cannot measure per-thread allocation");
        allocation = (com.sun.management.ThreadMXBean) threads;
    }

    private static FlagConfig flag() {
        List<String> staff = IntStream.range(0, 100).mapToObj(i -> "staff-" + i).toList();
        FlagConfig flag = Fixtures.flag(
                FLAG,
                Serve.fixed("off"),
                new Rule("staff", List.of(new Condition("key", "IN", staff, false, false)), Serve.fixed("on")),
                new Rule(
                        "nordics",
                        List.of(new Condition("country", "IN", List.of("NO", "SE"), false, false)),
                        Serve.fixed("on")),
                new Rule("rollout", List.of(), Serve.split(List.of(new Split("on", 1000), new Split("off", 9000)))));
        return Fixtures.withTraffic(flag, 5000);
    }

    /**
     * Bytes this thread allocates running {@code call} for 0..calls-1, in the least of up to {@code rounds} rounds
     * (stopping early below {@code enough}): the first rounds run in the interpreter and the JIT's own work.
     */
    private long allocated(int calls, int rounds, long enough, IntConsumer call) {
        long id = Thread.currentThread().getId();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < rounds && least >= enough; round++) {
            long before = allocation.getThreadAllocatedBytes(id);
            for (int i = 0; i < calls; i++) {
                call.accept(i);
            }
            least = Math.min(least, allocation.getThreadAllocatedBytes(id) - before);
        }
        return least;
    }

    @Test
    void evaluate_commonPath_allocatesNothing() {
        EvaluationEngine engine = Fixtures.engine(flag());
        long bytes = allocated(
                10_000, 3, 1_000, i -> engine.evaluate(FLAG, KEYS[i & 63], (i & 1) == 0 ? NORDIC : OTHER, "off"));
        assertThat(bytes).as("bytes allocated by 10 000 evaluations").isLessThan(1_000); // < 0.1 B/op: noise
    }

    @Test
    void clientGetTreatment_repeatImpression_allocatesNothing() throws Exception {
        try (FakeDimmerServer server = new FakeDimmerServer(snapshot());
                DimmerClient client = DimmerClient.builder(FakeDimmerServer.KEY)
                        .baseUrl(server.baseUrl())
                        .streaming(false)
                        .build()) {
            client.start().join();
            for (int i = 0; i < KEYS.length * 2; i++) { // each (key, attributes) pair's first impression
                client.getTreatment(FLAG, KEYS[i & 63], (i & 64) == 0 ? NORDIC : OTHER);
            }
            long deduplicated = client.stats().impressionsDeduplicated();
            int calls = 100_000;
            long bytes = allocated(
                    calls, 5, 1_000, i -> client.getTreatment(FLAG, KEYS[i & 63], (i & 64) == 0 ? NORDIC : OTHER));
            assertThat(bytes)
                    .as("bytes allocated by 100 000 getTreatment calls on recorded impressions")
                    .isLessThan(1_000); // < 0.01 B/call
            assertThat(client.stats().impressionsDeduplicated() - deduplicated)
                    .as("every measured call was a repeat impression")
                    .isGreaterThanOrEqualTo(calls)
                    .isEqualTo(client.stats().evaluations() - KEYS.length * 2L);
        }
    }

    @Test
    void openFeature_dimmerProvider_addsBoundedBytesOverNoOpProvider() throws Exception {
        EvaluationContext[] contexts = new EvaluationContext[KEYS.length];
        for (int i = 0; i < KEYS.length; i++) {
            contexts[i] = new ImmutableContext(KEYS[i], Map.of("country", new Value((i & 1) == 0 ? "NO" : "US")));
        }
        int calls = 20_000;
        long noOp = perCall(new NoOpProvider(), contexts, calls);
        long dimmer;
        try (FakeDimmerServer server = new FakeDimmerServer(snapshot())) {
            dimmer = perCall(
                    new DimmerProvider(
                            () -> DimmerClient.builder(FakeDimmerServer.KEY)
                                    .baseUrl(server.baseUrl())
                                    .streaming(false)
                                    .build(),
                            Duration.ofSeconds(10)),
                    contexts,
                    calls);
        }
        // Measured 55-95 B/call (docs/performance.md, "SDK hot path"): the provider's ProviderEvaluation, the attribute
        // view, the copy OpenFeature makes of each attribute value read. Before, converting the whole context: 1.3 KB.
        assertThat(dimmer - noOp)
                .as("bytes per call the Dimmer provider adds (Dimmer %d, no-op %d)", dimmer, noOp)
                .isLessThanOrEqualTo(128);
    }

    /** Bytes per {@code getBooleanValue} through an isolated OpenFeature API with {@code provider}, after warm-up. */
    private long perCall(FeatureProvider provider, EvaluationContext[] contexts, int calls) {
        OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
        try {
            api.setProviderAndWait(provider);
            Client client = api.getClient();
            for (int i = 0; i < contexts.length; i++) { // first impressions
                client.getBooleanValue(FLAG, false, contexts[i]);
            }
            long bytes = allocated(calls, 5, 0, i -> client.getBooleanValue(FLAG, false, contexts[i & 63]));
            return Math.round(bytes / (double) calls);
        } finally {
            api.shutdown();
        }
    }

    private static Snapshot snapshot() {
        return new Snapshot("production", Fixtures.CHANGE_NUMBER, List.of(flag()), List.of());
    }
}
