package dev.dimmer.server.security;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Issue 10 finding 9: project-scoped roles apply to reads. Editors and viewers read only the
 * projects they are granted, or every project (also future ones) with the grant {@code "*"};
 * lists and the audit log show only what the reader may read.
 */
@IntegrationTest
class ReadScopingTests {

    @LocalServerPort
    int port;

    @Test
    void anEditorOfAnotherProjectCannotReadSegmentKeys() {
        Api admin = Api.admin(port);
        String shop = Fixtures.project(admin);
        String other = Fixtures.project(admin);
        String segments = "/api/v1/projects/" + shop + "/environments/production/segments";
        expect(admin.post(segments, Map.of("key", "customers", "keys", List.of("alice@example.com"))), 201);
        Api editorOfOther = admin.as(token(admin, "editor", List.of(other)));

        Api.Response keys = editorOfOther.get(segments + "/customers/keys");
        assertThat(keys.status()).isEqualTo(403);
        assertThat(keys.header("Content-Type")).startsWith("application/problem+json");
        assertThat(keys.text()).doesNotContain("alice@example.com");
        assertThat(editorOfOther.get(segments + "/customers").status()).isEqualTo(403);
        assertThat(editorOfOther.get(segments).status()).isEqualTo(403);
        // nor through the audit log, which recorded the segment with its keys
        assertThat(editorOfOther.get("/api/v1/audit?project=" + shop).status()).isEqualTo(403);
        assertThat(editorOfOther.get("/api/v1/audit").text())
                .doesNotContain("alice@example.com")
                .doesNotContain("\"project\":\"" + shop + "\"");
        assertThat(admin.get("/api/v1/audit?project=" + shop).text()).contains("alice@example.com");
        // its own project is readable
        assertThat(editorOfOther
                        .get("/api/v1/projects/" + other + "/environments/production/segments")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void listsAndTheAuditLogShowOnlyReadableProjects() {
        Api admin = Api.admin(port);
        String shop = Fixtures.project(admin);
        String other = Fixtures.project(admin);
        Api viewerOfShop = admin.as(token(admin, "viewer", List.of(shop)));
        Api viewerOfAll = admin.as(token(admin, "viewer", List.of("*")));
        Api viewerOfNone = admin.as(token(admin, "viewer", List.of()));

        assertThat(keys(viewerOfShop.get("/api/v1/projects").json()))
                .contains(shop)
                .doesNotContain(other);
        assertThat(keys(viewerOfAll.get("/api/v1/projects").json())).contains(shop, other);
        assertThat(keys(viewerOfNone.get("/api/v1/projects").json())).isEmpty();

        List<String> audited =
                viewerOfShop.get("/api/v1/audit?limit=500").json().findValuesAsString("project");
        assertThat(audited).contains(shop).doesNotContain(other).doesNotContainNull();
        assertThat(viewerOfShop.get("/api/v1/audit?actor=system:bootstrap").json())
                .isEmpty();
        assertThat(viewerOfNone.get("/api/v1/audit").json()).isEmpty();

        // "*" is every project, including those created after the grant
        String later = Fixtures.project(admin);
        expect(viewerOfAll.get("/api/v1/projects/" + later + "/flags"), 200);
        expect(viewerOfShop.get("/api/v1/projects/" + later + "/flags"), 403);
    }

    @Test
    void anEditorGrantedEveryProjectEditsEveryProject() {
        Api admin = Api.admin(port);
        String project = Fixtures.project(admin);
        Api editorOfAll = admin.as(token(admin, "editor", List.of("*")));
        expect(editorOfAll.post("/api/v1/projects/" + project + "/flags", Map.of("key", "new-flag")), 201);
        expect(editorOfAll.post("/api/v1/projects", Map.of("key", Api.uniqueKey("p"))), 403);
    }

    @Test
    void consoleUsersAreScopedLikeTokens() {
        Api admin = Api.admin(port);
        String shop = Fixtures.project(admin);
        String other = Fixtures.project(admin);
        String username = Api.uniqueKey("viewer");
        expect(
                admin.post(
                        "/api/v1/users",
                        Map.of(
                                "username",
                                username,
                                "password",
                                "correct horse battery",
                                "role",
                                "viewer",
                                "projects",
                                List.of(shop))),
                201);
        Browser browser = new Browser(port);
        expect(browser.signIn(username, "correct horse battery"), 200);
        expect(browser.get("/api/v1/projects/" + shop + "/flags"), 200);
        expect(browser.get("/api/v1/projects/" + other + "/flags"), 403);

        // a change of grants applies to the next request of an existing session
        expect(admin.patch("/api/v1/users/" + username, Map.of("projects", List.of("*"))), 200);
        expect(browser.get("/api/v1/projects/" + other + "/flags"), 200);
        var bad = admin.patch("/api/v1/users/" + username, Map.of("projects", List.of("no-such-project")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("pointer").asString()).isEqualTo("/projects/0");
    }

    private static List<String> keys(JsonNode projects) {
        return projects.findValuesAsString("key");
    }

    private static String token(Api admin, String role, List<String> projects) {
        return expect(
                        admin.post(
                                "/api/v1/tokens",
                                Map.of("name", Api.uniqueKey(role), "role", role, "projects", projects)),
                        201)
                .json()
                .get("secret")
                .asString();
    }
}
