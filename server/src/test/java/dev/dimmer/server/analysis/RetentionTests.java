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
import dev.dimmer.server.ingest.PartitionMaintenance;
import dev.dimmer.server.projects.EnvironmentRepository;
import dev.dimmer.server.projects.ProjectRepository;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
 * Issue 12 item 7: the retention of exposures, report history ({@code analysis_runs}, {@code analysis_results}) and
 * the per-user analysis state, with data planted at old times and the real {@link RetentionJob} run; and a dropped
 * event partition ({@link PartitionMaintenance}) taking the per-user state built from it along, so the next analysis
 * recomputes from the events that remain.
 */
@IntegrationTest
class RetentionTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    RetentionJob retention;

    @Autowired
    PartitionMaintenance partitions;

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
    long env;
    final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void setUp() {
        admin = Api.admin(port);
        project = Fixtures.project(admin);
        sdk = admin.as(IngestFixtures.sdkKey(admin, project, "production"));
        env = IngestFixtures.environmentId(jdbc, project, "production");
        expect(
                admin.post(
                        "/api/v1/projects/" + project + "/metrics",
                        Map.of(
                                "key", "clicks",
                                "name", "Clicks",
                                "eventType", "click",
                                "aggregation", "COUNT",
                                "direction", "INCREASE")),
                201);
    }

    /**
     * Idle flags (no new exposure for 180 days) and archived ones (30 days) lose all their exposures, their per-user
     * state and their metric-change records; a flag with one recent exposure keeps even its oldest ones; its stored
     * report stays.
     */
    @Test
    void exposuresOfIdleAndArchivedFlagsGoWholeAndThoseOfLiveFlagsStay() throws Exception {
        for (String f : List.of("idle", "live", "archived-long-ago", "archived-lately")) {
            flag(f);
        }
        successMetrics("idle", "clicks");
        plantExposures("idle", now.minus(Duration.ofDays(200)), 3);
        plantExposures("live", now.minus(Duration.ofDays(300)), 3);
        plantExposures("live", now.minus(Duration.ofDays(1)), 1);
        plantExposures("archived-long-ago", now.minus(Duration.ofDays(40)), 2);
        plantExposures("archived-lately", now.minus(Duration.ofDays(10)), 2);
        expect(admin.delete("/api/v1/projects/" + project + "/flags/archived-long-ago"), 200);
        expect(admin.delete("/api/v1/projects/" + project + "/flags/archived-lately"), 200);
        // after the idle flag's start: recorded for its report
        expect(admin.patch("/api/v1/projects/" + project + "/metrics/clicks", Map.of("cuped", true)), 200);
        JsonNode report =
                expect(admin.post(reportPath("idle") + "/refresh", null), 200).json();
        assertThat(report.get("metricChanges")).hasSize(1);
        long idleId = flagId("idle");
        assertThat(count("SELECT count(*) FROM analysis_state WHERE environment_id = ? AND flag_id = ?", env, idleId))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM analysis_users WHERE environment_id = ? AND flag_id = ?", env, idleId))
                .isEqualTo(3);

        RetentionJob.Outcome outcome = retention.runOnce();

        assertThat(outcome.ran()).isTrue();
        assertThat(exposures("idle")).isZero();
        assertThat(exposures("archived-long-ago")).isZero();
        assertThat(exposures("live"))
                .as("a live flag's exposures go whole or not at all")
                .isEqualTo(4);
        assertThat(exposures("archived-lately")).isEqualTo(2);
        assertThat(outcome.exposures()).isGreaterThanOrEqualTo(5);
        assertThat(outcome.exposureFlags()).isGreaterThanOrEqualTo(2);
        assertThat(count("SELECT count(*) FROM analysis_state WHERE environment_id = ? AND flag_id = ?", env, idleId))
                .isZero();
        assertThat(count("SELECT count(*) FROM analysis_users WHERE environment_id = ? AND flag_id = ?", env, idleId))
                .isZero();
        assertThat(count(
                        "SELECT count(*) FROM experiment_metric_changes WHERE environment_id = ? AND flag_id = ?",
                        env,
                        idleId))
                .isZero();
        assertThat(outcome.metricChanges()).isGreaterThanOrEqualTo(1);
        // the report stays as it was computed, with the changes it listed
        JsonNode stored = expect(admin.get(reportPath("idle")), 200).json();
        assertThat(stored.get("computedAt").asString())
                .isEqualTo(report.get("computedAt").asString());
        assertThat(stored.get("metricChanges")).hasSize(1);
    }

    /**
     * Runs older than 7 days keep the last one of each UTC day; runs older than 400 days go; the latest run of a flag
     * (what GET …/report shows) stays however old. Results go with their runs and only with them.
     */
    @Test
    void reportHistoryIsThinnedToADayAndExpiredButTheLatestRunAlwaysStays() throws Exception {
        flag("history");
        flag("ancient");
        for (String f : List.of("history", "ancient")) {
            successMetrics(f, "clicks");
            send(
                    "impressions",
                    List.of(
                            impression(f, "a", "off", "default rule", now.minusSeconds(60)),
                            impression(f, "b", "on", "default rule", now.minusSeconds(60))));
        }
        long history = flagId("history");
        long ancient = flagId("ancient");
        long latest = runOf("history");
        long onlyRun = runOf("ancient");
        assertThat(count("SELECT count(*) FROM analysis_results WHERE run_id = ?", latest))
                .as("the run has results")
                .isPositive();

        LocalDate day100 = LocalDate.now(ZoneOffset.UTC).minusDays(100);
        long expired = copy(latest, now.minus(Duration.ofDays(450)));
        long morning = copy(latest, day100.atTime(10, 0).toInstant(ZoneOffset.UTC));
        long evening = copy(latest, day100.atTime(22, 0).toInstant(ZoneOffset.UTC));
        List<Long> recent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            recent.add(copy(latest, now.minus(Duration.ofDays(3)).plusSeconds(60L * i)));
        }
        Instant ancientAt = now.minus(Duration.ofDays(450));
        jdbc.update(
                "UPDATE analysis_runs SET computed_at = ?, report = jsonb_set(report, '{computedAt}', to_jsonb(?::text))"
                        + " WHERE id = ?",
                Timestamp.from(ancientAt),
                ancientAt.toString(),
                onlyRun);
        jdbc.update("UPDATE analysis_results SET computed_at = ? WHERE run_id = ?", Timestamp.from(ancientAt), onlyRun);

        RetentionJob.Outcome outcome = retention.runOnce();

        assertThat(outcome.runs()).isGreaterThanOrEqualTo(2);
        assertThat(outcome.results()).isGreaterThanOrEqualTo(2);
        List<Long> kept = new ArrayList<>(recent);
        kept.add(evening);
        kept.add(latest);
        assertThat(jdbc.queryForList(
                        "SELECT id FROM analysis_runs WHERE environment_id = ? AND flag_id = ? ORDER BY id",
                        Long.class,
                        env,
                        history))
                .containsExactlyInAnyOrderElementsOf(kept);
        for (long gone : List.of(expired, morning)) {
            assertThat(count("SELECT count(*) FROM analysis_results WHERE run_id = ?", gone))
                    .isZero();
        }
        for (long stays : kept) {
            assertThat(count("SELECT count(*) FROM analysis_results WHERE run_id = ?", stays))
                    .isPositive();
        }
        // the latest run is the report, however old
        assertThat(jdbc.queryForList(
                        "SELECT id FROM analysis_runs WHERE environment_id = ? AND flag_id = ?",
                        Long.class,
                        env,
                        ancient))
                .containsExactly(onlyRun);
        assertThat(count("SELECT count(*) FROM analysis_results WHERE run_id = ?", onlyRun))
                .isPositive();
        JsonNode report = expect(admin.get(reportPath("ancient")), 200).json();
        assertThat(Instant.parse(report.get("computedAt").asString())).isEqualTo(ancientAt);
        assertThat(report.get("metrics").get(0).get("treatments")).isNotEmpty();
        // and the other flag's report is still its latest run
        JsonNode current = expect(admin.get(reportPath("history")), 200).json();
        assertThat(Instant.parse(current.get("computedAt").asString())).isAfter(now.minusSeconds(3600));
    }

    /** The per-user state of a flag not analysed for 14 days, or without exposures, goes; a current one stays. */
    @Test
    void perUserStateOfFlagsNotAnalysedForLongOrWithoutExposureIsDeleted() throws Exception {
        flag("stale-state");
        flag("fresh-state");
        flag("no-exposure");
        for (String f : List.of("stale-state", "fresh-state")) {
            successMetrics(f, "clicks");
            plantExposures(f, now.minus(Duration.ofDays(2)), 4);
            expect(admin.post(reportPath(f) + "/refresh", null), 200); // a full computation stores the state
        }
        long stale = flagId("stale-state");
        long fresh = flagId("fresh-state");
        long none = flagId("no-exposure");
        jdbc.update(
                "UPDATE analysis_state SET window_to = ? WHERE environment_id = ? AND flag_id = ?",
                Timestamp.from(now.minus(Duration.ofDays(20))),
                env,
                stale);
        jdbc.update(
                "INSERT INTO analysis_state (environment_id, flag_id, signature, snapshot, window_to, excluded,"
                        + " events_from) VALUES (?, ?, 'planted', txid_current_snapshot()::text, now(), 0, now())",
                env,
                none);
        jdbc.update(
                "INSERT INTO analysis_users (environment_id, flag_id, key, treatment, treatments, first_seen, label,"
                        + " post, pre) VALUES (?, ?, 'k', 'on', 1, now(), 'default rule', '{1}', '{0}')",
                env, none);

        RetentionJob.Outcome outcome = retention.runOnce();

        assertThat(outcome.stateFlags()).isGreaterThanOrEqualTo(2);
        assertThat(outcome.stateUsers()).isGreaterThanOrEqualTo(5);
        for (long gone : List.of(stale, none)) {
            assertThat(count("SELECT count(*) FROM analysis_state WHERE environment_id = ? AND flag_id = ?", env, gone))
                    .isZero();
            assertThat(count("SELECT count(*) FROM analysis_users WHERE environment_id = ? AND flag_id = ?", env, gone))
                    .isZero();
            assertThat(count(
                            "SELECT count(*) FROM analysis_state_arms WHERE environment_id = ? AND flag_id = ?",
                            env,
                            gone))
                    .isZero();
        }
        assertThat(count("SELECT count(*) FROM analysis_state WHERE environment_id = ? AND flag_id = ?", env, fresh))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM analysis_users WHERE environment_id = ? AND flag_id = ?", env, fresh))
                .isEqualTo(4);
        assertThat(exposures("stale-state")).as("only derived data goes").isEqualTo(4);
    }

    @Test
    void runsOnOneReplicaAtATime() throws Exception {
        try (Connection other = dataSource.getConnection()) {
            try (PreparedStatement s = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
                s.setLong(1, RetentionJob.LOCK);
                s.execute();
            }
            assertThat(retention.runOnce().ran())
                    .as("another replica holds the lock")
                    .isFalse();
            try (PreparedStatement s = other.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                s.setLong(1, RetentionJob.LOCK);
                s.execute();
            }
        }
        assertThat(retention.runOnce().ran()).isTrue();
    }

    /**
     * Users exposed 12 days ago with two clicks 11 days ago and one yesterday; the analysis job keeps their per-user
     * sums. Dropping the partitions older than 5 days deletes the state built from them, so after one more click the
     * job's next (otherwise incremental) run gives what a full recompute gives: 1.1 clicks per control user, not 3.1.
     */
    @Test
    void droppingAnEventPartitionDeletesTheStateBuiltFromItAndTheNextAnalysisRecomputes() throws Exception {
        flag("dropped");
        successMetrics("dropped", "clicks");
        Instant exposed = now.minus(Duration.ofDays(12));
        List<Object> shown = new ArrayList<>();
        List<Object> clicks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            for (String arm : List.of("off", "on")) {
                String key = arm + "-" + i;
                shown.add(impression("dropped", key, arm, "default rule", exposed));
                clicks.add(event(key, "click", null, now.minus(Duration.ofDays(11))));
                clicks.add(
                        event(key, "click", null, now.minus(Duration.ofDays(11)).plusSeconds(1)));
                clicks.add(event(key, "click", null, now.minus(Duration.ofDays(1))));
            }
        }
        send("impressions", shown);
        send("events", clicks);
        long flagId = flagId("dropped");
        AnalysisJob job =
                new AnalysisJob(dataSource, reports, environments, projects, flags, jdbc, Duration.ZERO, event -> {});
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try {
            assertThat(job.runOnce().ran()).isTrue();
            assertThat(controlMean()).isCloseTo(3.0, within(1e-12));
            assertThat(count(
                            "SELECT count(*) FROM analysis_users WHERE environment_id = ? AND flag_id = ?",
                            env,
                            flagId))
                    .isEqualTo(20);

            PartitionMaintenance.Outcome dropped = partitions.run(today, 5);

            assertThat(dropped.dropped())
                    .contains("events_p" + today.minusDays(11).toString().replace("-", ""));
            assertThat(count(
                            "SELECT count(*) FROM analysis_state WHERE environment_id = ? AND flag_id = ?",
                            env,
                            flagId))
                    .as("the state built from the dropped events is gone with them")
                    .isZero();
            assertThat(count(
                            "SELECT count(*) FROM analysis_users WHERE environment_id = ? AND flag_id = ?",
                            env,
                            flagId))
                    .isZero();

            send("events", List.of(event("off-0", "click", null, now)));
            job.runOnce();
            double afterDrop = controlMean();
            assertThat(afterDrop).as("no stale sums").isCloseTo(1.1, within(1e-12));
            assertThat(count(
                            "SELECT count(*) FROM analysis_state WHERE environment_id = ? AND flag_id = ?",
                            env,
                            flagId))
                    .as("rebuilt")
                    .isEqualTo(1);
            JsonNode full = expect(admin.post(reportPath("dropped") + "/refresh", null), 200)
                    .json();
            assertThat(full.get("metrics")
                            .get(0)
                            .get("treatments")
                            .get(0)
                            .get("controlMean")
                            .asDouble())
                    .isCloseTo(afterDrop, within(1e-12));
        } finally {
            partitions.run(today, 90); // the usual partitions back for the other tests
        }
    }

    private double controlMean() {
        JsonNode report = expect(admin.get(reportPath("dropped")), 200).json();
        return report.get("metrics")
                .get(0)
                .get("treatments")
                .get(0)
                .get("controlMean")
                .asDouble();
    }

    /** Copies a run and its results to another time; returns the copy's id. */
    private long copy(long run, Instant at) {
        Long id = jdbc.queryForObject(
                "INSERT INTO analysis_runs (environment_id, flag_id, computed_at, window_from, window_to, fingerprint,"
                        + " duration_millis, report) SELECT environment_id, flag_id, ?, window_from, ?, fingerprint,"
                        + " duration_millis, jsonb_set(report, '{computedAt}', to_jsonb(?::text)) FROM analysis_runs"
                        + " WHERE id = ? RETURNING id",
                Long.class,
                Timestamp.from(at),
                Timestamp.from(at),
                at.toString(),
                run);
        jdbc.update(
                "INSERT INTO analysis_results (run_id, environment_id, flag_id, computed_at, ordinal, metric, treatment,"
                        + " result) SELECT ?, environment_id, flag_id, ?, ordinal, metric, treatment, result"
                        + " FROM analysis_results WHERE run_id = ?",
                id,
                Timestamp.from(at),
                run);
        return id;
    }

    /** Computes the flag's report now; returns its run's id. */
    private long runOf(String flag) {
        expect(admin.post(reportPath(flag) + "/refresh", null), 200);
        return jdbc.queryForObject(
                "SELECT max(id) FROM analysis_runs WHERE environment_id = ? AND flag_id = ?",
                Long.class,
                env,
                flagId(flag));
    }

    private void flag(String key) {
        Fixtures.flag(admin, project, key);
        Fixtures.configure(
                admin,
                project,
                "production",
                key,
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

    private void successMetrics(String flag, String... keys) {
        expect(
                admin.put(
                        "/api/v1/projects/" + project + "/flags/" + flag + "/metrics",
                        Map.of("successMetrics", List.of(keys))),
                200);
    }

    /** Exposures planted at {@code firstSeen} (older than ingestion accepts), alternating the two arms. */
    private void plantExposures(String flag, Instant firstSeen, int keys) {
        int existing = (int) exposures(flag);
        for (int i = existing; i < existing + keys; i++) {
            jdbc.update(
                    "INSERT INTO exposures (environment_id, flag, key, treatment, first_seen, first_label)"
                            + " VALUES (?, ?, ?, ?, ?, 'default rule')",
                    env,
                    flag,
                    "u" + i,
                    i % 2 == 0 ? "off" : "on",
                    Timestamp.from(firstSeen));
        }
    }

    private long exposures(String flag) {
        return count("SELECT count(*) FROM exposures WHERE environment_id = ? AND flag = ?", env, flag);
    }

    private long flagId(String flag) {
        return jdbc.queryForObject(
                "SELECT f.id FROM flags f JOIN projects p ON p.id = f.project_id WHERE p.key = ? AND f.key = ?",
                Long.class,
                project,
                flag);
    }

    private long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    private String reportPath(String flag) {
        return "/api/v1/projects/" + project + "/environments/production/flags/" + flag + "/report";
    }

    private void send(String kind, List<Object> items) {
        String id = UUID.randomUUID().toString();
        expect(
                sdk.post(
                        "/api/sdk/v1/" + kind, kind.equals("impressions") ? impressions(id, items) : events(id, items)),
                202);
    }
}
