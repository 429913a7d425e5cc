package dev.dimmer.server.analysis;

import static dev.dimmer.server.ingest.IngestFixtures.event;
import static dev.dimmer.server.ingest.IngestFixtures.events;
import static dev.dimmer.server.ingest.IngestFixtures.impression;
import static dev.dimmer.server.ingest.IngestFixtures.impressions;
import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dimmer.server.ingest.IngestFixtures;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Issue 12 item 3, "decided before the start means fixed", through the real admin and ingestion APIs: before a flag's
 * first exposure a metric is edited in place; after it, a change of an attached success metric's or a guardrail's
 * definition makes a new version, the metric's report row becomes exploratory (out of the Bonferroni family and of
 * the decision), and the report lists every metric redefined or removed since the start, with what changed, who and
 * when.
 */
@IntegrationTest
class MetricVersionsTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Api admin;
    Api editor;
    String editorName;
    Api sdk;
    String project;

    @BeforeEach
    void setUp() {
        admin = Api.admin(port);
        project = Fixtures.project(admin);
        editorName = "analyst-" + project;
        editor = admin.as(expect(
                        admin.post(
                                "/api/v1/tokens",
                                Map.of("name", editorName, "role", "editor", "projects", List.of(project))),
                        201)
                .json()
                .get("secret")
                .asString());
        sdk = admin.as(IngestFixtures.sdkKey(admin, project, "production"));
        Fixtures.flag(admin, project, "checkout");
        Fixtures.configure(
                admin,
                project,
                "production",
                "checkout",
                Map.of(
                        "enabled",
                        true,
                        "offTreatment",
                        "off",
                        "rules",
                        List.of(),
                        "defaultServe",
                        Map.of(
                                "split",
                                List.of(
                                        Map.of("treatment", "on", "weight", 5000),
                                        Map.of("treatment", "off", "weight", 5000))),
                        "trafficAllocation",
                        10000));
        metric(Map.of(
                "key", "conversion",
                "name", "Checkout conversion",
                "eventType", "checkout.started",
                "aggregation", "CONVERSION",
                "direction", "INCREASE"));
        metric(Map.of(
                "key", "clicks",
                "name", "Clicks",
                "eventType", "click",
                "aggregation", "COUNT",
                "direction", "INCREASE"));
        metric(Map.of(
                "key", "signups",
                "name", "Signups",
                "eventType", "signup",
                "aggregation", "CONVERSION",
                "direction", "INCREASE"));
        metric(Map.of(
                "key", "latency",
                "name", "Page latency",
                "eventType", "page.latency",
                "aggregation", "AVERAGE",
                "direction", "DECREASE",
                "guardrail", true,
                "margin", 0.05));
    }

    @Test
    void aMetricRedefinedAfterTheStartIsExploratoryAndTheReportListsEveryChangeWithWhoAndWhen() throws Exception {
        // Before the first exposure: editing stays in place (version 1, no history).
        JsonNode fixed = expect(editor.patch(metricPath("conversion"), Map.of("eventType", "checkout.completed")), 200)
                .json();
        assertThat(fixed.get("definitionVersion").asInt()).isEqualTo(1);
        JsonNode versions =
                expect(admin.get(metricPath("conversion") + "/versions"), 200).json();
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).get("version").asInt()).isEqualTo(1);
        assertThat(versions.get(0).get("eventType").asString()).isEqualTo("checkout.completed");
        assertThat(versions.get(0).get("definedBy").asString()).isEqualTo("token:" + editorName);
        expect(
                admin.put(
                        "/api/v1/projects/" + project + "/flags/checkout/metrics",
                        Map.of("successMetrics", List.of("conversion", "clicks", "signups"))),
                200);

        // The experiment: 1000 users per arm, conversion 10 % off vs 20 % on, latency the same in both arms.
        Instant start = Instant.now().plusMillis(200);
        List<Object> exposures = new ArrayList<>();
        List<Object> events = new ArrayList<>();
        Instant after = start.plusMillis(100);
        for (int i = 0; i < 1000; i++) {
            exposures.add(impression("checkout", "c-" + i, "off", "default rule", start));
            exposures.add(impression("checkout", "t-" + i, "on", "default rule", start));
            if (i % 10 == 0) {
                events.add(event("c-" + i, "checkout.completed", null, after));
            }
            if (i % 5 == 0) {
                events.add(event("t-" + i, "checkout.completed", null, after));
            }
            events.add(event("c-" + i, "page.latency", 200 + (i % 21 - 10), after));
            events.add(event("t-" + i, "page.latency", 200 + (i % 21 - 10), after));
        }
        send("impressions", exposures);
        send("events", events);
        sleepUntil(after.plusMillis(50));

        JsonNode before = refresh("production");
        JsonNode conversion = metric(before, "conversion");
        assertThat(conversion.get("exploratory").asBoolean()).isFalse();
        assertThat(conversion.get("redefinedAfterStart").asBoolean()).isFalse();
        assertThat(conversion.get("definitionVersion").asInt()).isEqualTo(1);
        // three confirmatory success metrics × one treatment: α/3
        assertThat(conversion.get("treatments").get(0).get("alpha").asDouble()).isCloseTo(0.05 / 3, within(1e-12));
        assertThat(conversion.get("treatments").get(0).get("verdict").asString())
                .isEqualTo("IMPROVED");
        assertThat(before.get("decision").get("outcome").asString()).isEqualTo("SHIP");
        assertThat(before.get("metricChanges")).isEmpty();

        // After the start, as the editor: redefine conversion, detach clicks, archive signups, loosen the guardrail,
        // and rename conversion (a name is not part of the definition).
        Instant changesFrom = Instant.now();
        JsonNode redefined = expect(
                        editor.patch(metricPath("conversion"), Map.of("aggregation", "COUNT", "cuped", true)), 200)
                .json();
        assertThat(redefined.get("definitionVersion").asInt()).isEqualTo(2);
        expect(
                editor.put(
                        "/api/v1/projects/" + project + "/flags/checkout/metrics",
                        Map.of("successMetrics", List.of("conversion", "signups"))),
                200);
        expect(editor.delete(metricPath("signups")), 200);
        expect(editor.patch(metricPath("latency"), Map.of("margin", 0.5)), 200);
        JsonNode renamed = expect(editor.patch(metricPath("conversion"), Map.of("name", "Conversion")), 200)
                .json();
        assertThat(renamed.get("definitionVersion").asInt()).isEqualTo(2);
        Instant changesTo = Instant.now();

        versions =
                expect(admin.get(metricPath("conversion") + "/versions"), 200).json();
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).get("aggregation").asString()).isEqualTo("CONVERSION");
        assertThat(versions.get(1).get("version").asInt()).isEqualTo(2);
        assertThat(versions.get(1).get("aggregation").asString()).isEqualTo("COUNT");
        assertThat(versions.get(1).get("cuped").asBoolean()).isTrue();
        assertThat(versions.get(1).get("definedBy").asString()).isEqualTo("token:" + editorName);

        JsonNode report = refresh("production");
        conversion = metric(report, "conversion");
        assertThat(conversion.get("exploratory").asBoolean()).isTrue();
        assertThat(conversion.get("redefinedAfterStart").asBoolean()).isTrue();
        assertThat(conversion.get("startVersion").asInt()).isEqualTo(1);
        assertThat(conversion.get("definitionVersion").asInt()).isEqualTo(2);
        assertThat(conversion.get("aggregation").asString()).isEqualTo("COUNT");
        // analysed alone, at the full α: no longer in the Bonferroni family
        assertThat(conversion.get("treatments").get(0).get("alpha").asDouble()).isEqualTo(0.05);
        assertThat(conversion.get("treatments").get(0).get("verdict").asString())
                .isEqualTo("IMPROVED");
        JsonNode latency = metric(report, "latency");
        assertThat(latency.get("guardrail").asBoolean()).isTrue();
        assertThat(latency.get("exploratory").asBoolean()).isTrue();
        assertThat(latency.get("redefinedAfterStart").asBoolean()).isTrue();
        assertThat(report.get("metrics").findValuesAsString("key")).containsExactly("conversion", "latency");
        // The improvement is still there, but no confirmatory metric is left to decide: not a ship.
        assertThat(report.get("decision").get("outcome").asString()).isEqualTo("KEEP_RUNNING");
        assertThat(report.get("decision").get("summary").asString()).contains("No metric decides");

        JsonNode changes = report.get("metricChanges");
        assertThat(changes.findValuesAsString("metric")).containsExactly("conversion", "clicks", "signups", "latency");
        assertThat(changes.findValuesAsString("change"))
                .containsExactly("REDEFINED", "REMOVED", "REMOVED", "REDEFINED");
        for (JsonNode change : changes) {
            assertThat(change.get("changedBy").asString()).isEqualTo("token:" + editorName);
            Instant at = Instant.parse(change.get("changedAt").asString());
            assertThat(at).isBetween(changesFrom.minusMillis(1), changesTo.plusMillis(1));
        }
        JsonNode first = changes.get(0);
        assertThat(first.get("fromVersion").asInt()).isEqualTo(1);
        assertThat(first.get("toVersion").asInt()).isEqualTo(2);
        assertThat(fields(first)).containsExactly("aggregation: CONVERSION → COUNT", "cuped: false → true");
        assertThat(changes.get(1).get("reason").asString()).isEqualTo("detached from the flag");
        assertThat(changes.get(1).get("toVersion").isNull()).isTrue();
        assertThat(changes.get(2).get("reason").asString()).isEqualTo("metric archived");
        assertThat(fields(changes.get(3))).containsExactly("margin: 0.05 → 0.5");
        // what GET shows is what was stored
        assertThat(expect(admin.get(reportPath("production")), 200)
                        .json()
                        .get("metricChanges")
                        .findValuesAsString("metric"))
                .containsExactly("conversion", "clicks", "signups", "latency");

        // Audited as before, the definition's version in the entry.
        JsonNode audit = admin.get("/api/v1/audit?project=" + project + "&actor=token:" + editorName)
                .json();
        assertThat(audit.findValuesAsString("action")).contains("update", "update-metrics", "archive");
        assertThat(audit.findValues("after").stream()
                        .filter(a -> a.has("definitionVersion"))
                        .map(a -> a.get("definitionVersion").asInt()))
                .contains(2);

        // Staging never started (no exposure there): nothing is exploratory, nothing listed.
        JsonNode staging = refresh("staging");
        assertThat(metric(staging, "conversion").get("exploratory").asBoolean()).isFalse();
        assertThat(metric(staging, "conversion").get("redefinedAfterStart").asBoolean())
                .isFalse();
        assertThat(staging.get("metricChanges")).isEmpty();

        // Back to the definition the experiment started with: a new version, confirmatory again (it is the question
        // asked before the start), and the history keeps both changes.
        JsonNode reverted = expect(
                        editor.patch(metricPath("conversion"), Map.of("aggregation", "CONVERSION", "cuped", false)),
                        200)
                .json();
        assertThat(reverted.get("definitionVersion").asInt()).isEqualTo(3);
        JsonNode again = refresh("production");
        conversion = metric(again, "conversion");
        assertThat(conversion.get("exploratory").asBoolean()).isFalse();
        assertThat(conversion.get("redefinedAfterStart").asBoolean()).isFalse();
        assertThat(conversion.get("treatments").get(0).get("alpha").asDouble()).isEqualTo(0.05);
        assertThat(again.get("metricChanges").findValuesAsString("metric"))
                .containsExactly("conversion", "clicks", "signups", "latency", "conversion");
        assertThat(again.get("decision").get("outcome").asString()).isEqualTo("SHIP");
    }

    private static List<String> fields(JsonNode change) {
        List<String> fields = new ArrayList<>();
        change.get("fields")
                .forEach(f -> fields.add(f.get("field").asString() + ": "
                        + f.get("from").asString() + " → " + f.get("to").asString()));
        return fields;
    }

    private void metric(Map<String, Object> body) {
        expect(admin.post("/api/v1/projects/" + project + "/metrics", body), 201);
    }

    private String metricPath(String key) {
        return "/api/v1/projects/" + project + "/metrics/" + key;
    }

    private String reportPath(String environment) {
        return "/api/v1/projects/" + project + "/environments/" + environment + "/flags/checkout/report";
    }

    private JsonNode refresh(String environment) {
        return expect(admin.post(reportPath(environment) + "/refresh", null), 200)
                .json();
    }

    private void send(String kind, List<Object> items) {
        for (int from = 0; from < items.size(); from += 1000) {
            List<Object> batch = items.subList(from, Math.min(items.size(), from + 1000));
            String id = UUID.randomUUID().toString();
            expect(
                    sdk.post(
                            "/api/sdk/v1/" + kind,
                            kind.equals("impressions") ? impressions(id, batch) : events(id, batch)),
                    202);
        }
    }

    private static JsonNode metric(JsonNode report, String key) {
        for (JsonNode m : report.get("metrics")) {
            if (m.get("key").asString().equals(key)) {
                return m;
            }
        }
        throw new AssertionError("no metric " + key + " in " + report);
    }

    private static void sleepUntil(Instant instant) throws InterruptedException {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
