package dev.dimmer.server.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.analysis.AnalysisQuery.Aggregates;
import dev.dimmer.server.analysis.AnalysisQuery.MetricInput;
import dev.dimmer.server.analysis.AnalysisQuery.Path;
import dev.dimmer.server.stats.Aggregation;
import dev.dimmer.server.stats.SufficientStatistics;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The incremental path of {@link AnalysisQuery} gives the arms' sums a full recompute gives: after rounds of new
 * exposures (new users, users with a second treatment, an earlier first exposure, exposures after the window's end),
 * new events (late ones, pre-exposure ones for CUPED, ones beyond the window's end that fall into a later window, for
 * unknown keys) and a transaction that commits only after a run has read past it, over three arms.
 */
@IntegrationTest
class IncrementalAnalysisTests {

    static final List<MetricInput> METRICS = List.of(
            new MetricInput("purchase", Aggregation.CONVERSION, true),
            new MetricInput("purchase", Aggregation.SUM, true),
            new MetricInput("pageview", Aggregation.COUNT, true),
            new MetricInput("latency", Aggregation.AVERAGE, false),
            new MetricInput("error", Aggregation.COUNT, false),
            new MetricInput("pageview", Aggregation.CONVERSION, false));

    static final List<String> TYPES = List.of("purchase", "pageview", "latency", "error", "other");
    static final List<String> TREATMENTS = List.of("off", "on", "blue");

    @Autowired
    AnalysisQuery query;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    private final Random random = new Random(42);

    @Test
    void incrementalArmSumsEqualAFullRecomputeRoundAfterRound() throws Exception {
        long env = 1_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
        String flag = "incremental-" + env;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant from = now.minus(Duration.ofDays(9));
        Instant base = now.minus(Duration.ofDays(1));

        // round 0: the experiment so far
        exposure(env, flag, "u0", "off", from, "default rule");
        int users = 1;
        for (; users < 300; users++) {
            exposure(
                    env,
                    flag,
                    "u" + users,
                    TREATMENTS.get(users % 3),
                    randomTime(now.minus(Duration.ofDays(8)), base),
                    label());
        }
        for (int i = 1; i < 300; i += 37) { // a second treatment: excluded
            exposure(
                    env,
                    flag,
                    "u" + i,
                    TREATMENTS.get((i + 1) % 3),
                    randomTime(now.minus(Duration.ofDays(8)), base),
                    label());
        }
        events(env, 4000, users + 20, now.minus(Duration.ofDays(10)), base.plus(Duration.ofHours(3)));

        Aggregates first = query.aggregate(env, 1, flag, METRICS, from, base, "default rule", "sig", true);
        assertThat(first.path()).isEqualTo(Path.FULL);
        assertEqual(first, query.aggregate(env, 2, flag, METRICS, from, base, "default rule", "sig", false));

        Connection pending = null;
        for (int round = 1; round <= 5; round++) {
            Instant to = base.plus(Duration.ofHours(2L * round));
            if (pending != null) {
                pending.commit(); // committed after the previous run read past it
                pending.close();
                pending = null;
            }
            // a batch whose transaction is still open while later ones commit and the run reads past it: it is in
            // the run's snapshot as in progress, and must be counted by the next run
            if (round == 2 || round == 4) {
                pending = dataSource.getConnection();
                pending.setAutoCommit(false);
                insertEvents(pending, env, 200, users, now.minus(Duration.ofDays(10)), to);
            }

            // new users, some exposed only after the window's end
            for (int i = 0; i < 40; i++, users++) {
                Instant seen =
                        i % 10 == 0 ? to.plus(Duration.ofMinutes(30)) : randomTime(now.minus(Duration.ofDays(8)), to);
                exposure(env, flag, "u" + users, TREATMENTS.get(users % 3), seen, label());
            }
            // existing users: a second treatment, an earlier first exposure (a late impression)
            for (int i = 0; i < 5; i++) {
                String key = "u" + (1 + random.nextInt(users - 1));
                jdbc.update(
                        "INSERT INTO exposures (environment_id, flag, key, treatment, first_seen, first_label)"
                                + " VALUES (?, ?, ?, ?, ?, 'late') ON CONFLICT DO NOTHING",
                        env,
                        flag,
                        key,
                        TREATMENTS.get(random.nextInt(3)),
                        Timestamp.from(randomTime(now.minus(Duration.ofDays(8)), to)));
                jdbc.update(
                        "UPDATE exposures SET first_seen = first_seen - interval '1 day'"
                                + " WHERE environment_id = ? AND flag = ? AND key = ? AND first_seen > ?",
                        env,
                        flag,
                        "u" + (1 + random.nextInt(users - 1)),
                        Timestamp.from(now.minus(Duration.ofDays(7))));
            }
            // new events: recent, late (old times: pre- and post-exposure), beyond the window's end, unknown keys
            events(env, 300, users + 20, to.minus(Duration.ofHours(2)), to.plus(Duration.ofHours(3)));
            events(env, 300, users + 20, now.minus(Duration.ofDays(10)), to);
            Aggregates incremental = query.aggregate(env, 1, flag, METRICS, from, to, "default rule", "sig", true);
            assertThat(incremental.path()).as("round %d", round).isEqualTo(Path.INCREMENTAL);
            assertThat(incremental.touchedUsers()).isLessThan(users);
            Aggregates full = query.aggregate(env, 2, flag, METRICS, from, to, "default rule", "sig", false);
            assertThat(full.path()).isEqualTo(Path.FULL);
            assertEqual(incremental, full);
        }
        assertThat(pending).isNull();

        // a changed configuration (signature) or metric list: full recompute
        Instant to = base.plus(Duration.ofHours(11));
        Aggregates changed = query.aggregate(env, 1, flag, METRICS, from, to, "default rule", "sig2", true);
        assertThat(changed.path()).isEqualTo(Path.FULL);
        assertEqual(changed, query.aggregate(env, 2, flag, METRICS, from, to, "default rule", "sig", false));
        Aggregates fewer = query.aggregate(env, 1, flag, METRICS.subList(0, 3), from, to, "default rule", "sig2", true);
        assertThat(fewer.path()).isEqualTo(Path.FULL);
        assertThat(query.aggregate(env, 1, flag, METRICS.subList(0, 3), from, to, "default rule", "sig2", true)
                        .path())
                .isEqualTo(Path.INCREMENTAL);
    }

    private static void assertEqual(Aggregates incremental, Aggregates full) {
        assertThat(incremental.excludedUsers()).isEqualTo(full.excludedUsers());
        assertThat(incremental.arms()).isEqualTo(full.arms());
        assertThat(full.arms()).hasSize(3);
        assertThat(full.excludedUsers()).isPositive();
        for (int i = 0; i < full.statistics().size(); i++) {
            Map<String, SufficientStatistics> f = full.statistics().get(i);
            Map<String, SufficientStatistics> n = incremental.statistics().get(i);
            assertThat(n.keySet()).isEqualTo(f.keySet());
            for (String t : f.keySet()) {
                SufficientStatistics a = n.get(t);
                SufficientStatistics b = f.get(t);
                assertThat(a.n()).isEqualTo(b.n());
                close(a.sumY(), b.sumY(), i, t);
                close(a.sumY2(), b.sumY2(), i, t);
                close(a.sumX(), b.sumX(), i, t);
                close(a.sumX2(), b.sumX2(), i, t);
                close(a.sumXY(), b.sumXY(), i, t);
            }
        }
    }

    private static void close(double actual, double expected, int metric, String treatment) {
        assertThat(Math.abs(actual - expected))
                .as("metric %d, treatment %s: %s vs %s", metric, treatment, actual, expected)
                .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(expected)));
    }

    private void exposure(long env, String flag, String key, String treatment, Instant firstSeen, String label) {
        jdbc.update(
                "INSERT INTO exposures (environment_id, flag, key, treatment, first_seen, first_label)"
                        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                env,
                flag,
                key,
                treatment,
                Timestamp.from(firstSeen),
                label);
    }

    private String label() {
        return random.nextInt(4) == 0 ? "rule 1" : "default rule";
    }

    private Instant randomTime(Instant from, Instant to) {
        long span = to.toEpochMilli() - from.toEpochMilli();
        return from.plusMillis((long) (random.nextDouble() * span));
    }

    /** Events in their own transaction, as a batch would arrive. */
    private void events(long env, int count, int keys, Instant from, Instant to) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            insertEvents(c, env, count, keys, from, to);
        }
    }

    private void insertEvents(Connection c, long env, int count, int keys, Instant from, Instant to) throws Exception {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String type = TYPES.get(random.nextInt(TYPES.size()));
            Double value = type.equals("purchase") || type.equals("latency")
                    ? (random.nextInt(10) == 0 ? null : random.nextDouble() * 100)
                    : null;
            rows.add(new Object[] {env, "u" + random.nextInt(keys), type, value, Timestamp.from(randomTime(from, to))});
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO events (environment_id, key, type, value, time) VALUES (?, ?, ?, ?, ?)")) {
            for (Object[] row : rows) {
                for (int j = 0; j < row.length; j++) {
                    if (row[j] == null) {
                        s.setNull(j + 1, Types.DOUBLE);
                    } else {
                        s.setObject(j + 1, row[j]);
                    }
                }
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
