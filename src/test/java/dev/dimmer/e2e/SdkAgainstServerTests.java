package dev.dimmer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.ClientState;
import dev.dimmer.sdk.ConfigurationChange;
import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.eval.Bucketing;
import dev.dimmer.sdk.eval.ErrorCode;
import dev.dimmer.sdk.eval.EvaluationEngine;
import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.sdk.eval.Reason;
import dev.dimmer.sdk.snapshot.Snapshot;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java SDK against a real server and PostgreSQL: ready, evaluates as specified, follows changes. */
class SdkAgainstServerTests {

    static DimmerServer server;

    @BeforeAll
    static void startServer() {
        server = SharedServers.replicaA();
    }

    @Test
    void sdkBecomesReadyAndEvaluatesLikeTheEngineOnTheServersSnapshot() {
        Scenario scenario = Scenario.create(server, "checkout");
        scenario.configure(Scenario.dogfoodThenSplit(1000)); // dogfooders on, then 10% on
        Snapshot snapshot = Scenario.parse(Scenario.snapshotJson(server, scenario.sdkKey()));
        EvaluationEngine reference = EvaluationEngine.compile(snapshot);
        int seed = snapshot.flags().get(0).seed();

        try (DimmerClient client = Scenario.client(server, scenario.sdkKey()).build()) {
            client.start();
            client.awaitReady(Duration.ofSeconds(10));
            assertThat(client.state()).isEqualTo(ClientState.READY);

            EvaluationResult dogfooder =
                    client.getTreatment("checkout", "user-dogfood", Map.of("email", "ann@example.com"));
            assertThat(dogfooder.treatment()).isEqualTo("on");
            assertThat(dogfooder.label()).isEqualTo("rule:dogfood");
            assertThat(dogfooder.reason()).isEqualTo(Reason.TARGETING_MATCH);
            assertThat(dogfooder.ruleId()).isEqualTo("dogfood");
            assertThat(dogfooder.changeNumber()).isEqualTo(snapshot.changeNumber());

            int on = 0;
            for (int i = 0; i < 2000; i++) {
                String key = "user-" + i;
                Map<String, String> attributes = Map.of("email", key + "@customer.test");
                EvaluationResult result = client.getTreatment("checkout", key, attributes);
                // By key reasoning (DESIGN §3): no rule matches, the default split serves "on"
                // for buckets [0, 1000) of the flag's seed.
                String expected = Bucketing.bucket(seed, key) < 1000 ? "on" : "off";
                assertThat(result.treatment()).as(key).isEqualTo(expected);
                assertThat(result.label()).as(key).isEqualTo("default rule");
                assertThat(result.reason()).as(key).isEqualTo(Reason.SPLIT);
                assertThat(result.errorCode()).as(key).isNull();
                // and exactly what the engine answers on the snapshot read without the SDK
                assertThat(result).as(key).isEqualTo(reference.evaluate("checkout", key, attributes, "control"));
                if (result.treatment().equals("on")) {
                    on++;
                }
            }
            assertThat(on).as("about 10% of 2000 keys").isBetween(140, 260);

            EvaluationResult unknown = client.getTreatment("no-such-flag", "user-1");
            assertThat(unknown.treatment()).isEqualTo(DimmerClient.CONTROL);
            assertThat(unknown.label()).isEqualTo("flag not found");
            assertThat(unknown.reason()).isEqualTo(Reason.ERROR);
            assertThat(unknown.errorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
        }
    }

    @Test
    void bucketingMatchesTheCheckValuesOfTheDesign() {
        // Pins the hash the expectations above rely on (DESIGN §3 check values).
        assertThat(Bucketing.bucket(0, "The quick brown fox jumps over the lazy dog"))
                .isEqualTo(2547);
        assertThat(Bucketing.bucket(0, "a")).isEqualTo(4850);
        assertThat(Bucketing.bucket(1, "")).isEqualTo(6727);
    }

    @Test
    void killReachesTheSdkWithinOneSecondThroughTheStream() throws Exception {
        Scenario scenario = Scenario.create(server, "search");
        scenario.configure(Scenario.dogfoodThenSplit(10000)); // everyone on
        try (DimmerClient client = Scenario.client(server, scenario.sdkKey()).build()) {
            BlockingQueue<ConfigurationChange> changes = new LinkedBlockingQueue<>();
            client.onConfigurationChanged(changes::add);
            client.start();
            client.awaitReady(Duration.ofSeconds(10));
            Awaiting.streamConnected(client);
            EvaluationResult before = client.getTreatment("search", "user-7");
            assertThat(before.treatment()).isEqualTo("on");

            long sent = System.nanoTime();
            scenario.kill();
            ConfigurationChange change = changes.poll(5, TimeUnit.SECONDS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);

            assertThat(change).as("a change notification within 5 s").isNotNull();
            assertThat(change.changeNumber()).isEqualTo(before.changeNumber() + 1);
            assertThat(change.flagsChanged()).containsExactly("search");
            assertThat(tookMillis)
                    .as("kill → SDK, ms (polling is 30 s, so this is the stream)")
                    .isLessThan(1000);
            EvaluationResult after = client.getTreatment("search", "user-7");
            assertThat(after.treatment()).isEqualTo("off");
            assertThat(after.label()).isEqualTo("killed");
            assertThat(after.reason()).isEqualTo(Reason.DISABLED);
            assertThat(after.changeNumber()).isEqualTo(change.changeNumber());
        }
    }
}
