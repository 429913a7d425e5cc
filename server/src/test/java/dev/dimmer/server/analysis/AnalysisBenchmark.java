package dev.dimmer.server.analysis;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.flags.Flag;
import dev.dimmer.server.flags.FlagRepository;
import dev.dimmer.server.ingest.IngestFixtures;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.EnvironmentRepository;
import dev.dimmer.server.projects.Project;
import dev.dimmer.server.projects.ProjectRepository;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * DESIGN §7: 1 M exposed users, 10 M events, 5 metrics; full analysis ≤ 60 s, incremental rerun ≤ 10 s. Loads the
 * data with {@code INSERT … SELECT generate_series} straight into the fresh database of this test context, then times
 * the analysis of the one flag. Not part of the normal build ({@code @Tag("benchmark")}); run it as docs/performance.md
 * says. Prints its numbers and writes them to {@code server/target/analysis-benchmark.txt}.
 */
@Tag("benchmark")
@IntegrationTest
@TestPropertySource(properties = "logging.level.dev.dimmer.server.analysis.AnalysisQuery=DEBUG")
class AnalysisBenchmark {

    static final int USERS = Integer.getInteger("bench.users", 1_000_000);
    static final int EVENTS = Integer.getInteger("bench.events", 10_000_000);

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

    private final List<String> lines = new ArrayList<>();

