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
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** A table of bad configurations → status and the JSON pointer the problem names. */
@IntegrationTest
class ConfigurationValidationTests {

    @LocalServerPort
    int port;

    Api api;
    String project;
    String base;

    record Case(String name, Consumer<Map<String, Object>> breakIt, int status, String pointer) {}

    @BeforeEach
    void setUp() {
        api = Api.admin(port);
        project = Fixtures.project(api);
        base = "/api/v1/projects/" + project + "/environments/production/flags/";
        Fixtures.flag(api, project, "checkout");
        Fixtures.flag(api, project, "payments");
    }

    static Map<String, Object> valid() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", true);
        body.put("offTreatment", "off");
        body.put("rules", new ArrayList<>(List.of(rule("GT", "18"))));
        body.put(
                "defaultServe",
                Map.of(
                        "split",
                        List.of(
                                Map.of("treatment", "on", "weight", 5000),
                                Map.of("treatment", "off", "weight", 5000))));
        body.put("trafficAllocation", 10000);
        body.put("prerequisites", List.of());
        return body;
    }

    static Map<String, Object> rule(String operator, String value) {
        return Map.of(
                "id",
                "r1",
                "conditions",
                List.of(Map.of("attribute", "age", "operator", operator, "values", List.of(value))),
                "serve",
                Map.of("treatment", "on"));
    }

    static Consumer<Map<String, Object>> condition(String operator, String value) {
        return body -> body.put("rules", List.of(rule(operator, value)));
    }

    @Test
    void everyBadInputIsRefusedNamingTheField() {
        expect(api.put(base + "checkout", valid()), 200);
        List<Case> table = List.of(
                new Case("unknown off treatment", b -> b.put("offTreatment", "maybe"), 400, "/offTreatment"),
                new Case(
                        "unknown served treatment",
                        b -> b.put("rules", List.of(Map.of("id", "r1", "serve", Map.of("treatment", "blue")))),
                        400,
                        "/rules/0/serve/treatment"),
                new Case(
                        "weights not summing to 10000",
                        b -> b.put(
                                "defaultServe",
                                Map.of(
                                        "split",
                                        List.of(
                                                Map.of("treatment", "on", "weight", 5000),
                                                Map.of("treatment", "off", "weight", 4000)))),
                        400,
                        "/defaultServe/split"),
                new Case("unknown operator", condition("ROUGHLY", "1"), 400, "/rules/0/conditions/0/operator"),
                new Case("number not parsable", condition("GT", "eighteen"), 400, "/rules/0/conditions/0/values/0"),
                new Case("semver not parsable", condition("SEMVER_GT", "1.x"), 400, "/rules/0/conditions/0/values/0"),
                new Case("date not parsable", condition("BEFORE", "yesterday"), 400, "/rules/0/conditions/0/values/0"),
                new Case(
                        "CIDR not parsable",
                        condition("IN_CIDR", "300.1.1.1/8"),
                        400,
                        "/rules/0/conditions/0/values/0"),
                new Case("regex not RE2", condition("MATCHES", "(?<=a)b"), 400, "/rules/0/conditions/0/values/0"),
                new Case("unknown segment", condition("IN_SEGMENT", "ghosts"), 400, "/rules/0/conditions/0/values/0"),
                new Case(
                        "traffic allocation out of range",
                        b -> b.put("trafficAllocation", 20000),
                        400,
                        "/trafficAllocation"),
                new Case(
                        "unknown prerequisite flag",
                        b -> b.put("prerequisites", List.of(Map.of("flag", "nope", "treatments", List.of("on")))),
                        400,
                        "/prerequisites/0/flag"),
                new Case(
                        "self prerequisite",
                        b -> b.put("prerequisites", List.of(Map.of("flag", "checkout", "treatments", List.of("on")))),
                        400,
                        "/prerequisites/0/flag"),
                new Case(
                        "unknown prerequisite treatment",
                        b -> b.put(
                                "prerequisites", List.of(Map.of("flag", "payments", "treatments", List.of("maybe")))),
                        400,
                        "/prerequisites/0/treatments/0"),
                new Case("missing enabled", b -> b.remove("enabled"), 400, "/enabled"),
                new Case("missing default serve", b -> b.remove("defaultServe"), 400, "/defaultServe"),
                new Case("wrong type", b -> b.put("trafficAllocation", "lots"), 400, "/trafficAllocation"),
                new Case("rules not a list", b -> b.put("rules", "all"), 400, "/rules"));

        List<String> mismatches = new ArrayList<>();
        for (Case c : table) {
            Map<String, Object> body = valid();
            c.breakIt().accept(body);
            Api.Response response = api.put(base + "checkout", body);
            List<String> pointers =
                    response.status() == 400 ? response.json().get("errors").findValuesAsString("pointer") : List.of();
            if (response.status() != c.status() || !pointers.contains(c.pointer())) {
                mismatches.add(c.name() + ": expected " + c.status() + " " + c.pointer() + ", got " + response);
            }
            if (response.status() == 400 && !response.header("Content-Type").startsWith("application/problem+json")) {
                mismatches.add(c.name() + ": not problem+json");
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(api.get(base + "checkout").json().get("version").asLong())
                .as("nothing changed")
                .isEqualTo(2);
    }

    @Test
    void allProblemsAreNamedInOneResponse() {
        Map<String, Object> body = valid();
        body.put("offTreatment", "maybe");
        body.put("trafficAllocation", -1);
        body.put("rules", List.of(rule("GT", "x"), rule("NOPE", "1")));
        JsonNode errors = api.put(base + "checkout", body).json().get("errors");
        assertThat(errors.findValuesAsString("pointer"))
                .contains(
                        "/offTreatment",
                        "/trafficAllocation",
                        "/rules/0/conditions/0/values/0",
                        "/rules/1/conditions/0/operator");
    }

    @Test
    void prerequisiteCyclesAreRefused() {
        expect(api.put(base + "payments", withPrerequisite("checkout")), 200);
        var cycle = api.put(base + "checkout", withPrerequisite("payments"));
        assertThat(cycle.status()).isEqualTo(400);
        JsonNode error = cycle.json().get("errors").get(0);
        assertThat(error.get("pointer").asString()).isEqualTo("/prerequisites");
        assertThat(error.get("detail").asString()).contains("checkout → payments → checkout");
    }

    @Test
    void malformedJsonIsA400() {
        Api.Response response = api.put(base + "checkout", "{\"enabled\": tru");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    private static Map<String, Object> withPrerequisite(String flag) {
        Map<String, Object> body = valid();
        body.put("prerequisites", List.of(Map.of("flag", flag, "treatments", List.of("on"))));
        return body;
    }
}
