package dev.dimmer.server.projects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class ProjectApiTests {

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void setUp() {
        api = Api.admin(port);
    }

    @Test
    void createsListsGetsUpdatesAndArchivesAProject() {
        String key = Api.uniqueKey("shop");
        var created = api.post("/api/v1/projects", Map.of("key", key, "name", "Shop", "description", "web shop"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("key").asString()).isEqualTo(key);

        assertThat(api.get("/api/v1/projects/" + key).json().get("name").asString())
                .isEqualTo("Shop");
        assertThat(api.get("/api/v1/projects?q=" + key).json()).hasSize(1);

        var updated = api.patch("/api/v1/projects/" + key, Map.of("name", "Web shop"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("name").asString()).isEqualTo("Web shop");

        assertThat(api.delete("/api/v1/projects/" + key).json().get("archived").asBoolean())
                .isTrue();
        assertThat(api.get("/api/v1/projects?q=" + key).json()).isEmpty();
        assertThat(api.get("/api/v1/projects?archived=true&q=" + key).json()).hasSize(1);
    }

    @Test
    void createsEnvironmentsWithTheirOwnChangeNumbers() {
        String key = Api.uniqueKey("env");
        api.post("/api/v1/projects", Map.of("key", key));
        var env = api.post("/api/v1/projects/" + key + "/environments", Map.of("key", "production"));
        assertThat(env.status()).isEqualTo(201);
        assertThat(env.json().get("changeNumber").asLong()).isZero();
        assertThat(api.get("/api/v1/projects/" + key + "/environments").json()).hasSize(1);
        assertThat(api.get("/api/v1/projects/" + key + "/environments/production")
                        .status())
                .isEqualTo(200);
        assertThat(api.patch("/api/v1/projects/" + key + "/environments/production", Map.of("name", "Prod"))
                        .json()
                        .get("name")
                        .asString())
                .isEqualTo("Prod");

        var archived = api.delete("/api/v1/projects/" + key + "/environments/production");
        assertThat(archived.json().get("archived").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/projects/" + key + "/environments").json()).isEmpty();
        assertThat(api.get("/api/v1/projects/" + key + "/environments?archived=true")
                        .json())
                .hasSize(1);
    }

    @Test
    void refusesDuplicatesUnknownsAndBadKeys() {
        String key = Api.uniqueKey("dup");
        api.post("/api/v1/projects", Map.of("key", key));
        assertThat(api.post("/api/v1/projects", Map.of("key", key)).status()).isEqualTo(409);
        assertThat(api.get("/api/v1/projects/no-such-project").status()).isEqualTo(404);

        var bad = api.post("/api/v1/projects", Map.of("key", "Bad Key!"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
        assertThat(bad.json().get("errors").get(0).get("pointer").asString()).isEqualTo("/key");

        assertThat(api.post("/api/v1/projects/" + key + "/environments", Map.of("key", "prod"))
                        .status())
                .isEqualTo(201);
        assertThat(api.post("/api/v1/projects/" + key + "/environments", Map.of("key", "prod"))
                        .status())
                .isEqualTo(409);
        assertThat(api.get("/api/v1/projects/" + key + "/environments/nope").status())
                .isEqualTo(404);
    }

    @Test
    void malformedJsonIsA400NeverA500() {
        var response = api.post("/api/v1/projects", "{\"key\": ");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");

        var wrongType = api.post("/api/v1/projects", "{\"key\": {\"nested\": true}}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("errors").get(0).get("pointer").asString())
                .isEqualTo("/key");
    }
}
