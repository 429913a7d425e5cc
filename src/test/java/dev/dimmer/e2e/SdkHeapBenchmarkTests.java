package dev.dimmer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.eval.EvaluationEngine;
import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.sdk.internal.Json;
import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.SegmentDefinition;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Snapshot;
import dev.dimmer.sdk.snapshot.Split;
import dev.dimmer.sdk.snapshot.Treatment;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §7: SDK heap for 10 000 flags ≤ 50 MB. Retained heap is measured as the difference in
 * used heap ({@link MemoryMXBean}) after several full collections, before and after loading, with
 * the loaded object kept reachable. Measured twice: the compiled {@link EvaluationEngine} alone,
 * and a whole {@link DimmerClient} made ready from a bootstrap file (server unreachable).
 *
 * <p>The flags: 3 rules each, like the evaluation benchmark's flag. Rule 1 is a segment
 * ({@code IN_SEGMENT}, one of 50 segments of 1 000 keys each) for half the flags and a 100-key
 * {@code userId IN} list for the other half; rule 2 is {@code country IN} 5 countries; rule 3 is
 * {@code plan IN [pro, enterprise]} with a 10% split. Two treatments, {@code on} with a small JSON
 * config. Realistic keys and ids ({@code team-area.feature-n}).
 */
@Tag("benchmark")
class SdkHeapBenchmarkTests {

    static final int FLAGS = Integer.getInteger("e2e.bench.flags", 10_000);
    static final int SEGMENTS = 50;
    static final int SEGMENT_KEYS = 1_000;

    @TempDir
    Path directory;

    @Test
    void heapFor10000Flags() throws Exception {
        BenchmarkReport report = new BenchmarkReport("sdk-heap");
        long client = measure(report, "mix (half segment, half 100-key userId list)", snapshot(FLAGS, true));
        report.line(String.format(
                Locale.ROOT, "target <= 50 MB (client, mix): %s", client <= 50_000_000L ? "met" : "MISSED"));
        measure(report, "segments only (no inline key lists)", snapshot(FLAGS, false));
    }

    /** Loads {@code built} three ways and reports the retained heap of each; returns the client's. */
    private long measure(BenchmarkReport report, String name, Snapshot built) throws Exception {
        Path file = directory.resolve("snapshot-" + name.hashCode() + ".json");
        Files.write(file, Json.MAPPER.writeValueAsBytes(built));
        built = null;
        report.line(String.format(
                Locale.ROOT,
                "%s: %d flags x 3 rules, %d segments x %d keys, JSON %.1f MB",
                name,
                FLAGS,
                SEGMENTS,
                SEGMENT_KEYS,
                Files.size(file) / 1e6));

        long base = usedAfterGc();
        Snapshot parsed = Json.MAPPER.readValue(file.toFile(), Snapshot.class);
        long snapshotOnly = usedAfterGc() - base;
        Reference.reachabilityFence(parsed);
        parsed = null;

        base = usedAfterGc();
        EvaluationEngine engine = EvaluationEngine.compile(Json.MAPPER.readValue(file.toFile(), Snapshot.class));
        long engineOnly = usedAfterGc() - base;
        EvaluationResult probe = engine.evaluate("team-3.feature-3", "user-1", Map.of("country", "NO"), "control");
        assertThat(probe.errorCode()).isNull();
        Reference.reachabilityFence(engine);
        engine = null;

        base = usedAfterGc();
        DimmerClient client = DimmerClient.builder("dsk_offline")
                .baseUrl("http://127.0.0.1:1") // nothing listens: ready from the file alone
                .bootstrapFile(file)
                .streaming(false)
                .requestTimeout(Duration.ofSeconds(1))
                .closeTimeout(Duration.ofMillis(100))
                .build();
        client.start();
        client.awaitReady(Duration.ofSeconds(30));
        long clientHeap = usedAfterGc() - base;
        assertThat(client.getTreatment("team-3.feature-3", "user-1", Map.of("country", "NO"))
                        .errorCode())
                .isNull();
        Reference.reachabilityFence(client);
        client.close();

        report.line(String.format(
                Locale.ROOT,
                "  parsed Snapshot records alone %.1f MB; EvaluationEngine.compile alone %.1f MB;"
                        + " DimmerClient ready from the bootstrap file %.1f MB",
                snapshotOnly / 1e6,
                engineOnly / 1e6,
                clientHeap / 1e6));
        return clientHeap;
    }

    static Snapshot snapshot(int flags, boolean inlineLists) {
        List<String> countries = List.of("NO", "SE", "DK", "FI", "IS");
        List<SegmentDefinition> segments = new ArrayList<>();
        for (int s = 0; s < SEGMENTS; s++) {
            int first = s * SEGMENT_KEYS;
            segments.add(new SegmentDefinition(
                    "segment-" + s,
                    IntStream.range(first, first + SEGMENT_KEYS)
                            .mapToObj(i -> "user-" + i)
                            .toList(),
                    List.of()));
        }
        List<FlagConfig> configs = new ArrayList<>();
        for (int f = 0; f < flags; f++) {
            int flag = f;
            Condition first = !inlineLists || f % 2 == 0
                    ? new Condition("key", "IN_SEGMENT", List.of("segment-" + (f % SEGMENTS)), false, false)
                    : new Condition(
                            "userId",
                            "IN",
                            IntStream.range(0, 100)
                                    .mapToObj(i -> "staff-" + ((i * 7919 + flag) % 5000))
                                    .toList(),
                            false,
                            false);
            List<Rule> rules = List.of(
                    new Rule("staff", List.of(first), Serve.fixed("on")),
                    new Rule(
                            "nordics",
                            List.of(new Condition("country", "IN", countries, false, false)),
                            Serve.fixed("on")),
                    new Rule(
                            "rollout",
                            List.of(new Condition("plan", "IN", List.of("pro", "enterprise"), false, false)),
                            Serve.split(List.of(new Split("on", 1000), new Split("off", 9000)))));
            configs.add(new FlagConfig(
                    "team-" + (f % 40) + ".feature-" + f,
                    List.of(
                            new Treatment("on", "feature on", Map.of("variant", "b", "limit", 10)),
                            new Treatment("off", "feature off", null)),
                    true,
                    false,
                    "off",
                    rules,
                    Serve.fixed("off"),
                    10_000,
                    f * 31 + 7,
                    f * 17 + 3,
                    List.of(),
                    1 + f % 5));
        }
        return new Snapshot("production", 12_345, configs, segments);
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
