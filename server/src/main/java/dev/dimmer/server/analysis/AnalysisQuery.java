package dev.dimmer.server.analysis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Computes, in one SQL statement per flag and environment, every arm's {@link SufficientStatistics} for every metric,
 * so the JVM never sees a per-user row:
 *
 * <ol>
 *   <li>{@code k}: the flag's exposures grouped by key; a key with one treatment is assigned to it from its first
 *       exposure, a key with more is excluded (and counted in the row whose treatment is null);
 *   <li>{@code u}: the assigned keys left-joined with one pass over the window's events of the metrics' types
 *       (hash join, the million keys on the build side, the events streamed past them), grouped by key, with one
 *       {@code FILTER} aggregate per metric (y: events at or after the key's first exposure; x: the AVERAGE
 *       denominator, or for CUPED the same value over the 14 days before it); a key without events gets 0;
 *   <li>the arms: per treatment n, Σy, Σy², Σx, Σx², Σxy for each metric.
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

    /** One metric as the query needs it. */
    record MetricInput(String eventType, Aggregation aggregation, boolean cuped) {

        /** CUPED applies to COUNT, SUM and CONVERSION (the engine ignores it for ratio metrics). */
        boolean usesCovariate() {
            return cuped && aggregation != Aggregation.AVERAGE;
        }
    }

    /** Users of one treatment: all assigned, and those whose first exposure carried the split's label. */
    record ArmCount(String treatment, long users, long splitUsers) {}

    /**
     * What the statement returns.
     *
     * @param excludedUsers keys exposed to more than one treatment
     * @param arms per treatment (in treatment order) the users
     * @param statistics per metric (same order as the input) and treatment the sufficient statistics
     */
    record Aggregates(long excludedUsers, List<ArmCount> arms, List<Map<String, SufficientStatistics>> statistics) {}

    private final DataSource dataSource;

    AnalysisQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param from the window's start (the flag's first exposure in the environment); events before it minus the
     *     pre-period are never read
     * @param to the window's end (exclusive) for exposures and events
     * @param splitLabel the label the configured split serves with ({@code default rule}), or null
     */
    Aggregates aggregate(
            long environmentId, String flag, List<MetricInput> metrics, Instant from, Instant to, String splitLabel)
            throws SQLException {
        List<Object> args = new ArrayList<>();
        String sql = sql(metrics, args, environmentId, flag, from, to, splitLabel);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL work_mem = '" + WORK_MEM + "'");
                }
                Aggregates result = run(c, sql, args, metrics.size());
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static Aggregates run(Connection c, String sql, List<Object> args, int metricCount) throws SQLException {
        List<ArmCount> arms = new ArrayList<>();
        List<Map<String, SufficientStatistics>> statistics = new ArrayList<>();
        for (int i = 0; i < metricCount; i++) {
            statistics.add(new LinkedHashMap<>());
        }
        long excluded = 0;
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String treatment = r.getString("treatment");
                    long users = r.getLong("users");
                    if (treatment == null) {
                        excluded = users; // the keys seen with more than one treatment
                        continue;
                    }
                    arms.add(new ArmCount(treatment, users, r.getLong("split_users")));
                    for (int i = 0; i < metricCount; i++) {
                        statistics
                                .get(i)
                                .put(
                                        treatment,
                                        new SufficientStatistics(
                                                users,
                                                r.getDouble("sy" + i),
                                                Math.max(0, r.getDouble("syy" + i)),
                                                r.getDouble("sx" + i),
                                                Math.max(0, r.getDouble("sxx" + i)),
                                                r.getDouble("sxy" + i)));
                    }
                }
            }
        }
        return new Aggregates(excluded, arms, statistics);
    }

    /** The statement and its arguments (appended to {@code args} in placeholder order). */
    static String sql(
            List<MetricInput> metrics,
            List<Object> args,
            long environmentId,
            String flag,
            Instant from,
            Instant to,
            String splitLabel) {
        boolean anyCovariate = metrics.stream().anyMatch(MetricInput::usesCovariate);
        StringBuilder perUser = new StringBuilder();
        List<Object> perUserArgs = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            MetricInput m = metrics.get(i);
            String post = "e.type = ? AND e.time >= k.first_seen";
            String pre = "e.type = ? AND e.time < k.first_seen";
            perUser.append(",\n        ")
                    .append(value(m.aggregation(), post, perUserArgs, m.eventType()))
                    .append(" AS y")
                    .append(i);
            if (m.aggregation() == Aggregation.AVERAGE) {
                perUser.append(",\n        count(e.value) FILTER (WHERE ")
                        .append(post)
                        .append(")::float8 AS x")
                        .append(i);
                perUserArgs.add(m.eventType());
            } else if (m.usesCovariate()) {
                perUser.append(",\n        ")
                        .append(value(m.aggregation(), pre, perUserArgs, m.eventType()))
                        .append(" AS x")
                        .append(i);
            } else {
                perUser.append(",\n        0::float8 AS x").append(i);
            }
        }
        StringBuilder sums = new StringBuilder();
        for (int i = 0; i < metrics.size(); i++) {
            String y = "u.y" + i;
            String x = "u.x" + i;
            sums.append(",\n    sum(").append(y).append(") AS sy").append(i);
            sums.append(", sum(")
                    .append(y)
                    .append(" * ")
                    .append(y)
                    .append(") AS syy")
                    .append(i);
            sums.append(", sum(").append(x).append(") AS sx").append(i);
            sums.append(", sum(")
                    .append(x)
                    .append(" * ")
                    .append(x)
                    .append(") AS sxx")
                    .append(i);
            sums.append(", sum(")
                    .append(x)
                    .append(" * ")
                    .append(y)
                    .append(") AS sxy")
                    .append(i);
        }
        OffsetDateTime start = utc(from);
        OffsetDateTime end = utc(to);

        args.add(splitLabel == null ? "" : splitLabel);
        args.addAll(perUserArgs);
        args.add(environmentId);
        args.add(flag);
        args.add(end);
        args.add(environmentId);
        args.add(metrics.stream().map(MetricInput::eventType).distinct().toArray(String[]::new));
        args.add(anyCovariate ? start.minusDays(14) : start);
        args.add(end);

        String lowerBound = anyCovariate ? "k.first_seen - interval '" + PRE_PERIOD + "'" : "k.first_seen";
        return """
                SELECT CASE WHEN u.treatments = 1 THEN u.treatment END AS treatment, count(*) AS users,
                       count(*) FILTER (WHERE u.label = ?) AS split_users%s
                FROM (
                    SELECT k.key, k.treatment, k.treatments, k.label%s
                    FROM (
                        SELECT key, min(treatment) AS treatment, min(first_seen) AS first_seen,
                               min(first_label) AS label, count(*) AS treatments
                        FROM exposures
                        WHERE environment_id = ? AND flag = ? AND first_seen < ?
                        GROUP BY key
                    ) k
                    LEFT JOIN events e ON e.key = k.key AND k.treatments = 1
                        AND e.environment_id = ? AND e.type = ANY(?::text[]) AND e.time >= ? AND e.time < ?
                        AND e.time >= %s
                    GROUP BY k.key, k.treatment, k.treatments, k.label
                ) u
                GROUP BY 1
                ORDER BY 1
                """.formatted(sums, perUser, lowerBound);
    }

    /** The per-user value of a COUNT, SUM or CONVERSION metric (or an AVERAGE's numerator) over {@code filter}. */
    private static String value(Aggregation aggregation, String filter, List<Object> args, String eventType) {
        args.add(eventType);
        return switch (aggregation) {
            case COUNT -> "count(*) FILTER (WHERE " + filter + ")::float8";
            case SUM, AVERAGE -> "coalesce(sum(e.value) FILTER (WHERE " + filter + "), 0)::float8";
            case CONVERSION -> "(count(*) FILTER (WHERE " + filter + ") > 0)::int::float8";
        };
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
