package dev.dimmer.server.security;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Each caller kind × each endpoint group → the expected status (and every refusal a problem). One
 * table, so a change to who may do what shows up as a one-cell diff. Project-scoped roles apply to
 * reads too: an editor or viewer reads only the projects it is granted, or all with {@code "*"}.
 */
@IntegrationTest
class AuthorizationMatrixTests {

    @LocalServerPort
    int port;

    /** Callers, in the column order of the table below. */
    static final List<String> CALLERS = List.of(
            "admin",
            "editor-member",
            "editor-other",
            "viewer-member",
            "viewer-all",
            "viewer-none",
            "metrics",
            "sdk-key",
            "anonymous");

    record Group(String name, BiFunction<Api, String, Api.Response> call, List<Integer> expected) {}

    @Test
    void everyCallerKindGetsTheExpectedStatusOnEveryEndpointGroup() {
        Api admin = Api.admin(port);
        String project = Fixtures.project(admin);
        String other = Fixtures.project(admin);
        Fixtures.flag(admin, project, "existing");
        String env = "/api/v1/projects/" + project + "/environments/production";
        expect(admin.post(env + "/segments", Map.of("key", "existing-segment", "keys", List.of("a@example.com"))), 201);

        Map<String, Api> callers = new LinkedHashMap<>();
        callers.put("admin", admin);
        callers.put("editor-member", admin.as(token(admin, "editor", List.of(project))));
        callers.put("editor-other", admin.as(token(admin, "editor", List.of(other))));
        callers.put("viewer-member", admin.as(token(admin, "viewer", List.of(project))));
        callers.put("viewer-all", admin.as(token(admin, "viewer", List.of("*"))));
        callers.put("viewer-none", admin.as(token(admin, "viewer", List.of())));
        callers.put("metrics", admin.as(token(admin, "metrics", List.of())));
        callers.put(
                "sdk-key",
                admin.as(expect(admin.post(env + "/sdk-keys", Map.of("name", "svc")), 201)
                        .json()
                        .get("key")
                        .asString()));
        callers.put("anonymous", admin.as(null));

        Map<String, Object> config =
                Map.of("enabled", true, "offTreatment", "off", "defaultServe", Map.of("treatment", "on"));
        String flag = env + "/flags/existing";
        // Columns:                      admin edMem edOth viMem viAll viNone metrics sdk anon
        List<Integer> adminOnly = List.of(200, 403, 403, 403, 403, 403, 403, 403, 401);
        List<Integer> createdByAdmin = List.of(201, 403, 403, 403, 403, 403, 403, 403, 401);
        List<Integer> projectRead = List.of(200, 200, 403, 200, 200, 403, 403, 403, 401);
        List<Integer> projectWrite = List.of(200, 200, 403, 403, 403, 403, 403, 403, 401);
        List<Integer> projectCreate = List.of(201, 201, 403, 403, 403, 403, 403, 403, 401);
        List<Integer> anyAdminApiCaller = List.of(200, 200, 200, 200, 200, 200, 403, 403, 401);
        List<Group> table = List.of(
                new Group(
                        "create project",
                        (api, n) -> api.post("/api/v1/projects", Map.of("key", "p" + n)),
                        createdByAdmin),
                new Group(
                        "create environment",
                        (api, n) -> api.post("/api/v1/projects/" + project + "/environments", Map.of("key", "e" + n)),
                        createdByAdmin),
                new Group("list projects (filtered)", (api, n) -> api.get("/api/v1/projects"), anyAdminApiCaller),
                new Group("read project", (api, n) -> api.get("/api/v1/projects/" + project), projectRead),
                new Group(
                        "list environments",
                        (api, n) -> api.get("/api/v1/projects/" + project + "/environments"),
                        projectRead),
                new Group("list flags", (api, n) -> api.get("/api/v1/projects/" + project + "/flags"), projectRead),
                new Group(
                        "read flag",
                        (api, n) -> api.get("/api/v1/projects/" + project + "/flags/existing"),
                        projectRead),
                new Group(
                        "create flag",
                        (api, n) -> api.post("/api/v1/projects/" + project + "/flags", Map.of("key", "f" + n)),
                        projectCreate),
                new Group(
                        "update flag",
                        (api, n) -> api.patch(
                                "/api/v1/projects/" + project + "/flags/existing", Map.of("description", "d" + n)),
                        projectWrite),
                new Group("read configuration", (api, n) -> api.get(flag), projectRead),
                new Group("update configuration", (api, n) -> api.put(flag, config), projectWrite),
                new Group("kill", (api, n) -> api.post(flag + "/kill", null), projectWrite),
                new Group("evaluate", (api, n) -> api.post(env + "/evaluate", Map.of("key", "user-" + n)), projectRead),
                new Group("exposure", (api, n) -> api.get(flag + "/exposure"), projectRead),
                // A GET never computes: no report was refreshed, so readers get 404 (and nothing is computed).
                new Group(
                        "read report",
                        (api, n) -> api.get(flag + "/report"),
                        List.of(404, 404, 403, 404, 404, 403, 403, 403, 401)),
                new Group("refresh report", (api, n) -> api.post(flag + "/report/refresh", null), projectWrite),
                new Group(
                        "create segment",
                        (api, n) -> api.post(env + "/segments", Map.of("key", "s" + n)),
                        projectCreate),
                new Group("list segments", (api, n) -> api.get(env + "/segments"), projectRead),
                new Group(
                        "read segment keys", (api, n) -> api.get(env + "/segments/existing-segment/keys"), projectRead),
                new Group("list metrics", (api, n) -> api.get("/api/v1/projects/" + project + "/metrics"), projectRead),
                new Group(
                        "read flag metrics",
                        (api, n) -> api.get("/api/v1/projects/" + project + "/flags/existing/metrics"),
                        projectRead),
                new Group(
                        "create SDK key",
                        (api, n) -> api.post(env + "/sdk-keys", Map.of("name", "k" + n)),
                        createdByAdmin),
                new Group("list SDK keys", (api, n) -> api.get(env + "/sdk-keys"), adminOnly),
                new Group(
                        "create token",
                        (api, n) -> api.post("/api/v1/tokens", Map.of("name", "t" + n, "role", "viewer")),
                        createdByAdmin),
                new Group("list tokens", (api, n) -> api.get("/api/v1/tokens"), adminOnly),
                new Group(
                        "create user",
                        (api, n) -> api.post(
                                "/api/v1/users",
                                Map.of("username", "u" + n, "password", "long enough password", "role", "viewer")),
                        createdByAdmin),
                new Group("list users", (api, n) -> api.get("/api/v1/users"), adminOnly),
                new Group(
                        "read audit of the project",
                        (api, n) -> api.get("/api/v1/audit?project=" + project),
                        projectRead),
                new Group("read audit (filtered)", (api, n) -> api.get("/api/v1/audit"), anyAdminApiCaller),
                new Group("who am I", (api, n) -> api.get("/api/v1/session"), anyAdminApiCaller),
                new Group(
                        "SDK snapshot",
                        (api, n) -> api.get("/api/sdk/v1/snapshot"),
                        List.of(403, 403, 403, 403, 403, 403, 403, 200, 401)),
                new Group(
                        "Prometheus",
                        (api, n) -> api.get("/actuator/prometheus"),
                        List.of(200, 403, 403, 403, 403, 403, 200, 403, 401)),
                new Group(
                        "metrics endpoint",
                        (api, n) -> api.get("/actuator/metrics"),
                        List.of(200, 403, 403, 403, 403, 403, 200, 403, 401)),
                new Group(
                        "health with details",
                        (api, n) -> api.get("/actuator/health"),
                        List.of(200, 403, 403, 403, 403, 403, 200, 403, 401)),
                new Group(
                        "liveness probe",
                        (api, n) -> api.get("/actuator/health/liveness"),
                        List.of(200, 200, 200, 200, 200, 200, 200, 200, 200)),
                new Group(
                        "readiness probe",
                        (api, n) -> api.get("/actuator/health/readiness"),
                        List.of(200, 200, 200, 200, 200, 200, 200, 200, 200)),
                new Group("API document", (api, n) -> api.get("/v3/api-docs"), anyAdminApiCaller));

        List<String> mismatches = new ArrayList<>();
        int n = 0;
        for (Group group : table) {
            for (int c = 0; c < CALLERS.size(); c++) {
                String caller = CALLERS.get(c);
                Api.Response response = group.call().apply(callers.get(caller), project + "-" + n++);
                if (response.status() != group.expected().get(c)) {
                    mismatches.add(group.name() + " as " + caller + ": expected "
                            + group.expected().get(c) + " got " + response);
                } else if (response.status() >= 400
                        && !String.valueOf(response.header("Content-Type")).startsWith("application/problem+json")) {
                    mismatches.add(group.name() + " as " + caller + ": not a problem: " + response);
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static String token(Api admin, String role, List<String> projects) {
        return expect(
                        admin.post(
                                "/api/v1/tokens",
                                Map.of("name", role + "-" + projects, "role", role, "projects", projects)),
                        201)
                .json()
                .get("secret")
                .asString();
    }
}
