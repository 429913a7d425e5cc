package dev.dimmer.server.security;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.ingest.IngestFixtures;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 10 finding 1: authentication and authorization are decided on the path the router uses.
 * Every endpoint that holds data is called through every spelling an attacker would try — encoded
 * letters, matrix parameters, double slashes, dot segments, encoded slashes and percents, other
 * case — by callers without the right credential: none may answer 2xx, and every refusal is a
 * problem (never an HTML page). The firewall's refusals are 400s.
 */
@IntegrationTest
class PathVariantTests {

    @LocalServerPort
    int port;

    record Endpoint(String method, String path, Object body) {}

    @Test
    void noSpellingOfAnyPathAnswers2xxWithoutTheRightCredential() {
        Api admin = Api.admin(port);
        String shop = Fixtures.project(admin);
        String other = Fixtures.project(admin);
        Fixtures.flag(admin, shop, "checkout");
        String env = "/api/v1/projects/" + shop + "/environments/production";
        expect(admin.post(env + "/segments", Map.of("key", "vip", "keys", List.of("alice@example.com"))), 201);
        String sdkKey = IngestFixtures.sdkKey(admin, shop, "production");
        String editorOfOther = token(admin, "editor", List.of(other));
        String metrics = token(admin, "metrics", List.of());

        List<Endpoint> adminApi = List.of(
                new Endpoint("GET", "/api/v1/projects", null),
                new Endpoint("GET", env + "/segments/vip/keys", null),
                new Endpoint("GET", "/api/v1/audit", null),
                new Endpoint("GET", env + "/flags/checkout", null),
                new Endpoint("GET", env + "/flags/checkout/exposure", null),
                new Endpoint("POST", env + "/evaluate", Map.of("key", "alice")),
                new Endpoint("POST", env + "/flags/checkout/report/refresh", null),
                new Endpoint("GET", env + "/flags/checkout/report", null),
                new Endpoint("POST", env + "/flags/checkout/kill", null),
                new Endpoint("GET", "/api/v1/tokens", null),
                new Endpoint("GET", "/api/v1/users", null));
        List<Endpoint> sdkApi = List.of(
                new Endpoint("GET", "/api/sdk/v1/snapshot", null),
                new Endpoint("POST", "/api/sdk/v1/events", Map.of("batchId", "b", "events", List.of())));
        List<Endpoint> operations = List.of(
                new Endpoint("GET", "/actuator/prometheus", null),
                new Endpoint("GET", "/actuator/health", null),
                new Endpoint("GET", "/v3/api-docs", null));

        Map<String, Api> wrongCallers = new LinkedHashMap<>();
        wrongCallers.put("anonymous", admin.as(null));
        wrongCallers.put("unknown token", admin.as("dat_not-a-real-token"));
        List<String> failures = new ArrayList<>();
        int calls = 0;
        for (Endpoint endpoint : adminApi) {
            Map<String, Api> callers = new LinkedHashMap<>(wrongCallers);
            callers.put("sdk key", admin.as(sdkKey));
            callers.put("metrics token", admin.as(metrics));
            if (endpoint.path().contains(shop)) {
                callers.put("editor of another project", admin.as(editorOfOther));
            }
            calls += check(endpoint, callers, failures);
        }
        for (Endpoint endpoint : sdkApi) {
            Map<String, Api> callers = new LinkedHashMap<>(wrongCallers);
            callers.put("admin token", admin);
            calls += check(endpoint, callers, failures);
        }
        for (Endpoint endpoint : operations) {
            Map<String, Api> callers = new LinkedHashMap<>(wrongCallers);
            callers.put("sdk key", admin.as(sdkKey));
            calls += check(endpoint, callers, failures);
        }
        assertThat(failures).isEmpty();
        assertThat(calls).as("variants tried").isGreaterThan(500);
        assertThat(admin.get(env + "/flags/checkout").json().get("killed").asBoolean())
                .as("no variant killed the flag")
                .isFalse();
    }

