package dev.dimmer.e2e;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.ClientStats;
import dev.dimmer.sdk.DimmerClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The SDK's sender against the real ingestion API: what services evaluate and track reaches the
 * exposure report and the experiment report, each batch once.
 */
class SdkSendsImpressionsAndEventsTests {

    static DimmerServer server;

    @BeforeAll
    static void startServer() {
        server = SharedServers.replicaA();
    }

    @Test
    void evaluationsAndTrackedEventsReachTheExposureAndTheReport() {
        Scenario scenario = Scenario.create(server, "new-checkout");
        scenario.configure(Scenario.dogfoodThenSplit(5000));
        String metrics = "/api/v1/projects/" + scenario.project() + "/metrics";
        expect(
                scenario.admin()
                        .post(
                                metrics,
                                Map.of(
                                        "key",
                                        "purchases",
                                        "name",
                                        "Purchases",
                                        "eventType",
                                        "purchase",
                                        "aggregation",
                                        "CONVERSION",
                                        "direction",
                                        "INCREASE")),
                201);
        expect(
                scenario.admin()
                        .put(
                                "/api/v1/projects/" + scenario.project() + "/flags/new-checkout/metrics",
                                Map.of("successMetrics", List.of("purchases"))),
                200);

        Map<String, Integer> served = new HashMap<>();
        ClientStats stats;
        try (DimmerClient client = Scenario.client(server, scenario.sdkKey())
                .flushInterval(Duration.ofMillis(200))
                .build()) {
            client.start();
            client.awaitReady(Duration.ofSeconds(10));
            for (int i = 0; i < 300; i++) {
                String key = "user-" + i;
                String treatment = client.getTreatment("new-checkout", key, Map.of("email", key + "@customer.test"))
                        .treatment();
                client.getTreatment("new-checkout", key, Map.of("email", key + "@customer.test")); // deduplicated
                served.merge(treatment, 1, Integer::sum);
                if (treatment.equals("on") || i % 2 == 0) {
                    assertThat(client.track(key, "purchase", 10.0, Map.of("currency", "EUR")))
                            .isTrue();
                }
            }
            client.flush();
            stats = client.stats();
        } // close() flushes what is left within its bound
        assertThat(stats.impressionsDeduplicated()).isEqualTo(300);

        String flagPath = "/api/v1/projects/" + scenario.project() + "/environments/production/flags/new-checkout";
        JsonNode exposure =
                expect(scenario.admin().get(flagPath + "/exposure"), 200).json();
        assertThat(exposure.get("uniqueKeys").asLong()).isEqualTo(300);
        assertThat(exposure.get("impressions").asLong())
                .as("one impression per key: the repeat was deduplicated")
                .isEqualTo(300);
        for (JsonNode arm : exposure.get("treatments")) {
            assertThat(arm.get("uniqueKeys").asInt())
                    .isEqualTo(served.get(arm.get("treatment").asString()));
        }
        assertThat(exposure.get("sdks").get(0).get("name").asString()).isEqualTo("dimmer-java");

        JsonNode report = expect(scenario.admin().post(flagPath + "/report/refresh", null), 200)
                .json();
        JsonNode purchases = report.get("metrics").get(0);
        assertThat(purchases.get("key").asString()).isEqualTo("purchases");
        JsonNode on = purchases.get("treatments").get(0);
        assertThat(on.get("treatmentMean").asDouble())
                .as("every 'on' user purchased")
                .isEqualTo(1.0);
        assertThat(on.get("controlMean").asDouble())
                .as("about half the 'off' users purchased")
                .isBetween(0.35, 0.65);
    }
}
