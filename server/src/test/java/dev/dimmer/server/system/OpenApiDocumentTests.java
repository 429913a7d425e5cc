package dev.dimmer.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's API types are generated from {@code docs/openapi.json} (openapi-typescript in {@code web-ui/}'s build),
 * so that file must be the document the server serves. When a controller or a record changes, this test fails and
 * says how to refresh the file; the console's build then fails wherever it used what changed — a renamed field
 * breaks the build, not the page.
 */
@IntegrationTest
class OpenApiDocumentTests {

    /** {@code -Ddimmer.openapi.write=true} rewrites docs/openapi.json instead of comparing. */
    static final String WRITE_PROPERTY = "dimmer.openapi.write";

    static final Path COMMITTED = Path.of("..", "docs", "openapi.json");

    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    @LocalServerPort
    int port;

    @Test
    void committedDocumentIsTheOneTheServerServes() throws IOException {
        Api.Response served = Api.admin(port).get("/v3/api-docs");
        assertThat(served.status()).isEqualTo(200);
        String actual = canonical(served.text());

        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.writeString(COMMITTED, actual, StandardCharsets.UTF_8);
        }
        Path fresh = Path.of("target", "openapi.json");
        Files.writeString(fresh, actual, StandardCharsets.UTF_8);
        assertThat(Files.exists(COMMITTED))
                .as("docs/openapi.json is missing; create it with -D%s=true", WRITE_PROPERTY)
                .isTrue();
        assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
                .as("docs/openapi.json is stale: the API changed. Refresh it with\n"
                        + "  ./mvnw -pl server -am test -Dtest=OpenApiDocumentTests -Dsurefire.failIfNoSpecifiedTests=false -D"
                        + WRITE_PROPERTY + "=true\n"
                        + "(or copy server/target/openapi.json), then rebuild web-ui/, which type-checks against it")
                .isEqualTo(actual);
    }

    /** Sorted keys, two-space indent, no {@code servers} (it names this run's random port). */
    @SuppressWarnings("unchecked")
    static String canonical(String json) {
        Map<String, Object> document = CANONICAL.readValue(json, Map.class);
        document.remove("servers");
        return CANONICAL.writeValueAsString(document) + "\n";
    }
}
