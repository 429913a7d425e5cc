package dev.dimmer.sdk;

import static dev.dimmer.sdk.Fixtures.await;
import static dev.dimmer.sdk.Fixtures.fast;
import static dev.dimmer.sdk.Fixtures.flag;
import static dev.dimmer.sdk.Fixtures.snapshot;
import static dev.dimmer.sdk.Fixtures.standard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimmer.sdk.eval.ErrorCode;
import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.sdk.eval.Reason;
import dev.dimmer.sdk.internal.Json;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DimmerClientTests {

    private FakeDimmerServer server;
    private DimmerClient client;

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeDimmerServer(standard(1));
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private record Config(String color, int size) {}

    @Test
    void start_returnsAtOnce_andIsReadyAfterFirstSnapshot() {
        client = fast(server).streaming(false).build();
        assertThat(client.state()).isEqualTo(ClientState.NOT_READY);
        CompletableFuture<DimmerClient> started = client.start();
        assertThat(started.join()).isSameAs(client);
        assertThat(client.state()).isEqualTo(ClientState.READY);
        client.awaitReady(Duration.ofSeconds(1));
        EvaluationResult r = client.getTreatment("checkout", "user-1");
        assertThat(r.treatment()).isEqualTo("on");
        assertThat(r.label()).isEqualTo("default rule");
        assertThat(r.reason()).isEqualTo(Reason.DEFAULT);
        assertThat(r.changeNumber()).isEqualTo(1);
        assertThat(r.errorCode()).isNull();
        assertThat(server.acceptEncoding).contains("gzip"); // the fake gzips when asked
    }

    @Test
    void awaitReady_beforeStart_isMisuse() {
        client = fast(server).build();
        assertThatThrownBy(() -> client.awaitReady(Duration.ofMillis(10))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void awaitReady_badKey_reports401AtOnce() {
        client = DimmerClient.builder("wrong-key").baseUrl(server.baseUrl()).build();
        client.start();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client.awaitReady(Duration.ofSeconds(10)))
                .isInstanceOf(DimmerNotReadyException.class)
                .hasMessageContaining("401")
                .hasMessageContaining("SDK key")
                .satisfies(e -> assertThat(((DimmerNotReadyException) e).cause())
                        .isEqualTo(DimmerNotReadyException.Cause.UNAUTHORIZED));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(client.state()).isEqualTo(ClientState.ERROR);
        assertThat(client.start()).isCompletedExceptionally();
    }

    @Test
    void awaitReady_unreachableServer_namesTheCause() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        client = DimmerClient.builder(FakeDimmerServer.KEY)
                .baseUrl("http://127.0.0.1:" + closedPort)
                .pollingInterval(Duration.ofMillis(100))
                .build();
        client.start();
        assertThatThrownBy(() -> client.awaitReady(Duration.ofMillis(500)))
                .isInstanceOf(DimmerNotReadyException.class)
                .hasMessageContaining("unreachable")
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .satisfies(e -> assertThat(((DimmerNotReadyException) e).cause())
                        .isEqualTo(DimmerNotReadyException.Cause.UNREACHABLE));
        assertThat(client.state()).isEqualTo(ClientState.ERROR);
        EvaluationResult r = client.getTreatment("checkout", "u");
        assertThat(r.treatment()).isEqualTo(DimmerClient.CONTROL);
        assertThat(r.reason()).isEqualTo(Reason.ERROR);
        assertThat(client.getBoolean("checkout", "u", Map.of(), true)).isTrue();
    }

    @Test
    void awaitReady_unparsableSnapshot_namesTheCause() {
        server.setRawSnapshot("{\"environment\": \"production\", \"flags\": [ not json");
        client = fast(server).streaming(false).build();
        client.start();
        assertThatThrownBy(() -> client.awaitReady(Duration.ofMillis(500)))
                .isInstanceOf(DimmerNotReadyException.class)
                .hasMessageContaining("unparsable snapshot")
                .satisfies(e -> assertThat(((DimmerNotReadyException) e).cause())
                        .isEqualTo(DimmerNotReadyException.Cause.INVALID_SNAPSHOT));
    }

    @Test
    void polling_sendsEtag_andKeepsSnapshotOn304() {
        client = fast(server).streaming(false).build();
        client.start().join();
        await("three 304s", Duration.ofSeconds(3), () -> server.notModified.get() >= 3);
        assertThat(server.ifNoneMatch).contains("\"1\"");
        assertThat(client.getTreatment("checkout", "u").treatment()).isEqualTo("on");
        assertThat(client.state()).isEqualTo(ClientState.READY);
    }

    @Test
    void polling_picksUpNewSnapshot_andNotifiesListeners() throws Exception {
        client = fast(server).streaming(false).build();
        List<ConfigurationChange> changes = new CopyOnWriteArrayList<>();
        client.onConfigurationChanged(changes::add);
        client.start().join();
        server.setSnapshot(snapshot(2, flag("checkout", "off"), flag("color", "blue"), flag("new", "on")));
        await("change", Duration.ofSeconds(3), () -> !changes.isEmpty());
        assertThat(changes.get(0)).isEqualTo(new ConfigurationChange(1, 2, java.util.Set.of("checkout", "new")));
        assertThat(client.getTreatment("checkout", "u").treatment()).isEqualTo("off");
    }

    @Test
    void stream_changedEvent_refetchesWithinOneSecond() throws Exception {
        client = fast(server, Duration.ofSeconds(30)).build();
        client.start().join();
        await("stream connected", Duration.ofSeconds(2), () -> server.openStreams() == 1);
        long t0 = System.nanoTime();
        server.publish(snapshot(5, flag("checkout", "off")));
        await(
                "new treatment",
                Duration.ofSeconds(1),
                () -> "off".equals(client.getTreatment("checkout", "u").treatment()));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        // an announcement of what we already have does not refetch (first let the connect-time
        // catch-up fetch and any coalesced follow-up finish, so they are not counted against it)
        Thread.sleep(300);
        int before = server.snapshotRequests.get();
        server.sendToStreams("event: changed\ndata: {\"changeNumber\": 5}\n\n: heartbeat\n\n");
        Thread.sleep(200);
        assertThat(server.snapshotRequests.get()).isEqualTo(before);
    }

    @Test
    void stream_snapshotEvent_isAppliedWithoutARequest_andABadOneFallsBackToAFetch() throws Exception {
        client = fast(server, Duration.ofSeconds(30)).build();
        List<ConfigurationChange> changes = new CopyOnWriteArrayList<>();
        client.onConfigurationChanged(changes::add);
        client.start().join();
        await("stream connected", Duration.ofSeconds(2), () -> server.openStreams() == 1);
        await("start and catch-up fetches", Duration.ofSeconds(2), () -> server.snapshotRequests.get() >= 2);
        int before = server.snapshotRequests.get();

        server.push(snapshot(6, flag("checkout", "off")));
        await(
                "pushed snapshot applied",
                Duration.ofSeconds(2),
                () -> "off".equals(client.getTreatment("checkout", "u").treatment()));
        assertThat(client.stats().snapshotsStreamed()).isEqualTo(1);
        assertThat(server.snapshotRequests.get()).as("requests after the push").isEqualTo(before);
        assertThat(changes).last().satisfies(change -> {
            assertThat(change.changeNumber()).isEqualTo(6);
            assertThat(change.flagsChanged()).contains("checkout"); // and "color", which the new snapshot lacks
        });

        // overtaken (pushes of two quick changes can arrive out of order): an older snapshot is neither applied nor
        // taken as the ETag, which the fallback fetch below shows
        server.push(snapshot(5, flag("checkout", "on")));
        await("older push handled", Duration.ofSeconds(2), () -> client.stats().snapshotsStreamed() == 2);

        // unreadable: fetched instead, with the pushed snapshot's change number as the ETag (so: 304)
        server.sendToStreams("event:snapshot\ndata:{not json\n\n");
        await("fallback fetch", Duration.ofSeconds(2), () -> server.snapshotRequests.get() == before + 1);
        assertThat(server.ifNoneMatch).last().isEqualTo("\"6\"");
        assertThat(client.getTreatment("checkout", "u").treatment()).isEqualTo("off");
    }

    @Test
    void stream_drops_fallsBackToPolling_andReconnectsWithBackoff() throws Exception {
        client = fast(server).build();
        client.start().join();
        await("stream connected", Duration.ofSeconds(2), () -> server.openStreams() == 1);
        server.setStreamEnabled(false);
        server.dropStreams();
        server.setSnapshot(snapshot(7, flag("checkout", "off")));
        await(
                "polling fallback",
                Duration.ofSeconds(2),
                () -> "off".equals(client.getTreatment("checkout", "u").treatment()));
        await("reconnect attempts", Duration.ofSeconds(3), () -> client.stats().streamReconnects() >= 4);
        server.setStreamEnabled(true);
        await("stream reconnected", Duration.ofSeconds(3), () -> server.openStreams() == 1);
        assertThat(server.streamConnects.get()).isEqualTo(2);
        // backoff: ~4 failed attempts with delays 50,100,200,400 ms (jittered) did not hammer the server
        assertThat(client.stats().streamReconnects()).isLessThan(20);
    }

    @Test
    void stream_silentLongerThanReadTimeout_reconnects() {
        client = fast(server).streamReadTimeout(Duration.ofMillis(200)).build();
        client.start().join();
        await("reconnect after silence", Duration.ofSeconds(3), () -> server.streamConnects.get() >= 2);
        assertThat(client.getTreatment("checkout", "u").treatment()).isEqualTo("on");
    }

    @Test
    void serverStopped_keepsAnsweringFromLastSnapshot_andTurnsStale() {
        client = fast(server).staleAfterPollingIntervals(2).build();
        List<ClientState> states = new CopyOnWriteArrayList<>();
        client.onStateChanged(states::add);
        client.start().join();
        server.close();
        await("stale", Duration.ofSeconds(3), () -> client.state() == ClientState.STALE);
        assertThat(client.getTreatment("checkout", "u").treatment()).isEqualTo("on");
        assertThat(client.getString("color", "u", Map.of(), "none")).isEqualTo("blue");
        assertThat(states).containsSubsequence(ClientState.READY, ClientState.STALE);
        assertThat(client.stats().snapshotFailures()).isPositive();
    }

    @Test
    void bootstrapFile_serverDown_readyAndAnswering(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("snapshot.json");
        Files.write(file, Json.MAPPER.writeValueAsBytes(snapshot(3, flag("checkout", "off"))));
        server.close();
        client = fast(server).bootstrapFile(file).build();
        client.start();
        client.awaitReady(Duration.ofSeconds(1));
        assertThat(client.state()).isEqualTo(ClientState.READY);
        assertThat(client.getTreatment("checkout", "u").treatment()).isEqualTo("off");
        assertThat(client.getTreatment("checkout", "u").changeNumber()).isEqualTo(3);
    }

    @Test
    void bootstrapFile_isReplacedByTheServerSnapshot(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("snapshot.json");
        Files.write(file, Json.MAPPER.writeValueAsBytes(snapshot(99, flag("checkout", "off"))));
        client = fast(server).streaming(false).bootstrapFile(file).build();
        client.start();
        await(
                "server snapshot",
                Duration.ofSeconds(2),
                () -> client.getTreatment("checkout", "u").changeNumber() == 1);
        assertThat(client.getTreatment("checkout", "u").treatment()).isEqualTo("on");
    }

    @Test
    void typedGetters_mapTreatmentsAndConfigs() {
        client = fast(server).streaming(false).build();
        client.start().join();
        assertThat(client.getBoolean("checkout", "u", Map.of(), false)).isTrue();
        assertThat(client.getBoolean("missing", "u", Map.of(), true)).isTrue();
        assertThat(client.getString("color", "u", null, "x")).isEqualTo("blue");
        assertThat(client.getConfig("color", "u", Map.of(), Config.class, null)).isEqualTo(new Config("blue", 3));
        assertThat(client.getConfig("color", "u", Map.of(), Map.class, null)).containsEntry("size", 3);
        assertThat(client.getConfig("checkout", "u", Map.of(), Config.class, new Config("d", 0)))
                .isEqualTo(new Config("d", 0));
        EvaluationResult missing = client.getTreatment("missing", "u");
        assertThat(missing.errorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
        assertThat(missing.label()).isEqualTo("flag not found");
        assertThat(missing.treatment()).isEqualTo(DimmerClient.CONTROL);
        assertThat(client.getTreatment(null, "u").reason()).isEqualTo(Reason.ERROR);
        assertThat(client.stats().evaluations()).isEqualTo(8);
    }

    @Test
    void builder_failsFast() {
        DimmerClient.Builder b = DimmerClient.builder("k");
        assertThatThrownBy(() -> DimmerClient.builder(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(b::build).hasMessageContaining("baseUrl is required");
        assertThatThrownBy(() -> b.baseUrl("ftp://x")).isInstanceOf(IllegalArgumentException.class);
        b.pollingInterval(Duration.ofSeconds(5));
        assertThatThrownBy(() -> b.pollingInterval(Duration.ofSeconds(6)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was already set to PT5S");
        assertThatThrownBy(() -> b.batchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.flushInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.meterRegistry("not a registry")).isInstanceOf(IllegalArgumentException.class);
        b.baseUrl("http://localhost:1");
        DimmerClient built = b.build();
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
        built.close();
    }

    @Test
    void close_beforeStart_isHarmless_andStartAfterCloseFails() {
        client = fast(server).build();
        client.close();
        assertThat(client.start()).isCompletedExceptionally();
        assertThat(client.state()).isEqualTo(ClientState.CLOSED);
        assertThat(client.track("u", "click")).isFalse();
    }
}
