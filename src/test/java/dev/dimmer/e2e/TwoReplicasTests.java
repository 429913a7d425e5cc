package dev.dimmer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.ConfigurationChange;
import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.sdk.eval.Reason;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two replicas on one database: a change made on A reaches an SDK streaming from B. */
class TwoReplicasTests {

    static DimmerServer replicaA;
    static DimmerServer replicaB;

    @BeforeAll
    static void startReplicas() {
        replicaA = SharedServers.replicaA();
        replicaB = SharedServers.replicaB();
    }

    @Test
    void aChangeMadeOnReplicaAReachesAnSdkStreamingFromReplicaB() throws Exception {
        Scenario scenario = Scenario.create(replicaA, "pricing");
        scenario.configure(Scenario.dogfoodThenSplit(0)); // dogfooders only
        try (DimmerClient client = Scenario.client(replicaB, scenario.sdkKey()).build()) {
            BlockingQueue<ConfigurationChange> changes = new LinkedBlockingQueue<>();
            client.onConfigurationChanged(changes::add);
            client.start();
            client.awaitReady(Duration.ofSeconds(10));
            Awaiting.streamConnected(client);
            EvaluationResult before = client.getTreatment("pricing", "user-9");
            assertThat(before.treatment()).isEqualTo("off");

            long sent = System.nanoTime();
            scenario.configure(Scenario.dogfoodThenSplit(10000)); // on replica A: everyone on
            ConfigurationChange change = changes.poll(5, TimeUnit.SECONDS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);

            assertThat(change)
                    .as("the change made on A reaches the SDK on B within 5 s")
                    .isNotNull();
            assertThat(change.changeNumber()).isEqualTo(before.changeNumber() + 1);
            assertThat(change.flagsChanged()).containsExactly("pricing");
            assertThat(tookMillis)
                    .as("A → PostgreSQL NOTIFY → B → SSE → SDK fetch, ms")
                    .isLessThan(1000);
            EvaluationResult after = client.getTreatment("pricing", "user-9", Map.of());
            assertThat(after.treatment()).isEqualTo("on");
            assertThat(after.label()).isEqualTo("default rule");
            assertThat(after.reason()).isEqualTo(Reason.SPLIT);
            assertThat(client.stats().snapshotFailures()).isZero();
        }
    }
}
