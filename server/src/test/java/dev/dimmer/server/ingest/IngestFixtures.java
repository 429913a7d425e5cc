package dev.dimmer.server.ingest;

import static dev.dimmer.server.testsupport.Fixtures.expect;

import dev.dimmer.server.testsupport.Api;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** Builds SDK keys and batches for ingestion and exposure tests. */
public final class IngestFixtures {

    private IngestFixtures() {}

    /** A new SDK key of {@code project}'s {@code environment}. */
    public static String sdkKey(Api admin, String project, String environment) {
        return expect(
                        admin.post(
                                "/api/v1/projects/" + project + "/environments/" + environment + "/sdk-keys",
                                Map.of("name", Api.uniqueKey("sdk"))),
                        201)
                .json()
                .get("key")
                .asString();
    }

    public static long environmentId(JdbcTemplate jdbc, String project, String environment) {
        return jdbc.queryForObject(
                "SELECT e.id FROM environments e JOIN projects p ON p.id = e.project_id WHERE p.key = ? AND e.key = ?",
                Long.class,
                project,
                environment);
    }

    public static Map<String, Object> sdk(String instanceId) {
        return Map.of("name", "dimmer-java", "version", "0.1.0", "instanceId", instanceId);
    }

    public static Map<String, Object> impression(
            String flag, String key, String treatment, String label, Instant time) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("flag", flag);
        item.put("key", key);
        item.put("treatment", treatment);
        item.put("label", label);
        item.put("changeNumber", 7);
        item.put("time", time.toString());
        return item;
    }

    public static Map<String, Object> event(String key, String type, Object value, Instant time) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("key", key);
        item.put("type", type);
        item.put("value", value);
        item.put("time", time.toString());
        return item;
    }

    public static Map<String, Object> impressions(String batchId, List<?> items) {
        return Map.of("batchId", batchId, "sdk", sdk("instance-1"), "impressions", items);
    }

    public static Map<String, Object> events(String batchId, List<?> items) {
        return Map.of("batchId", batchId, "sdk", sdk("instance-1"), "events", items);
    }
}