    @Test
    void theFirewallRefusesNonCanonicalPathsWithAProblem() {
        Api admin = Api.admin(port);
        for (String path : List.of(
                "/api/v1;x=1/projects",
                "/api//v1/projects",
                "/api/v1/./projects",
                "/api/v1/../v1/projects",
                "/api/v1/%2e%2e/v1/projects",
                "/api%2Fv1/projects",
                "/api/v1%2fprojects",
                "/api%252Fv1/projects",
                "/api%5Cv1/projects",
                "/api/sdk/v1;a=b/snapshot",
                "/api/v1/projects;jsessionid=0123")) {
            for (Api caller : List.of(admin.as(null), admin)) {
                Api.Response response = caller.get(path);
                assertThat(response.status()).as(path).isEqualTo(400);
                assertThat(response.header("Content-Type")).as(path).startsWith("application/problem+json");
                assertThat(response.json().get("status").asInt()).isEqualTo(400);
            }
        }
        // Encoded ordinary characters and other case are not refused: they are routed like the plain
        // path, and therefore authorised like it.
        assertThat(admin.get("/api/%761/projects").status()).isEqualTo(200);
        assertThat(admin.as(null).get("/api/%761/projects").status()).isEqualTo(401);
        assertThat(admin.as(null).get("/API/V1/projects").status()).isEqualTo(401);
        assertThat(admin.get("/API/V1/projects").status()).isEqualTo(404);
    }

    /** Calls every spelling of the endpoint as every caller; returns the number of calls. */
    private static int check(Endpoint endpoint, Map<String, Api> callers, List<String> failures) {
        int calls = 0;
        for (String variant : variants(endpoint.path())) {
            for (Map.Entry<String, Api> caller : callers.entrySet()) {
                Api.Response response = caller.getValue().send(endpoint.method(), variant, endpoint.body());
                calls++;
                if (response.status() < 400) {
                    failures.add(endpoint.method() + " " + variant + " as " + caller.getKey() + " -> " + response);
                } else if (!String.valueOf(response.header("Content-Type")).startsWith("application/problem+json")) {
                    failures.add(endpoint.method() + " " + variant + " as " + caller.getKey() + " is not a problem -> "
                            + response);
                }
            }
        }
        return calls;
    }

    /** The path as given and the spellings that a router might treat as the same path. */
    static Set<String> variants(String path) {
        Set<String> variants = new LinkedHashSet<>();
        variants.add(path);
        String[] segments = path.substring(1).split("/");
        for (int i = 0; i < segments.length; i++) {
            variants.add(withSegment(segments, i, encodeFirstLetter(segments[i])));
            variants.add(withSegment(segments, i, segments[i] + ";x=1"));
            variants.add(withSegment(segments, i, segments[i].toUpperCase(Locale.ROOT)));
            variants.add(withSegment(segments, i, "." + "/" + segments[i]));
            variants.add(withSegment(segments, i, segments[i] + "/../" + segments[i]));
            variants.add(withSegment(segments, i, "/" + segments[i]));
            variants.add(withSegment(segments, i, "%2e/" + segments[i]));
            if (i + 1 < segments.length) {
                variants.add(withSeparator(segments, i, "%2F"));
                variants.add(withSeparator(segments, i, "%2f"));
                variants.add(withSeparator(segments, i, "%252F"));
                variants.add(withSeparator(segments, i, "%5C"));
            }
        }
        variants.add(path.toUpperCase(Locale.ROOT));
        variants.add(path + "/");
        variants.add(path + "//");
        variants.add(path + "/.");
        variants.add(path + ";");
        return variants;
    }

    private static String withSegment(String[] segments, int index, String replacement) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            path.append('/').append(i == index ? replacement : segments[i]);
        }
        return path.toString();
    }

    private static String withSeparator(String[] segments, int index, String separator) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            path.append(i == index + 1 ? separator : "/").append(segments[i]);
        }
        return path.toString();
    }

    /** {@code v1} → {@code %761}: an encoded ordinary character, which decodes to the same path. */
    private static String encodeFirstLetter(String segment) {
        int c = segment.charAt(0);
        return String.format("%%%02x", c) + segment.substring(1);
    }

    private static String token(Api admin, String role, List<String> projects) {
        return expect(
                        admin.post(
                                "/api/v1/tokens",
                                Map.of("name", Api.uniqueKey(role), "role", role, "projects", projects)),
                        201)
                .json()
                .get("secret")
                .asString();
    }
}
