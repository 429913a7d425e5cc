package dev.dimmer.server.sdkapi;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Whoever changes a flag and then reads from the same replica sees the change: the replica's
 * in-memory change number moves when the change commits, not when PostgreSQL's notification
 * comes back (issue 10, item 11). Repeated, because the old behaviour lost the race only now and then.
 */
@IntegrationTest
class ReadYourWritesTests {

    private static final int ROUNDS = 300;

    @LocalServerPort
    int port;

    @Test
    void everyReadAfterAWriteSeesIt() {
        Api api = Api.admin(port);
        String project = Fixtures.project(api);
        String base = "/api/v1/projects/" + project + "/environments/production";
        expect(api.post("/api/v1/projects/" + project + "/flags", Map.of("key", "checkout")), 201);
        Fixtures.configure(
                api,
                project,
                "production",
                "checkout",
                Map.of("enabled", true, "offTreatment", "off", "defaultServe", Map.of("treatment", "on")));
        Api sdk = api.as(expect(api.post(base + "/sdk-keys", Map.of("name", "reads")), 201)
                .json()
                .get("key")
                .asString());
        String etag = expect(sdk.get("/api/sdk/v1/snapshot"), 200).header("ETag");

        for (int round = 0; round < ROUNDS; round++) {
            boolean kill = round % 2 == 0;
            expect(api.post(base + "/flags/checkout/" + (kill ? "kill" : "restore"), null), 200);

            JsonNode result = expect(api.post(base + "/evaluate", Map.of("key", "alice")), 200)
                    .json()
                    .get("results")
                    .get(0);
            assertThat(result.get("treatment").asString())
                    .as("round %d: evaluate after %s", round, kill ? "kill" : "restore")
                    .isEqualTo(kill ? "off" : "on");

            Api.Response snapshot = sdk.withHeader("If-None-Match", etag).get("/api/sdk/v1/snapshot");
            assertThat(snapshot.status())
                    .as("round %d: snapshot after the write is new, not 304", round)
                    .isEqualTo(200);
            JsonNode flag = snapshot.json().get("flags").get(0);
            assertThat(flag.get("killed").asBoolean()).as("round %d", round).isEqualTo(kill);
            etag = snapshot.header("ETag");
        }
    }
}
