package dev.dimmer.server.analysis;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.ingest.IngestFixtures;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 11: one scheduled analysis cycle over 100 flags with 1 M exposed users in total (10 000 per flag), 10 M events,
 * five metrics per flag (three success metrics, two guardrails). It times the application's own {@link AnalysisJob}
 * bean, so a cycle includes what listens to it (the alert cycle: guardrails, SRM, no traffic, plans). Tagged
 * {@code benchmark}: run it as docs/performance.md says. Writes {@code server/target/analysis-cycle-benchmark.txt}.
 */
@Tag("benchmark")
@IntegrationTest
@TestPropertySource(properties = {"dimmer.analysis.interval=PT10H", "dimmer.analysis.settle=PT0S"})
class AnalysisCycleBenchmark {

    static final int FLAGS = Integer.getInteger("bench.flags", 100);
    static final int USERS = Integer.getInteger("bench.users", 1_000_000);
    static final int EVENTS = Integer.getInteger("bench.events", 10_000_000);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AnalysisJob job;

    private final List<String> lines = new ArrayList<>();

    @Test
    void oneCycleOverAHundredFlagsAndAMillionExposedUsers() throws Exception {
        Api admin = Api.admin(port);
        String projectKey = Fixtures.project(admin);
        String base = "/api/v1/projects/" + projectKey;
        metric(admin, base, "conversion", "purchase", "CONVERSION", "INCREASE", false);
        metric(admin, base, "revenue", "purchase", "SUM", "INCREASE", false);
        metric(admin, base, "pageviews", "pageview", "COUNT", "INCREASE", false);
        metric(admin, base, "latency", "latency", "AVERAGE", "DECREASE", true);
        metric(admin, base, "errors", "error", "COUNT", "DECREASE", true);
        long setupStart = System.nanoTime();
        for (int f = 0; f < FLAGS; f++) {
            Fixtures.flag(admin, projectKey, flag(f));
            expect(
                    admin.put(
                            base + "/flags/" + flag(f) + "/metrics",
                            Map.of("successMetrics", List.of("conversion", "revenue", "pageviews"))),
                    200);
        }
        log(
                "setup: %d flags with 3 success metrics each (and the project's 2 guardrails) through the admin API in %.1f s",
                FLAGS, since(setupStart));
        long env = IngestFixtures.environmentId(jdbc, projectKey, "production");
        jdbc.update("UPDATE flag_success_metrics SET added_at = now() - interval '30 days'");

        // Each user is exposed to exactly one flag (users g ≡ f mod FLAGS see flag f), first exposures over 6 days.
        long t0 = System.nanoTime();
        jdbc.update("""
                INSERT INTO exposures (environment_id, flag, key, treatment, first_seen, first_label)
                SELECT ?, 'flag-' || lpad((g % ?)::text, 3, '0'), 'u' || g,
                       CASE WHEN (g / ?) % 2 = 0 THEN 'on' ELSE 'off' END,
                       now() - interval '7 days' + (g % 518400) * interval '1 second', 'default rule'
                FROM generate_series(1, ?) g
                """, env, FLAGS, FLAGS, USERS);
        long exposuresLoaded = System.nanoTime();
        // 10 events per exposed user on average, over the last 14 days (part of them in CUPED's pre-period).
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
        log(
                "load: %d exposed users in %.1f s, %d events in %.1f s, vacuum analyze %.1f s",
                USERS,
                seconds(exposuresLoaded - t0),
                EVENTS,
                seconds(eventsLoaded - exposuresLoaded),
                since(eventsLoaded));

        // 1. The first cycle: every flag analysed in full.
        long start = System.nanoTime();
        AnalysisJob.Outcome first = job.runOnce();
        log("first cycle (every flag in full): %.1f s (%s)", since(start), first);
        assertThat(first.analysed()).isEqualTo(FLAGS);
        assertThat(first.failed()).isZero();
        logRuns();

        // 2. A cycle with nothing new: every flag's fingerprint is unchanged.
        start = System.nanoTime();
        AnalysisJob.Outcome unchanged = job.runOnce();
        log("cycle with nothing new: %.2f s (%s)", since(start), unchanged);
        assertThat(unchanged.skipped()).isEqualTo(FLAGS);

        // 3. The steady state: 1 % more events (100 000 for 10 M) arrived since the last cycle, spread over all users,
        // so every flag is rerun incrementally.
        int newEvents = EVENTS / 100;
        jdbc.update("""
                INSERT INTO events (environment_id, key, type, value, properties, time)
                SELECT ?, 'u' || (1 + (hashint4(g::int + 77) & 2147483647) % ?),
                       CASE WHEN g % 2 = 0 THEN 'latency' ELSE 'pageview' END,
                       CASE WHEN g % 2 = 0 THEN 150 ELSE NULL END, NULL, now() - interval '1 minute'
                FROM generate_series(1, ?) g
                """, env, USERS, newEvents);
        jdbc.update(
                "INSERT INTO ingest_batches (environment_id, kind, batch_id, accepted, rejected) VALUES (?, 'events', 'b2', ?, 0)",
                env,
                newEvents);
        start = System.nanoTime();
        AnalysisJob.Outcome steady = job.runOnce();
        log("cycle after %d new events (every flag incremental): %.1f s (%s)", newEvents, since(start), steady);
        assertThat(steady.analysed()).isEqualTo(FLAGS);
        assertThat(steady.failed()).isZero();
        logRuns();

        Integer openAlerts = jdbc.queryForObject("SELECT count(*) FROM alerts WHERE status = 'OPEN'", Integer.class);
        log("open alerts after the cycles: %d", openAlerts);
        Files.writeString(Path.of("target", "analysis-cycle-benchmark.txt"), String.join("\n", lines) + "\n");
    }

    /** The stored runs' durations: how the cycle's time splits over the flags. */
    private void logRuns() {
        Map<String, Object> runs = jdbc.queryForMap("""
                SELECT count(*) AS runs, min(duration_millis) AS min_ms,
                       percentile_disc(0.5) WITHIN GROUP (ORDER BY duration_millis) AS median_ms,
                       max(duration_millis) AS max_ms, sum(duration_millis) AS total_ms
                FROM (SELECT DISTINCT ON (flag_id) duration_millis FROM analysis_runs
                      ORDER BY flag_id, computed_at DESC, id DESC) latest
                """);
        log("  latest run per flag: %s", runs);
    }

    private static String flag(int f) {
        return "flag-" + String.format("%03d", f);
    }

    private static void metric(
            Api admin,
            String base,
            String key,
            String eventType,
            String aggregation,
            String direction,
            boolean guardrail) {
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
                                "cuped", false)),
                201);
    }

    private void log(String format, Object... args) {
        String line = String.format(format, args);
        lines.add(line);
        System.out.println("[analysis-cycle-benchmark] " + line);
    }

    private static double since(long startNanos) {
        return seconds(System.nanoTime() - startNanos);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
