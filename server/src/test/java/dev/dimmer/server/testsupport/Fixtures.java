package dev.dimmer.server.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

/** Builds a project with environments and flags through the API, for tests that need one. */
public final class Fixtures {

    private Fixtures() {}

    /** A new project with environments {@code staging} and {@code production}; returns its key. */
    public static String project(Api api) {
        String key = Api.uniqueKey("p");
        expect(api.post("/api/v1/projects", Map.of("key", key)), 201);
        expect(api.post("/api/v1/projects/" + key + "/environments", Map.of("key", "staging")), 201);
        expect(api.post("/api/v1/projects/" + key + "/environments", Map.of("key", "production")), 201);
        return key;
    }

    public static void flag(Api api, String project, String flag) {
        expect(api.post("/api/v1/projects/" + project + "/flags", Map.of("key", flag, "ownerTeam", "checkout")), 201);
    }

    public static void flag(Api api, String project, String flag, List<String> treatments) {
        expect(
                api.post(
                        "/api/v1/projects/" + project + "/flags",
                        Map.of(
                                "key",
                                flag,
                                "treatments",
                                treatments.stream().map(t -> Map.of("name", t)).toList())),
                201);
    }

    /** Replaces a flag's configuration in an environment, If-Match its current version. */
    public static Api.Response configure(
            Api api, String project, String environment, String flag, Map<String, Object> configuration) {
        String path = "/api/v1/projects/" + project + "/environments/" + environment + "/flags/" + flag;
        String etag = expect(api.get(path), 200).header("ETag");
        return expect(api.withHeader("If-Match", etag).put(path, configuration), 200);
    }

    public static Api.Response expect(Api.Response response, int status) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        return response;
    }
}
