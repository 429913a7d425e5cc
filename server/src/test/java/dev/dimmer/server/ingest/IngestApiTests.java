package dev.dimmer.server.ingest;

import static dev.dimmer.server.ingest.IngestFixtures.event;
import static dev.dimmer.server.ingest.IngestFixtures.events;
import static dev.dimmer.server.ingest.IngestFixtures.impression;
import static dev.dimmer.server.ingest.IngestFixtures.impressions;
import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class IngestApiTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    IngestLimiter limiter;

    Api admin;
    Api sdk;
    String project;
    long environmentId;
    Instant now;

    @BeforeEach
    void setUp() {
        admin = Api.admin(port);
        project = Fixtures.project(admin);
        sdk = admin.as(IngestFixtures.sdkKey(admin, project, "production"));
        environmentId = IngestFixtures.environmentId(jdbc, project, "production");
        now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    @Test
    void storesABatchOnceWhenItIsSentTwice() {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            items.add(event("user-" + i, "purchase", i * 1.5, now.minusSeconds(i)));
        }
        String batchId = UUID.randomUUID().toString();
        JsonNode first = expect(sdk.post("/api/sdk/v1/events", events(batchId, items)), 202)
                .json();
        assertThat(first.get("batchId").asString()).isEqualTo(batchId);
        assertThat(first.get("duplicate").asBoolean()).isFalse();
        assertThat(first.get("accepted").asInt()).isEqualTo(50);
        assertThat(first.get("rejected")).isEmpty();

        JsonNode second = expect(sdk.post("/api/sdk/v1/events", events(batchId, items)), 202)
                .json();
        assertThat(second.get("duplicate").asBoolean()).isTrue();
        assertThat(second.get("accepted").asInt()).isEqualTo(50);
        assertThat(eventCount()).isEqualTo(50);
        assertThat(jdbc.queryForObject(
                        "SELECT sum(value) FROM events WHERE environment_id = ?", Double.class, environmentId))
                .isEqualTo(1.5 * 49 * 50 / 2);

        // the same batch id in another kind is another batch
        expect(
                sdk.post(
                        "/api/sdk/v1/impressions",
                        impressions(batchId, List.of(impression("f", "u", "on", "default rule", now)))),
                202);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM impressions WHERE environment_id = ?", Long.class, environmentId))
                .isEqualTo(1);
    }

    @Test
    void storesTextThatNeedsEscapingAndPropertiesAsJson() {
        Map<String, Object> item = event("tab\there\\and\nnewline ü", "page:view", null, now);
        item.put("properties", Map.of("path", "/a\\b\t\"c\"", "n", 3));
        expect(sdk.post("/api/sdk/v1/events", events(UUID.randomUUID().toString(), List.of(item))), 202);
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT key, type, value, properties::text AS p, time FROM events WHERE environment_id = ?",
                environmentId);
        assertThat(row.get("key")).isEqualTo("tab\there\\and\nnewline ü");
        assertThat(row.get("type")).isEqualTo("page:view");
        assertThat(row.get("value")).isNull();
        assertThat((String) row.get("p")).contains("\"path\": \"/a\\\\b\\t\\\"c\\\"\"");
        assertThat(((java.sql.Timestamp) row.get("time")).toInstant()).isEqualTo(now);
    }

    @Test
    void storesEveryFieldAsSentToTheMicrosecond() {
        Instant sent = now.minusSeconds(60);
        String unicodeKey = "usér-😀-中-end";
        Map<String, Object> impression = impression("checkout", unicodeKey, "on", "rule 2: beta testers", sent);
        impression.put("changeNumber", 9_007_199_254_740_993L);
        impression.put("time", sent.toString().replace("Z", "0005Z")); // ….xyz0005 rounds half up
        Map<String, Object> noChangeNumber = impression("checkout", "k2", "off", "default rule", sent);
        noChangeNumber.remove("changeNumber");
        expect(
                sdk.post(
                        "/api/sdk/v1/impressions",
                        impressions(UUID.randomUUID().toString(), List.of(impression, noChangeNumber))),
                202);
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT flag, key, treatment, label, change_number, time FROM impressions"
                        + " WHERE environment_id = ? AND key <> 'k2'",
                environmentId);
        assertThat(row.get("flag")).isEqualTo("checkout");
        assertThat(row.get("key")).isEqualTo(unicodeKey);
        assertThat(row.get("treatment")).isEqualTo("on");
        assertThat(row.get("label")).isEqualTo("rule 2: beta testers");
        assertThat(row.get("change_number")).isEqualTo(9_007_199_254_740_993L);
        assertThat(((java.sql.Timestamp) row.get("time")).toInstant()).isEqualTo(sent.plusNanos(1000));
        assertThat(jdbc.queryForObject(
                        "SELECT change_number FROM impressions WHERE environment_id = ? AND key = 'k2'",
                        Long.class,
                        environmentId))
                .isNull();
        assertThat(jdbc.queryForObject(
                                "SELECT first_seen FROM exposures WHERE environment_id = ? AND key = ?",
                                java.sql.Timestamp.class,
                                environmentId,
                                "usér-😀-中-end")
                        .toInstant())
                .isEqualTo(sent.plusNanos(1000));

        Map<String, Object> event = event("k", "purchase", -12.75, sent);
        event.put("time", sent.atOffset(java.time.ZoneOffset.ofHours(2)).toString()); // same instant, +02:00
        Map<String, Object> whole = event("k", "purchase", 3, sent);
        expect(sdk.post("/api/sdk/v1/events", events(UUID.randomUUID().toString(), List.of(event, whole))), 202);
        assertThat(jdbc.queryForList(
                        "SELECT value FROM events WHERE environment_id = ? AND time = ? ORDER BY value",
                        Double.class,
                        environmentId,
                        java.sql.Timestamp.from(sent)))
                .containsExactly(-12.75, 3.0);
    }

    @Test
    void rejectsInvalidItemsByIndexAndStoresTheValidOnes() {
        Map<String, Object> bigProperties = event("k", "t", 1, now);
        bigProperties.put("properties", Map.of("blob", "x".repeat(5000)));
        Map<String, Object> arrayProperties = event("k", "t", 1, now);
        arrayProperties.put("properties", List.of(1, 2));
        Map<String, Object> nulProperties = event("k", "t", 1, now);
        nulProperties.put("properties", Map.of("a", List.of("x\u0000")));
        Map<String, Object> noTime = event("k", "t", 1, now);
        noTime.remove("time");
        List<Object> items = List.of(
                event("ok-0", "purchase", 10, now), // 0 valid
                event("k".repeat(257), "purchase", 1, now), // 1
                event("k", "-bad", 1, now), // 2
                event("k", "purchase", "12", now), // 3
                event("k", "purchase", 1, now.minus(Duration.ofDays(31))), // 4
                event("k", "purchase", 1, now.plus(Duration.ofHours(2))), // 5
                bigProperties, // 6
                "not an object", // 7
                event("", "purchase", 1, now), // 8
                noTime, // 9
                Map.of("key", "k", "type", "t", "time", "yesterday"), // 10
                event("ok-11", "checkout.done", null, now.minus(Duration.ofDays(29))), // 11 valid
                arrayProperties, // 12
                Map.of("key", 5, "type", "t", "time", now.toString()), // 13
                event("k\u0000", "purchase", 1, now), // 14
                nulProperties); // 15
        JsonNode body = expect(sdk.post("/api/sdk/v1/events", events("b-" + UUID.randomUUID(), items)), 202)
                .json();
        assertThat(body.get("accepted").asInt()).isEqualTo(2);
        Map<Integer, String> pointers = new LinkedHashMap<>();
        for (JsonNode r : body.get("rejected")) {
            pointers.put(r.get("index").asInt(), r.get("pointer").asString());
            assertThat(r.get("detail").asString()).isNotBlank();
        }
        assertThat(pointers)
                .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                        Map.entry(1, "/events/1/key"),
                        Map.entry(2, "/events/2/type"),
                        Map.entry(3, "/events/3/value"),
                        Map.entry(4, "/events/4/time"),
                        Map.entry(5, "/events/5/time"),
                        Map.entry(6, "/events/6/properties"),
                        Map.entry(7, "/events/7"),
                        Map.entry(8, "/events/8/key"),
                        Map.entry(9, "/events/9/time"),
                        Map.entry(10, "/events/10/time"),
                        Map.entry(12, "/events/12/properties"),
                        Map.entry(13, "/events/13/key"),
                        Map.entry(14, "/events/14/key"),
                        Map.entry(15, "/events/15/properties")));
        assertThat(jdbc.queryForList(
                        "SELECT key FROM events WHERE environment_id = ? ORDER BY key", String.class, environmentId))
                .containsExactly("ok-0", "ok-11");
    }

    @Test
    void rejectsInvalidImpressionsByIndex() {
        Map<String, Object> noLabel = impression("f", "k", "on", "x", now);
        noLabel.remove("label");
        Map<String, Object> badChangeNumber = impression("f", "k", "on", "x", now);
        badChangeNumber.put("changeNumber", "7");
        List<Object> items = List.of(
                impression("checkout", "user-1", "on", "default rule", now), // 0 valid
                impression("Bad Flag", "user-1", "on", "default rule", now), // 1
                impression("checkout", "user-1", "", "default rule", now), // 2
                noLabel, // 3
                badChangeNumber, // 4
                impression("checkout", "user-1", "on", "default rule", now.minus(Duration.ofDays(40))), // 5
                impression("checkout", "user\u00001", "on", "default rule", now), // 6
                impression("checkout", "user-1", "on", "rule\u00001", now)); // 7
        JsonNode body = expect(sdk.post("/api/sdk/v1/impressions", impressions("b-" + UUID.randomUUID(), items)), 202)
                .json();
        assertThat(body.get("accepted").asInt()).isEqualTo(1);
        assertThat(body.get("rejected").findValuesAsString("pointer"))
                .containsExactly(
                        "/impressions/1/flag",
                        "/impressions/2/treatment",
                        "/impressions/3/label",
                        "/impressions/4/changeNumber",
                        "/impressions/5/time",
                        "/impressions/6/key",
                        "/impressions/7/label");
        assertThat(body.get("rejected").get(5).get("detail").asString()).contains("NUL");
    }

    @Test
    void refusesBatchesThatAreNotJsonOrNotOfTheSchema() {
        record Case(String body, String pointer) {}
        List<Case> cases = List.of(
                new Case("not json", ""),
                new Case("{\"batchId\": \"x\", \"events\": [", ""),
                new Case("[]", ""),
                new Case("{\"events\": []}", "/batchId"),
                new Case("{\"batchId\": \"\", \"events\": []}", "/batchId"),
                new Case("{\"batchId\": 5, \"events\": []}", "/batchId"),
                new Case("{\"batchId\": \"" + "b".repeat(129) + "\", \"events\": []}", "/batchId"),
                new Case("{\"batchId\": \"x\"}", "/events"),
                new Case("{\"batchId\": \"x\", \"events\": {}}", "/events"),
                new Case("{\"batchId\": \"x\", \"events\": [], \"sdk\": \"java\"}", "/sdk"),
                new Case("{\"batchId\": \"x\", \"events\": [], \"sdk\": {\"name\": 5}}", "/sdk/name"),
                new Case("{\"batchId\": \"x\", \"events\": []} {}", ""),
                new Case("{\"batchId\": \"x\\u0000\", \"events\": []}", "/batchId"),
                new Case("{\"batchId\": \"x\", \"events\": [], \"sdk\": {\"name\": \"\\u0000\"}}", "/sdk/name"));
        for (Case c : cases) {
            Api.Response response = sdk.post("/api/sdk/v1/events", c.body());
            assertThat(response.status()).as(c.body()).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().get("errors").get(0).get("pointer").asString())
                    .as(c.body())
                    .isEqualTo(c.pointer());
        }
        assertThat(eventCount()).isZero();
        assertThat(sdk.post("/api/sdk/v1/impressions", "{\"batchId\": \"x\", \"events\": []}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void refusesMoreThanTenThousandItems() {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            items.add(Map.of("key", "k" + i, "type", "t", "time", now.toString()));
        }
        Api.Response response = sdk.post("/api/sdk/v1/events", events("big", items));
        assertThat(response.status()).as("%s", response).isEqualTo(413);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(eventCount()).isZero();

        expect(sdk.post("/api/sdk/v1/events", events("just-fits", items.subList(0, 10_000))), 202);
        assertThat(eventCount()).isEqualTo(10_000);
    }

    @Test
    void refusesABodyOverFiveMegabytesWhileReadingIt() throws Exception {
        // 1 300 events of ~4 KB: valid JSON, over the limit, sent chunked (no Content-Length)
        StringBuilder json = new StringBuilder("{\"batchId\":\"huge\",\"events\":[");
        String filler = "x".repeat(4000);
        for (int i = 0; i < 1300; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"key\":\"k\",\"type\":\"t\",\"time\":\"")
                    .append(now)
                    .append("\",\"properties\":{\"f\":\"")
                    .append(filler)
                    .append("\"}}");
        }
        byte[] bytes = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        assertThat(bytes.length).isBetween(5 * 1024 * 1024 + 1, 6 * 1024 * 1024);
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/sdk/v1/events"))
                                .header("Authorization", "Bearer " + sdkToken())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(eventCount()).isZero();
    }

    @Test
    void refusesADeclaredContentLengthOverFiveMegabytesBeforeReading() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/sdk/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + sdkToken()
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + (6 * 1024 * 1024)
                            + "\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] status = in.readNBytes(12);
            assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void refusesABatchIdResentWithDifferentContentWith409_whileAnIdenticalResendStaysADuplicate() {
        String batchId = UUID.randomUUID().toString();
        List<Object> items = List.of(event("user-1", "purchase", 10, now), event("user-2", "purchase", 20, now));
        expect(sdk.post("/api/sdk/v1/events", events(batchId, items)), 202);

        List<Object> other = List.of(event("user-1", "purchase", 10, now), event("user-3", "purchase", 99, now));
        Api.Response conflict = sdk.post("/api/sdk/v1/events", events(batchId, other));
        assertThat(conflict.status()).as(conflict.text()).isEqualTo(409);
        assertThat(conflict.header("Content-Type")).startsWith("application/problem+json");
        assertThat(conflict.json().get("errors").get(0).get("pointer").asString())
                .isEqualTo("/batchId");

        // Member order and formatting do not matter: the same items are the same batch.
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("time", now.toString());
        reordered.put("value", 20);
        reordered.put("type", "purchase");
        reordered.put("key", "user-2");
        JsonNode duplicate = expect(
                        sdk.post(
                                "/api/sdk/v1/events",
                                events(batchId, List.of(event("user-1", "purchase", 10, now), reordered))),
                        202)
                .json();
        assertThat(duplicate.get("duplicate").asBoolean()).isTrue();
        assertThat(jdbc.queryForList(
                        "SELECT key FROM events WHERE environment_id = ? ORDER BY key", String.class, environmentId))
                .containsExactly("user-1", "user-2");
    }

    @Test
    void shedsLoadWith429AndRetryAfterWhenEverySlotIsBusy() throws Exception {
        int held = limiter.permits().drainPermits();
        try {
            Api.Response shed = sdk.post("/api/sdk/v1/events", events("shed", List.of(event("k", "t", 1, now))));
            assertThat(shed.status()).isEqualTo(429);
            assertThat(shed.header("Retry-After")).isEqualTo("1");
            assertThat(shed.header("Content-Type")).startsWith("application/problem+json");
        } finally {
            limiter.permits().release(held);
        }
        expect(sdk.post("/api/sdk/v1/events", events("shed", List.of(event("k", "t", 1, now)))), 202);
        assertThat(eventCount()).isEqualTo(1);
    }

    @Test
    void shedsPartOfAConcurrentBurstButNeverLosesAnAcknowledgedBatch() throws Exception {
        int spare = limiter.permits().drainPermits() - 1; // leave one slot
        limiter.permits().release(1);
        try {
            int clients = 12;
            List<Thread> threads = new ArrayList<>();
            List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                items.add(event("user-" + i, "view", null, now));
            }
            for (int t = 0; t < clients; t++) {
                String batchId = "burst-" + t;
                Thread thread = new Thread(() -> statuses.add(
                        sdk.post("/api/sdk/v1/events", events(batchId, items)).status()));
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join(30_000);
            }
            assertThat(statuses).hasSize(clients).allMatch(s -> s == 202 || s == 429);
            long accepted = statuses.stream().filter(s -> s == 202).count();
            assertThat(eventCount()).isEqualTo(accepted * 2000);
        } finally {
            limiter.permits().release(spare);
        }
    }

    @Test
    void acceptsAGzippedBody() throws Exception {
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(zipped)) {
            gzip.write(tools.jackson.databind.json.JsonMapper.builder()
                    .build()
                    .writeValueAsBytes(events("gz", List.of(event("k", "t", 1, now), event("k2", "t", 2, now)))));
        }
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/sdk/v1/events"))
                                .header("Authorization", "Bearer " + sdkToken())
                                .header("Content-Type", "application/json")
                                .header("Content-Encoding", "gzip")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(eventCount()).isEqualTo(2);
    }

    @Test
    void recordsSdkInstances() {
        expect(
                sdk.post(
                        "/api/sdk/v1/events",
                        Map.of(
                                "batchId",
                                "sdk-1",
                                "sdk",
                                Map.of(
                                        "name", "dimmer-java",
                                        "version", "0.1.0",
                                        "instanceId", "instance-1",
                                        "runtime", Map.of("java", "17")),
                                "events",
                                List.of(event("k", "t", 1, now)))),
                202);
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT name, version, instance_id FROM sdk_instances WHERE environment_id = ?", environmentId);
        assertThat(row).containsEntry("name", "dimmer-java").containsEntry("instance_id", "instance-1");
    }

    @Test
    void keepsTheFirstImpressionPerTreatmentAsTheExposure() {
        expect(
                sdk.post(
                        "/api/sdk/v1/impressions",
                        impressions(
                                "e1",
                                List.of(
                                        impression("checkout", "u1", "on", "rule:beta", now.minusSeconds(60)),
                                        impression("checkout", "u1", "on", "default rule", now.minusSeconds(90)),
                                        impression("checkout", "u1", "off", "killed", now)))),
                202);
        expect(
                sdk.post(
                        "/api/sdk/v1/impressions",
                        impressions(
                                "e2",
                                List.of(
                                        impression("checkout", "u1", "on", "late", now.plusSeconds(10)),
                                        impression("checkout", "u1", "off", "earlier", now.minusSeconds(300))))),
                202);
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT treatment, first_seen, first_label FROM exposures WHERE environment_id = ? ORDER BY treatment",
                environmentId);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("treatment", "off").containsEntry("first_label", "earlier");
        assertThat(((java.sql.Timestamp) rows.get(0).get("first_seen")).toInstant())
                .isEqualTo(now.minusSeconds(300));
        assertThat(rows.get(1)).containsEntry("treatment", "on").containsEntry("first_label", "default rule");
        assertThat(((java.sql.Timestamp) rows.get(1).get("first_seen")).toInstant())
                .isEqualTo(now.minusSeconds(90));
    }

    @Test
    void refusesCallsWithoutAnSdkKey() {
        assertThat(admin.as(null)
                        .post("/api/sdk/v1/events", events("x", List.of()))
                        .status())
                .isEqualTo(401);
    }

    private String sdkToken() {
        return IngestFixtures.sdkKey(admin, project, "production");
    }

    private long eventCount() {
        return jdbc.queryForObject("SELECT count(*) FROM events WHERE environment_id = ?", Long.class, environmentId);
    }
}
