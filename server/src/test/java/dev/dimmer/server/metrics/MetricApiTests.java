package dev.dimmer.server.metrics;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class MetricApiTests {

    @LocalServerPort
    int port;

    Api api;
    String project;
    String base;

    @BeforeEach
    void setUp() {
        api = Api.admin(port);
        project = Fixtures.project(api);
        base = "/api/v1/projects/" + project + "/metrics";
    }

    static Map<String, Object> conversion(String key) {
        return new HashMap<>(Map.of(
                "key",
                key,
                "name",
                "Checkout conversion",
                "eventType",
                "checkout.completed",
                "aggregation",
                "CONVERSION",
                "direction",
                "INCREASE"));
    }

    static Map<String, Object> errors(String key) {
        return new HashMap<>(Map.of(
                "key",
                key,
                "name",
                "Errors",
                "eventType",
                "error",
                "aggregation",
                "COUNT",
                "direction",
                "DECREASE",
                "guardrail",
                true,
                "margin",
                0.02,
                "killThreshold",
                0.2));
    }

    @Test
    void createsListsGetsUpdatesAndArchivesMetrics() {
        JsonNode created = expect(api.post(base, conversion("conversion")), 201).json();
        assertThat(created.get("aggregation").asString()).isEqualTo("CONVERSION");
        assertThat(created.get("guardrail").asBoolean()).isFalse();
        expect(api.post(base, errors("errors")), 201);

        assertThat(api.get(base).json().findValuesAsString("key")).containsExactly("conversion", "errors");
        assertThat(api.get(base + "?guardrail=true").json().findValuesAsString("key"))
                .containsExactly("errors");
        assertThat(api.get(base + "/errors").json().get("killThreshold").asDouble())
                .isEqualTo(0.2);

        JsonNode updated = expect(api.patch(base + "/conversion", Map.of("name", "Conversion", "cuped", true)), 200)
                .json();
        assertThat(updated.get("cuped").asBoolean()).isTrue();
        assertThat(updated.get("version").asLong()).isEqualTo(2);

        assertThat(expect(api.delete(base + "/conversion"), 200)
                        .json()
                        .get("archived")
                        .asBoolean())
                .isTrue();
        assertThat(api.get(base).json().findValuesAsString("key")).containsExactly("errors");
        assertThat(api.get("/api/v1/audit?project=" + project).json().findValuesAsString("entityType"))
                .contains("metric");
    }

    @Test
    void rejectsBadMetricsNamingEveryField() {
        var bad = api.post(
                base,
                Map.of(
                        "key",
                        "Bad Key",
                        "name",
                        "",
                        "eventType",
                        "has space",
                        "aggregation",
                        "MEDIAN",
                        "direction",
                        "UP",
                        "margin",
                        2,
                        "killThreshold",
                        -1));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsString("pointer"))
                .containsExactlyInAnyOrder(
                        "/key", "/name", "/eventType", "/aggregation", "/direction", "/margin", "/killThreshold");
        Map<String, Object> cupedRatio = conversion("ratio");
        cupedRatio.put("aggregation", "AVERAGE");
        cupedRatio.put("cuped", true);
        assertThat(api.post(base, cupedRatio)
                        .json()
                        .get("errors")
                        .get(0)
                        .get("pointer")
                        .asString())
                .isEqualTo("/cuped");
        expect(api.post(base, conversion("twice")), 201);
        expect(api.post(base, conversion("twice")), 409);
        expect(api.get(base + "/nope"), 404);
    }

    @Test
    void aFlagNamesItsSuccessMetricsAndControlAndSeesEveryGuardrail() {
        Fixtures.flag(api, project, "checkout");
        expect(api.post(base, conversion("conversion")), 201);
        expect(api.post(base, errors("errors")), 201);
        String path = "/api/v1/projects/" + project + "/flags/checkout/metrics";

        JsonNode empty = expect(api.get(path), 200).json();
        assertThat(empty.get("successMetrics")).isEmpty();
        assertThat(empty.get("guardrails").valueStream().map(JsonNode::asString))
                .containsExactly("errors");

        JsonNode set = expect(
                        api.put(path, Map.of("controlTreatment", "off", "successMetrics", List.of("conversion"))), 200)
                .json();
        assertThat(set.get("controlTreatment").asString()).isEqualTo("off");
        assertThat(set.get("successMetrics").get(0).get("key").asString()).isEqualTo("conversion");
        String addedAt = set.get("successMetrics").get(0).get("addedAt").asString();
        JsonNode again = expect(api.put(path, Map.of("successMetrics", List.of("conversion"))), 200)
                .json();
        assertThat(again.get("successMetrics").get(0).get("addedAt").asString())
                .as("re-saving keeps the original time")
                .isEqualTo(addedAt);

        var bad = api.put(path, Map.of("controlTreatment", "maybe", "successMetrics", List.of("nope", "errors")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsString("pointer"))
                .containsExactlyInAnyOrder("/controlTreatment", "/successMetrics/0", "/successMetrics/1");
    }
}
