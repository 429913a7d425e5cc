package dev.dimmer.server.system;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class OperationsTests {

    @LocalServerPort
    int port;

    @Test
    void onlyTheLivenessAndReadinessProbesArePublicAndTheyShowNoDetails() {
        Api anonymous = new Api(port, null);
        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            Api.Response health = anonymous.get(probe);
            assertThat(health.status()).as(probe).isEqualTo(200);
            assertThat(health.json().get("status").asString()).isEqualTo("UP");
            assertThat(health.json().has("components"))
                    .as("no details in %s", health)
                    .isFalse();
            assertThat(health.json().has("details")).isFalse();
        }
        for (String path : List.of(
                "/actuator/health",
                "/actuator/health/db",
                "/actuator/prometheus",
                "/actuator/metrics",
                "/actuator/metrics/jvm.memory.used",
                "/actuator/info",
                "/actuator",
                "/v3/api-docs",
                "/v3/api-docs/swagger-config")) {
            Api.Response refused = anonymous.get(path);
            assertThat(refused.status()).as(path).isEqualTo(401);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        }
    }

    @Test
    void healthDetailsNeedAnAdminOrMetricsToken() {
        Api admin = Api.admin(port);
        Api.Response health = admin.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().get("components").get("db").get("status").asString())
                .isEqualTo("UP");
        assertThat(admin.as(metricsToken(admin)).get("/actuator/health").json().has("components"))
                .isTrue();
    }

    @Test
    void prometheusIsScrapedWithADedicatedReadOnlyMetricsToken() {
        Api admin = Api.admin(port);
        Api prometheus = admin.as(metricsToken(admin));
        Api.Response metrics = prometheus.get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("jvm_memory_used_bytes", "http_server_requests");
        assertThat(prometheus.get("/actuator/metrics/jvm.memory.used").status()).isEqualTo(200);
        assertThat(admin.get("/actuator/prometheus").status())
                .as("admins read them too")
                .isEqualTo(200);

        // read-only, and nothing else: not the admin API, not the API document, not a write
        Api.Response adminApi = prometheus.get("/api/v1/projects");
        assertThat(adminApi.status()).isEqualTo(403);
        assertThat(adminApi.json().get("detail").asString()).contains("metrics tokens open only /actuator");
        assertThat(prometheus.get("/v3/api-docs").status()).isEqualTo(403);
        assertThat(prometheus.get("/api/sdk/v1/snapshot").status()).isEqualTo(403);
        assertThat(prometheus.post("/actuator/prometheus", "{}").status()).isEqualTo(403);

        // editors and viewers do not read operational endpoints
        String viewer = expect(admin.post("/api/v1/tokens", Map.of("name", "v", "role", "viewer")), 201)
                .json()
                .get("secret")
                .asString();
        assertThat(admin.as(viewer).get("/actuator/prometheus").status()).isEqualTo(403);

        // a metrics token is a token: it has no projects, and people cannot have the role
        expect(admin.post("/api/v1/tokens", Map.of("name", "m", "role", "metrics", "projects", List.of("*"))), 400);
        expect(
                admin.post(
                        "/api/v1/users",
                        Map.of("username", Api.uniqueKey("m"), "password", "long enough password", "role", "metrics")),
                400);
    }

    @Test
    void openApiDocumentNeedsACredentialAndSwaggerUiIsServed() {
        Api.Response openApi = Api.admin(port).get("/v3/api-docs");
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.json()
                        .get("paths")
                        .has("/api/v1/projects/{project}/environments/{environment}/flags/{flag}"))
                .isTrue();
        assertThat(new Api(port, null).get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    private static String metricsToken(Api admin) {
        return expect(admin.post("/api/v1/tokens", Map.of("name", Api.uniqueKey("prometheus"), "role", "metrics")), 201)
                .json()
                .get("secret")
                .asString();
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
