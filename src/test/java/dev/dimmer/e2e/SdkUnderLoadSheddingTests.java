package dev.dimmer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.DimmerClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A replica that sheds load (one ingest slot, no wait) answers some SDK batches with 429 and
 * {@code Retry-After}; the SDKs back off and resend them with the same batch id, so every event
 * ends up stored exactly once and none is dropped.
 */
class SdkUnderLoadSheddingTests {

    static final int CLIENTS = 6;
    static final int EVENTS_PER_CLIENT = 400;

    @Test
    void sdksRetryShedBatchesUntilEveryEventIsStoredOnce() throws Exception {
        try (DimmerServer server = DimmerServer.start(
                SharedServers.database(),
                "--dimmer.ingest.max-concurrent-batches=1",
                "--dimmer.ingest.acquire-timeout=1ms",
                "--dimmer.ingest.retry-after-seconds=1")) {
            Scenario scenario = Scenario.create(server, "shed");
            List<DimmerClient> clients = new ArrayList<>();
            try {
                for (int c = 0; c < CLIENTS; c++) {
                    DimmerClient client = DimmerClient.builder(scenario.sdkKey())
                            .baseUrl(server.baseUrl())
                            .streaming(false)
                            .batchSize(50)
                            .flushInterval(Duration.ofMillis(50))
                            .retries(10, Duration.ofMillis(100))
                            .closeTimeout(Duration.ofSeconds(20))
                            .build();
                    clients.add(client);
                    client.start();
                    client.awaitReady(Duration.ofSeconds(10));
                }
                for (int i = 0; i < EVENTS_PER_CLIENT; i++) {
                    for (int c = 0; c < CLIENTS; c++) {
                        assertThat(clients.get(c).track("user-" + c + "-" + i, "shed.test", 1.0, Map.of()))
                                .isTrue();
                    }
                }
            } finally {
                clients.forEach(DimmerClient::close); // flushes, retrying within its bound
            }
            long eventsSent = 0;
            long eventsDropped = 0;
            for (DimmerClient client : clients) {
                eventsSent += client.stats().eventsSent();
                eventsDropped += client.stats().eventsDropped();
            }
            assertThat(eventsDropped).isZero();
            assertThat(eventsSent).isEqualTo((long) CLIENTS * EVENTS_PER_CLIENT);

            String prometheus = server.admin().get("/actuator/prometheus").text();
            assertThat(counter(prometheus, "shed"))
                    .as("the replica did shed load")
                    .isPositive();
            Long stored =
                    server.jdbc().queryForObject("SELECT count(*) FROM events WHERE type = 'shed.test'", Long.class);
            Long distinct = server.jdbc()
                    .queryForObject("SELECT count(DISTINCT key) FROM events WHERE type = 'shed.test'", Long.class);
            assertThat(stored).as("every event stored once").isEqualTo((long) CLIENTS * EVENTS_PER_CLIENT);
            assertThat(distinct).isEqualTo((long) CLIENTS * EVENTS_PER_CLIENT);
        }
    }

    private static double counter(String prometheus, String outcome) {
        Matcher m = Pattern.compile("dimmer_ingest_batches_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} ([0-9.eE+]+)")
                .matcher(prometheus);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
