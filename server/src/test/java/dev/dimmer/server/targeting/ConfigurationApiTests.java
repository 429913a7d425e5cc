package dev.dimmer.server.targeting;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class ConfigurationApiTests {

    @LocalServerPort
    int port;

    Api api;
    String project;
    String path;

    @BeforeEach
    void setUp() {
        api = Api.admin(port);
        project = Fixtures.project(api);
        Fixtures.flag(api, project, "checkout");
        path = "/api/v1/projects/" + project + "/environments/production/flags/checkout";
    }

    static Map<String, Object> rampTo(int onWeight) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", true);
        body.put("offTreatment", "off");
        body.put(
                "rules",
                List.of(Map.of(
                        "id", "dogfood",
                        "conditions",
                                List.of(Map.of(
                                        "attribute",
                                        "email",
                                        "operator",
                                        "ENDS_WITH",
                                        "values",
                                        List.of("@example.com"))),
                        "serve", Map.of("treatment", "on"))));
        body.put(
                "defaultServe",
                Map.of(
                        "split",
                        List.of(
                                Map.of("treatment", "on", "weight", onWeight),
                                Map.of("treatment", "off", "weight", 10000 - onWeight))));
        body.put("trafficAllocation", 10000);
        return body;
    }

    @Test
    void getsAndReplacesWithETagsAndBumpsTheChangeNumber() {
        var current = expect(api.get(path), 200);
        assertThat(current.header("ETag")).isEqualTo("\"1\"");
        long changeBefore = changeNumber();

        var updated = expect(api.withHeader("If-Match", "\"1\"").put(path, rampTo(100)), 200);
        assertThat(updated.header("ETag")).isEqualTo("\"2\"");
        JsonNode config = updated.json();
        assertThat(config.get("enabled").asBoolean()).isTrue();
        assertThat(config.get("rules").get(0).get("id").asString()).isEqualTo("dogfood");
        assertThat(config.get("defaultServe").get("split").get(0).get("weight").asInt())
                .isEqualTo(100);
        assertThat(config.get("seed").asInt())
                .as("seed kept when omitted")
                .isEqualTo(current.json().get("seed").asInt());
        assertThat(changeNumber()).isEqualTo(changeBefore + 1);
    }

    @Test
    void aStaleIfMatchIs412AndChangesNothing() {
        expect(api.withHeader("If-Match", "\"1\"").put(path, rampTo(100)), 200);
        var stale = api.withHeader("If-Match", "\"1\"").put(path, rampTo(500));
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.get(path)
                        .json()
                        .get("defaultServe")
                        .get("split")
                        .get(0)
                        .get("weight")
                        .asInt())
                .isEqualTo(100);
        expect(api.withHeader("If-Match", "not-an-etag").put(path, rampTo(500)), 400);
    }

    @Test
    void twoConcurrentUpdatesWithTheSameIfMatchGiveOne200AndOne412AndOneAuditEntry() throws Exception {
        int auditBefore = updatesInAudit();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int weight : new int[] {100, 200}) {
                results.add(pool.submit(() -> {
                    start.await();
                    return api.withHeader("If-Match", "\"1\"")
                            .put(path, rampTo(weight))
                            .status();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 412);
        } finally {
            pool.shutdownNow();
        }
        assertThat(updatesInAudit()).isEqualTo(auditBefore + 1);
        assertThat(api.get(path).json().get("version").asLong()).isEqualTo(2);
    }

    @Test
    void killAndRestoreAreTheirOwnAuditedActions() {
        var killed = expect(api.withHeader("X-Dimmer-Comment", "errors spiking").post(path + "/kill", null), 200);
        assertThat(killed.json().get("killed").asBoolean()).isTrue();
        // A PUT cannot un-kill: killed is not part of the replaceable configuration.
        Map<String, Object> body = rampTo(100);
        body.put("killed", false);
        assertThat(api.put(path, body).json().get("killed").asBoolean()).isTrue();
        assertThat(expect(api.post(path + "/restore", null), 200)
                        .json()
                        .get("killed")
                        .asBoolean())
                .isFalse();

        JsonNode audit =
                api.get("/api/v1/audit?project=" + project + "&flag=checkout").json();
        JsonNode kill = null;
        for (JsonNode entry : audit) {
            if (entry.get("action").asString().equals("kill")) kill = entry;
        }
        assertThat(kill).isNotNull();
        assertThat(kill.get("comment").asString()).isEqualTo("errors spiking");
        assertThat(kill.get("before").get("killed").asBoolean()).isFalse();
        assertThat(kill.get("after").get("killed").asBoolean()).isTrue();
        assertThat(kill.get("actor").asString()).isEqualTo("token:bootstrap");
        assertThat(audit.findValuesAsString("action")).contains("restore");
    }

    @Test
    void unknownFlagOrEnvironmentIs404() {
        expect(api.get("/api/v1/projects/" + project + "/environments/production/flags/nope"), 404);
        expect(api.get("/api/v1/projects/" + project + "/environments/nope/flags/checkout"), 404);
        expect(api.post("/api/v1/projects/" + project + "/environments/production/flags/nope/kill", null), 404);
    }

    private long changeNumber() {
        return api.get("/api/v1/projects/" + project + "/environments/production")
                .json()
                .get("changeNumber")
                .asLong();
    }

    private int updatesInAudit() {
        int count = 0;
        for (JsonNode entry :
                api.get("/api/v1/audit?project=" + project + "&flag=checkout").json()) {
            if (entry.get("action").asString().equals("update")) count++;
        }
        return count;
    }
}
