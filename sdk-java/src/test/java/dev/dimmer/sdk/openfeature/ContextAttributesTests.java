package dev.dimmer.sdk.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.FakeDimmerServer;
import dev.dimmer.sdk.Fixtures;
import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableStructure;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The provider reads context attributes through a view ({@link ContextAttributes}) instead of copying the context
 * into a map per evaluation, and caches flag metadata per engine result: both must give what the copy gave.
 */
class ContextAttributesTests {

    @Test
    void view_convertsOnlyWhatIsAsked_likeTheCopyDid() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        Map<String, Value> values = new java.util.HashMap<>();
        values.put("plan", new Value("pro"));
        values.put("seats", new Value(250));
        values.put("ratio", new Value(0.5));
        values.put("beta", new Value(true));
        values.put("since", new Value(at));
        values.put("tags", new Value(List.of(new Value("a"), new Value(2))));
        values.put(
                "company", new Value(new MutableStructure(Map.of("size", new Value(12), "name", new Value("ACME")))));
        values.put("nothing", new Value());
        ImmutableContext ctx = new ImmutableContext("user-1", values);
        Map<String, ?> attributes = new ContextAttributes(ctx);
        assertThat(attributes.get("plan")).isEqualTo("pro");
        assertThat(attributes.get("seats")).isEqualTo(250);
        assertThat(attributes.get("ratio")).isEqualTo(0.5);
        assertThat(attributes.get("beta")).isEqualTo(true);
        assertThat(attributes.get("since")).isEqualTo(at);
        assertThat(attributes.get("tags")).isEqualTo(List.of("a", 2));
        assertThat(attributes.get("company")).isEqualTo(Map.of("size", 12, "name", "ACME"));
        assertThat(attributes.get("nothing")).isNull();
        assertThat(attributes.get("missing")).isNull();
        assertThat(attributes.get("targetingKey"))
                .as("the key is not an attribute")
                .isNull();
        assertThat(attributes.containsKey("plan")).isTrue();
        assertThat(attributes.containsKey("targetingKey")).isFalse();
        assertThat(Map.copyOf(attributes))
                .containsOnlyKeys("plan", "seats", "ratio", "beta", "since", "tags", "company");
    }

    @Test
    void view_readsALongAttribute_whichTheCopyCouldNotConvert() {
        // OpenFeature's asObjectMap() throws ValueNotConvertableError on a Long value; the view passes it through.
        ImmutableContext ctx = new ImmutableContext("user-1", Map.of("accountId", new Value(12_345_678_901L)));
        assertThat(new ContextAttributes(ctx).get("accountId")).isEqualTo(12_345_678_901L);
    }

    private static FlagConfig targeted() {
        return new FlagConfig(
                "plan-flag",
                Fixtures.flag("x", "on").treatments(),
                true,
                false,
                "off",
                List.of(
                        new Rule(
                                "pro",
                                List.of(new Condition("plan", "IN", List.of("pro"), false, false)),
                                Serve.fixed("on")),
                        new Rule(
                                "big",
                                List.of(new Condition("seats", "GT", List.of("100"), false, false)),
                                Serve.fixed("blue"))),
                Serve.fixed("off"),
                10_000,
                1,
                2,
                List.of(),
                1);
    }

    @Test
    void throughTheOpenFeatureClient_layeredContextsReachTheRules_andMetadataFollowsTheResult() throws Exception {
        try (FakeDimmerServer server = new FakeDimmerServer(Fixtures.snapshot(1, targeted()))) {
            OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
            try {
                api.setProviderAndWait(new DimmerProvider(
                        () -> DimmerClient.builder(FakeDimmerServer.KEY)
                                .baseUrl(server.baseUrl())
                                .streaming(false)
                                .pollingInterval(Duration.ofMillis(50))
                                .build(),
                        Duration.ofSeconds(10)));
                api.setEvaluationContext(new ImmutableContext(Map.of("plan", new Value("pro"))));
                Client client = api.getClient();

                // The API-level context's plan reaches the rule; the invocation's seats does too, and overrides win.
                FlagEvaluationDetails<String> pro =
                        client.getStringDetails("plan-flag", "x", new ImmutableContext("user-1"));
                assertThat(pro.getValue()).isEqualTo("on");
                assertThat(pro.getFlagMetadata().getString("ruleId")).isEqualTo("pro");
                assertThat(pro.getFlagMetadata().getString("label")).isEqualTo("rule:pro");
                assertThat(pro.getFlagMetadata().getLong("changeNumber")).isEqualTo(1L);
                FlagEvaluationDetails<String> big = client.getStringDetails(
                        "plan-flag",
                        "x",
                        new ImmutableContext("user-2", Map.of("plan", new Value("free"), "seats", new Value(500L))));
                assertThat(big.getValue()).isEqualTo("blue");
                assertThat(big.getFlagMetadata().getString("ruleId")).isEqualTo("big");
                FlagEvaluationDetails<String> small = client.getStringDetails(
                        "plan-flag", "x", new ImmutableContext("user-3", Map.of("plan", new Value("free"))));
                assertThat(small.getValue()).isEqualTo("off");
                assertThat(small.getFlagMetadata().getString("label")).isEqualTo("default rule");
                assertThat(small.getFlagMetadata().getString("ruleId")).isNull();
                // Cached metadata is the same object for the same result, and a new snapshot gives new results.
                assertThat(client.getStringDetails("plan-flag", "x", new ImmutableContext("user-4"))
                                .getFlagMetadata())
                        .isSameAs(pro.getFlagMetadata());
                server.publish(Fixtures.snapshot(2, targeted()));
                Fixtures.await(
                        "snapshot 2",
                        Duration.ofSeconds(5),
                        () -> client.getStringDetails("plan-flag", "x", new ImmutableContext("user-1"))
                                        .getFlagMetadata()
                                        .getLong("changeNumber")
                                == 2L);
                // Errors carry their own metadata and do not disturb the cache.
                assertThat(client.getStringDetails("missing", "x", new ImmutableContext("user-1"))
                                .getErrorCode())
                        .isEqualTo(dev.openfeature.sdk.ErrorCode.FLAG_NOT_FOUND);
                assertThat(client.getStringDetails("plan-flag", "x", new ImmutableContext("user-1"))
                                .getFlagMetadata()
                                .getString("ruleId"))
                        .isEqualTo("pro");
            } finally {
                api.shutdown();
            }
        }
    }
}
