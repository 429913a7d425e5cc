package dev.dimmer.server.analysis;

import dev.dimmer.server.stats.Aggregation;
import dev.dimmer.server.stats.SufficientStatistics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Computes every arm's {@link SufficientStatistics} for every metric of a flag in an environment, in SQL, so the JVM
 * never sees a per-user row, and keeps per-user partial aggregates so that a rerun folds in only what changed
 * (docs/statistics.md §6).
 *
 * <p><b>Full.</b> In one transaction: {@code k}, the flag's exposures grouped by key (a key with one treatment is
 * assigned to it from its first exposure, a key with more is excluded); then one pass over the window's events of the
 * metrics' types (hash join, the million keys on the build side), grouped by key with one {@code FILTER} aggregate per
 * metric, written to {@code analysis_users} as raw additive partials ({@code post}: count or Σ value at or after the
 * first exposure; {@code pre}: the AVERAGE's count of values or the CUPED covariate over the 14 days before); then the
 * arms' n, Σy, Σy², Σx, Σx², Σxy from those rows, stored in {@code analysis_state_arms} with the transaction's
 * snapshot.
 *
 * <p><b>Incremental</b> (when the stored state has the same signature: metrics, window start, configuration). In one
 * REPEATABLE READ transaction with snapshot S' and the stored snapshot S and window end t:
 *
 * <ol>
 *   <li>users whose assignment changed (new keys, a second treatment, an earlier first exposure) are found by diffing
 *       {@code k} against {@code analysis_users}, and recomputed from all their events in the window;
 *   <li>every other user's partials get the new events added: those not visible in S ({@code arrival}, a transaction
 *       id, at or above S's xmin and {@code NOT txid_visible_in_snapshot}) or with a time in [t, now) (arrived earlier
 *       with a future time), whatever their event time, so late and pre-exposure (CUPED) events count;
 *   <li>the arms' sums get, per touched user, the new contribution (y², xy, … from the new partials) minus the old one,
 *       under its old and new treatment.
 * </ol>
 *
 * <p>The shape matters for the planner: common table expressions would hide the row counts (it then hashed the ten
 * million events and sorted them on disk: 60 s instead of about 30 s for DESIGN §7's benchmark).
 */
@Component
class AnalysisQuery {

    /** CUPED's pre-exposure period (DESIGN §5). */
    static final String PRE_PERIOD = "14 days";

    /** Enough memory for the per-user hash aggregate of a million users without spilling to disk. */
    static final String WORK_MEM = "256MB";

    /**
     * Part of the stored state's signature: a state stored by an older version (v1 summed every assigned user, v2 only
     * the split's users) is recomputed rather than folded into.
     */
    static final String STATE_VERSION = "v2";

    private static final Logger log = LoggerFactory.getLogger(AnalysisQuery.class);

    /** One metric as the query needs it. */
    record MetricInput(String eventType, Aggregation aggregation, boolean cuped) {

        /** CUPED applies to COUNT, SUM and CONVERSION (the engine ignores it for ratio metrics). */
        boolean usesCovariate() {
            return cuped && aggregation != Aggregation.AVERAGE;
        }
    }

    /** Users of one treatment: all assigned, and those whose first exposure carried the split's label. */
    record ArmCount(String treatment, long users, long splitUsers) {}

    /** How a computation was done. */
    enum Path {
        /** One pass over the window's events; the per-user state rebuilt. */
        FULL,
        /** Only the users touched by new events or changed exposures. */
        INCREMENTAL
    }

    /**
     * What a computation returns.
     *
     * @param excludedUsers keys exposed to more than one treatment
     * @param arms per treatment (in treatment order) the users
     * @param statistics per metric (same order as the input) and treatment the sufficient statistics
     * @param path full or incremental
     * @param touchedUsers the users recomputed or updated (all assigned users for a full computation)
     */
    record Aggregates(
            long excludedUsers,
            List<ArmCount> arms,
            List<Map<String, SufficientStatistics>> statistics,
            Path path,
            long touchedUsers) {}

    /** What one computation is about. */
    private record Scope(
            long environmentId,
            long flagId,
            String flag,
            List<MetricInput> metrics,
            Instant from,
            Instant to,
            String splitLabel,
            String signature) {

        boolean anyCovariate() {
            return metrics.stream().anyMatch(MetricInput::usesCovariate);
        }

        /** The earliest event time read: the window's start, or 14 days before it with CUPED. */
        OffsetDateTime lowest() {
            return anyCovariate() ? utc(from).minusDays(14) : utc(from);
        }

        String[] types() {
            return metrics.stream().map(MetricInput::eventType).distinct().toArray(String[]::new);
        }
    }

    /** The stored state of a flag: what it is current to. */
    private record State(String signature, String snapshot, Instant windowTo, Totals totals) {}

    /** The arms' sums: per treatment [users, split users, then Σy, Σy², Σx, Σx², Σxy per metric]. */
    private record Totals(long excluded, Map<String, double[]> arms) {

        Aggregates aggregates(int metricCount, Path path, long touched) {
            List<ArmCount> counts = new ArrayList<>();
            List<Map<String, SufficientStatistics>> statistics = new ArrayList<>();
            for (int i = 0; i < metricCount; i++) {
                statistics.add(new LinkedHashMap<>());
            }
            arms.forEach((treatment, s) -> {
                // Only the split's users are compared: the sums below are weighted by split membership too.
                long randomised = Math.round(s[1]);
                counts.add(new ArmCount(treatment, Math.round(s[0]), randomised));
                for (int i = 0; i < metricCount; i++) {
                    int o = 2 + 5 * i;
                    statistics
                            .get(i)
                            .put(
                                    treatment,
                                    new SufficientStatistics(
                                            randomised,
                                            s[o],
                                            Math.max(0, s[o + 1]),
                                            s[o + 2],
                                            Math.max(0, s[o + 3]),
                                            s[o + 4]));
                }
            });
            return new Aggregates(excluded, counts, statistics, path, touched);
        }
    }

    private final DataSource dataSource;

    AnalysisQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Computes the arms' statistics and keeps the per-user state of the flag current.
     *
     * @param flagId the flag's id, which keys the stored state
     * @param flag the flag's key, which keys its exposures
     * @param from the window's start (the flag's first exposure in the environment); events before it minus the
     *     pre-period are never read
     * @param to the window's end (exclusive) for exposures and events
     * @param splitLabel the label the configured split serves with ({@code default rule}), or null
     * @param signature everything else the per-user values depend on (configuration); the stored state is used only
     *     when it was computed with the same signature, metrics and window start
     * @param incremental whether the stored state may be used; false forces a full computation
     */
    Aggregates aggregate(
            long environmentId,
            long flagId,
            String flag,
            List<MetricInput> metrics,
            Instant from,
            Instant to,
            String splitLabel,
            String signature,
            boolean incremental)
            throws SQLException {
        String fullSignature = STATE_VERSION + "|" + signature + "|" + from + "|" + splitLabel + "|" + metrics;
        Scope scope = new Scope(environmentId, flagId, flag, metrics, from, to, splitLabel, fullSignature);
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL work_mem = '" + WORK_MEM + "'");
                    // One computation at a time: taken before the snapshot (LOCK takes none), so a computation never
                    // starts from state that another one is about to replace.
                    s.execute("LOCK TABLE analysis_state IN SHARE ROW EXCLUSIVE MODE");
                }
                String snapshot = string(c, "SELECT txid_current_snapshot()::text");
                State state = incremental ? state(c, scope) : null;
                Aggregates result;
                Totals totals;
                if (state != null && state.signature().equals(fullSignature) && !to.isBefore(state.windowTo())) {
                    long[] touched = new long[1];
                    totals = incremental(c, scope, state, touched);
                    result = totals.aggregates(metrics.size(), Path.INCREMENTAL, touched[0]);
                } else {
                    totals = full(c, scope);
                    long users = totals.arms().values().stream()
                            .mapToLong(s -> Math.round(s[0]))
                            .sum();
                    result = totals.aggregates(metrics.size(), Path.FULL, users + totals.excluded());
                }
                save(c, scope, snapshot, totals);
                c.commit();
                log.debug(
                        "analysis of flag '{}' in environment {}: {} ({} users) in {} ms",
                        flag,
                        environmentId,
                        result.path(),
                        result.touchedUsers(),
                        (System.nanoTime() - started) / 1_000_000);
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
                c.setTransactionIsolation(isolation);
            }
        }
    }

    /** Rebuilds the flag's per-user state from one pass over the window's events, and sums the arms from it. */
    private static Totals full(Connection c, Scope scope) throws SQLException {
        // The one plan that scales is a hash join of the flag's keys with the window's events. Right after a burst of
        // ingestion (a new experiment, a day's new partition) autovacuum has not analysed exposures or events yet; the
        // planner then estimates one key and loops over the events once per key: 20 000 users took three minutes
        // instead of a second (RandomisedPopulationTests). Nothing in this transaction after this point wants a loop.
        update(c, "SET LOCAL enable_nestloop = off");
        update(
                c,
                "DELETE FROM analysis_users WHERE environment_id = ? AND flag_id = ?",
                scope.environmentId(),
                scope.flagId());
        List<Object> args = new ArrayList<>();
        args.add(scope.environmentId());
        args.add(scope.flagId());
        List<Object> keyArgs = new ArrayList<>();
        String perUser = perUser(scope, keysSql(scope, keyArgs), keyArgs, args, scope.lowest());
        update(
                c,
                "INSERT INTO analysis_users (environment_id, flag_id, key, treatment, treatments, first_seen, label,"
                        + " post, pre)\nSELECT ?, ?, p.* FROM (" + perUser + ") p",
                args.toArray());
        // Fresh statistics: the incremental computations join with this table by key (and without them, on a table
        // autovacuum has not analysed yet, the planner guesses badly: minutes instead of a second).
        update(c, "ANALYZE analysis_users");
        List<Object> sumArgs = new ArrayList<>();
        sumArgs.add(scope.splitLabel());
        sumArgs.add(scope.environmentId());
        sumArgs.add(scope.flagId());
        String sql = """
                SELECT CASE WHEN r.treatments = 1 THEN r.treatment END AS treatment, count(*)::float8 AS users,
                       sum(r.w) AS split_users%s
                FROM (
                    SELECT o.*, coalesce(o.label = ?::text, false)::int::float8 AS w FROM analysis_users o
                    WHERE o.environment_id = ? AND o.flag_id = ?
                ) r
                GROUP BY 1
                """.formatted(sums(scope.metrics(), "r.w"));
        Map<String, double[]> arms = new TreeMap<>();
        long excluded = 0;
        for (Map.Entry<String, double[]> row :
                rows(c, sql, sumArgs, scope.metrics().size())) {
            if (row.getKey() == null) {
                excluded = Math.round(row.getValue()[0]);
            } else {
                arms.put(row.getKey(), row.getValue());
            }
        }
        return new Totals(excluded, arms);
    }

    /** Folds into the stored state what changed since it was computed (see the class comment). */
    private static Totals incremental(Connection c, Scope scope, State state, long[] touchedCount) throws SQLException {
        // 1. Users whose assignment changed: the flag's exposures now against the stored users.
        List<Object> args = new ArrayList<>();
        String keys = keysSql(scope, args);
        args.add(scope.environmentId());
        args.add(scope.flagId());
        update(c, """
                CREATE TEMP TABLE dimmer_touched ON COMMIT DROP AS
                SELECT coalesce(n.key, o.key) AS key, n.key IS NULL AS removed, n.treatment, n.treatments,
                       n.first_seen, n.label
                FROM (%s) n
                FULL JOIN (
                    SELECT key, treatment, treatments, first_seen, label FROM analysis_users
                    WHERE environment_id = ? AND flag_id = ?
                ) o ON o.key = n.key
                WHERE n.key IS NULL OR o.key IS NULL OR n.treatment <> o.treatment OR n.treatments <> o.treatments
                   OR n.first_seen <> o.first_seen OR n.label IS DISTINCT FROM o.label
                """.formatted(keys), args.toArray());
        update(c, "ANALYZE dimmer_touched");
        update(c, """
                CREATE TEMP TABLE dimmer_new (key TEXT PRIMARY KEY, treatment TEXT, treatments BIGINT,
                    first_seen TIMESTAMPTZ, label TEXT, post FLOAT8[], pre FLOAT8[]) ON COMMIT DROP
                """);
        Timestamp earliest = timestamp(c, "SELECT min(first_seen) FROM dimmer_touched WHERE NOT removed");
        if (earliest != null) {
            // ... recomputed from all their events in the window (only the days that can matter to them).
            OffsetDateTime lowest = utc(earliest.toInstant());
            if (scope.anyCovariate()) {
                lowest = lowest.minusDays(14);
            }
            if (lowest.isBefore(scope.lowest())) {
                lowest = scope.lowest();
            }
            List<Object> rescanArgs = new ArrayList<>();
            String perUser = perUser(
                    scope,
                    "SELECT key, treatment, treatments, first_seen, label FROM dimmer_touched WHERE NOT removed",
                    List.of(),
                    rescanArgs,
                    lowest);
            update(c, "INSERT INTO dimmer_new " + perUser, rescanArgs.toArray());
        }

        // 2. Every other assigned user: add the events that are new since the stored snapshot or window end.
        List<Object> deltaArgs = new ArrayList<>();
        StringBuilder post = new StringBuilder();
        StringBuilder pre = new StringBuilder();
        partials(scope.metrics(), deltaArgs, post, pre, "k.post", "k.pre");
        deltaArgs.add(scope.environmentId());
        deltaArgs.add(scope.flagId());
        deltaArgs.add(scope.environmentId());
        deltaArgs.add(scope.types());
        deltaArgs.add(scope.lowest());
        deltaArgs.add(utc(scope.to()));
        deltaArgs.add(utc(state.windowTo()));
        deltaArgs.add(xmin(state.snapshot()));
        deltaArgs.add(state.snapshot());
        update(c, """
                INSERT INTO dimmer_new
                SELECT k.key, k.treatment, k.treatments, k.first_seen, k.label,
                       ARRAY[%s]::float8[], ARRAY[%s]::float8[]
                FROM analysis_users k
                JOIN events e ON e.key = k.key AND e.time >= %s
                WHERE k.environment_id = ? AND k.flag_id = ? AND k.treatments = 1
                  AND e.environment_id = ? AND e.type = ANY(?::text[]) AND e.time >= ? AND e.time < ?
                  AND (e.time >= ? OR (e.arrival >= ? AND NOT txid_visible_in_snapshot(e.arrival, ?::txid_snapshot)))
                  AND NOT EXISTS (SELECT 1 FROM dimmer_touched t WHERE t.key = k.key)
                GROUP BY k.environment_id, k.flag_id, k.key
                """.formatted(post, pre, lowerBound(scope)), deltaArgs.toArray());
        update(c, "ANALYZE dimmer_new");

        // 3. The arms: per touched user, the new contribution minus the old one.
        List<Object> sumArgs = new ArrayList<>();
        sumArgs.add(scope.splitLabel());
        sumArgs.add(scope.environmentId());
        sumArgs.add(scope.flagId());
        String sql = """
                SELECT r.treatment, sum(r.s) AS users, coalesce(sum(r.w), 0) AS split_users%s
                FROM (
                    SELECT u.*, u.s * coalesce(u.label = ?::text, false)::int::float8 AS w
                    FROM (
                        SELECT CASE WHEN o.treatments = 1 THEN o.treatment END AS treatment, -1::float8 AS s,
                               o.label, o.post, o.pre
                        FROM analysis_users o
                        JOIN (SELECT key FROM dimmer_touched UNION SELECT key FROM dimmer_new) t ON t.key = o.key
                        WHERE o.environment_id = ? AND o.flag_id = ?
                        UNION ALL
                        SELECT CASE WHEN n.treatments = 1 THEN n.treatment END, 1::float8, n.label, n.post, n.pre
                        FROM dimmer_new n
                    ) u
                ) r
                GROUP BY 1
                """.formatted(sums(scope.metrics(), "r.w"));
        Map<String, double[]> arms = new TreeMap<>();
        state.totals().arms().forEach((t, s) -> arms.put(t, s.clone()));
        long excluded = state.totals().excluded();
        int width = 2 + 5 * scope.metrics().size();
        for (Map.Entry<String, double[]> row :
                rows(c, sql, sumArgs, scope.metrics().size())) {
            double[] delta = row.getValue();
            if (row.getKey() == null) {
                excluded += Math.round(delta[0]);
                continue;
            }
            double[] total = arms.computeIfAbsent(row.getKey(), t -> new double[width]);
            for (int i = 0; i < width; i++) {
                total[i] += delta[i];
            }
            if (Math.round(total[0]) == 0) {
                arms.remove(row.getKey());
            }
        }

        // 4. The new per-user state.
        update(
                c,
                "DELETE FROM analysis_users WHERE environment_id = ? AND flag_id = ?"
                        + " AND key IN (SELECT key FROM dimmer_touched WHERE removed)",
                scope.environmentId(),
                scope.flagId());
        touchedCount[0] = update(c, """
                INSERT INTO analysis_users (environment_id, flag_id, key, treatment, treatments, first_seen, label,
                    post, pre)
                SELECT ?, ?, n.key, n.treatment, n.treatments, n.first_seen, n.label, n.post, n.pre FROM dimmer_new n
                ON CONFLICT (environment_id, flag_id, key) DO UPDATE SET treatment = excluded.treatment,
                    treatments = excluded.treatments, first_seen = excluded.first_seen, label = excluded.label,
                    post = excluded.post, pre = excluded.pre
                """, scope.environmentId(), scope.flagId());
        return new Totals(excluded, arms);
    }

    /** The flag's exposures grouped by key, as of the window's end (appends its arguments). */
    private static String keysSql(Scope scope, List<Object> args) {
        args.add(scope.environmentId());
        args.add(scope.flag());
        args.add(utc(scope.to()));
        return """
                SELECT key, min(treatment) AS treatment, count(*) AS treatments, min(first_seen) AS first_seen,
                       min(first_label) AS label
                FROM exposures
                WHERE environment_id = ? AND flag = ? AND first_seen < ?
                GROUP BY key""";
    }

    /**
     * Per key of {@code keys} (key, treatment, treatments, first_seen, label, with arguments {@code keyArgs}) its raw
     * partials from all its events in the window from {@code lowest}; appends the arguments to {@code args}.
     */
    private static String perUser(
            Scope scope, String keys, List<Object> keyArgs, List<Object> args, OffsetDateTime lowest) {
        StringBuilder post = new StringBuilder();
        StringBuilder pre = new StringBuilder();
        partials(scope.metrics(), args, post, pre, null, null);
        args.addAll(keyArgs);
        args.add(scope.environmentId());
        args.add(scope.types());
        args.add(lowest);
        args.add(utc(scope.to()));
        return """
                SELECT k.key, k.treatment, k.treatments, k.first_seen, k.label,
                       ARRAY[%s]::float8[] AS post, ARRAY[%s]::float8[] AS pre
                FROM (%s) k
                LEFT JOIN events e ON e.key = k.key AND k.treatments = 1
                    AND e.environment_id = ? AND e.type = ANY(?::text[]) AND e.time >= ? AND e.time < ?
                    AND e.time >= %s
                GROUP BY k.key, k.treatment, k.treatments, k.first_seen, k.label
                """.formatted(post, pre, keys, lowerBound(scope));
    }

    /** A user's earliest relevant event time, from its first exposure {@code k.first_seen}. */
    private static String lowerBound(Scope scope) {
        return scope.anyCovariate() ? "k.first_seen - interval '" + PRE_PERIOD + "'" : "k.first_seen";
    }

    /**
     * The raw partial aggregates of every metric over events {@code e} of user {@code k}, added to the stored arrays
     * {@code postBase[i]} and {@code preBase[i]} when given.
     */
    private static void partials(
            List<MetricInput> metrics,
            List<Object> args,
            StringBuilder post,
            StringBuilder pre,
            String postBase,
            String preBase) {
        List<Object> preArgs = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            MetricInput m = metrics.get(i);
            String after = "e.type = ? AND e.time >= k.first_seen";
            String before = "e.type = ? AND e.time < k.first_seen";
            String sep = i == 0 ? "" : ", ";
            post.append(sep);
            if (postBase != null) {
                post.append(postBase).append('[').append(i + 1).append("] + ");
            }
            post.append(raw(m.aggregation(), after, args, m.eventType()));
            pre.append(sep);
            if (preBase != null) {
                pre.append(preBase).append('[').append(i + 1).append("] + ");
            }
            if (m.aggregation() == Aggregation.AVERAGE) {
                pre.append("count(e.value) FILTER (WHERE ").append(after).append(")::float8");
                preArgs.add(m.eventType());
            } else if (m.usesCovariate()) {
                pre.append(raw(m.aggregation(), before, preArgs, m.eventType()));
            } else {
                pre.append("0::float8");
            }
        }
        args.addAll(preArgs);
    }

    /** Per metric Σ w·y, Σ w·y², Σ w·x, Σ w·x², Σ w·xy over rows {@code r} with partials {@code post} and {@code pre}. */
    private static String sums(List<MetricInput> metrics, String weight) {
        StringBuilder sums = new StringBuilder();
        for (int i = 0; i < metrics.size(); i++) {
            MetricInput m = metrics.get(i);
            String a = "r.post[" + (i + 1) + "]";
            String b = "r.pre[" + (i + 1) + "]";
            String y = m.aggregation() == Aggregation.CONVERSION ? "(" + a + " > 0)::int::float8" : a;
            String x;
            if (m.aggregation() == Aggregation.AVERAGE) {
                x = b;
            } else if (m.usesCovariate()) {
                x = m.aggregation() == Aggregation.CONVERSION ? "(" + b + " > 0)::int::float8" : b;
            } else {
                x = "0::float8";
            }
            sums.append(",\n       coalesce(sum(%s * %s), 0), coalesce(sum(%s * %s * %s), 0)"
                    .formatted(weight, y, weight, y, y));
            sums.append(", coalesce(sum(%s * %s), 0), coalesce(sum(%s * %s * %s), 0), coalesce(sum(%s * %s * %s), 0)"
                    .formatted(weight, x, weight, x, x, weight, x, y));
        }
        return sums.toString();
    }

    private static State state(Connection c, Scope scope) throws SQLException {
        String signature;
        String snapshot;
        Instant windowTo;
        long excluded;
        try (PreparedStatement s =
                c.prepareStatement("SELECT signature, snapshot, window_to, excluded FROM analysis_state"
                        + " WHERE environment_id = ? AND flag_id = ?")) {
            s.setLong(1, scope.environmentId());
            s.setLong(2, scope.flagId());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                signature = r.getString(1);
                snapshot = r.getString(2);
                windowTo = r.getTimestamp(3).toInstant();
                excluded = r.getLong(4);
            }
        }
        Map<String, double[]> arms = new TreeMap<>();
        int width = 2 + 5 * scope.metrics().size();
        try (PreparedStatement s =
                c.prepareStatement("SELECT treatment, users, split_users, sums FROM analysis_state_arms"
                        + " WHERE environment_id = ? AND flag_id = ?")) {
            s.setLong(1, scope.environmentId());
            s.setLong(2, scope.flagId());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Double[] sums = (Double[]) r.getArray(4).getArray();
                    if (sums.length != width - 2) {
                        return null; // a different metric count: the signature differs too
                    }
                    double[] row = new double[width];
                    row[0] = r.getLong(2);
                    row[1] = r.getLong(3);
                    for (int i = 0; i < sums.length; i++) {
                        row[2 + i] = sums[i];
                    }
                    arms.put(r.getString(1), row);
                }
            }
        }
        return new State(signature, snapshot, windowTo, new Totals(excluded, arms));
    }

    private static void save(Connection c, Scope scope, String snapshot, Totals totals) throws SQLException {
        update(
                c,
                """
                INSERT INTO analysis_state (environment_id, flag_id, signature, snapshot, window_to, excluded,
                    events_from)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (environment_id, flag_id) DO UPDATE SET signature = excluded.signature,
                    snapshot = excluded.snapshot, window_to = excluded.window_to, excluded = excluded.excluded,
                    events_from = excluded.events_from
                """,
                scope.environmentId(),
                scope.flagId(),
                scope.signature(),
                snapshot,
                utc(scope.to()),
                totals.excluded(),
                scope.lowest());
        update(
                c,
                "DELETE FROM analysis_state_arms WHERE environment_id = ? AND flag_id = ?",
                scope.environmentId(),
                scope.flagId());
        try (PreparedStatement s = c.prepareStatement("INSERT INTO analysis_state_arms (environment_id, flag_id,"
                + " treatment, users, split_users, sums) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, double[]> arm : totals.arms().entrySet()) {
                double[] row = arm.getValue();
                Double[] sums = Arrays.stream(row, 2, row.length).boxed().toArray(Double[]::new);
                s.setLong(1, scope.environmentId());
                s.setLong(2, scope.flagId());
                s.setString(3, arm.getKey());
                s.setLong(4, Math.round(row[0]));
                s.setLong(5, Math.round(row[1]));
                s.setArray(6, c.createArrayOf("float8", sums));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Rows of (treatment or null, [users, split users, sums...]). */
    private static List<Map.Entry<String, double[]>> rows(Connection c, String sql, List<Object> args, int metrics)
            throws SQLException {
        List<Map.Entry<String, double[]>> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args.toArray());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    double[] row = new double[2 + 5 * metrics];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = r.getDouble(2 + i);
                    }
                    rows.add(new java.util.AbstractMap.SimpleEntry<>(r.getString(1), row));
                }
            }
        }
        return rows;
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        }
    }

    private static String string(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private static Timestamp timestamp(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getTimestamp(1);
        }
    }

    private static void bind(PreparedStatement s, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
    }

    /** The xmin of a {@code txid_snapshot} ("xmin:xmax:xip,…"): every older transaction is visible or aborted. */
    static long xmin(String snapshot) {
        return Long.parseLong(snapshot.substring(0, snapshot.indexOf(':')));
    }

    /** A user's raw, additive partial of a metric over {@code filter}: count (COUNT, CONVERSION) or Σ value. */
    private static String raw(Aggregation aggregation, String filter, List<Object> args, String eventType) {
        args.add(eventType);
        return switch (aggregation) {
            case COUNT, CONVERSION -> "count(*) FILTER (WHERE " + filter + ")::float8";
            case SUM, AVERAGE -> "coalesce(sum(e.value) FILTER (WHERE " + filter + "), 0)::float8";
        };
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