    @Test
    void analysesAMillionUsersAndTenMillionEvents() throws Exception {
        Api admin = Api.admin(port);
        String projectKey = Fixtures.project(admin);
        Fixtures.flag(admin, projectKey, "bench");
        String base = "/api/v1/projects/" + projectKey;
        metric(admin, base, "conversion", "purchase", "CONVERSION", "INCREASE", false, false);
        metric(admin, base, "revenue", "purchase", "SUM", "INCREASE", false, true);
        metric(admin, base, "pageviews", "pageview", "COUNT", "INCREASE", false, false);
        metric(admin, base, "latency", "latency", "AVERAGE", "DECREASE", true, false);
        metric(admin, base, "errors", "error", "COUNT", "DECREASE", true, false);
        expect(
                admin.put(
                        base + "/flags/bench/metrics",
                        Map.of("successMetrics", List.of("conversion", "revenue", "pageviews"))),
                200);
        long env = IngestFixtures.environmentId(jdbc, projectKey, "production");
        // success metrics attached "before" the experiment started
        jdbc.update("UPDATE flag_success_metrics SET added_at = now() - interval '30 days'");

        long t0 = System.nanoTime();
        jdbc.update("""
                INSERT INTO exposures (environment_id, flag, key, treatment, first_seen, first_label)
                SELECT ?, 'bench', 'u' || g, CASE WHEN g % 2 = 0 THEN 'on' ELSE 'off' END,
                       now() - interval '7 days' + (g % 518400) * interval '1 second', 'default rule'
                FROM generate_series(1, ?) g
                """, env, USERS);
        // 1 % of the users also saw the other treatment later: excluded
        jdbc.update("""
                INSERT INTO exposures (environment_id, flag, key, treatment, first_seen, first_label)
                SELECT ?, 'bench', 'u' || g, CASE WHEN g % 2 = 0 THEN 'off' ELSE 'on' END,
                       now() - interval '7 days' + (g % 518400) * interval '1 second' + interval '1 hour', 'killed'
                FROM generate_series(1, ?, 99) g
                """, env, USERS);
        long exposuresLoaded = System.nanoTime();
        // 10 M events over the last 14 days (so part of them falls in the CUPED pre-period): 50 % pageviews, 30 %
        // latency, 10 % purchases (more in "on"), 5 % errors, 5 % of a type no metric uses
        jdbc.update("""
                INSERT INTO events (environment_id, key, type, value, properties, time)
                SELECT ?, 'u' || u, t, CASE WHEN t = 'purchase' THEN 20 + (g % 80) WHEN t = 'latency' THEN 100 + (g % 200)
                       ELSE NULL END, NULL, now() - (g % 1209600) * interval '1 second'
                FROM (SELECT g, 1 + (hashint4(g::int) & 2147483647) % ? AS u,
                             CASE WHEN g % 20 < 10 THEN 'pageview' WHEN g % 20 < 16 THEN 'latency'
                                  WHEN g % 20 < 18 THEN 'purchase' WHEN g % 20 < 19 THEN 'error' ELSE 'other' END AS t
                      FROM generate_series(1, ?) g) s
                """, env, USERS, EVENTS);
        jdbc.update(
                "INSERT INTO ingest_batches (environment_id, kind, batch_id, accepted, rejected) VALUES (?, 'events', 'b1', ?, 0)",
                env,
                EVENTS);
        long eventsLoaded = System.nanoTime();
        jdbc.execute("VACUUM ANALYZE exposures");
        jdbc.execute("VACUUM ANALYZE events");
        long analysed = System.nanoTime();
        log(
                "load: %d exposed users (+%d multi-treatment rows) in %.1f s, %d events in %.1f s, vacuum analyze %.1f s",
                USERS,
                USERS / 100,
                seconds(exposuresLoaded - t0),
                EVENTS,
                seconds(eventsLoaded - exposuresLoaded),
                seconds(analysed - eventsLoaded));

        Project project = projects.findByKey(projectKey).orElseThrow();
        Environment environment = environments
                .findByProjectIdAndKey(project.getId(), "production")
                .orElseThrow();
        Flag flag = flags.findByProjectIdAndKey(project.getId(), "bench").orElseThrow();
        AnalysisJob job =
                new AnalysisJob(dataSource, reports, environments, projects, flags, jdbc, Duration.ZERO, event -> {});

        // 1. Full analysis of the flag (what POST …/report/refresh does): SQL aggregation, engine, storage.
        long start = System.nanoTime();
        ExperimentReport report = reports.refresh(project, environment, flag, null);
        double full = seconds(System.nanoTime() - start);
        log("full analysis (refresh of the flag): %.2f s", full);
        log(
                "  arms %s, excluded %d, srm %s",
                report.arms(),
                report.excludedMultiTreatmentUsers(),
                report.srm().status());
        report.metrics().forEach(m -> m.treatments().forEach(t -> log("  %s: %s", m.key(), t.summary())));
        assertThat(report.arms()).hasSize(2);
        assertThat(report.metrics()).hasSize(5);

        // 2. Incremental rerun with no new data: the whole scheduled job (all flags), which finds the inputs unchanged.
        start = System.nanoTime();
        AnalysisJob.Outcome unchanged = job.runOnce();
        double incremental = seconds(System.nanoTime() - start);
        log("incremental rerun, nothing changed (job over all flags): %.2f s (%s)", incremental, unchanged);
        assertThat(unchanged.skipped()).isEqualTo(1);

        // 3. Rerun after 100 000 new events arrived: the flag's inputs changed, so it is recomputed in full.
        jdbc.update("""
                INSERT INTO events (environment_id, key, type, value, properties, time)
                SELECT ?, 'u' || (1 + g * 7 % ?), 'purchase', 50, NULL, now() - interval '1 minute'
                FROM generate_series(1, 100000) g
                """, env, USERS);
        jdbc.update(
                "INSERT INTO ingest_batches (environment_id, kind, batch_id, accepted, rejected) VALUES (?, 'events', 'b2', 100000, 0)",
                env);
        start = System.nanoTime();
        AnalysisJob.Outcome changed = job.runOnce();
        double rerun = seconds(System.nanoTime() - start);
        log("rerun after 100 000 new events (job, incremental): %.2f s (%s)", rerun, changed);
        assertThat(changed.analysed()).isEqualTo(1);
        logLatestRun(environment, flag);

        // 4. Rerun after 100 000 new events and 10 000 new exposures (new users are recomputed from all their events).
        jdbc.update("""
                INSERT INTO exposures (environment_id, flag, key, treatment, first_seen, first_label)
                SELECT ?, 'bench', 'n' || g, CASE WHEN g % 2 = 0 THEN 'on' ELSE 'off' END,
                       now() - interval '2 minutes', 'default rule'
                FROM generate_series(1, 10000) g
                """, env);
        jdbc.update("""
                INSERT INTO events (environment_id, key, type, value, properties, time)
                SELECT ?, CASE WHEN g % 10 = 0 THEN 'n' || (g / 10) ELSE 'u' || (1 + g * 13 % ?) END, 'purchase', 50,
                       NULL, now() - interval '1 minute'
                FROM generate_series(1, 100000) g
                """, env, USERS);
        jdbc.update(
                "INSERT INTO ingest_batches (environment_id, kind, batch_id, accepted, rejected) VALUES (?, 'events', 'b3', 100000, 0)",
                env);
        start = System.nanoTime();
        AnalysisJob.Outcome exposed = job.runOnce();
        double rerunExposed = seconds(System.nanoTime() - start);
        log(
                "rerun after 100 000 new events and 10 000 new exposures (job, incremental): %.2f s (%s)",
                rerunExposed, exposed);
        assertThat(exposed.analysed()).isEqualTo(1);
        logLatestRun(environment, flag);
        ExperimentReport stored = reports.load(reports.latestRun(environment.getId(), flag.getId())
                .orElseThrow()
                .id());

        // 5. The same data recomputed in full: the same arms as the incremental report.
        start = System.nanoTime();
        ExperimentReport again = reports.refresh(project, environment, flag, null);
        log("full analysis again: %.2f s", seconds(System.nanoTime() - start));
        log("  incremental arms %s", stored.arms());
        log("  full arms        %s", again.arms());
        assertThat(again.arms()).isEqualTo(stored.arms());
        for (int i = 0; i < again.metrics().size(); i++) {
            for (int j = 0; j < again.metrics().get(i).treatments().size(); j++) {
                log(
                        "  %s: incremental %s | full %s",
                        again.metrics().get(i).key(),
                        stored.metrics().get(i).treatments().get(j).summary(),
                        again.metrics().get(i).treatments().get(j).summary());
            }
        }

        Files.writeString(Path.of("target", "analysis-benchmark.txt"), String.join("\n", lines) + "\n");
    }

