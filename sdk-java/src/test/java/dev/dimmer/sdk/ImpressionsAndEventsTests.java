package dev.dimmer.sdk;

import static dev.dimmer.sdk.Fixtures.await;
import static dev.dimmer.sdk.Fixtures.fast;
import static dev.dimmer.sdk.Fixtures.standard;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.Fixtures.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImpressionsAndEventsTests {

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

    @Test
    void impressions_dedupedPerHour_forIdenticalFlagKeyTreatmentLabel() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
        client = fast(server).streaming(false).clock(clock).build();
        client.start().join();
        for (int i = 0; i < 100; i++) {
            client.getTreatment("checkout", "user-1");
        }
        client.getTreatment("checkout", "user-2");
        client.getTreatment("color", "user-1");
        clock.advance(Duration.ofMinutes(59));
        client.getTreatment("checkout", "user-1"); // same hour
        clock.advance(Duration.ofMinutes(2));
        client.getTreatment("checkout", "user-1"); // next hour
        client.getTreatment("missing", "user-1"); // errors record no impression
        client.close();
        List<Map<String, Object>> stored = server.stored(server.impressions, "impressions");
        assertThat(stored).hasSize(4);
        assertThat(stored.get(0))
                .containsEntry("flag", "checkout")
                .containsEntry("key", "user-1")
                .containsEntry("treatment", "on")
                .containsEntry("label", "default rule")
                .containsEntry("changeNumber", 1)
                .containsEntry("time", "2026-01-01T10:00:00Z");
        assertThat(client.stats().impressionsDeduplicated()).isEqualTo(100);
        assertThat(server.impressions.get(0).body().get("sdk"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("name", "dimmer-java")
                .containsKey("instanceId");
    }

    @Test
    void impressions_onTheSystemClock_theWindowRollsOverOnATimer() {
        // The client's own clock and a window of at least a second: the window number is kept by a timer, not read
        // per evaluation (DedupeWindow). A repeat is skipped, and recorded again once the next window has begun.
        client = fast(server)
                .streaming(false)
                .impressionDedupe(Duration.ofSeconds(1), 100)
                .build();
        client.start().join();
        client.getTreatment("checkout", "user-1");
        assertThat(client.stats().impressionsQueued()).isEqualTo(1);
        await(
                "a repeat skipped",
                Duration.ofSeconds(5),
                () -> client.getTreatment("checkout", "user-1") != null
                        && client.stats().impressionsDeduplicated() > 0);
        long queued = client.stats().impressionsQueued();
        await(
                "the same impression recorded in a later window",
                Duration.ofSeconds(5),
                () -> client.getTreatment("checkout", "user-1") != null
                        && client.stats().impressionsQueued() > queued);
    }

    @Test
    void queues_areBounded_dropsCounted_callerNeverBlocks() {
        server.postDelayMillis = 2_000; // a slow server must not slow the caller
        client = fast(server)
                .streaming(false)
                .eventQueueSize(100)
                .impressionQueueSize(10)
                .impressionDedupe(Duration.ZERO, 10)
                .batchSize(50)
                .closeTimeout(Duration.ofMillis(200))
                .build();
        client.start().join();
        long worst = 0;
        int accepted = 0;
        for (int i = 0; i < 10_000; i++) {
            long t0 = System.nanoTime();
            if (client.track("user-" + i, "click", 1.0, Map.of("i", i))) {
                accepted++;
            }
            client.getTreatment("checkout", "user-" + i);
            worst = Math.max(worst, System.nanoTime() - t0);
        }
        ClientStats stats = client.stats();
        assertThat(accepted).isBetween(100, 200); // queue + at most a batch or two taken by the sender
        assertThat(stats.eventsQueued() + stats.eventsDropped()).isEqualTo(10_000);
        assertThat(stats.eventsDropped()).isGreaterThanOrEqualTo(9_800);
        assertThat(stats.impressionsDropped()).isGreaterThanOrEqualTo(9_900);
        // A caller that waited for the server would have waited out its delay at least once: the bound is that
        // delay, the cause to rule out, not a speed target (a loaded machine pauses a call for 200 ms now and then).
        assertThat(Duration.ofNanos(worst)).isLessThan(Duration.ofMillis(server.postDelayMillis));
    }

    @Test
    void batches_carryUuidBatchId_andRetryAfter503KeepsTheSameId() {
        server.postScript.add(new int[] {503});
        server.postScript.add(new int[] {503});
        client = fast(server)
                .streaming(false)
                .flushInterval(Duration.ofMillis(50))
                .build();
        client.start().join();
        client.track("user-1", "purchase", 9.5, Map.of("sku", "A1"));
        await(
                "stored",
                Duration.ofSeconds(3),
                () -> server.stored(server.events, "events").size() == 1);
        assertThat(server.events).hasSize(3);
        Set<String> ids =
                server.events.stream().map(FakeDimmerServer.Received::batchId).collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        assertThat(UUID.fromString(ids.iterator().next())).isNotNull();
        assertThat(server.events.stream().map(FakeDimmerServer.Received::status))
                .containsExactly("503", "503", "202");
        Map<String, Object> event = server.stored(server.events, "events").get(0);
        assertThat(event)
                .containsEntry("key", "user-1")
                .containsEntry("type", "purchase")
                .containsEntry("value", 9.5)
                .containsEntry("properties", Map.of("sku", "A1"))
                .containsKey("time");
        // The server records the batch before the client has read its 202: wait for the client's count.
        await("counted as sent", Duration.ofSeconds(3), () -> client.stats().eventsSent() == 1);
        assertThat(client.stats().eventsSent()).isEqualTo(1);
    }

    @Test
    void status429_retryAfterIsHonoured() {
        server.postScript.add(new int[] {429, 1});
        client = fast(server)
                .streaming(false)
                .flushInterval(Duration.ofMillis(50))
                .build();
        client.start().join();
        client.track("user-1", "click");
        await(
                "stored",
                Duration.ofSeconds(4),
                () -> server.stored(server.events, "events").size() == 1);
        assertThat(server.events).hasSize(2);
        long gap = server.events.get(1).atNanos() - server.events.get(0).atNanos();
        assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(server.events.get(1).batchId())
                .isEqualTo(server.events.get(0).batchId());
    }

    @Test
    void loadSheddingLongerThanTheRetryBudget_isWaitedOut_nothingDropped() {
        for (int i = 0; i < 6; i++) {
            server.postScript.add(new int[] {429, 0});
        }
        server.postScript.add(new int[] {429, -1}); // no Retry-After: the backoff decides
        server.postScript.add(new int[] {503, 0}); // unavailable, but says when to come back
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        client = fast(server) // 4 attempts for failures, 20 ms first backoff
                .streaming(false)
                .flushInterval(Duration.ofMillis(50))
                .meterRegistry(registry)
                .build();
        for (int i = 0; i < 20; i++) {
            client.track("user-" + i, "click");
        }
        client.start().join();
        await(
                "stored",
                Duration.ofSeconds(10),
                () -> server.stored(server.events, "events").size() == 20);
        assertThat(server.events).hasSize(9);
        assertThat(server.events.stream()
                        .map(FakeDimmerServer.Received::batchId)
                        .distinct())
                .hasSize(1);
        await("counted as sent", Duration.ofSeconds(3), () -> client.stats().eventsSent() == 20);
        ClientStats stats = client.stats();
        assertThat(stats.eventsDropped()).isZero();
        assertThat(stats.batchesThrottled()).isEqualTo(8);
        assertThat(registry.get("dimmer.sdk.batches.throttled")
                        .functionCounter()
                        .count())
                .isEqualTo(8);
        assertThat(registry.get("dimmer.sdk.events.dropped").functionCounter().count())
                .isZero();
    }

    @Test
    void whileTheServerShedsLoad_theQueueBoundDecidesDrops_countedInStatsAndMeters() {
        server.postScript.add(new int[] {429, 2});
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        client = fast(server)
                .streaming(false)
                .flushInterval(Duration.ofMillis(50))
                .eventQueueSize(10)
                .meterRegistry(registry)
                .build();
        for (int i = 0; i < 5; i++) {
            client.track("early-" + i, "click");
        }
        client.start().join();
        await("shed", Duration.ofSeconds(3), () -> server.events.size() == 1);
        int accepted = 0;
        for (int i = 0; i < 30; i++) {
            if (client.track("late-" + i, "click")) {
                accepted++;
            }
        }
        assertThat(accepted).isEqualTo(10); // no batch is cut while one waits: the queue fills
        assertThat(client.stats().eventsDropped()).isEqualTo(20);
        assertThat(registry.get("dimmer.sdk.events.dropped").functionCounter().count())
                .isEqualTo(20);
        await(
                "stored",
                Duration.ofSeconds(10),
                () -> server.stored(server.events, "events").size() == 15);
        assertThat(client.stats().eventsDropped()).isEqualTo(20);
    }

    @Test
    void status400_isNotRetried_andCountsAsDropped() throws Exception {
        server.postScript.add(new int[] {400});
        client = fast(server)
                .streaming(false)
                .flushInterval(Duration.ofMillis(50))
                .build();
        client.start().join();
        client.track("user-1", "click");
        client.track("user-2", "click");
        await("rejected", Duration.ofSeconds(2), () -> client.stats().eventsDropped() == 2);
        Thread.sleep(300);
        assertThat(server.events).hasSize(1);
        assertThat(client.stats().eventsSent()).isZero();
    }

    @Test
    void status413_splitsTheBatchInHalf() {
        server.postScript.add(new int[] {413});
        client = fast(server)
                .streaming(false)
                .flushInterval(Duration.ofMillis(50))
                .build();
        for (int i = 0; i < 10; i++) {
            client.track("user-" + i, "click");
        }
        client.start().join();
        await(
                "stored",
                Duration.ofSeconds(3),
                () -> server.stored(server.events, "events").size() == 10);
        assertThat(server.events).hasSize(3);
        assertThat(server.events.get(1).items("events")).hasSize(5);
        assertThat(server.events.get(2).items("events")).hasSize(5);
        assertThat(server.events.get(1).batchId())
                .isNotEqualTo(server.events.get(2).batchId());
    }

    @Test
    void close_flushesPendingWithinBound_andStopsEveryThread() throws Exception {
        server.close();
        server = new FakeDimmerServer(standard(1));
        int baseline = liveThreads();
        client = fast(server).flushInterval(Duration.ofSeconds(60)).build();
        client.start().join();
        await("stream", Duration.ofSeconds(2), () -> server.openStreams() == 1);
        for (int i = 0; i < 25; i++) {
            client.track("user-" + i, "click");
            client.getTreatment("checkout", "user-" + i);
        }
        assertThat(dimmerThreads()).isNotEmpty();
        long t0 = System.nanoTime();
        client.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(server.stored(server.events, "events")).hasSize(25);
        assertThat(server.stored(server.impressions, "impressions")).hasSize(25);
        assertThat(dimmerThreads()).isEmpty();
        client = null;
        server.close();
        // HttpClient (Java 17) has no close(): its selector thread ends once the client is unreachable
        await("threads back to baseline", Duration.ofSeconds(15), () -> {
            System.gc();
            return liveThreads() <= baseline;
        });
    }

    @Test
    void close_givesUpAfterTheBound_whenTheServerKeepsFailing() {
        for (int i = 0; i < 100; i++) {
            server.postScript.add(new int[] {503});
        }
        client = DimmerClient.builder(FakeDimmerServer.KEY)
                .baseUrl(server.baseUrl())
                .streaming(false)
                .flushInterval(Duration.ofSeconds(60))
                .retries(100, Duration.ofMillis(50))
                .closeTimeout(Duration.ofMillis(500))
                .build();
        client.start().join();
        client.track("user-1", "click");
        long t0 = System.nanoTime();
        client.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1500));
        assertThat(client.stats().eventsDropped()).isEqualTo(1);
        assertThat(dimmerThreads()).isEmpty();
    }

    @Test
    void suppliedScheduler_isUsed_andLeftRunning() {
        java.util.concurrent.ScheduledExecutorService mine = java.util.concurrent.Executors.newScheduledThreadPool(1);
        try {
            client = fast(server).streaming(false).scheduler(mine).build();
            client.start().join();
            client.track("u", "click");
            client.close();
            assertThat(mine.isShutdown()).isFalse();
            assertThat(server.stored(server.events, "events")).hasSize(1);
        } finally {
            mine.shutdownNow();
        }
    }

    @Test
    void micrometerMeters_registeredWhenARegistryIsPassed() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        client = fast(server).streaming(false).meterRegistry(registry).build();
        client.start().join();
        client.getTreatment("checkout", "u");
        client.getTreatment("checkout", "u");
        client.track("u", "click");
        assertThat(registry.get("dimmer.sdk.evaluations").functionCounter().count())
                .isEqualTo(2);
        assertThat(registry.get("dimmer.sdk.impressions.queued")
                        .functionCounter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("dimmer.sdk.events.queued").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("dimmer.sdk.snapshot.fetches").functionCounter().count())
                .isPositive();
        assertThat(registry.get("dimmer.sdk.snapshot.age").gauge().value()).isBetween(0.0, 5.0);
        for (String name : List.of(
                "dimmer.sdk.impressions.dropped",
                "dimmer.sdk.impressions.sent",
                "dimmer.sdk.events.dropped",
                "dimmer.sdk.events.sent",
                "dimmer.sdk.snapshot.failures",
                "dimmer.sdk.stream.reconnects")) {
            assertThat(registry.find(name).functionCounter()).as(name).isNotNull();
        }
    }

    static List<String> dimmerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("dimmer-sdk"))
                .toList();
    }

    static int liveThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .count();
    }
}
