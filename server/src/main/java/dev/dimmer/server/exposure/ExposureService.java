package dev.dimmer.server.exposure;

import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.server.analysis.ExperimentSplit;
import dev.dimmer.server.analysis.ExperimentSplits;
import dev.dimmer.server.exposure.ExposureReport.Allocation;
import dev.dimmer.server.exposure.ExposureReport.Arm;
import dev.dimmer.server.exposure.ExposureReport.Bucket;
import dev.dimmer.server.exposure.ExposureReport.LabelCount;
import dev.dimmer.server.exposure.ExposureReport.SdkInstance;
import dev.dimmer.server.exposure.ExposureReport.Srm;
import dev.dimmer.server.exposure.ExposureReport.TreatmentCount;
import dev.dimmer.server.flags.Flag;
import dev.dimmer.server.flags.FlagService;
import dev.dimmer.server.flags.FlagTreatments;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.sdkapi.EngineCache;
import dev.dimmer.server.stats.SampleRatioTest;
import dev.dimmer.server.stats.SrmResult;
import dev.dimmer.server.system.ApiException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Builds exposure reports from the raw {@code impressions} of the window (BRIN on time and the day partitions limit
 * the scan to the window) and the per-key view from {@code exposures} plus the key's latest impressions.
 *
 * <p>Allocation: the expected weights are the flag's experiment split in the environment, decided by
 * {@link ExperimentSplits} as for the experiment report; the observed count of a treatment is the number of keys whose
 * impressions in the window all carry that one treatment and at least one of which carries the split's label
 * ({@code default rule} or {@code rule:<id>}). Keys served by fixed targeting rules, the traffic gate ("not in
 * split"), a kill, or that saw more than one treatment are thereby left out, as analysis leaves them out.
 */
@Service
class ExposureService {

    static final int DEFAULT_KEY_IMPRESSIONS = 50;
    static final int MAX_KEY_IMPRESSIONS = 1000;
    static final int MAX_SDK_INSTANCES = 200;

    private final Lookup lookup;
    private final FlagService flags;
    private final FlagTreatments treatments;
    private final ExperimentSplits splits;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    private final EngineCache engines;

    ExposureService(
            Lookup lookup,
            FlagService flags,
            FlagTreatments treatments,
            ExperimentSplits splits,
            JdbcTemplate jdbc,
            EngineCache engines,
            Clock clock) {
        this.engines = engines;
        this.lookup = lookup;
        this.flags = flags;
        this.treatments = treatments;
        this.splits = splits;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    @Transactional(readOnly = true)
    ExposureReport report(String projectKey, String environmentKey, String flagKey, ReportWindow window) {
        Environment environment = lookup.environment(projectKey, environmentKey);
        Flag flag = flags.find(projectKey, flagKey);
        long env = environment.getId();
        OffsetDateTime from = utc(window.from());
        OffsetDateTime to = utc(window.to());
        String where = " FROM impressions WHERE environment_id = ? AND flag = ? AND time >= ? AND time < ?";

        // impressions by bucket × treatment × label
        Set<String> treatmentNames = new LinkedHashSet<>(treatments.namesOf(flag));
        Map<Instant, Map<String, Long>> byTreatment = new TreeMap<>();
        Map<Instant, Map<String, Long>> byLabel = new TreeMap<>();
        Map<String, Long> treatmentTotals = new LinkedHashMap<>();
        Map<String, Long> labelTotals = new TreeMap<>();
        long[] total = {0};
        jdbc.query(
                "SELECT date_trunc(?, time, 'UTC') AS bucket, treatment, label, count(*) AS n" + where
                        + " GROUP BY 1, 2, 3",
                rs -> {
                    Instant bucket = rs.getObject(1, OffsetDateTime.class).toInstant();
                    String treatment = rs.getString(2);
                    String label = rs.getString(3);
                    long n = rs.getLong(4);
                    treatmentNames.add(treatment);
                    byTreatment.computeIfAbsent(bucket, b -> new TreeMap<>()).merge(treatment, n, Long::sum);
                    byLabel.computeIfAbsent(bucket, b -> new TreeMap<>()).merge(label, n, Long::sum);
                    treatmentTotals.merge(treatment, n, Long::sum);
                    labelTotals.merge(label, n, Long::sum);
                    total[0] += n;
                },
                window.interval(),
                env,
                flagKey,
                from,
                to);

        Map<String, Long> uniqueByTreatment = new LinkedHashMap<>();
        jdbc.query(
                "SELECT treatment, count(DISTINCT key)" + where + " GROUP BY treatment",
                rs -> {
                    uniqueByTreatment.put(rs.getString(1), rs.getLong(2));
                },
                env,
                flagKey,
                from,
                to);

        Map<String, Object> keys = jdbc.queryForMap(
                "SELECT count(*) AS keys, count(*) FILTER (WHERE n > 1) AS multi FROM (SELECT key,"
                        + " count(DISTINCT treatment) AS n" + where + " GROUP BY key) k",
                env,
                flagKey,
                from,
                to);

        List<Bucket> series = new ArrayList<>();
        for (Instant start = window.from().truncatedTo(window.unit());
                start.isBefore(window.to());
                start = start.plus(1, window.unit())) {
            Map<String, Long> perTreatment = new LinkedHashMap<>();
            Map<String, Long> seen = byTreatment.getOrDefault(start, Map.of());
            long n = 0;
            for (String t : treatmentNames) {
                long count = seen.getOrDefault(t, 0L);
                perTreatment.put(t, count);
                n += count;
            }
            series.add(new Bucket(start, n, perTreatment, byLabel.getOrDefault(start, Map.of())));
        }

        List<TreatmentCount> treatmentCounts = treatmentNames.stream()
                .map(t -> new TreatmentCount(
                        t, treatmentTotals.getOrDefault(t, 0L), uniqueByTreatment.getOrDefault(t, 0L)))
                .toList();
        List<LabelCount> labelCounts = labelTotals.entrySet().stream()
                .map(e -> new LabelCount(e.getKey(), e.getValue()))
                .toList();

        List<SdkInstance> sdks = jdbc.query(
                "SELECT name, version, instance_id, first_seen, last_seen FROM sdk_instances"
                        + " WHERE environment_id = ? AND last_seen >= ? ORDER BY last_seen DESC, instance_id LIMIT ?",
                (rs, i) -> new SdkInstance(
                        rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5)),
                env,
                from,
                MAX_SDK_INSTANCES);

        Allocation allocation = allocation(flag, environment, env, flagKey, from, to);
        return new ExposureReport(
                flagKey,
                environmentKey,
                window.from(),
                window.to(),
                window.interval(),
                total[0],
                ((Number) keys.get("keys")).longValue(),
                ((Number) keys.get("multi")).longValue(),
                treatmentCounts,
                labelCounts,
                series,
                sdks,
                allocation);
    }

    private Allocation allocation(
            Flag flag, Environment environment, long env, String flagKey, OffsetDateTime from, OffsetDateTime to) {
        ExperimentSplit split = splits.of(flag.getId(), environment.getId());
        if (!split.exists()) {
            return new Allocation("none", null, List.of(), new Srm("NO_SPLIT", null, null, null, null));
        }
        String source = split.source();
        String label = split.label();
        Map<String, Long> observed = new LinkedHashMap<>();
        jdbc.query(
                "SELECT t, count(*) FROM (SELECT key, min(treatment) AS t FROM impressions"
                        + " WHERE environment_id = ? AND flag = ? AND time >= ? AND time < ? GROUP BY key"
                        + " HAVING count(DISTINCT treatment) = 1 AND bool_or(label = ?)) k GROUP BY t",
                rs -> {
                    observed.put(rs.getString(1), rs.getLong(2));
                },
                env,
                flagKey,
                from,
                to,
                label);
        Map<String, Integer> weights = new LinkedHashMap<>(split.weights());
        observed.keySet().forEach(t -> weights.putIfAbsent(t, 0));
        long assigned = observed.values().stream().mapToLong(Long::longValue).sum();
        int totalWeight = weights.values().stream().mapToInt(Integer::intValue).sum();
        long[] counts = new long[weights.size()];
        double[] w = new double[weights.size()];
        List<Arm> arms = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            long n = observed.getOrDefault(e.getKey(), 0L);
            counts[i] = n;
            w[i] = e.getValue();
            arms.add(new Arm(
                    e.getKey(),
                    e.getValue(),
                    totalWeight == 0 ? 0 : (double) e.getValue() / totalWeight,
                    n,
                    assigned == 0 ? null : (double) n / assigned));
            i++;
        }
        SrmResult result = SampleRatioTest.test(counts, w);
        return new Allocation(
                source,
                label,
                arms,
                new Srm(
                        result.status().name(),
                        finite(result.chiSquare()),
                        result.degreesOfFreedom(),
                        finite(result.pValue()),
                        finite(result.chiSquarePValue())));
    }

    @Transactional(readOnly = true)
    KeyExposure key(String projectKey, String environmentKey, String flagKey, String key, Integer limit) {
        if (limit != null && (limit < 1 || limit > MAX_KEY_IMPRESSIONS)) {
            throw ApiException.invalid("/limit", "must be between 1 and " + MAX_KEY_IMPRESSIONS);
        }
        Environment environment = lookup.environment(projectKey, environmentKey);
        flags.find(projectKey, flagKey);
        long env = environment.getId();
        List<KeyExposure.FirstExposure> exposures = jdbc.query(
                "SELECT treatment, first_seen, first_label FROM exposures"
                        + " WHERE environment_id = ? AND flag = ? AND key = ? ORDER BY first_seen, treatment",
                (rs, i) -> new KeyExposure.FirstExposure(rs.getString(1), instant(rs, 2), rs.getString(3)),
                env,
                flagKey,
                key);
        List<KeyExposure.Impression> impressions = List.of();
        if (!exposures.isEmpty()) {
            // The impressions table has no per-key index (it would halve COPY throughput); the first exposure bounds
            // the scan to the partitions since then, newest first.
            impressions = jdbc.query(
                    "SELECT treatment, label, change_number, time FROM impressions"
                            + " WHERE environment_id = ? AND flag = ? AND key = ? AND time >= ?"
                            + " ORDER BY time DESC LIMIT ?",
                    (rs, i) -> new KeyExposure.Impression(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getObject(3) == null ? null : rs.getLong(3),
                            instant(rs, 4)),
                    env,
                    flagKey,
                    key,
                    utc(exposures.get(0).firstSeen()),
                    limit == null ? DEFAULT_KEY_IMPRESSIONS : limit);
        }
        // "Why did K get T": what the flag serves this key now, by the engine the SDKs run. Attributes are not
        // stored with impressions, so this is the answer for the key alone; POST …/evaluate takes attributes.
        EvaluationResult current = engines.current(env).evaluate(flagKey, key, Map.of(), null);
        return new KeyExposure(flagKey, environmentKey, key, exposures, impressions, exposures.size() > 1, current);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