    private void logLatestRun(Environment environment, Flag flag) {
        Map<String, Object> run = jdbc.queryForMap(
                "SELECT duration_millis FROM analysis_runs WHERE environment_id = ? AND flag_id = ?"
                        + " ORDER BY computed_at DESC, id DESC LIMIT 1",
                environment.getId(),
                flag.getId());
        Map<String, Object> state = jdbc.queryForMap(
                "SELECT (SELECT count(*) FROM analysis_users WHERE environment_id = ? AND flag_id = ?) AS users,"
                        + " (SELECT window_to FROM analysis_state WHERE environment_id = ? AND flag_id = ?) AS window_to",
                environment.getId(),
                flag.getId(),
                environment.getId(),
                flag.getId());
        log("  stored run took %s ms; per-user state %s", run.get("duration_millis"), state);
    }

    private static void metric(
            Api admin,
            String base,
            String key,
            String eventType,
            String aggregation,
            String direction,
            boolean guardrail,
            boolean cuped) {
        expect(
                admin.post(
                        base + "/metrics",
                        Map.of(
                                "key", key,
                                "name", key,
                                "eventType", eventType,
                                "aggregation", aggregation,
                                "direction", direction,
                                "guardrail", guardrail,
                                "margin", guardrail ? 0.05 : 0,
                                "cuped", cuped)),
                201);
    }

    private void log(String format, Object... args) {
        String line = String.format(format, args);
        lines.add(line);
        System.out.println("[analysis-benchmark] " + line);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
