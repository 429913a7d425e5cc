package dev.dimmer.server.security;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class KeyAndTokenApiTests {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    Api api;
    String project;

    @BeforeEach
    void setUp() {
        api = Api.admin(port);
        project = Fixtures.project(api);
    }

    @Test
    void adminTokensAreShownOnceStoredHashedListedWithoutSecretsAndRevocable() {
        var created = expect(
                api.post("/api/v1/tokens", Map.of("name", "ci", "role", "editor", "projects", List.of(project))), 201);
        String secret = created.json().get("secret").asString();
        assertThat(secret).startsWith("dat_");
        long id = created.json().get("token").get("id").asLong();

        String stored = new JdbcTemplate(dataSource)
                .queryForObject("SELECT secret_hash FROM api_keys WHERE id = ?", String.class, id);
        assertThat(stored).hasSize(64).doesNotContain(secret);
        assertThat(api.get("/api/v1/tokens").text()).doesNotContain(secret).contains("\"name\":\"ci\"");

        expect(api.as(secret).get("/api/v1/projects/" + project), 200);
        expect(api.delete("/api/v1/tokens/" + id), 200);
        expect(api.as(secret).get("/api/v1/projects/" + project), 401);
        expect(api.delete("/api/v1/tokens/999999"), 404);
    }

    @Test
    void sdkKeysBelongToAnEnvironmentAndAreRefusedOnTheAdminApi() {
        String base = "/api/v1/projects/" + project + "/environments/production/sdk-keys";
        var created = expect(api.post(base, Map.of("name", "checkout-service")), 201);
        String key = created.json().get("key").asString();
        assertThat(key).startsWith("dsk_");
        assertThat(api.get(base).text()).doesNotContain(key).contains("checkout-service");

        var refused = api.as(key).get("/api/v1/projects");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");

        long id = created.json().get("sdkKey").get("id").asLong();
        assertThat(expect(api.delete(base + "/" + id), 200)
                        .json()
                        .get("revokedAt")
                        .isNull())
                .isFalse();
        expect(api.as(key).get("/api/v1/projects"), 401);
        expect(api.delete("/api/v1/projects/" + project + "/environments/staging/sdk-keys/" + id), 404);
    }

    @Test
    void theFirstAdminTokenComesFromTheEnvironmentAndIsAudited() {
        var tokens = api.get("/api/v1/tokens").json();
        assertThat(tokens.get(0).get("name").asString()).isEqualTo("bootstrap");
        assertThat(tokens.get(0).get("role").asString()).isEqualTo("admin");
        assertThat(tokens.get(0).get("createdBy").asString()).isEqualTo("DIMMER_ADMIN_TOKEN");
        assertThat(api.get("/api/v1/audit?actor=system:bootstrap")
                        .json()
                        .get(0)
                        .get("entityType")
                        .asString())
                .isEqualTo("admin-token");
    }

    @Test
    void rejectsBadTokenRequests() {
        var bad = api.post("/api/v1/tokens", Map.of("name", "", "role", "god", "projects", List.of("nope")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsString("pointer"))
                .containsExactlyInAnyOrder("/name", "/role", "/projects/0");
        expect(api.post("/api/v1/projects/" + project + "/environments/production/sdk-keys", Map.of()), 400);
    }

    @Test
    void consoleUsersSignInWithAPasswordAndGetASession() {
        String username = Api.uniqueKey("dana");
        Map<String, Object> dana = Map.of(
                "username",
                username,
                "password",
                "correct horse battery",
                "role",
                "viewer",
                "projects",
                List.of(project));
        expect(api.post("/api/v1/users", dana), 201);
        String hash = new JdbcTemplate(dataSource)
                .queryForObject("SELECT password_hash FROM users WHERE username = ?", String.class, username);
        assertThat(hash).startsWith("$2").doesNotContain("correct horse");
        expect(api.post("/api/v1/users", dana), 409);
        expect(api.post("/api/v1/users", Map.of("username", "short", "password", "short", "role", "viewer")), 400);

        Browser browser = new Browser(port);
        assertThat(browser.signIn(username, "nope").status()).isEqualTo(401);
        assertThat(browser.signIn(username, "correct horse battery").status()).isEqualTo(200);
        var whoAmI = browser.get("/api/v1/session");
        assertThat(whoAmI.text()).contains("\"actor\":\"user:" + username + "\"", "\"role\":\"viewer\"");
        assertThat(api.get("/api/v1/users").text()).contains(username).doesNotContain("$2a$", "correct horse");
        assertThat(browser.get("/api/v1/projects/" + project).status()).isEqualTo(200);
        assertThat(browser.write("POST", "/api/v1/projects", Map.of("key", "nope"))
                        .status())
                .as("viewers read only")
                .isEqualTo(403);
        assertThat(browser.write("DELETE", "/api/v1/session", null).status()).isEqualTo(204);
        assertThat(browser.get("/api/v1/projects").status()).isEqualTo(401);
    }
}
