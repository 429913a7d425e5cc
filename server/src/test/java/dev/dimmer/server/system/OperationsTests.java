package dev.dimmer.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class OperationsTests {

    @LocalServerPort
    int port;

    @Test
    void healthIncludesTheDatabase() {
        Api.Response health = new Api(port, null).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().get("components").get("db").get("status").asString())
                .isEqualTo("UP");
    }

    @Test
    void prometheusMetricsAreExposed() {
        Api.Response metrics = new Api(port, null).get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("jvm_memory_used_bytes", "http_server_requests");
    }

    @Test
    void openApiDocumentAndSwaggerUiAreServed() {
        Api.Response openApi = new Api(port, null).get("/v3/api-docs");
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.json()
                        .get("paths")
                        .has("/api/v1/projects/{project}/environments/{environment}/flags/{flag}"))
                .isTrue();
        assertThat(new Api(port, null).get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void everyResponseCarriesARequestIdAndEchoesTheCallers() {
        Api api = Api.admin(port);
        assertThat(api.get("/api/v1/projects").header("X-Request-Id")).isNotBlank();
        assertThat(api.withHeader("X-Request-Id", "trace-me-42")
                        .get("/api/v1/projects")
                        .header("X-Request-Id"))
                .isEqualTo("trace-me-42");
    }

    @Test
    void unknownPathsAndMethodsAreProblems() {
        Api api = Api.admin(port);
        Api.Response missing = api.get("/api/v1/nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.send("PATCH", "/api/v1/tokens", "{}").status()).isEqualTo(405);
    }
}
