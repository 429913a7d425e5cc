package dev.dimmer.sdk;

import static dev.dimmer.sdk.Fixtures.fast;
import static dev.dimmer.sdk.Fixtures.standard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DimmerClient#time}: latency and error events in the documented shape, through the SDK's event pipeline. */
class TimingTests {

    private FakeDimmerServer server;
    private DimmerClient client;

    @BeforeEach
    void start() throws Exception {
        server = new FakeDimmerServer(standard(1));
        client = fast(server).streaming(false).build();
        client.start().join();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private List<Map<String, Object>> sentEvents() {
        client.close(); // flushes what is queued
        return server.stored(server.events, "events");
    }

    @Test
    void time_returnsTheResult_andRecordsOneLatencyEventInMilliseconds() {
        String result = client.time("user-1", "checkout", () -> {
            spin(5_000_000); // 5 ms of work
            return "paid";
        });

        assertThat(result).isEqualTo("paid");
        List<Map<String, Object>> events = sentEvents();
        assertThat(events).hasSize(1);
        Map<String, Object> latency = events.get(0);
        assertThat(latency)
                .containsEntry("key", "user-1")
                .containsEntry("type", Timing.LATENCY_EVENT)
                .containsEntry("properties", Map.of("operation", "checkout", "outcome", "ok"));
        assertThat(((Number) latency.get("value")).doubleValue()).isGreaterThanOrEqualTo(5.0);
    }

    @Test
    void time_whenTheBlockThrows_recordsLatencyAndError_andRethrowsTheSameCheckedException() {
        IOException boom = new IOException("disk on fire");

        assertThatThrownBy(() -> client.time("user-2", "upload", () -> {
                    if (boom != null) {
                        throw boom;
                    }
                    return 1;
                }))
                .isSameAs(boom);

        List<Map<String, Object>> events = sentEvents();
        assertThat(events).hasSize(2);
        assertThat(events)
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("key", "user-2")
                        .containsEntry("type", "latency")
                        .containsEntry("properties", Map.of("operation", "upload", "outcome", "error")))
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("key", "user-2")
                        .containsEntry("type", "error")
                        .containsEntry("value", 1.0)
                        .containsEntry(
                                "properties", Map.of("operation", "upload", "exception", "java.io.IOException")));
    }

    @Test
    void time_ofATaskWithoutResult_recordsLikeWork_andUncheckedFailuresToo() {
        AtomicInteger ran = new AtomicInteger();
        client.time("user-3", "refresh", () -> {
            ran.incrementAndGet();
        });
        assertThatThrownBy(() -> client.time("user-3", "refresh", () -> {
                    throw new IllegalStateException("no");
                }))
                .isInstanceOf(IllegalStateException.class);

        assertThat(ran).hasValue(1);
        List<Map<String, Object>> events = sentEvents();
        assertThat(events).extracting(e -> e.get("type")).containsExactlyInAnyOrder("latency", "latency", "error");
        assertThat(events)
                .filteredOn(e -> e.get("type").equals("error"))
                .singleElement()
                .satisfies(e -> assertThat(e.get("properties"))
                        .isEqualTo(Map.of("operation", "refresh", "exception", "java.lang.IllegalStateException")));
    }

    @Test
    void time_withoutAUserKey_runsTheBlockButRecordsNothing() {
        assertThat(client.time("", "checkout", () -> 7)).isEqualTo(7);
        assertThat(client.time(null, "checkout", () -> 8)).isEqualTo(8);

        assertThat(sentEvents()).isEmpty();
    }

    @Test
    void time_evaluatingAFlagInside_recordsForTheSameKeyTheImpressionHas() {
        boolean on = client.time("user-4", "checkout", () -> client.getBoolean("checkout", "user-4", Map.of(), false));

        assertThat(on).isTrue();
        List<Map<String, Object>> events = sentEvents();
        List<Map<String, Object>> impressions = server.stored(server.impressions, "impressions");
        assertThat(impressions).singleElement().satisfies(i -> assertThat(i).containsEntry("key", "user-4"));
        assertThat(events).singleElement().satisfies(e -> assertThat(e).containsEntry("key", "user-4"));
    }

    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
