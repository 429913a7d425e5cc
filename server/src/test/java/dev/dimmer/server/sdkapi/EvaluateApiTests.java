package dev.dimmer.server.sdkapi;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.eval.Bucketing;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class EvaluateApiTests {

    @LocalServerPort
    int port;

    Api api;
    String project;
    String base;

    @BeforeEach
    void setUp() {
        api = Api.admin(port);
        project = Fixtures.project(api);
        base = "/api/v1/projects/" + project + "/environments/production";
        expect(api.post("/api/v1/projects/" + project + "/flags", Map.of("key", "checkout", "seed", 7)), 201);
        expect(api.post(base + "/segments", Map.of("key", "staff", "keys", List.of("alice"))), 201);
        expect(
                api.put(
                        base + "/flags/checkout",
                        Map.of(
                                "enabled",
                                true,
                                "offTreatment",
                                "off",
                                "rules",
                                List.of(Map.of(
                                        "id",
                                        "staff",
                                        "conditions",
                                        List.of(Map.of(
                                                "attribute",
                                                "key",
                                                "operator",
                                                "IN_SEGMENT",
                                                "values",
                                                List.of("staff"))),
                                        "serve",
                                        Map.of("treatment", "on"))),
                                "defaultServe",
                                Map.of(
                                        "split",
                                        List.of(
                                                Map.of("treatment", "on", "weight", 1000),
                                                Map.of("treatment", "off", "weight", 9000))))),
                200);
    }

    @Test
    void explainsWhichTreatmentAKeyGetsAndWhy() {
        JsonNode staff = result(api.post(base + "/evaluate", Map.of("key", "alice")));
        assertThat(staff.get("treatment").asString()).isEqualTo("on");
        assertThat(staff.get("label").asString()).isEqualTo("rule:staff");
        assertThat(staff.get("reason").asString()).isEqualTo("TARGETING_MATCH");

        String bob = "bob";
        String expected = Bucketing.bucket(7, bob) < 1000 ? "on" : "off";
        JsonNode split = result(api.post(base + "/evaluate", Map.of("key", bob, "attributes", Map.of("plan", "pro"))));
        assertThat(split.get("treatment").asString()).isEqualTo(expected);
        assertThat(split.get("label").asString()).isEqualTo("default rule");
        assertThat(split.get("reason").asString()).isEqualTo("SPLIT");
    }

    @Test
    void followsChangesAndReportsUnknownFlags() {
        expect(api.post(base + "/flags/checkout/kill", null), 200);
        JsonNode killed = result(api.post(base + "/evaluate", Map.of("key", "alice")));
        assertThat(killed.get("treatment").asString()).isEqualTo("off");
        assertThat(killed.get("label").asString()).isEqualTo("killed");

        JsonNode response = api.post(base + "/evaluate", Map.of("key", "alice", "flags", List.of("nope")))
                .json();
        assertThat(response.get("results").get(0).get("label").asString()).isEqualTo("flag not found");
        assertThat(response.get("results").get(0).get("errorCode").asString()).isEqualTo("FLAG_NOT_FOUND");
    }

    @Test
    void rejectsAMissingKey() {
        var bad = api.post(base + "/evaluate", Map.of("attributes", Map.of()));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("pointer").asString()).isEqualTo("/key");
        expect(api.post("/api/v1/projects/" + project + "/environments/nope/evaluate", Map.of("key", "a")), 404);
    }

    @Test
    void evaluatesAnUnsavedDraftWithoutStoringIt() {
        Map<String, Object> everyoneOn = Map.of(
                "enabled", true, "offTreatment", "off", "rules", List.of(), "defaultServe", Map.of("treatment", "on"));
        Api.Response preview = api.post(
                base + "/evaluate",
                Map.of(
                        "key", "alice",
                        "flags", List.of("checkout"),
                        "draft", Map.of("flag", "checkout", "configuration", everyoneOn)));
        assertThat(preview.status()).as("%s", preview).isEqualTo(200);
        assertThat(preview.json().get("draft").asBoolean()).isTrue();
        assertThat(result(preview).get("label").asString()).isEqualTo("default rule");
        assertThat(result(preview).get("reason").asString()).isEqualTo("DEFAULT");

        // the stored configuration still serves alice through her rule
        assertThat(result(api.post(base + "/evaluate", Map.of("key", "alice")))
                        .get("label")
                        .asString())
                .isEqualTo("rule:staff");
        assertThat(api.get(base + "/flags/checkout").json().get("version").asLong())
                .isEqualTo(2);
    }

    @Test
    void talliesSampleKeysAsTheSplitAssignsThem() {
        Api.Response sampled =
                api.post(base + "/evaluate", Map.of("key", "bob", "flags", List.of("checkout"), "sample", 2000));
        assertThat(sampled.status()).as("%s", sampled).isEqualTo(200);
        JsonNode tally = sampled.json().get("samples").get(0);
        assertThat(tally.get("size").asInt()).isEqualTo(2000);
        long expectedOn = java.util.stream.IntStream.range(0, 2000)
                .filter(i -> Bucketing.bucket(7, "sample-" + i) < 1000)
                .count();
        assertThat(tally.get("treatments").get("on").asLong()).isEqualTo(expectedOn);
        assertThat(tally.get("treatments").get("off").asLong()).isEqualTo(2000 - expectedOn);
        assertThat(tally.get("labels").get("default rule").asLong()).isEqualTo(2000);
    }

    @Test
    void reportsADraftsBadFieldsUnderItsPointer() {
        Map<String, Object> bad = Map.of(
                "enabled",
                true,
                "offTreatment",
                "maybe",
                "defaultServe",
                Map.of(
                        "split",
                        List.of(Map.of("treatment", "on", "weight", 500), Map.of("treatment", "off", "weight", 500))));
        Api.Response refused = api.post(
                base + "/evaluate",
                Map.of("key", "alice", "draft", Map.of("flag", "checkout", "configuration", bad), "sample", 20000));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errors").get(0).get("pointer").asString())
                .isEqualTo("/sample");

        refused = api.post(
                base + "/evaluate", Map.of("key", "alice", "draft", Map.of("flag", "checkout", "configuration", bad)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errors").findValuesAsString("pointer"))
                .contains("/draft/configuration/offTreatment")
                .anyMatch(pointer -> pointer.startsWith("/draft/configuration/defaultServe/split"));
    }

    private static JsonNode result(Api.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.json().get("results").get(0);
    }
}
