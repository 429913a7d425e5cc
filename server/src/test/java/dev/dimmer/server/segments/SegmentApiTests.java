package dev.dimmer.server.segments;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class SegmentApiTests {

    @LocalServerPort
    int port;

    Api api;
    String project;
    String base;

    @BeforeEach
    void setUp() {
        api = Api.admin(port);
        project = Fixtures.project(api);
        base = "/api/v1/projects/" + project + "/environments/production/segments";
    }

    @Test
    void createsGetsListsAndUpdatesASegment() {
        var created = expect(
                api.post(
                        base,
                        Map.of(
                                "key",
                                "employees",
                                "description",
                                "staff",
                                "keys",
                                List.of("alice", "bob"),
                                "conditions",
                                List.of(Map.of(
                                        "attribute",
                                        "email",
                                        "operator",
                                        "ENDS_WITH",
                                        "values",
                                        List.of("@example.com"))))),
                201);
        assertThat(created.json().get("keyCount").asInt()).isEqualTo(2);
        assertThat(created.json().get("conditions").get(0).get("operator").asString())
                .isEqualTo("ENDS_WITH");

        assertThat(api.get(base + "/employees").json().get("description").asString())
                .isEqualTo("staff");
        assertThat(api.get(base).json().findValuesAsString("key")).containsExactly("employees");
        assertThat(api.get(base + "?q=employ").json()).hasSize(1);
        var updated = expect(api.patch(base + "/employees", Map.of("description", "all staff")), 200);
        assertThat(updated.json().get("description").asString()).isEqualTo("all staff");
        assertThat(updated.json().get("version").asLong()).isEqualTo(2);
    }

    @Test
    void bulkAddsAndRemovesKeysUpToTheLimit() {
        expect(api.post(base, Map.of("key", "beta")), 201);
        List<String> many =
                IntStream.range(0, 20_000).mapToObj(i -> "user-" + i).toList();
        long before = changeNumber();
        var added = expect(api.post(base + "/beta/keys", Map.of("add", many)), 200);
        assertThat(added.json().get("keyCount").asInt()).isEqualTo(20_000);
        assertThat(changeNumber()).isEqualTo(before + 1);

        var removed = expect(
                api.post(base + "/beta/keys", Map.of("remove", many.subList(0, 5000), "add", List.of("user-0"))), 200);
        assertThat(removed.json().get("keyCount").asInt()).isEqualTo(15_001);
        assertThat(api.get(base + "/beta/keys?limit=2").json().valueStream().map(JsonNode::asString))
                .containsExactly("user-0", "user-10000");

        JsonNode audit = api.get("/api/v1/audit?project=" + project).json();
        JsonNode bulk = audit.get(0);
        assertThat(bulk.get("action").asString()).isEqualTo("update-keys");
        assertThat(bulk.get("after").get("removedCount").asInt()).isEqualTo(5000);
        assertThat(bulk.get("after").get("removedKeys")).hasSize(1000);
    }

    @Test
    void refusesMoreThanTheMaximumKeysAndKeepsTheOldList() {
        expect(api.post(base, Map.of("key", "huge", "keys", List.of("a"))), 201);
        List<String> tooMany =
                IntStream.range(0, SegmentKeys.MAX_KEYS).mapToObj(i -> "k" + i).toList();
        var refused = api.post(base + "/huge/keys", Map.of("add", tooMany));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errors").get(0).get("pointer").asString())
                .isEqualTo("/add");
        assertThat(api.get(base + "/huge").json().get("keyCount").asInt()).isEqualTo(1);
    }

    @Test
    void archivingIsRefusedWhileAFlagTargetsTheSegment() {
        expect(api.post(base, Map.of("key", "vip", "keys", List.of("carol"))), 201);
        Fixtures.flag(api, project, "perk");
        String config = "/api/v1/projects/" + project + "/environments/production/flags/perk";
        expect(
                api.put(
                        config,
                        Map.of(
                                "enabled",
                                true,
                                "offTreatment",
                                "off",
                                "rules",
                                List.of(Map.of(
                                        "id",
                                        "vips",
                                        "conditions",
                                        List.of(Map.of(
                                                "attribute",
                                                "key",
                                                "operator",
                                                "IN_SEGMENT",
                                                "values",
                                                List.of("vip"))),
                                        "serve",
                                        Map.of("treatment", "on"))),
                                "defaultServe",
                                Map.of("treatment", "off"))),
                200);
        var refused = api.delete(base + "/vip");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains("perk");

        expect(
                api.put(
                        config,
                        Map.of("enabled", true, "offTreatment", "off", "defaultServe", Map.of("treatment", "off"))),
                200);
        assertThat(expect(api.delete(base + "/vip"), 200).json().get("archived").asBoolean())
                .isTrue();
        assertThat(api.get(base).json()).isEmpty();
    }

    @Test
    void rejectsBadSegments() {
        var bad = api.post(
                base,
                Map.of(
                        "key",
                        "Bad!",
                        "keys",
                        List.of("ok", ""),
                        "conditions",
                        List.of(Map.of("attribute", "key", "operator", "IN_SEGMENT", "values", List.of("x")))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsString("pointer"))
                .contains("/key", "/keys/1", "/conditions/0/operator");
        expect(api.post(base, Map.of("key", "twice")), 201);
        expect(api.post(base, Map.of("key", "twice")), 409);
        expect(api.get(base + "/nope"), 404);
        expect(api.post(base + "/nope/keys", Map.of("add", List.of("a"))), 404);
    }

    private long changeNumber() {
        return api.get("/api/v1/projects/" + project + "/environments/production")
                .json()
                .get("changeNumber")
                .asLong();
    }
}
