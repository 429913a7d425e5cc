package dev.dimmer.server.sdkapi;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.EventStream;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@IntegrationTest
class SdkApiTests {

    @LocalServerPort
    int port;

    Api admin;
    String project;
    String sdkKey;

    @BeforeEach
    void setUp() {
        admin = Api.admin(port);
        project = Fixtures.project(admin);
        Fixtures.flag(admin, project, "checkout");
        admin.post(
                "/api/v1/projects/" + project + "/environments/production/segments",
                Map.of("key", "staff", "keys", List.of("alice")));
        sdkKey = expect(
                        admin.post(
                                "/api/v1/projects/" + project + "/environments/production/sdk-keys",
                                Map.of("name", "svc")),
                        201)
                .json()
                .get("key")
                .asString();
    }

    @Test
    void servesTheEnvironmentSnapshotWithAnETagAnd304WhenCurrent() {
        Api sdk = admin.as(sdkKey);
        Api.Response first = expect(sdk.get("/api/sdk/v1/snapshot"), 200);
        JsonNode snapshot = first.json();
        assertThat(snapshot.get("environment").asString()).isEqualTo("production");
        assertThat(snapshot.get("flags").findValuesAsString("key")).containsExactly("checkout");
        assertThat(snapshot.get("segments").get(0).get("keys").get(0).asString())
                .isEqualTo("alice");
        long changeNumber = snapshot.get("changeNumber").asLong();
        assertThat(first.header("ETag")).isEqualTo("\"" + changeNumber + "\"");

        Api.Response notModified =
                sdk.withHeader("If-None-Match", first.header("ETag")).get("/api/sdk/v1/snapshot");
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.text()).isEmpty();

        expect(admin.post("/api/v1/projects/" + project + "/environments/production/flags/checkout/kill", null), 200);
        Api.Response changed =
                sdk.withHeader("If-None-Match", first.header("ETag")).get("/api/sdk/v1/snapshot");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("changeNumber").asLong()).isEqualTo(changeNumber + 1);
        assertThat(changed.json().get("flags").get(0).get("killed").asBoolean()).isTrue();
    }

    @Test
    void gzipsWhenAsked() throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/sdk/v1/snapshot"))
                                .header("Authorization", "Bearer " + sdkKey)
                                .header("Accept-Encoding", "gzip")
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String json = new String(
                new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(JsonMapper.builder().build().readTree(json).get("flags")).hasSize(1);
    }

    @Test
    void refusesMissingUnknownAndAdminCredentials() {
        assertThat(admin.as(null).get("/api/sdk/v1/snapshot").status()).isEqualTo(401);
        assertThat(admin.as("dsk_nope").get("/api/sdk/v1/snapshot").status()).isEqualTo(401);
        Api.Response adminOnSdk = admin.get("/api/sdk/v1/snapshot");
        assertThat(adminOnSdk.status()).isEqualTo(403);
        assertThat(adminOnSdk.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void archivedFlagsLeaveTheSnapshot() {
        Fixtures.flag(admin, project, "temporary");
        assertThat(admin.as(sdkKey).get("/api/sdk/v1/snapshot").json().get("flags"))
                .hasSize(2);
        expect(admin.delete("/api/v1/projects/" + project + "/flags/temporary"), 200);
        assertThat(admin.as(sdkKey)
                        .get("/api/sdk/v1/snapshot")
                        .json()
                        .get("flags")
                        .findValuesAsString("key"))
                .containsExactly("checkout");
    }

    @Test
    void streamsTheCurrentNumberThenEveryChange() throws Exception {
        long current = admin.as(sdkKey)
                .get("/api/sdk/v1/snapshot")
                .json()
                .get("changeNumber")
                .asLong();
        try (EventStream stream = new EventStream("http://127.0.0.1:" + port + "/api/sdk/v1/stream", sdkKey)) {
            assertThat(stream.await("\"changeNumber\":" + current, Duration.ofSeconds(5)))
                    .isNotNull();
            expect(
                    admin.post("/api/v1/projects/" + project + "/environments/production/flags/checkout/kill", null),
                    200);
            assertThat(stream.await("\"changeNumber\":" + (current + 1), Duration.ofSeconds(5)))
                    .isNotNull();
        }
    }

    /**
     * {@code inline=snapshot}: the change arrives as {@code event: snapshot} with the same JSON {@code GET /snapshot}
     * serves, so no request follows; a stream that did not ask still gets {@code changed} (older SDKs).
     */
    @Test
    void pushesTheSnapshotItselfToStreamsThatAskForIt() throws Exception {
        String base = "http://127.0.0.1:" + port + "/api/sdk/v1/stream";
        long current = admin.as(sdkKey)
                .get("/api/sdk/v1/snapshot")
                .json()
                .get("changeNumber")
                .asLong();
        try (EventStream inline = new EventStream(base + "?inline=snapshot", sdkKey);
                EventStream plain = new EventStream(base, sdkKey)) {
            assertThat(inline.await("\"changeNumber\":" + current, Duration.ofSeconds(5)))
                    .isNotNull();
            assertThat(plain.await("\"changeNumber\":" + current, Duration.ofSeconds(5)))
                    .isNotNull();
            expect(
                    admin.post("/api/v1/projects/" + project + "/environments/production/flags/checkout/kill", null),
                    200);

            assertThat(inline.await("event:snapshot", Duration.ofSeconds(5))).isNotNull();
            String data = inline.await("data:", Duration.ofSeconds(5));
            assertThat(data).isNotNull();
            JsonNode pushed = JsonMapper.builder().build().readTree(data.substring("data:".length()));
            JsonNode fetched = admin.as(sdkKey).get("/api/sdk/v1/snapshot").json();
            assertThat(pushed.get("changeNumber").asLong()).isEqualTo(current + 1);
            assertThat(pushed).isEqualTo(fetched);
            assertThat(pushed.get("flags").get(0).get("killed").asBoolean()).isTrue();

            assertThat(plain.await("event:changed", Duration.ofSeconds(5))).isNotNull();
            assertThat(plain.await("\"changeNumber\":" + (current + 1), Duration.ofSeconds(5)))
                    .isNotNull();
        }
    }
}
