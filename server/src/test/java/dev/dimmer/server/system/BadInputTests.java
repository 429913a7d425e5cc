package dev.dimmer.server.system;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Bad input gets a 400 problem naming the field, whatever the endpoint (issue 10, item 10): the
 * fixes are global (strict JSON binding, one instant parser, SQLSTATE-aware mapping, Tomcat's own
 * error answers), so these cases stand for every endpoint of their kind.
 */
@IntegrationTest
class BadInputTests {

    @LocalServerPort
    int port;

    Api api;
    String project;
    String base;

    @BeforeEach
    void setUp() {
        api = Api.admin(port);
        project = Fixtures.project(api);
        base = "/api/v1/projects/" + project;
        Fixtures.flag(api, project, "checkout");
    }

    @Test
    void aNullRuleIsA400NamingIt() {
        Api.Response response = api.send(
                "PUT",
                base + "/environments/production/flags/checkout",
                "{\"enabled\":true,\"offTreatment\":\"off\",\"rules\":[null],\"defaultServe\":{\"treatment\":\"on\"}}");
        assertProblem(response, 400, "/rules/0");
    }

    @Test
    void aNullConditionIsA400NamingIt() {
        Api.Response response = api.send(
                "PUT",
                base + "/environments/production/flags/checkout",
                "{\"enabled\":true,\"offTreatment\":\"off\",\"rules\":[{\"id\":\"r\",\"conditions\":[null],"
                        + "\"serve\":{\"treatment\":\"on\"}}],\"defaultServe\":{\"treatment\":\"on\"}}");
        assertProblem(response, 400, "/rules/0/conditions/0");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "from=-999999999-01-01T00:00:00Z",
                "from=%2B999999999-12-31T23:59:59Z",
                "to=-999999999-01-01T00:00:00Z",
                "from=0001-01-01T00:00:00Z&interval=day"
            })
    void anAbsurdInstantIsA400(String query) {
        Api.Response response = api.get(base + "/environments/production/flags/checkout/exposure?" + query);
        assertThat(response.status()).as("%s", response).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        String pointer = response.json().get("errors").get(0).get("pointer").asString();
        assertThat(pointer).isEqualTo(query.startsWith("to") ? "/to" : "/from");
    }

    @Test
    void nulInADescriptionOrKeyIsA400NamingTheField() {
        assertProblem(
                api.send("PATCH", base + "/flags/checkout", "{\"description\":\"a\\u0000b\"}"), 400, "/description");
        assertProblem(
                api.send("POST", base + "/environments/production/segments", "{\"key\":\"vip\\u0000\"}"), 400, "/key");
        assertProblem(
                api.send(
                        "POST",
                        base + "/environments/production/segments",
                        "{\"key\":\"vip\",\"keys\":[\"alice\\u0000\"]}"),
                400,
                "/keys/0");
    }

    @Test
    void numbersAndBooleansAreNotStrings() {
        assertProblem(api.send("POST", "/api/v1/projects", "{\"key\":123}"), 400, "/key");
        assertProblem(api.send("POST", base + "/flags", "{\"key\":true}"), 400, "/key");
        assertProblem(
                api.send(
                        "PUT",
                        base + "/environments/production/flags/checkout",
                        "{\"enabled\":\"true\",\"offTreatment\":\"off\",\"defaultServe\":{\"treatment\":\"on\"}}"),
                400,
                "/enabled");
        assertProblem(
                api.send(
                        "PUT",
                        base + "/environments/production/flags/checkout",
                        "{\"enabled\":true,\"offTreatment\":\"off\",\"trafficAllocation\":99.5,"
                                + "\"defaultServe\":{\"treatment\":\"on\"}}"),
                400,
                "/trafficAllocation");
        expect(api.get("/api/v1/projects/123"), 404);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET /api/v1/pro{jects HTTP/1.1",
                "GET /api/v1/projects?q=a|b HTTP/1.1",
                "GET /api/v1/projects HTTP/1.1\r\nBad Header: x",
            })
    void tomcatsOwnRefusalsAreProblems(String head) throws IOException {
        String raw = rawRequest(head + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 400");
        assertThat(raw.toLowerCase()).contains("content-type: application/problem+json");
        assertThat(raw).contains("\"status\":400").doesNotContain("<html").doesNotContain("Apache Tomcat");
    }

    private String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static void assertProblem(Api.Response response, int status, String pointer) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("pointer")).contains(pointer);
        assertThat(response.text()).doesNotContain("Exception").doesNotContain("SQL");
    }
}
