package dev.dimmer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.ClientState;
import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.server.testsupport.EventStream;
import dev.dimmer.server.testsupport.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server goes away: the SDK keeps serving its last snapshot, or a bootstrap file. */
class ServerOutageTests {

    /** A dogfooder (user-1) and 59 others, who split 50/50: both treatments occur. */
    static final List<String> KEYS =
            IntStream.rangeClosed(1, 60).mapToObj(i -> "user-" + i).toList();

    @TempDir
    Path directory;

    @Test
    void sdkKeepsAnsweringFromItsLastSnapshotWhenTheServerStops_andABootstrapFileMakesANewSdkReady() throws Exception {
        // A replica of its own (on the shared database) so that stopping it affects no other test.
        DimmerServer server = DimmerServer.start(SharedServers.database());
        Scenario scenario;
        String snapshotJson;
        List<EvaluationResult> expected = new ArrayList<>();
        try {
            scenario = Scenario.create(server, "banner");
            scenario.configure(Scenario.dogfoodThenSplit(5000));
            snapshotJson = Scenario.snapshotJson(server, scenario.sdkKey());
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }

        try (DimmerClient client = Scenario.client(server, scenario.sdkKey())
                .pollingInterval(Duration.ofMillis(200))
                .streamReconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .build()) {
            client.start();
            client.awaitReady(Duration.ofSeconds(10));
            Awaiting.streamConnected(client);
            for (String key : KEYS) {
                expected.add(client.getTreatment("banner", key, attributesOf(key)));
            }
            assertThat(expected).extracting(EvaluationResult::treatment).contains("on", "off");
            long failuresBefore = client.stats().snapshotFailures();

            long stopping = System.nanoTime();
            server.close();
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
            assertThat(stopMillis)
                    .as("stopping a replica with an SDK stream open takes (ms)")
                    .isLessThan(5_000);

            assertThat(Awaiting.until(
                            Duration.ofSeconds(5), () -> client.stats().snapshotFailures() >= failuresBefore + 3))
                    .as("the SDK notices the server is gone: %s", client.stats())
                    .isTrue();
            assertThat(client.lastFailure()).isPresent();
            assertThat(client.state()).isIn(ClientState.READY, ClientState.STALE);
            assertThat(Awaiting.until(Duration.ofSeconds(5), () -> client.state() == ClientState.STALE))
                    .as("after 3 failed polling intervals the SDK says its snapshot is stale")
                    .isTrue();
            for (int i = 0; i < KEYS.size(); i++) {
                String key = KEYS.get(i);
                assertThat(client.getTreatment("banner", key, attributesOf(key)))
                        .as("%s with the server down", key)
                        .isEqualTo(expected.get(i));
            }
        }

        // A new SDK while the server is still down: ready from the bootstrap file alone.
        Path bootstrap = directory.resolve("snapshot.json");
        Files.writeString(bootstrap, snapshotJson);
        try (DimmerClient client = Scenario.client(server, scenario.sdkKey())
                .bootstrapFile(bootstrap)
                .requestTimeout(Duration.ofSeconds(1))
                .build()) {
            client.start();
            client.awaitReady(Duration.ofSeconds(5));
            assertThat(client.state()).isIn(ClientState.READY, ClientState.STALE);
            for (int i = 0; i < KEYS.size(); i++) {
                String key = KEYS.get(i);
                assertThat(client.getTreatment("banner", key, attributesOf(key)))
                        .as("%s from the bootstrap file", key)
                        .isEqualTo(expected.get(i));
            }
            assertThat(Awaiting.until(
                            Duration.ofSeconds(5), () -> client.lastFailure().isPresent()))
                    .as("it did try the server, which is down")
                    .isTrue();
        }
    }

    /**
     * An SDK starts while its server is down: the bootstrap file makes it ready at once; it keeps asking, and when the
     * server is back it catches up with the changes made meanwhile (here on another replica of the same database).
     */
    @Test
    void sdkStartedWithTheServerDown_isReadyFromItsBootstrapFile_thenCatchesUpWhenTheServerComesBack()
            throws Exception {
        DimmerServer server = DimmerServer.start(SharedServers.database());
        int port = server.port();
        Scenario scenario;
        String snapshotJson;
        try {
            scenario = Scenario.create(server, "late");
            scenario.configure(Scenario.dogfoodThenSplit(0)); // dogfooders only
            snapshotJson = Scenario.snapshotJson(server, scenario.sdkKey());
        } finally {
            server.close();
        }
        Path bootstrap = directory.resolve("late.json");
        Files.writeString(bootstrap, snapshotJson);

        try (DimmerClient client = Scenario.client(server, scenario.sdkKey())
                .bootstrapFile(bootstrap)
                .pollingInterval(Duration.ofMillis(200))
                .streamReconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .requestTimeout(Duration.ofSeconds(1))
                .build()) {
            client.start();
            client.awaitReady(Duration.ofSeconds(5));
            EvaluationResult fromFile = client.getTreatment("late", "user-7", attributesOf("user-7"));
            assertThat(fromFile.treatment()).as("from the bootstrap file").isEqualTo("off");
            assertThat(Awaiting.until(
                            Duration.ofSeconds(5), () -> client.lastFailure().isPresent()))
                    .as("the server is down")
                    .isTrue();

            // Meanwhile the flag changes (on replica A of the same database); the SDK cannot know yet.
            DimmerServer other = SharedServers.replicaA();
            Fixtures.configure(
                    other.admin(),
                    scenario.project(),
                    Scenario.ENVIRONMENT,
                    "late",
                    Scenario.dogfoodThenSplit(10_000)); // everyone
            assertThat(client.getTreatment("late", "user-7", attributesOf("user-7")))
                    .isEqualTo(fromFile);

            // The server comes back on its address: the SDK catches up.
            DimmerServer back = DimmerServer.start(SharedServers.database(), "--server.port=" + port);
            try {
                assertThat(Awaiting.until(
                                Duration.ofSeconds(30),
                                () -> "on"
                                        .equals(client.getTreatment("late", "user-7", attributesOf("user-7"))
                                                .treatment())))
                        .as("caught up with the change made while it was down: %s", client.stats())
                        .isTrue();
                assertThat(client.state()).isEqualTo(ClientState.READY);
                // And it follows the next change.
                scenario.configure(Scenario.dogfoodThenSplit(0));
                assertThat(Awaiting.until(
                                Duration.ofSeconds(10),
                                () -> "off"
                                        .equals(client.getTreatment("late", "user-7", attributesOf("user-7"))
                                                .treatment())))
                        .isTrue();
            } finally {
                back.close();
            }
        }
    }

    @Test
    void stoppingAReplicaWithAnOpenStreamIsPrompt() throws Exception {
        DimmerServer server = DimmerServer.start(SharedServers.database()); // default: server.shutdown=graceful
        Scenario scenario;
        try {
            scenario = Scenario.create(server, "prompt");
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        try (EventStream stream = new EventStream(server.baseUrl() + "/api/sdk/v1/stream", scenario.sdkKey())) {
            assertThat(stream.await("changeNumber", Duration.ofSeconds(5))).isNotNull();
            long stopping = System.nanoTime();
            server.close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping))
                    .as("ms to stop a replica that has one SDK stream open")
                    .isLessThan(5_000);
        }
    }

    static Map<String, String> attributesOf(String key) {
        return key.equals("user-1") ? Map.of("email", "dev@example.com") : Map.of("email", key + "@customer.test");
    }
}
