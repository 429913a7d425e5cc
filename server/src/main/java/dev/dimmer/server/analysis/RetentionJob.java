package dev.dimmer.server.analysis;

import dev.dimmer.server.metrics.MetricHistory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes what the analysis no longer needs, every {@code dimmer.retention.interval} (default hourly), on one replica
 * at a time (docs/operations.md "Retention"; {@link RetentionProperties} for the defaults):
 *
 * <ol>
 *   <li><b>Exposures</b> of a flag in an environment, all at once, when none is newer than {@code exposures-idle}
 *       (180 days), or {@code exposures-archived} (30 days) for an archived flag or environment. Never a part of a
 *       flag's exposures: the analysis reads a flag's exposures as a whole (its window starts at the first), so a
 *       partial deletion would change a running experiment's population. With them go the flag's per-user state and
 *       the list of its metrics' changes since its start (a later exposure starts a new experiment); its stored
 *       reports stay. This step holds the analysis job's lock ({@link AnalysisJob#LOCK}), so the job never computes a
 *       report from exposures being deleted.
 *   <li><b>Report history</b> ({@code analysis_runs} and their {@code analysis_results}): runs older than
 *       {@code analysis-runs-detail} (7 days) are thinned to the last run of each UTC day per flag and environment,
 *       which is what "effect over time" reads; runs older than {@code analysis-runs} (400 days) are deleted. The latest
 *       run of each flag and environment — the report a GET shows, and what alerts and plans act on — is never
 *       deleted.
 *   <li><b>Per-user state</b> ({@code analysis_state}, {@code analysis_state_arms}, {@code analysis_users}): deleted for
 *       a flag not analysed for {@code analysis-state-idle} (14 days), archived, or without exposures. It is derived
 *       data: the next analysis, if any, recomputes it in full.
 * </ol>
 *
 * <p><b>One replica.</b> The run holds the session-level advisory lock {@link #LOCK} on a connection of its own, like
 * the analysis job; a replica that does not get it skips the run. Deletions run in short transactions of at most
 * {@code batch-size} runs, or one flag's exposures, each.
 */
@Component
class RetentionJob {

    /** Advisory lock id of this job ("DIMMERRT" in ASCII). */
    static final long LOCK = 0x44494d4d45525254L;

    /** At most this many batches of report history per run (the rest waits for the next run). */
    private static final int MAX_BATCHES = 100;

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    /**
     * What one run deleted.
     *
     * @param exposureFlags flags (environment × flag) whose exposures were deleted
     * @param metricChanges records of metric changes after a start, forgotten with their experiment's exposures
     * @param stateFlags flags whose per-user state was deleted (with their exposures or on their own)
     * @param stateUsers per-user rows of that state
     */
    record Outcome(
            boolean ran,
            int exposureFlags,
            long exposures,
            int metricChanges,
            long runs,
            long results,
            int stateFlags,
            long stateUsers) {

        boolean deletedAnything() {
            return exposures + metricChanges + runs + results + stateFlags + stateUsers > 0;
        }
    }

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final MetricHistory history;
    private final RetentionProperties properties;
    private final Clock clock;

    RetentionJob(
            DataSource dataSource,
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            MetricHistory history,
            RetentionProperties properties,
            Clock clock) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.history = history;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(
            initialDelayString = "${dimmer.retention.interval:PT1H}",
            fixedDelayString = "${dimmer.retention.interval:PT1H}")
    void runScheduled() {
        if (!properties.enabled()) {
            return;
        }
        try {
            runOnce();
        } catch (SQLException | RuntimeException e) {
            log.error("retention run failed; will retry at the next run", e);
        }
    }

    /** One run as of now; does nothing when another replica is running it. */
    Outcome runOnce() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!tryLock(c, LOCK)) {
                return new Outcome(false, 0, 0, 0, 0, 0, 0, 0);
            }
            try {
                Instant now = clock.instant();
                long[] exposures = new long[5];
                if (!expiredExposures(now).isEmpty()) {
                    // Wait for a running analysis to finish, and keep the next from starting while exposures go.
                    call(c, "SELECT pg_advisory_lock(?)", AnalysisJob.LOCK);
                    try {
                        exposures = deleteExposures(expiredExposures(now), now);
                    } finally {
                        call(c, "SELECT pg_advisory_unlock(?)", AnalysisJob.LOCK);
                    }
                }
                long[] runs = deleteHistory(now);
                long[] state = deleteIdleState(now);
                Outcome outcome = new Outcome(
                        true,
                        (int) exposures[0],
                        exposures[1],
                        (int) exposures[2],
                        runs[0],
                        runs[1],
                        (int) (exposures[3] + state[0]),
                        exposures[4] + state[1]);
                if (outcome.deletedAnything()) {
                    log.info(
                            "retention: deleted {} exposures of {} flag(s) idle or archived ({} metric change records),"
                                    + " {} analysis runs with {} results, the per-user state of {} flag(s) ({} user"
                                    + " rows)",
                            outcome.exposures(),
                            outcome.exposureFlags(),
                            outcome.metricChanges(),
                            outcome.runs(),
                            outcome.results(),
                            outcome.stateFlags(),
                            outcome.stateUsers());
                }
                return outcome;
            } finally {
                call(c, "SELECT pg_advisory_unlock(?)", LOCK);
            }
        }
    }

    /**
     * The flags whose exposures have expired: [environment id, flag key, flag id or null, no longer analysed]. One
     * {@code GROUP BY} over {@code exposures}, like each analysis run's.
     */
    private List<Object[]> expiredExposures(Instant now) {
        return jdbc.query(
                """
                SELECT s.environment_id, s.flag, f.id, (e.id IS NULL OR e.archived OR f.id IS NULL OR f.archived)
                FROM (SELECT environment_id, flag, max(first_seen) AS newest FROM exposures GROUP BY 1, 2) s
                LEFT JOIN environments e ON e.id = s.environment_id
                LEFT JOIN flags f ON f.project_id = e.project_id AND f.key = s.flag
                WHERE s.newest < ?
                   OR (s.newest < ? AND (e.id IS NULL OR e.archived OR f.id IS NULL OR f.archived))
                ORDER BY 1, 2
                """,
                (rs, i) -> new Object[] {rs.getLong(1), rs.getString(2), (Long) rs.getObject(3), rs.getBoolean(4)},
                Timestamp.from(now.minus(properties.exposuresIdle())),
                Timestamp.from(now.minus(properties.exposuresArchived())));
    }

    /** [flags, exposures, metric changes, state flags, state users] */
    private long[] deleteExposures(List<Object[]> candidates, Instant now) {
        long[] total = new long[5];
        for (Object[] candidate : candidates) {
            long environmentId = (Long) candidate[0];
            String flag = (String) candidate[1];
            Long flagId = (Long) candidate[2];
            Instant cutoff =
                    now.minus((Boolean) candidate[3] ? properties.exposuresArchived() : properties.exposuresIdle());
            long[] deleted = transactions.execute(status -> {
                long[] d = new long[5];
                // still expired? A user exposed since the candidates were read keeps the experiment alive.
                Timestamp newest = jdbc.queryForObject(
                        "SELECT max(first_seen) FROM exposures WHERE environment_id = ? AND flag = ?",
                        Timestamp.class,
                        environmentId,
                        flag);
                if (newest == null || !newest.toInstant().isBefore(cutoff)) {
                    return d;
                }
                if (flagId != null) {
                    AnalysisState.Deleted state = deleteState(new long[] {environmentId, flagId});
                    d[3] = state.flags();
                    d[4] = state.users();
                    d[2] = history.forget(environmentId, flagId);
                }
                d[1] = jdbc.update("DELETE FROM exposures WHERE environment_id = ? AND flag = ?", environmentId, flag);
                return d;
            });
            total[0] += deleted[1] > 0 ? 1 : 0;
            for (int i = 1; i < total.length; i++) {
                total[i] += deleted[i];
            }
            log.debug(
                    "retention: {} exposures of flag '{}' in environment {} deleted", deleted[1], flag, environmentId);
        }
        return total;
    }

    /** [runs, results] */
    private long[] deleteHistory(Instant now) {
        Instant detail = now.minus(properties.analysisRunsDetail());
        Instant expired = now.minus(properties.analysisRuns());
        Instant candidates = detail.isAfter(expired) ? detail : expired;
        long[] total = new long[2];
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            List<Long> ids = jdbc.queryForList(
                    """
                    SELECT r.id FROM (
                        SELECT id, environment_id, flag_id, computed_at,
                               row_number() OVER (PARTITION BY environment_id, flag_id,
                                   (computed_at AT TIME ZONE 'UTC')::date ORDER BY computed_at DESC, id DESC) AS nth
                        FROM analysis_runs WHERE computed_at < ?
                    ) r
                    WHERE (r.nth > 1 AND r.computed_at < ?)
                       OR (r.computed_at < ? AND EXISTS (
                           SELECT 1 FROM analysis_runs n
                           WHERE n.environment_id = r.environment_id AND n.flag_id = r.flag_id
                             AND (n.computed_at > r.computed_at OR (n.computed_at = r.computed_at AND n.id > r.id))))
                    LIMIT ?
                    """,
                    Long.class,
                    Timestamp.from(candidates),
                    Timestamp.from(detail),
                    Timestamp.from(expired),
                    properties.batchSize());
            if (ids.isEmpty()) {
                break;
            }
            Long[] array = ids.toArray(Long[]::new);
            // results first: deleting a run would take its results along (ON DELETE CASCADE) without counting them
            long[] deleted = transactions.execute(status -> new long[] {
                jdbc.update("DELETE FROM analysis_results WHERE run_id = ANY(?::bigint[])", (Object) array),
                jdbc.update("DELETE FROM analysis_runs WHERE id = ANY(?::bigint[])", (Object) array)
            });
            total[0] += deleted[1];
            total[1] += deleted[0];
            if (ids.size() < properties.batchSize()) {
                break;
            }
        }
        return total;
    }

    /** [flags, users] */
    private long[] deleteIdleState(Instant now) {
        List<long[]> idle = jdbc.query(
                """
                SELECT s.environment_id, s.flag_id FROM analysis_state s
                LEFT JOIN environments e ON e.id = s.environment_id
                LEFT JOIN flags f ON f.id = s.flag_id
                WHERE s.window_to < ? OR e.id IS NULL OR e.archived OR f.id IS NULL OR f.archived
                   OR NOT EXISTS (SELECT 1 FROM exposures x WHERE x.environment_id = s.environment_id AND x.flag = f.key)
                ORDER BY 1, 2
                """,
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)},
                Timestamp.from(now.minus(properties.analysisStateIdle())));
        long[] total = new long[2];
        for (long[] flag : idle) {
            AnalysisState.Deleted deleted = transactions.execute(status -> deleteState(flag));
            total[0] += deleted.flags();
            total[1] += deleted.users();
        }
        return total;
    }

    /** Deletes a flag's per-user state ([environment id, flag id]) in the current transaction. */
    private AnalysisState.Deleted deleteState(long[] flag) {
        // the connection of the current transaction, which JdbcTemplate uses too
        Connection c = DataSourceUtils.getConnection(dataSource);
        try {
            return AnalysisState.delete(c, List.<long[]>of(flag));
        } catch (SQLException e) {
            throw new IllegalStateException("deleting the analysis state of " + flag[0] + "/" + flag[1] + " failed", e);
        }
    }

    private static boolean tryLock(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static void call(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            s.execute();
        }
    }
}
