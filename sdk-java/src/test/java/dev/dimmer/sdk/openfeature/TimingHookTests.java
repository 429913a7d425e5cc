package dev.dimmer.sdk.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimmer.sdk.FakeDimmerServer;
import dev.dimmer.sdk.Fixtures;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenFeature hook: flag-guarded code timed for the user its flags were evaluated for. */
class TimingHookTests {

    private FakeDimmerServer server;
    private DimmerProvider provider;
    private OpenFeatureAPI api;
    private TimingHook timing;
    private Client client;

    @BeforeEach
    void start() throws Exception {
        server = new FakeDimmerServer(Fixtures.snapshot(1, Fixtures.flag("new-checkout", "on")));
        provider =
                new DimmerProvider(() -> Fixtures.fast(server).streaming(false).build(), Duration.ofSeconds(5));
        api = OpenFeatureAPI.createIsolated();
        timing = new TimingHook(provider);
        api.addHooks(timing);
        api.setProviderAndWait(provider);
        client = api.getClient();
    }

    @AfterEach
    void stop() {
        api.shutdown();
        provider.shutdown();
        server.close();
    }

    private List<Map<String, Object>> sentEvents() {
        provider.client().close(); // flushes what is queued
        return server.stored(server.events, "events");
    }

    @Test
    void time_recordsLatencyForTheTargetingKeyOfTheFlagEvaluatedInside() {
        String served = timing.time(
                "checkout",
                () -> client.getBooleanValue("new-checkout", false, new ImmutableContext("alice")) ? "new" : "old");

        assertThat(served).isEqualTo("new");
        assertThat(sentEvents())
                .singleElement()
                .satisfies(e -> assertThat(e)
                        .containsEntry("key", "alice")
                        .containsEntry("type", "latency")
                        .containsEntry("properties", Map.of("operation", "checkout", "outcome", "ok")));
    }

    @Test
    void time_whenTheGuardedCodeThrows_recordsTheErrorForThatUser_andRethrows() {
        assertThatThrownBy(() -> timing.time("checkout", () -> {
                    if (client.getBooleanValue("new-checkout", false, new ImmutableContext("bob"))) {
                        throw new IllegalArgumentException("card declined");
                    }
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("card declined");

        assertThat(sentEvents())
                .extracting(e -> e.get("key") + "/" + e.get("type"))
                .containsExactlyInAnyOrder("bob/latency", "bob/error");
    }

    @Test
    void time_withoutAFlagEvaluatedInside_recordsNothing_andEvaluationsOutsideAreNotTimed() {
        assertThat(timing.time("housekeeping", () -> 42)).isEqualTo(42);
        client.getBooleanValue("new-checkout", false, new ImmutableContext("carol")); // outside any block

        assertThat(sentEvents()).isEmpty();
    }

    @Test
    void time_nested_theInnerBlockAndTheOuterBlockAreEachRecordedForTheUser() {
        timing.time("request", () -> {
            timing.time("checkout", () -> {
                client.getBooleanValue("new-checkout", false, new ImmutableContext("dave"));
            });
        });

        assertThat(sentEvents())
                .extracting(e -> e.get("key") + "/" + ((Map<?, ?>) e.get("properties")).get("operation"))
                .containsExactlyInAnyOrder("dave/checkout", "dave/request");
    }
}
