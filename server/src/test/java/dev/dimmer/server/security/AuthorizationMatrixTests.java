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
 * Each caller kind × each endpoint group → the expected status. One table, so a change to who
 * may do what shows up as a one-cell diff.
 */
@IntegrationTest
class AuthorizationMatrixTests {

    @LocalServerPort
    int port;

    /** Callers, in the column order of the table below. */
    static final List<String> CALLERS =
            List.of("admin", "editor-member", "editor-other", "viewer", "sdk-key", "anonymous");

    record Group(String name, BiFunction<Api, String, Api.Response> call, List<Integer> expected) {}

    @Test
    void everyCallerKindGetsTheExpectedStatusOnEveryEndpointGroup() {
        Api admin = Api.admin(port);
        String project = Fixtures.project(admin);
        String other = Fixtures.project(admin);
        Fixtures.flag(admin, project, "existing");
        String env = "/api/v1/projects/" + project + "/environments/production";

        Map<String, Api> callers = new LinkedHashMap<>();
        callers.put("admin", admin);
        callers.put("editor-member", admin.as(token(admin, "editor", List.of(project))));
        callers.put("editor-other", admin.as(token(admin, "editor", List.of(other))));
        callers.put("viewer", admin.as(token(admin, "viewer", List.of())));
        callers.put(
                "sdk-key",
                admin.as(expect(admin.post(env + "/sdk-keys", Map.of("name", "svc")), 201)
                        .json()
                        .get("key")
                        .asString()));
        callers.put("anonymous", admin.as(null));

        Map<String, Object> config =
                Map.of("enabled", true, "offTreatment", "off", "defaultServe", Map.of("treatment", "on"));
        List<Group> table = List.of(
                //                                                                     admin edMem edOth viewer sdk
                // anon
                new Group(
                        "create project",
                        (api, n) -> api.post("/api/v1/projects", Map.of("key", "p" + n)),
                        List.of(201, 403, 403, 403, 403, 401)),
                new Group(
                        "create environment",
                        (api, n) -> api.post("/api/v1/projects/" + project + "/environments", Map.of("key", "e" + n)),
                        List.of(201, 403, 403, 403, 403, 401)),
                new Group(
                        "read project",
                        (api, n) -> api.get("/api/v1/projects/" + project),
                        List.of(200, 200, 200, 200, 403, 401)),
                new Group(
                        "list flags",
                        (api, n) -> api.get("/api/v1/projects/" + project + "/flags"),
                        List.of(200, 200, 200, 200, 403, 401)),
                new Group(
                        "create flag",
                        (api, n) -> api.post("/api/v1/projects/" + project + "/flags", Map.of("key", "f" + n)),
                        List.of(201, 201, 403, 403, 403, 401)),
                new Group(
                        "update flag",
                        (api, n) -> api.patch(
                                "/api/v1/projects/" + project + "/flags/existing", Map.of("description", "d" + n)),
                        List.of(200, 200, 403, 403, 403, 401)),
                new Group(
                        "read configuration",
                        (api, n) -> api.get(env + "/flags/existing"),
                        List.of(200, 200, 200, 200, 403, 401)),
                new Group(
                        "update configuration",
                        (api, n) -> api.put(env + "/flags/existing", config),
                        List.of(200, 200, 403, 403, 403, 401)),
                new Group(
                        "kill",
                        (api, n) -> api.post(env + "/flags/existing/kill", null),
                        List.of(200, 200, 403, 403, 403, 401)),
                new Group(
                        "create segment",
                        (api, n) -> api.post(env + "/segments", Map.of("key", "s" + n)),
                        List.of(201, 201, 403, 403, 403, 401)),
                new Group(
                        "list segments", (api, n) -> api.get(env + "/segments"), List.of(200, 200, 200, 200, 403, 401)),
                new Group(
                        "create SDK key",
                        (api, n) -> api.post(env + "/sdk-keys", Map.of("name", "k" + n)),
                        List.of(201, 403, 403, 403, 403, 401)),
                new Group(
                        "list SDK keys", (api, n) -> api.get(env + "/sdk-keys"), List.of(200, 403, 403, 403, 403, 401)),
                new Group(
                        "create token",
                        (api, n) -> api.post("/api/v1/tokens", Map.of("name", "t" + n, "role", "viewer")),
                        List.of(201, 403, 403, 403, 403, 401)),
                new Group("list tokens", (api, n) -> api.get("/api/v1/tokens"), List.of(200, 403, 403, 403, 403, 401)),
                new Group(
                        "create user",
                        (api, n) -> api.post(
                                "/api/v1/users",
                                Map.of("username", "u" + n, "password", "long enough password", "role", "viewer")),
                        List.of(201, 403, 403, 403, 403, 401)),
                new Group(
                        "read audit",
                        (api, n) -> api.get("/api/v1/audit?project=" + project),
                        List.of(200, 200, 200, 200, 403, 401)));

        List<String> mismatches = new ArrayList<>();
        int n = 0;
        for (Group group : table) {
            for (int c = 0; c < CALLERS.size(); c++) {
                String caller = CALLERS.get(c);
                Api.Response response = group.call().apply(callers.get(caller), project + "-" + n++);
                if (response.status() != group.expected().get(c)) {
                    mismatches.add(group.name() + " as " + caller + ": expected "
                            + group.expected().get(c) + " got " + response);
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
