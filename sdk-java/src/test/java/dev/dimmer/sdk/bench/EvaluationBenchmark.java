package dev.dimmer.sdk.bench;

import dev.dimmer.sdk.eval.EvaluationEngine;
import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Snapshot;
import dev.dimmer.sdk.snapshot.Split;
import dev.dimmer.sdk.snapshot.Treatment;
import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.util.UnleashConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * DESIGN.md §7: evaluating a flag with three rules (a 100-key list, an attribute list, a 10% split)
 * on one thread, Dimmer side by side with the Unleash Java client 11.1.0 on the same rules. Both
 * get prebuilt inputs (attribute maps / Unleash contexts) for a rotating population of 1024 users:
 * 5% in the key list, 20% in the country list, the rest reaching the split. {@code dimmerSplitPath}
 * is the slowest path alone: both lists miss, then traffic gate and bucketing.
 *
 * <p>Run (see docs/performance.md): {@code java -cp <test classpath> dev.dimmer.sdk.bench.EvaluationBenchmark
 * -f 1 -wi 3 -i 5 -prof gc}. The Unleash client is built offline from a bootstrap string; its
 * fetcher is replaced by one that answers "not changed", so it never opens a connection, and its
 * API URL points at 127.0.0.1:1 in case anything tried.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EvaluationBenchmark {

    static final String FLAG = "checkout.new-flow";
    static final int USERS = 1024;
    static final List<String> STAFF =
            IntStream.range(0, 100).mapToObj(i -> "staff-" + i).toList();
    static final List<String> NORDICS = List.of("NO", "SE", "DK", "FI", "IS");

    private EvaluationEngine engine;
    private Unleash unleash;
    private Path backupFile;
    private final String[] keys = new String[USERS];
    private final List<Map<String, Object>> attributes = new ArrayList<>();
    private final List<UnleashContext> contexts = new ArrayList<>();
    private final Map<String, Object> splitPathAttributes = Map.of("country", "US");
    private int next;

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        engine = EvaluationEngine.compile(new Snapshot("bench", 1, List.of(dimmerFlag()), List.of()));
        backupFile = Files.createTempFile("unleash-bench", ".json");
        Files.delete(backupFile);
        UnleashConfig config = UnleashConfig.builder()
                .appName("dimmer-bench")
                .instanceId("bench")
                .unleashAPI("http://127.0.0.1:1/api")
                .backupFile(backupFile.toString())
                .toggleBootstrapProvider(() -> Optional.of(unleashToggles()))
                .unleashFeatureFetcherFactory(c -> ClientFeaturesResponse::notChanged)
                .disablePolling()
                .disableMetrics()
                .synchronousFetchOnInitialisation(false)
                .build();
        unleash = new DefaultUnleash(config);
        for (int i = 0; i < USERS; i++) {
            String key = i % 20 == 0 ? STAFF.get(i % 100) : "user-" + i;
            String country = i % 5 == 1 ? NORDICS.get(i % NORDICS.size()) : (i % 2 == 0 ? "US" : "DE");
            keys[i] = key;
            attributes.add(Map.of("country", country));
            contexts.add(UnleashContext.builder()
                    .userId(key)
                    .addProperty("country", country)
                    .build());
        }
        if (!unleash.isEnabled(FLAG, contexts.get(0))) {
            throw new IllegalStateException("Unleash did not load the bootstrap toggles");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        unleash.shutdown();
        Files.deleteIfExists(backupFile);
    }

    @Benchmark
    public EvaluationResult dimmer() {
        int i = next++ & (USERS - 1);
        return engine.evaluate(FLAG, keys[i], attributes.get(i), "off");
    }

    @Benchmark
    public EvaluationResult dimmerSplitPath() {
        int i = next++ & (USERS - 1);
        return engine.evaluate(FLAG, keys[i | 1], splitPathAttributes, "off");
    }

    @Benchmark
    public boolean unleash() {
        int i = next++ & (USERS - 1);
        return unleash.isEnabled(FLAG, contexts.get(i));
    }

    static FlagConfig dimmerFlag() {
        List<Rule> rules = List.of(
                new Rule("staff", List.of(new Condition("key", "IN", STAFF, false, false)), Serve.fixed("on")),
                new Rule("nordics", List.of(new Condition("country", "IN", NORDICS, false, false)), Serve.fixed("on")),
                new Rule("rollout", List.of(), Serve.split(List.of(new Split("on", 1000), new Split("off", 9000)))));
        return new FlagConfig(
                FLAG,
                List.of(new Treatment("on", null, null), new Treatment("off", null, null)),
                true,
                false,
                "off",
                rules,
                Serve.fixed("off"),
                10_000,
                1,
                2,
                List.of(),
                1);
    }

    static String unleashToggles() {
        return """
                {"version": 2, "features": [{"name": "%s", "enabled": true, "strategies": [
                  {"name": "default", "parameters": {}, "constraints": [
                    {"contextName": "userId", "operator": "IN", "values": [%s]}]},
                  {"name": "default", "parameters": {}, "constraints": [
                    {"contextName": "country", "operator": "IN", "values": [%s]}]},
                  {"name": "flexibleRollout", "parameters": {"rollout": "10", "stickiness": "default", "groupId": "%s"},
                   "constraints": []}]}]}
                """.formatted(FLAG, quoted(STAFF), quoted(NORDICS), FLAG);
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> '"' + v + '"').collect(Collectors.joining(", "));
    }
}
