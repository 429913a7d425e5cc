package dev.dimmer.server.targeting;

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

/**
 * The limits of docs/security.md, enforced on save with a 400 naming the field (issue 10, item 2):
 * before them, one MATCHES rule ran the server out of memory and thousands of rules were accepted.
 */
@IntegrationTest
class LimitsTests {

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
        Fixtures.flag(api, project, "checkout");
    }

    @Test
    void explodingPatternsAreRefusedNamingTheValue() {
        for (String pattern : List.of("((a{1000}){1000}){1000}", "(a{1000}){100}", "a".repeat(1001))) {
            Api.Response refused = api.put(base + "/flags/checkout", configuration(List.of(rule(pattern))));
            assertThat(refused.status()).as("%s", pattern).isEqualTo(400);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("errors").get(0).get("pointer").asString())
                    .isEqualTo("/rules/0/conditions/0/values/0");
        }
        expect(api.put(base + "/flags/checkout", configuration(List.of(rule("^Chrome/1[0-9]{2}")))), 200);
    }

    @Test
    void theLivePreviewRefusesThemToo() {
        Api.Response refused = api.post(
                base + "/evaluate",
                Map.of(
                        "key",
                        "k",
                        "draft",
                        Map.of(
                                "flag",
                                "checkout",
                                "configuration",
                                configuration(List.of(rule("((a{1000}){1000}){1000}"))))));
        assertThat(refused.status()).as("%s", refused).isEqualTo(400);
        assertThat(refused.json().get("errors").get(0).get("pointer").asString())
                .isEqualTo("/draft/configuration/rules/0/conditions/0/values/0");
    }

    @Test
    void tooManyRulesConditionsValuesOrTreatmentsAreRefused() {
        List<Map<String, Object>> rules =
                IntStream.range(0, 201).mapToObj(i -> rule("r" + i, "x")).toList();
        assertPointer(api.put(base + "/flags/checkout", configuration(rules)), "/rules");

        Map<String, Object> crowded = Map.of(
                "id",
                "crowded",
                "conditions",
                IntStream.range(0, 51)
                        .mapToObj(i -> condition("IN", List.of("v")))
                        .toList(),
                "serve",
                Map.of("treatment", "on"));
        assertPointer(api.put(base + "/flags/checkout", configuration(List.of(crowded))), "/rules/0/conditions");

        Map<String, Object> manyValues = Map.of(
                "id",
                "many",
                "conditions",
                List.of(condition(
                        "IN", IntStream.range(0, 1001).mapToObj(i -> "v" + i).toList())),
                "serve",
                Map.of("treatment", "on"));
        assertPointer(
                api.put(base + "/flags/checkout", configuration(List.of(manyValues))), "/rules/0/conditions/0/values");

        List<Map<String, String>> treatments =
                IntStream.range(0, 51).mapToObj(i -> Map.of("name", "t" + i)).toList();
        assertPointer(
                api.post("/api/v1/projects/" + project + "/flags", Map.of("key", "wide", "treatments", treatments)),
                "/treatments");
    }

    @Test
    void segmentsAreBoundedToo() {
        assertPointer(
                api.post(
                        base + "/segments",
                        Map.of(
                                "key",
                                "bomb",
                                "conditions",
                                List.of(condition("MATCHES", List.of("((a{1000}){1000}){1000}"))))),
                "/conditions/0/values/0");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String huge = "{\"description\":\"" + "x".repeat(9 * 1024 * 1024) + "\"}";
        Api.Response refused = api.send("POST", "/api/v1/projects/" + project + "/flags", huge);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asString()).contains("dimmer.limits.max-request-body");
    }

    private static void assertPointer(Api.Response response, String pointer) {
        assertThat(response.status()).as("%s", response).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("pointer").asString())
                .isEqualTo(pointer);
    }

    private static Map<String, Object> configuration(List<Map<String, Object>> rules) {
        return Map.of(
                "enabled", true, "offTreatment", "off", "rules", rules, "defaultServe", Map.of("treatment", "off"));
    }

    private static Map<String, Object> rule(String pattern) {
        return rule("r", pattern);
    }

    private static Map<String, Object> rule(String id, String pattern) {
        return Map.of(
                "id",
                id,
                "conditions",
                List.of(condition("MATCHES", List.of(pattern))),
                "serve",
                Map.of("treatment", "on"));
    }

    private static Map<String, Object> condition(String operator, List<String> values) {
        return Map.of("attribute", "ua", "operator", operator, "values", values);
    }
}
