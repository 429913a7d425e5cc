package dev.dimmer.e2e;

import static dev.dimmer.server.testsupport.Fixtures.expect;

import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.internal.Json;
import dev.dimmer.sdk.snapshot.Snapshot;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project made through the admin API of one replica: environment {@code production}, one flag
 * with treatments {@code on}/{@code off}, and a server-side SDK key for that environment.
 */
record Scenario(Api admin, String project, String flag, String sdkKey) {

    static final String ENVIRONMENT = "production";

    static Scenario create(DimmerServer server, String flag) {
        Api admin = server.admin();
        String project = Fixtures.project(admin);
        Fixtures.flag(admin, project, flag);
        String sdkKey = expect(
                        admin.post(
                                "/api/v1/projects/" + project + "/environments/" + ENVIRONMENT + "/sdk-keys",
                                Map.of("name", "e2e")),
                        201)
                .json()
                .get("key")
                .asString();
        return new Scenario(admin, project, flag, sdkKey);
    }

    String configurationPath() {
        return "/api/v1/projects/" + project + "/environments/" + ENVIRONMENT + "/flags/" + flag;
    }

    /**
     * Dogfooders ({@code email} ending in {@code @example.com}) get {@code on}; everyone else a
     * split with {@code onWeight} basis points of {@code on}.
     */
    static Map<String, Object> dogfoodThenSplit(int onWeight) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", true);
        body.put("offTreatment", "off");
        body.put(
                "rules",
                List.of(Map.of(
                        "id",
                        "dogfood",
                        "conditions",
                        List.of(Map.of(
                                "attribute", "email", "operator", "ENDS_WITH", "values", List.of("@example.com"))),
                        "serve",
                        Map.of("treatment", "on"))));
        body.put(
                "defaultServe",
                Map.of(
                        "split",
                        List.of(
                                Map.of("treatment", "on", "weight", onWeight),
                                Map.of("treatment", "off", "weight", 10000 - onWeight))));
        body.put("trafficAllocation", 10000);
        return body;
    }

    /** Replaces the flag's configuration (If-Match the current version); returns the new version. */
    long configure(Map<String, Object> configuration) {
        return Fixtures.configure(admin, project, ENVIRONMENT, flag, configuration)
                .json()
                .get("version")
                .asLong();
    }

    void kill() {
        expect(admin.post(configurationPath() + "/kill", null), 200);
    }

    void restore() {
        expect(admin.post(configurationPath() + "/restore", null), 200);
    }

    /** The snapshot as the server sends it to SDKs, read with plain HTTP (no SDK involved). */
    static String snapshotJson(DimmerServer server, String sdkKey) {
        return expect(server.sdk(sdkKey).get("/api/sdk/v1/snapshot"), 200).text();
    }

    static Snapshot parse(String snapshotJson) {
        try {
            return Json.MAPPER.readValue(snapshotJson, Snapshot.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client with the defaults (streaming on, polling every 30 s) and a short close. */
    static DimmerClient.Builder client(DimmerServer server, String sdkKey) {
        return DimmerClient.builder(sdkKey).baseUrl(server.baseUrl()).closeTimeout(Duration.ofSeconds(2));
    }
}
