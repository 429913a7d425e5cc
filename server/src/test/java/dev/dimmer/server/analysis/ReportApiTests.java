package dev.dimmer.server.analysis;

import static dev.dimmer.server.ingest.IngestFixtures.event;
import static dev.dimmer.server.ingest.IngestFixtures.events;
import static dev.dimmer.server.ingest.IngestFixtures.impression;
import static dev.dimmer.server.ingest.IngestFixtures.impressions;
import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dimmer.server.flags.FlagRepository;
import dev.dimmer.server.ingest.IngestFixtures;
import dev.dimmer.server.projects.EnvironmentRepository;
import dev.dimmer.server.projects.ProjectRepository;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The analysis end to end: impressions and events sent through the SDK ingestion API, then the report API and the
 * job.
 */
@IntegrationTest
class ReportApiTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    ReportService reports;

    @Autowired
    EnvironmentRepository environments;

    @Autowired
    ProjectRepository projects;

    @Autowired
    FlagRepository flags;

    Api admin;
    Api sdk;
    String project;

    @BeforeEach
    void setUp() {
        admin = Api.admin(port);
        project = Fixtures.project(admin);
        sdk = admin.as(IngestFixtures.sdkKey(admin, project, "production"));
        Fixtures.flag(admin, project, "checkout");
        splitFiftyFifty();
        metric(Map.of(
                "key", "conversion",
                "name", "Checkout conversion",
                "eventType", "checkout.completed",
                "aggregation", "CONVERSION",
                "direction", "INCREASE"));
        metric(Map.of(
                "key", "clicks",
                "name", "Clicks",
                "eventType", "click",
                "aggregation", "COUNT",
                "direction", "INCREASE"));
        metric(Map.of(
                "key", "latency",
                "name", "Page latency",
                "eventType", "page.latency",
                "aggregation", "AVERAGE",
                "direction", "DECREASE",
                "guardrail", true,
                "margin", 0.05,
                "killThreshold", 0.2));
    }

    private void metric(Map<String, Object> body) {
        expect(admin.post("/api/v1/projects/" + project + "/metrics", body), 201);
    }

    private void successMetrics(String... keys) {
        expect(
                admin.put(
                        "/api/v1/projects/" + project + "/flags/checkout/metrics",
                        Map.of("successMetrics", List.of(keys))),
                200);
    }

    private void splitFiftyFifty() {
        Fixtures.configure(
                admin,
                project,
                "production",
                "checkout",
                Map.of(
                        "enabled",
                        true,
                        "offTreatment",
                        "off",
                        "rules",
                        List.of(),
                        "defaultServe",
                        Map.of(
                                "split",
                                List.of(
                                        Map.of("treatment", "on", "weight", 5000),
                                        Map.of("treatment", "off", "weight", 5000))),
                        "trafficAllocation",
                        10000));
    }

    private void send(String kind, List<Object> items) {
        for (int from = 0; from < items.size(); from += 1000) {
            List<Object> batch = items.subList(from, Math.min(items.size(), from + 1000));
            String id = UUID.randomUUID().toString();
            expect(
                    sdk.post(
                            "/api/sdk/v1/" + kind,
                            kind.equals("impressions") ? impressions(id, batch) : events(id, batch)),
                    202);
        }
    }

    private String reportPath() {
        return "/api/v1/projects/" + project + "/environments/production/flags/checkout/report";
    }

    private static JsonNode metric(JsonNode report, String key) {
        for (JsonNode m : report.get("metrics")) {
            if (m.get("key").asString().equals(key)) {
                return m;
            }
        }
        throw new AssertionError("no metric " + key + " in " + report);
    }

    private static void sleepUntil(Instant instant) throws InterruptedException {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    /**
     * 1000 users per arm by the 50/50 split; conversion 10 % off vs 20 % on; latency identical in both arms; 5 users
     * who saw both treatments; 100 control users with a conversion before their exposure; "clicks" attached after
     * the first exposure.
     */
    @Test
    void refreshShowsAKnownEffectAHealthyGuardrailAndAnExploratoryMetric() throws Exception {
        successMetrics("conversion");
        Instant start = Instant.now().plusMillis(300);
        List<Object> exposures = new ArrayList<>();
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            exposures.add(impression("checkout", "c-" + i, "off", "default rule", start.plusMillis(i % 50)));
            exposures.add(impression("checkout", "t-" + i, "on", "default rule", start.plusMillis(i % 50)));
            Instant after = start.plusMillis(400);
            if (i % 10 == 0) {
                events.add(event("c-" + i, "checkout.completed", null, after));
            }
            if (i % 10 == 1) {
                events.add(event("c-" + i, "checkout.completed", null, start.minusSeconds(5)));
            }
            if (i % 5 == 0) {
                events.add(event("t-" + i, "checkout.completed", null, after));
            }
            events.add(event("c-" + i, "page.latency", 200 + (i % 21 - 10), after));
            events.add(event("t-" + i, "page.latency", 200 + (i % 21 - 10), after));
            events.add(event("t-" + i, "click", null, after));
        }
        for (int i = 0; i < 5; i++) {
            exposures.add(impression("checkout", "m-" + i, "on", "default rule", start));
            exposures.add(impression("checkout", "m-" + i, "off", "default rule", start.plusMillis(100)));
            events.add(event("m-" + i, "checkout.completed", null, start.plusMillis(400)));
        }
        send("impressions", exposures);
        send("events", events);
        sleepUntil(start.plusMillis(600));
        successMetrics("conversion", "clicks");

        JsonNode report =
                expect(admin.post(reportPath() + "/refresh", null), 200).json();

        // the example in docs/statistics.md §7
        java.nio.file.Files.writeString(
                java.nio.file.Path.of("target", "report-example.json"), report.toPrettyString());
        assertThat(report.get("message").isNull()).isTrue();
        assertThat(report.get("control").asString()).isEqualTo("off");
        Map<String, Long> arms = new HashMap<>();
        report.get("arms")
                .forEach(a ->
                        arms.put(a.get("treatment").asString(), a.get("users").asLong()));
        assertThat(arms).containsEntry("off", 1000L).containsEntry("on", 1000L);
        assertThat(report.get("excludedMultiTreatmentUsers").asLong()).isEqualTo(5);
        assertThat(report.get("srm").get("status").asString()).isEqualTo("OK");
        assertThat(report.get("srm").get("mismatch").asBoolean()).isFalse();
        assertThat(report.get("srm").get("weights").asString()).isEqualTo("defaultServe");

        JsonNode conversion = metric(report, "conversion");
        assertThat(conversion.get("exploratory").asBoolean()).isFalse();
        JsonNode on = conversion.get("treatments").get(0);
        assertThat(on.get("treatment").asString()).isEqualTo("on");
        // the pre-exposure conversions of c-1, c-11, … are not counted: exactly 10 %
        assertThat(on.get("controlMean").asDouble()).isCloseTo(0.10, within(1e-12));
        assertThat(on.get("treatmentMean").asDouble()).isCloseTo(0.20, within(1e-12));
        assertThat(on.get("absoluteLift").asDouble()).isCloseTo(0.10, within(1e-12));
        assertThat(on.get("relativeLift").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(on.get("relative").get("sequentialInterval").get("lower").asDouble())
                .isGreaterThan(0);
        assertThat(on.get("relative").get("confidenceInterval").get("lower").asDouble())
                .isGreaterThan(0);
        assertThat(on.get("verdict").asString()).isEqualTo("IMPROVED");
        assertThat(on.get("alpha").asDouble()).isEqualTo(0.05); // one confirmatory metric × one treatment
        assertThat(conversion.get("summary").asString())
                .startsWith("Checkout conversion rose")
                .contains("improved");

        // conversion improved, the latency guardrail shown non-inferior: ship "on"
        assertThat(report.get("decision").get("outcome").asString()).isEqualTo("SHIP");
        assertThat(report.get("decision").get("treatment").asString()).isEqualTo("on");
        assertThat(report.get("decision").get("summary").asString()).startsWith("'on' improves Checkout conversion");

        JsonNode latency = metric(report, "latency");
        assertThat(latency.get("guardrail").asBoolean()).isTrue();
        assertThat(latency.get("treatments").get(0).get("guardrailStatus").asString())
                .isEqualTo("HEALTHY");
        assertThat(latency.get("treatments").get(0).get("controlMean").asDouble())
                .isCloseTo(200, within(0.5));

        JsonNode clicks = metric(report, "clicks");
        assertThat(clicks.get("exploratory").asBoolean()).isTrue();
        assertThat(clicks.get("treatments").get(0).get("treatmentMean").asDouble())
                .isEqualTo(1.0);

        // The stored report is what GET returns, on both paths.
        JsonNode stored = expect(admin.get(reportPath()), 200).json();
        assertThat(stored.get("computedAt").asString())
                .isEqualTo(report.get("computedAt").asString());
        assertThat(metric(stored, "conversion")
                        .get("treatments")
                        .get(0)
                        .get("verdict")
                        .asString())
                .isEqualTo("IMPROVED");
        assertThat(expect(
                                admin.get("/api/v1/projects/" + project
                                        + "/flags/checkout/report?environment=production"),
                                200)
                        .json()
                        .get("computedAt")
                        .asString())
                .isEqualTo(report.get("computedAt").asString());

        // CSV: a header and one row per metric × treatment, by Accept or ?format=csv.
        Api.Response csv = expect(admin.withHeader("Accept", "text/csv").get(reportPath()), 200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        String[] lines = csv.text().split("\r\n");
        assertThat(lines).hasSize(1 + 3);
        assertThat(lines[0]).startsWith("computed_at,environment,flag,metric,");
        assertThat(lines[1]).contains(",conversion,").contains(",IMPROVED,");
        // the summary has commas? it is quoted when it does; the verdict column is never shifted
        assertThat(expect(admin.get(reportPath() + "?format=csv"), 200).text()).isEqualTo(csv.text());
    }

    /** Counts per user, exactly: events before the first exposure ignored, multi-treatment users excluded. */
    @Test
    void countsOnlyEventsAfterTheFirstExposureAndExcludesMultiTreatmentUsers() throws Exception {
        successMetrics("clicks");
        Instant start = Instant.now().plusMillis(200);
        send(
                "impressions",
                List.of(
                        impression("checkout", "a", "off", "default rule", start),
                        impression("checkout", "b", "off", "default rule", start.plusMillis(100)),
                        impression("checkout", "b", "off", "default rule", start.plusMillis(150)),
                        impression("checkout", "c", "on", "default rule", start),
                        impression("checkout", "d", "on", "default rule", start),
                        impression("checkout", "d", "off", "default rule", start.plusMillis(10)),
                        impression("checkout", "e", "on", "default rule", start)));
        send(
                "events",
                List.of(
                        event("a", "click", null, start.minusSeconds(60)), // before exposure: ignored
                        event("a", "click", null, start),
                        event("a", "click", null, start.plusMillis(50)),
                        event("b", "click", null, start.plusMillis(50)), // before b's first exposure
                        event("c", "click", null, start.plusMillis(50)),
                        event("d", "click", null, start.plusMillis(50)), // d saw both: excluded
                        event("d", "click", null, start.plusMillis(60)),
                        event("x", "click", null, start.plusMillis(60)))); // never exposed
        sleepUntil(start.plusMillis(300));

        JsonNode report =
                expect(admin.post(reportPath() + "/refresh", null), 200).json();
        assertThat(report.get("excludedMultiTreatmentUsers").asLong()).isEqualTo(1);
        JsonNode on = metric(report, "clicks").get("treatments").get(0);
        assertThat(on.get("controlUsers").asLong()).isEqualTo(2); // a, b
        assertThat(on.get("treatmentUsers").asLong()).isEqualTo(2); // c, e
        assertThat(on.get("controlMean").asDouble()).isEqualTo(1.0); // a: 2, b: 0
        assertThat(on.get("treatmentMean").asDouble()).isEqualTo(0.5); // c: 1, e: 0
        assertThat(on.get("verdict").asString()).isEqualTo("NOT_ENOUGH_DATA");
        assertThat(report.get("srm").get("status").asString()).isEqualTo("NOT_ENOUGH_DATA");
    }

    @Test
    void aFlagWithoutExposureHasAnEmptyReportAndUnknownNamesAre404() {
        // A refresh answers with the empty report; without exposure nothing is stored, so a GET (which
        // never computes) keeps saying that there is no report yet and how to get one.
        JsonNode report =
                expect(admin.post(reportPath() + "/refresh", null), 200).json();
        assertThat(report.get("arms")).isEmpty();
        assertThat(report.get("message").asString()).contains("No exposure");
        assertThat(report.get("excludedMultiTreatmentUsers").asLong()).isZero();
        assertThat(expect(admin.post(reportPath() + "/refresh?format=csv", null), 200)
                        .text()
                        .split("\r\n"))
                .hasSize(1);
        Api.Response notYet = expect(admin.get(reportPath()), 404);
        assertThat(notYet.header("Content-Type")).startsWith("application/problem+json");
        assertThat(notYet.json().get("title").asString()).isEqualTo("No report yet");
        assertThat(notYet.json().get("detail").asString()).contains("report/refresh");

        expect(admin.get("/api/v1/projects/" + project + "/environments/production/flags/nope/report"), 404);
        expect(admin.get("/api/v1/projects/" + project + "/environments/nope/flags/checkout/report"), 404);
        expect(admin.get("/api/v1/projects/nope-" + project + "/environments/production/flags/checkout/report"), 404);
        expect(admin.post(reportPath().replace("checkout", "nope") + "/refresh", null), 404);
    }

    @Test
    void viewersReadStoredReportsWithoutComputingAndOnlyEditorsRefreshThem() {
        String viewer = expect(
                        admin.post(
                                "/api/v1/tokens",
                                Map.of(
                                        "name",
                                        Api.uniqueKey("viewer"),
                                        "role",
                                        "viewer",
                                        "projects",
                                        List.of(project))),
                        201)
                .json()
                .get("secret")
                .asString();
        long env = IngestFixtures.environmentId(jdbc, project, "production");
        long flagId = jdbc.queryForObject(
                "SELECT f.id FROM flags f JOIN projects p ON p.id = f.project_id WHERE p.key = ? AND f.key = 'checkout'",
                Long.class,
                project);

        // A GET never computes: without a stored report it says how to get one (the scheduled job only
        // analyses flags with exposure, so nothing else computes this flag's report meanwhile).
        expect(admin.as(viewer).get(reportPath()), 404);
        expect(
                admin.as(viewer).get("/api/v1/projects/" + project + "/flags/checkout/report?environment=production"),
                404);
        expect(admin.as(viewer).post(reportPath() + "/refresh", null), 403);
        assertThat(runs(env, flagId)).isZero();

        send("impressions", List.of(impression("checkout", "a", "off", "default rule", Instant.now())));
        expect(admin.post(reportPath() + "/refresh", null), 200);
        assertThat(runs(env, flagId)).isPositive();
        JsonNode read = expect(admin.as(viewer).get(reportPath()), 200).json();
        assertThat(read.get("arms").size()).isEqualTo(1);
    }

    @Test
    void theJobAnalysesChangedFlagsKeepsHistoryAndSkipsUnchangedOnes() throws Exception {
        successMetrics("clicks");
        Instant start = Instant.now().plusMillis(100);
        send("impressions", List.of(impression("checkout", "a", "off", "default rule", start)));
        sleepUntil(start.plusMillis(50));
        long env = IngestFixtures.environmentId(jdbc, project, "production");
        long flagId = jdbc.queryForObject(
                "SELECT f.id FROM flags f JOIN projects p ON p.id = f.project_id WHERE p.key = ? AND f.key = 'checkout'",
                Long.class,
                project);
        // settle 0: a run right after the data is trusted as a baseline (the default minute would make this slow)
        AnalysisJob job =
                new AnalysisJob(dataSource, reports, environments, projects, flags, jdbc, Duration.ZERO, event -> {});

        assertThat(job.runOnce().ran()).isTrue();
        assertThat(runs(env, flagId)).isEqualTo(1);

        AnalysisJob.Outcome unchanged = job.runOnce();
        assertThat(unchanged.ran()).isTrue();
        assertThat(runs(env, flagId)).isEqualTo(1);

        send("impressions", List.of(impression("checkout", "b", "on", "default rule", start)));
        job.runOnce();
        assertThat(runs(env, flagId)).isEqualTo(2);
        JsonNode report = expect(admin.get(reportPath()), 200).json();
        assertThat(report.get("arms").size()).isEqualTo(2);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM analysis_results WHERE environment_id = ? AND flag_id = ?",
                        Long.class,
                        env,
                        flagId))
                .isEqualTo(2); // (clicks, latency guardrail) × one treatment in the second run; none in the first

        // another replica holding the lock: the run is skipped
        try (var c = dataSource.getConnection();
                var s = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
            s.setLong(1, AnalysisJob.LOCK);
            s.execute();
            assertThat(job.runOnce().ran()).isFalse();
            try (var u = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                u.setLong(1, AnalysisJob.LOCK);
                u.execute();
            }
        }
    }

    private long runs(long env, long flagId) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM analysis_runs WHERE environment_id = ? AND flag_id = ?", Long.class, env, flagId);
    }
}
