package dev.dimmer.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.DimmerApplication;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.FreshDatabaseInitializer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Walks every operation of docs/openapi.json with random and malformed input (issue 10): wrong types,
 * huge and deep JSON, NUL and odd Unicode, overflowing numbers, encoded and non-canonical path
 * variants, and missing, unknown and wrong-kind credentials. Whatever comes in, the server never
 * answers 500, never 2xx without the right credential, never shows a stack trace or SQL, and every
 * error is an RFC 9457 problem. jqwik prints the seed of a failing run; rerun it with
 * {@code @Property(seed = "...")}. Tries are bounded so it stays well under a minute.
 *
 * <p>jqwik runs outside Spring's test framework, so the server is started here, once, on its own
 * fresh database, exactly as {@code @IntegrationTest} would.
 */
class OpenApiFuzzTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ConfigurableApplicationContext server;
    private static int port;
    private static String sdkKey;
    private static List<Operation> operations;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Operation(String method, String template) {}

    enum Credential {
        NONE,
        UNKNOWN,
        SDK_KEY,
        ADMIN
    }

    record Call(
            Operation operation,
            Credential credential,
            List<String> pathValues,
            String variant,
            String query,
            String body) {}

    @BeforeContainer
    static void start() throws IOException {
        server = new SpringApplicationBuilder(DimmerApplication.class)
                .initializers(new FreshDatabaseInitializer())
                .properties(
                        "server.port=0",
                        "DIMMER_ADMIN_TOKEN=" + Api.ADMIN_TOKEN,
                        "logging.level.root=WARN",
                        "dimmer.analysis.interval=PT1H")
                .run();
        port = Integer.parseInt(server.getEnvironment().getProperty("local.server.port"));
        Api admin = Api.admin(port);
        admin.post("/api/v1/projects", Map.of("key", "fuzz"));
        admin.post("/api/v1/projects/fuzz/environments", Map.of("key", "production"));
        admin.post("/api/v1/projects/fuzz/flags", Map.of("key", "checkout"));
        admin.post("/api/v1/projects/fuzz/environments/production/segments", Map.of("key", "staff"));
        sdkKey = admin.post("/api/v1/projects/fuzz/environments/production/sdk-keys", Map.of("name", "fuzz"))
                .json()
                .get("key")
                .asString();
        operations = readOperations();
    }

    @AfterContainer
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static List<Operation> readOperations() throws IOException {
        Path document = Path.of("../docs/openapi.json");
        JsonNode paths = JSON.readTree(Files.readString(document)).get("paths");
        List<Operation> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            Iterator<String> methods = path.getValue().propertyNames().iterator();
            while (methods.hasNext()) {
                String method = methods.next();
                if (List.of("get", "post", "put", "patch", "delete").contains(method)) {
                    found.add(new Operation(method.toUpperCase(), path.getKey()));
                }
            }
        }
        assertThat(found).as("operations in docs/openapi.json").hasSizeGreaterThan(50);
        return found;
    }

    @Property(tries = 600, shrinking = ShrinkingMode.BOUNDED)
    void anyInputGetsAProperAnswer(@ForAll("calls") Call call) throws Exception {
        Operation operation = call.operation();
        // The event stream never ends for a valid SDK key: it is covered by the SDK API tests.
        Assume.that(!(operation.template().endsWith("/stream") && call.credential() == Credential.SDK_KEY));
        String target = target(call);
        URI uri;
        try {
            uri = URI.create("http://127.0.0.1:" + port + target);
        } catch (IllegalArgumentException notAUri) {
            Assume.that(false);
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .method(
                        operation.method(),
                        call.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(call.body()));
        if (call.body() != null) {
            request.header("Content-Type", "application/json");
        }
        switch (call.credential()) {
            case UNKNOWN -> request.header("Authorization", "Bearer dat_not-a-real-token-0123456789");
            case SDK_KEY -> request.header("Authorization", "Bearer " + sdkKey);
            case ADMIN -> request.header("Authorization", "Bearer " + Api.ADMIN_TOKEN);
            default -> {}
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        String said = operation.method() + " " + abbreviate(target) + " as " + call.credential() + " with "
                + abbreviate(call.body()) + " → " + status + " " + abbreviate(body);

        assertThat(status).as("never a server error: %s", said).isLessThan(500);
        if (!rightCredential(operation, call.credential())) {
            assertThat(status)
                    .as("never a success without the right credential: %s", said)
                    .isGreaterThanOrEqualTo(300);
        }
        assertThat(body)
                .as("no internals in the answer: %s", said)
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("org.postgresql")
                .doesNotContainIgnoringCase("SQL state")
                .doesNotContain("SELECT ")
                .doesNotContain("INSERT ");
        if (status >= 400) {
            assertThat(response.headers().firstValue("Content-Type").orElse(""))
                    .as("errors are problems: %s", said)
                    .startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(body);
            assertThat(problem.get("status").asInt())
                    .as("problem status: %s", said)
                    .isEqualTo(status);
            assertThat(problem.has("title")).as("problem title: %s", said).isTrue();
        }
    }

    /** Whether the credential is the kind this operation is meant for (not whether it is allowed). */
    private static boolean rightCredential(Operation operation, Credential credential) {
        String path = operation.template();
        if (path.equals("/api/v1/session")) {
            return true; // sign-in and "who am I" answer without a credential by design
        }
        if (path.startsWith("/api/sdk/")) {
            return credential == Credential.SDK_KEY;
        }
        return credential == Credential.ADMIN;
    }

    private static String target(Call call) {
        String path = call.operation().template();
        int i = 0;
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int open = path.indexOf('{', at);
            if (open < 0) {
                out.append(path.substring(at));
                break;
            }
            int close = path.indexOf('}', open);
            out.append(path, at, open);
            out.append(call.pathValues().get(i++ % call.pathValues().size()));
            at = close + 1;
        }
        String variant = switch (call.variant()) {
            case "double-slash" -> out.toString().replaceFirst("/api/", "/api//");
            case "dot-segment" -> out.toString().replaceFirst("/api/", "/api/./");
            case "matrix" -> out.toString().replaceFirst("/v1/", "/v1;x=1/");
            case "encoded" -> out.toString().replaceFirst("/v1/", "/%761/");
            case "upper" -> out.toString().replaceFirst("/api/", "/API/");
            case "dot-dot" -> out.toString().replaceFirst("/api/", "/api/x/../");
            default -> out.toString();
        };
        return call.query().isEmpty() ? variant : variant + "?" + call.query();
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "no body";
        }
        return text.length() > 300 ? text.substring(0, 300) + "…(" + text.length() + ")" : text;
    }

    @Provide
    Arbitrary<Call> calls() {
        Arbitrary<Operation> operation = Arbitraries.of(operations);
        Arbitrary<Credential> credential = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Credential.NONE)),
                Tuple.of(1, Arbitraries.just(Credential.UNKNOWN)),
                Tuple.of(1, Arbitraries.just(Credential.SDK_KEY)),
                Tuple.of(5, Arbitraries.just(Credential.ADMIN)));
        Arbitrary<String> variant = Arbitraries.frequency(
                Tuple.of(12, "plain"),
                Tuple.of(1, "double-slash"),
                Tuple.of(1, "dot-segment"),
                Tuple.of(1, "matrix"),
                Tuple.of(1, "encoded"),
                Tuple.of(1, "upper"),
                Tuple.of(1, "dot-dot"));
        return Combinators.combine(
                        operation, credential, pathValue().list().ofMinSize(1).ofMaxSize(4), variant, query(), body())
                .as(Call::new);
    }

    /** Mostly the fixture's real keys, so deeper code runs; else odd text, percent-encoded. */
    private Arbitrary<String> pathValue() {
        Arbitrary<String> real = Arbitraries.of("fuzz", "production", "checkout", "staff", "1", "admin");
        Arbitrary<String> odd = oddText().map(OpenApiFuzzTests::encode);
        Arbitrary<String> numbers = Arbitraries.of("-1", "0", "99999999999999999999", "1e5", "NaN", "%00", "%2F", "..");
        return Arbitraries.frequencyOf(Tuple.of(6, real), Tuple.of(2, odd), Tuple.of(1, numbers));
    }

    private Arbitrary<String> query() {
        Arbitrary<String> name = Arbitraries.of(
                "from",
                "to",
                "interval",
                "limit",
                "offset",
                "q",
                "format",
                "environment",
                "archived",
                "flag",
                "cursor",
                "actor",
                "since",
                "before",
                "status");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of(
                        "-999999999-01-01T00:00:00Z",
                        "%2B999999999-12-31T23:59:59Z",
                        "2026-01-01T00:00:00Z",
                        "99999999999999999999",
                        "-1",
                        "0",
                        "day",
                        "csv",
                        "true",
                        "%00",
                        "production"),
                oddText().map(OpenApiFuzzTests::encode));
        return Combinators.combine(name, value)
                .as((n, v) -> n + "=" + v)
                .list()
                .ofMaxSize(3)
                .map(parts -> String.join("&", parts));
    }

    private Arbitrary<String> body() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just((String) null)),
                Tuple.of(6, jsonObject().map(OpenApiFuzzTests::write)),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                "",
                                "{",
                                "[]",
                                "null",
                                "\"text\"",
                                "{\"key\":1e400}",
                                "{\"key\":\"a\\u0000b\"}",
                                "{\"rules\":[null]}",
                                "[".repeat(5000) + "]".repeat(5000),
                                "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
                                "{\"key\":123456789012345678901234567890}",
                                "{\"weight\":-0.0,\"seed\":2147483648}")));
    }

    /** A JSON object with the field names the API uses, each with a value of any type. */
    private Arbitrary<Map<String, Object>> jsonObject() {
        Arbitrary<String> field = Arbitraries.of(
                "key",
                "name",
                "description",
                "enabled",
                "offTreatment",
                "rules",
                "defaultServe",
                "trafficAllocation",
                "seed",
                "treatments",
                "conditions",
                "values",
                "operator",
                "attribute",
                "keys",
                "add",
                "remove",
                "runAt",
                "action",
                "configuration",
                "role",
                "password",
                "username",
                "flags",
                "attributes",
                "draft",
                "weight",
                "split",
                "serve",
                "id",
                "stages",
                "kind",
                "tags",
                "ownerTeam",
                "projects",
                "currentPassword",
                "newPassword",
                "archived",
                "direction",
                "type",
                "prerequisites");
        return Arbitraries.maps(field, value(3)).ofMaxSize(8);
    }

    private Arbitrary<Object> value(int depth) {
        List<Arbitrary<?>> scalars = List.of(
                Arbitraries.integers(),
                Arbitraries.longs(),
                Arbitraries.doubles(),
                Arbitraries.of(true, false),
                Arbitraries.just(null).map(n -> (Object) null),
                oddText(),
                Arbitraries.of(
                        "on",
                        "off",
                        "IN",
                        "MATCHES",
                        "((a{1000}){1000}){1000}",
                        "production",
                        "checkout",
                        "staff",
                        "admin",
                        "2030-01-01T00:00:00Z"));
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                scalars.stream().map(a -> a.map(v -> (Object) v)).toList());
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<Object> list = value(depth - 1).list().ofMaxSize(4).map(l -> (Object) l);
        Arbitrary<Object> object = Arbitraries.maps(
                        Arbitraries.of("key", "treatment", "weight", "operator", "values", "attribute", "id", "name"),
                        value(depth - 1))
                .ofMaxSize(4)
                .map(m -> (Object) m);
        return Arbitraries.frequencyOf(Tuple.of(4, scalar), Tuple.of(1, list), Tuple.of(1, object));
    }

    /** Text with NUL, controls, surrogates, right-to-left marks, emoji, and long runs. */
    private Arbitrary<String> oddText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings()
                        .withChars('\u0000', '\u202e', '\ufeff', '\ud800', 'é', '/', '%', ';', '.', '\\')
                        .ofMaxLength(12),
                Arbitraries.of("😀", "a".repeat(5000), "../../etc/passwd", "' OR 1=1 --", "${jndi:ldap://x}"));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String write(Map<String, Object> body) {
        return JSON.writeValueAsString(body);
    }
}
