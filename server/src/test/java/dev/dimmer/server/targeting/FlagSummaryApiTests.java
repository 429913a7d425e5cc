package dev.dimmer.server.targeting;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The console's flag list: each flag's state per environment and its last change, in one call. */
@IntegrationTest
class FlagSummaryApiTests {

    @LocalServerPort
    int port;

    @Test
    void listsEachFlagsStatePerEnvironmentAndItsLastChange() {
        Api api = Api.admin(port);
        String project = Fixtures.project(api);
        Fixtures.flag(api, project, "checkout");
        Fixtures.flag(api, project, "search");
        String production = "/api/v1/projects/" + project + "/environments/production/flags/checkout";
        expect(
                api.withHeader("X-Dimmer-Comment", "UTF-8''error%20rate%20up%20%E2%9C%93")
                        .post(production + "/kill", null),
                200);

        JsonNode summaries = expect(api.get("/api/v1/projects/" + project + "/flag-summaries"), 200)
                .json();
        assertThat(summaries).hasSize(2);
        JsonNode checkout = summaries.get(0);
        assertThat(checkout.get("flag").get("key").asString()).isEqualTo("checkout");
        assertThat(checkout.get("environments").findValuesAsString("environment"))
                .containsExactly("staging", "production");
        JsonNode killed = checkout.get("environments").get(1);
        assertThat(killed.get("killed").asBoolean()).isTrue();
        assertThat(killed.get("enabled").asBoolean()).isFalse();
        assertThat(checkout.get("lastChange").get("action").asString()).isEqualTo("kill");
        assertThat(checkout.get("lastChange").get("environment").asString()).isEqualTo("production");
        assertThat(checkout.get("lastChange").get("actor").asString()).startsWith("token:");
        assertThat(summaries.get(1).get("lastChange").get("action").asString()).isEqualTo("create");

        JsonNode filtered = expect(api.get("/api/v1/projects/" + project + "/flag-summaries?q=sea"), 200)
                .json();
        assertThat(filtered.findValuesAsString("key")).containsExactly("search");

        // the kill's comment was sent as an RFC 8187 value and is stored as the person wrote it
        JsonNode audit = expect(api.get("/api/v1/audit?project=" + project + "&flag=checkout"), 200)
                .json();
        assertThat(audit.get(0).get("comment").asString()).isEqualTo("error rate up ✓");
    }

    @Test
    void anUnknownProjectIsA404() {
        expect(Api.admin(port).get("/api/v1/projects/nope-" + Map.of().size() + "x/flag-summaries"), 404);
    }
}
