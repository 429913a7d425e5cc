package dev.dimmer.sdk.bench;

import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.FakeDimmerServer;
import dev.dimmer.sdk.eval.EvaluationEngine;
import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.sdk.openfeature.DimmerProvider;
import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Snapshot;
import dev.dimmer.sdk.snapshot.Split;
import dev.dimmer.sdk.snapshot.Treatment;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.LayeredEvaluationContext;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Value;
import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.util.UnleashConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * <p>What a service pays (issue 14): {@code client} is the same evaluation through the public {@link
 * DimmerClient#getTreatment} with impressions on (default one-hour dedupe window): after the first
 * pass over the population every call is a repeat, the common case of a service evaluating a flag
 * for its users again and again. {@code clientFirstImpression} gives every call a key never seen
 * before (2<sup>20</sup> rotating keys, more than the dedupe cache holds), so each call records an
 * impression: for information, it is the cost of a user's first request in a window. {@code
 * openFeature} is the OpenFeature client ({@code getBooleanValue}) with the Dimmer provider; {@code
 * openFeatureNoOp} the same call with OpenFeature's {@link NoOpProvider}, what OpenFeature costs around a provider that
 * does nothing; {@code openFeatureProviderOnly} the Dimmer provider called directly with the layered context the
 * OpenFeature client would hand it, Dimmer's own share. The clients talk to a {@link FakeDimmerServer} on loopback
 * (polling, no stream) that answers impression batches with 202 without parsing them.
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
    static final String[] KEYS = new String[USERS];
    static final String[] COUNTRIES = new String[USERS];

    static {
        for (int i = 0; i < USERS; i++) {
            KEYS[i] = i % 20 == 0 ? STAFF.get(i % 100) : "user-" + i;
            COUNTRIES[i] = i % 5 == 1 ? NORDICS.get(i % NORDICS.size()) : (i % 2 == 0 ? "US" : "DE");
        }
    }

    private EvaluationEngine engine;
    private final List<Map<String, Object>> attributes = new ArrayList<>();
    private final Map<String, Object> splitPathAttributes = Map.of("country", "US");
    private int next;

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }

    @Setup(Level.Trial)
    public void setUp() {
        engine = EvaluationEngine.compile(snapshot());
        for (int i = 0; i < USERS; i++) {
            attributes.add(Map.of("country", COUNTRIES[i]));
        }
    }

    static Snapshot snapshot() {
        return new Snapshot("bench", 1, List.of(dimmerFlag()), List.of());
    }

    /** The Unleash client on the same rules, offline. */
    @State(Scope.Benchmark)
    public static class UnleashClient {
        Unleash unleash;
        Path backupFile;
        final List<UnleashContext> contexts = new ArrayList<>();

        @Setup(Level.Trial)
        public void setUp() throws IOException {
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
                contexts.add(UnleashContext.builder()
                        .userId(KEYS[i])
                        .addProperty("country", COUNTRIES[i])
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
    }

    /** A started, ready {@link DimmerClient} with impressions on (default dedupe), on a loopback fake server. */
    @State(Scope.Benchmark)
    public static class Client {
        FakeDimmerServer server;
        DimmerClient client;
        final List<Map<String, Object>> attributes = new ArrayList<>();

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            server = new FakeDimmerServer(snapshot());
            server.discardPosts = true;
            client = builder(server).build();
            client.start().join();
            for (int i = 0; i < USERS; i++) {
                attributes.add(Map.of("country", COUNTRIES[i]));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            client.close();
            server.close();
        }
    }

    static DimmerClient.Builder builder(FakeDimmerServer server) {
        return DimmerClient.builder(FakeDimmerServer.KEY)
                .baseUrl(server.baseUrl())
                .streaming(false)
                .pollingInterval(Duration.ofMinutes(10));
    }

    /**
     * A large population, as a service sees in an hour: 32 768 users (within the default dedupe cache of 50 000), in a
     * shuffled order so that consecutive calls touch unrelated memory. Their first impressions are recorded at set-up
     * with one copy of each key; the calls pass another, equal copy, as a service passes a request's user id: a new
     * string, so the deduper compares characters, not references.
     */
    @State(Scope.Thread)
    public static class ManyUsers {
        static final int COUNT = 1 << 15;
        final String[] keys = new String[COUNT];
        final List<Map<String, Object>> attributes = new ArrayList<>();
        int next;

        @Setup(Level.Trial)
        public void setUp(Client c) {
            List<Integer> order =
                    new ArrayList<>(IntStream.range(0, COUNT).boxed().toList());
            java.util.Collections.shuffle(order, new java.util.Random(42));
            for (int i = 0; i < COUNT; i++) {
                int user = order.get(i);
                String key = user % 20 == 0 ? "staff-" + (user % 100) : "user-" + user;
                attributes.add(Map.of("country", COUNTRIES[user & (USERS - 1)]));
                c.client.getTreatment(FLAG, key, attributes.get(i)); // the first impression, with another copy
                keys[i] = new String(key.toCharArray());
            }
        }
    }

    /** Keys no call has used before in the current window (more than the dedupe cache holds). */
    @State(Scope.Thread)
    public static class FreshKeys {
        static final int COUNT = 1 << 20;
        final String[] keys = new String[COUNT];
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            for (int i = 0; i < COUNT; i++) {
                keys[i] = "fresh-" + i;
            }
        }
    }

    /** The OpenFeature client on an isolated API, with the Dimmer provider or the no-op one. */
    public abstract static class OpenFeature {
        FakeDimmerServer server;
        OpenFeatureAPI api;
        dev.openfeature.sdk.Client client;
        final EvaluationContext[] contexts = new EvaluationContext[USERS];

        void start(FeatureProvider provider) {
            api = OpenFeatureAPI.createIsolated();
            api.setProviderAndWait(provider);
            client = api.getClient();
            for (int i = 0; i < USERS; i++) {
                contexts[i] = new ImmutableContext(KEYS[i], Map.of("country", new Value(COUNTRIES[i])));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            api.shutdown();
            if (server != null) {
                server.close();
            }
        }
    }

    @State(Scope.Benchmark)
    public static class OpenFeatureDimmer extends OpenFeature {
        DimmerProvider provider;
        /** What the OpenFeature client hands a provider: the invocation context layered over empty ones. */
        final EvaluationContext[] layered = new EvaluationContext[USERS];

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            server = new FakeDimmerServer(snapshot());
            server.discardPosts = true;
            provider = new DimmerProvider(() -> builder(server).build());
            start(provider);
            for (int i = 0; i < USERS; i++) {
                layered[i] = new LayeredEvaluationContext(
                        ImmutableContext.EMPTY, ImmutableContext.EMPTY, ImmutableContext.EMPTY, contexts[i]);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class OpenFeatureNoOp extends OpenFeature {
        @Setup(Level.Trial)
        public void setUp() {
            start(new NoOpProvider());
        }
    }

    @Benchmark
    public EvaluationResult dimmer() {
        int i = next++ & (USERS - 1);
        return engine.evaluate(FLAG, KEYS[i], attributes.get(i), "off");
    }

    @Benchmark
    public EvaluationResult dimmerSplitPath() {
        int i = next++ & (USERS - 1);
        return engine.evaluate(FLAG, KEYS[i | 1], splitPathAttributes, "off");
    }

    @Benchmark
    public boolean unleash(UnleashClient u) {
        int i = next++ & (USERS - 1);
        return u.unleash.isEnabled(FLAG, u.contexts.get(i));
    }

    @Benchmark
    public EvaluationResult client(Client c) {
        int i = next++ & (USERS - 1);
        return c.client.getTreatment(FLAG, KEYS[i], c.attributes.get(i));
    }

    /** What reading the wall clock costs here: why the client no longer does it per evaluation (DedupeWindow). */
    @Benchmark
    public long wallClock() {
        return WALL_CLOCK.millis();
    }

    private static final java.time.Clock WALL_CLOCK = java.time.Clock.systemUTC();

    @Benchmark
    public EvaluationResult clientManyUsers(Client c, ManyUsers many) {
        int i = many.next++ & (ManyUsers.COUNT - 1);
        return c.client.getTreatment(FLAG, many.keys[i], many.attributes.get(i));
    }

    @Benchmark
    public EvaluationResult clientFirstImpression(Client c, FreshKeys fresh) {
        int i = fresh.next++ & (FreshKeys.COUNT - 1);
        return c.client.getTreatment(FLAG, fresh.keys[i], c.attributes.get(i & (USERS - 1)));
    }

    @Benchmark
    public boolean openFeature(OpenFeatureDimmer of) {
        int i = next++ & (USERS - 1);
        return of.client.getBooleanValue(FLAG, false, of.contexts[i]);
    }

    /** The Dimmer provider alone, called as the OpenFeature client calls it: Dimmer's own part of {@code openFeature}. */
    @Benchmark
    public ProviderEvaluation<Boolean> openFeatureProviderOnly(OpenFeatureDimmer of) {
        int i = next++ & (USERS - 1);
        return of.provider.getBooleanEvaluation(FLAG, false, of.layered[i]);
    }

    @Benchmark
    public boolean openFeatureNoOp(OpenFeatureNoOp of) {
        int i = next++ & (USERS - 1);
        return of.client.getBooleanValue(FLAG, false, of.contexts[i]);
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
