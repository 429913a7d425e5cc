package dev.dimmer.server.flags;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

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
class FlagApiTests {

    @LocalServerPort
    int port;

    Api api;
    String project;

    @BeforeEach
    void setUp() {
        api = Api.admin(port);
        project = Fixtures.project(api);
    }

    @Test
    void createsAFlagWithDefaultsAndAConfigurationInEveryEnvironment() {
        var created = expect(
                api.post(
                        "/api/v1/projects/" + project + "/flags",
                        Map.of(
                                "key",
                                "new-checkout",
                                "description",
                                "One-page checkout",
                                "ownerTeam",
                                "checkout",
                                "tags",
                                List.of("web"))),
                201);
        JsonNode flag = created.json();
        assertThat(flag.get("kind").asString()).isEqualTo("release");
        assertThat(flag.get("treatments").findValuesAsString("name")).containsExactly("on", "off");
        assertThat(flag.get("archived").asBoolean()).isFalse();

        for (String env : List.of("staging", "production")) {
            JsonNode config = expect(api.get(path(env, "new-checkout")), 200).json();
            assertThat(config.get("enabled").asBoolean()).isFalse();
            assertThat(config.get("offTreatment").asString()).isEqualTo("off");
            assertThat(config.get("defaultServe").get("treatment").asString()).isEqualTo("off");
            assertThat(config.get("trafficAllocation").asInt()).isEqualTo(10000);
        }
        int stagingSeed =
                api.get(path("staging", "new-checkout")).json().get("seed").asInt();
        int productionSeed =
                api.get(path("production", "new-checkout")).json().get("seed").asInt();
        assertThat(stagingSeed).as("same buckets from staging to production").isEqualTo(productionSeed);
    }

    @Test
    void keepsSeedsGivenOnCreateSoAMigratedFlagKeepsItsBuckets() {
        expect(
                api.post(
                        "/api/v1/projects/" + project + "/flags",
                        Map.of("key", "migrated", "seed", 12345, "trafficSeed", -99)),
                201);
        JsonNode config = api.get(path("production", "migrated")).json();
        assertThat(config.get("seed").asInt()).isEqualTo(12345);
        assertThat(config.get("trafficSeed").asInt()).isEqualTo(-99);
    }

    @Test
    void aNewEnvironmentGetsEveryFlagWithTheSameSeeds() {
        Fixtures.flag(api, project, "early");
        int seed = api.get(path("production", "early")).json().get("seed").asInt();
        expect(api.post("/api/v1/projects/" + project + "/environments", Map.of("key", "dev")), 201);
        JsonNode config = expect(api.get(path("dev", "early")), 200).json();
        assertThat(config.get("seed").asInt()).isEqualTo(seed);
        assertThat(config.get("enabled").asBoolean()).isFalse();
    }

    @Test
    void searchesByTextTagOwnerKindAndStatus() {
        api.post(
                "/api/v1/projects/" + project + "/flags",
                Map.of(
                        "key",
                        "search-a",
                        "description",
                        "Blue button",
                        "ownerTeam",
                        "growth",
                        "tags",
                        List.of("ui"),
                        "kind",
                        "experiment"));
        api.post(
                "/api/v1/projects/" + project + "/flags",
                Map.of("key", "search-b", "ownerTeam", "payments", "tags", List.of("backend"), "kind", "ops"));
        String base = "/api/v1/projects/" + project + "/flags";
        assertThat(keys(api.get(base + "?q=blue"))).containsExactly("search-a");
        assertThat(keys(api.get(base + "?tag=backend"))).containsExactly("search-b");
        assertThat(keys(api.get(base + "?owner=growth"))).containsExactly("search-a");
        assertThat(keys(api.get(base + "?kind=ops"))).containsExactly("search-b");
        expect(api.delete(base + "/search-b"), 200);
        assertThat(keys(api.get(base))).containsExactly("search-a");
        assertThat(keys(api.get(base + "?status=archived"))).containsExactly("search-b");
        assertThat(keys(api.get(base + "?status=all"))).containsExactly("search-a", "search-b");
        expect(api.get(base + "?status=bogus"), 400);
    }

    @Test
    void updatesDefinitionAndRefusesToDropATreatmentInUse() {
        Fixtures.flag(api, project, "colors", List.of("red", "green", "blue"));
        String flagPath = "/api/v1/projects/" + project + "/flags/colors";
        var updated = expect(api.patch(flagPath, Map.of("description", "Button colour", "tags", List.of("ui"))), 200);
        assertThat(updated.json().get("description").asString()).isEqualTo("Button colour");
        assertThat(updated.json().get("version").asLong()).isEqualTo(2);

        // "red" is the off treatment (first treatment) everywhere: it cannot go.
        var refused =
                api.patch(flagPath, Map.of("treatments", List.of(Map.of("name", "green"), Map.of("name", "blue"))));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains("still serves [red]");
        // "blue" is unused: it can.
        expect(api.patch(flagPath, Map.of("treatments", List.of(Map.of("name", "red"), Map.of("name", "green")))), 200);
    }

    @Test
    void archivingBumpsTheSnapshotAndIsAudited() {
        Fixtures.flag(api, project, "old");
        long before = api.get("/api/v1/projects/" + project + "/environments/production")
                .json()
                .get("changeNumber")
                .asLong();
        expect(api.delete("/api/v1/projects/" + project + "/flags/old"), 200);
        long after = api.get("/api/v1/projects/" + project + "/environments/production")
                .json()
                .get("changeNumber")
                .asLong();
        assertThat(after).isGreaterThan(before);
        JsonNode audit =
                api.get("/api/v1/audit?project=" + project + "&flag=old").json();
        assertThat(audit.findValuesAsString("action")).contains("archive", "create");
    }

    @Test
    void rejectsBadFlagsNamingEveryField() {
        var response = api.post(
                "/api/v1/projects/" + project + "/flags",
                Map.of(
                        "key",
                        "Bad Key",
                        "kind",
                        "rocket",
                        "treatments",
                        List.of(Map.of("name", "on"), Map.of("name", "on"), Map.of("name", "UP")),
                        "offTreatment",
                        "missing",
                        "tags",
                        List.of("")));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsString("pointer"))
                .containsExactlyInAnyOrder(
                        "/key", "/kind", "/treatments/1/name", "/treatments/2/name", "/offTreatment", "/tags/0");
        expect(api.post("/api/v1/projects/" + project + "/flags", Map.of("key", "dup")), 201);
        expect(api.post("/api/v1/projects/" + project + "/flags", Map.of("key", "dup")), 409);
        expect(api.get("/api/v1/projects/" + project + "/flags/nope"), 404);
        expect(api.post("/api/v1/projects/nope/flags", Map.of("key", "x")), 404);
    }

    private String path(String env, String flag) {
        return "/api/v1/projects/" + project + "/environments/" + env + "/flags/" + flag;
    }

    private static List<String> keys(Api.Response response) {
        return response.json().findValuesAsString("key");
    }
}
